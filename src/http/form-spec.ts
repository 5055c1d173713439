import type { FastifyRequest } from 'fastify';
import { LikenessError } from '../errors.ts';

/** What one route's multipart form takes: files per field, and characters per text field. */
export interface FormSpec {
  files: Map<string, number>;
  fields: Map<string, number>;
}

interface Property { isFile?: boolean; type?: string; format?: string; items?: Property; maxItems?: number; maxLength?: number }

// ajvFilePlugin rewrites `isFile: true` to a binary string when the route is compiled.
const isFile = (p: Property | undefined) => p?.isFile === true || p?.format === 'binary';

const specs = new WeakMap<object, FormSpec>();

// Room for one part's boundary and headers.
const PART_OVERHEAD = 1024;
/** Text parts in one form; a list such as `galleries` may repeat its field. */
export const MAX_TEXT_PARTS = 100;

/** The form of the route serving this request, read from its body schema (routes/multipart-schema.ts). */
export function formSpecOf(request: FastifyRequest): FormSpec {
  const spec = routeForm(request);
  if (!spec) throw new LikenessError('LIKENESS_INTERNAL', `The route ${request.routeOptions.url} declares no multipart form`);
  return spec;
}

/** The route's multipart form, or undefined when it takes none. */
export function routeForm(request: FastifyRequest): FormSpec | undefined {
  const body = request.routeOptions.schema?.body as { content?: Record<string, { schema?: { properties?: Record<string, Property> } }> } | undefined;
  const properties = body?.content?.['multipart/form-data']?.schema?.properties;
  if (!body || !properties) return undefined;
  let spec = specs.get(body);
  if (!spec) {
    spec = specFrom(properties);
    specs.set(body, spec);
  }
  return spec;
}

export function specFrom(properties: Record<string, Property>): FormSpec {
  const spec: FormSpec = { files: new Map(), fields: new Map() };
  for (const [name, p] of Object.entries(properties)) {
    if (isFile(p)) spec.files.set(name, 1);
    // Without maxItems, the server's own maxFiles (the multipart plugin's limit) applies.
    else if (p.type === 'array' && isFile(p.items)) spec.files.set(name, p.maxItems ?? Infinity);
    else spec.fields.set(name, p.maxLength ?? 200);
  }
  return spec;
}

/** The most bytes a body of this form can honestly take: its files, its texts, and part headers. */
export function formMaxBytes(spec: FormSpec, maxImageBytes: number): number {
  const files = [...spec.files.values()].reduce((a, b) => a + b, 0);
  const texts = [...spec.fields.values()].reduce((a, b) => a + b * 4, 0);
  return files * (maxImageBytes + PART_OVERHEAD) + texts + MAX_TEXT_PARTS * PART_OVERHEAD;
}
