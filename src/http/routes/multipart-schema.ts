// A multipart body as OpenAPI shows it. It carries no `type`: @fastify/multipart leaves the body
// to the handler, so the validator sees null, which a schema without `type` lets through.
// The same schema is the reader's allow-list: multipart-form.ts takes only the fields named
// here, at most `maxItems` files per file field and at most `maxLength` characters per text.
export function multipartBody(properties: Record<string, object>, required: string[] = []) {
  return { content: { 'multipart/form-data': { schema: { properties, required } } } };
}

/** One image file. */
export const file = (description: string) => ({ isFile: true, description });
/** Up to `maxItems` image files in one field. */
export const files = (description: string, maxItems: number) => ({ type: 'array', items: file(description), maxItems });
/** A text field; longer values are refused, not cut. */
export const text = (description: string, maxLength = 200) => ({ type: 'string', description, maxLength });
/** A number written as text. */
export const numeric = (type: 'integer' | 'number', range: { minimum: number; maximum?: number }, description?: string) =>
  ({ type, ...range, maxLength: 32, ...(description ? { description } : {}) });
