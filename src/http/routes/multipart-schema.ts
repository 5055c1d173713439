// A multipart body as OpenAPI shows it. It carries no `type`: @fastify/multipart leaves the body
// to the handler, so the validator sees null, which a schema without `type` lets through.
export function multipartBody(properties: Record<string, object>, required: string[] = []) {
  return { content: { 'multipart/form-data': { schema: { properties, required } } } };
}

export const file = (description: string) => ({ isFile: true, description });
export const text = (description: string) => ({ type: 'string', description });
