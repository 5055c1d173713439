import type { FastifyRequest } from 'fastify';
import { isLikenessError, LikenessError } from '../errors.ts';
import type { UploadedImage } from '../services/uploads/upload-service.ts';

export interface MultipartForm {
  files: Map<string, UploadedImage[]>;
  fields: Map<string, string>;
}

// Declared types that may hold an image; the engine still reads the bytes to be sure.
const IMAGE_TYPES = /^(image\/[\w.+-]+|application\/octet-stream)$/i;

/**
 * Reads a whole multipart body into memory within the limits given to @fastify/multipart, so
 * nothing is stored or indexed before every part has arrived intact.
 */
export async function readMultipart(request: FastifyRequest): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new LikenessError('LIKENESS_UNSUPPORTED_MEDIA_TYPE', 'Send this as multipart/form-data');
  const form: MultipartForm = { files: new Map(), fields: new Map() };
  try {
    await collect(request, form);
  } catch (error) {
    // busboy reports a cut-off or malformed body as a bare Error; the plugin's own limits carry FST_ codes.
    if (isLikenessError(error) || (error as { code?: string }).code?.startsWith('FST_')) throw error;
    throw new LikenessError('LIKENESS_BAD_INPUT', `The multipart body is truncated or malformed: ${(error as Error).message}`, { cause: error });
  }
  return form;
}

async function collect(request: FastifyRequest, form: MultipartForm): Promise<void> {
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (!IMAGE_TYPES.test(part.mimetype)) {
        part.file.resume();
        throw new LikenessError('LIKENESS_NOT_AN_IMAGE', `${part.filename || part.fieldname}: declared as ${part.mimetype}, not an image`);
      }
      const bytes = await part.toBuffer();
      const list = form.files.get(part.fieldname) ?? [];
      list.push({ filename: part.filename || `${part.fieldname}-${list.length + 1}`, bytes });
      form.files.set(part.fieldname, list);
    } else {
      const previous = form.fields.get(part.fieldname);
      form.fields.set(part.fieldname, previous === undefined ? String(part.value) : `${previous},${String(part.value)}`);
    }
  }
}

/** The one file of a field, refusing none or several. */
export function singleFile(form: MultipartForm, field: string): UploadedImage {
  const files = form.files.get(field) ?? [];
  if (files.length !== 1) throw new LikenessError('LIKENESS_BAD_INPUT', `Send exactly one image file in the field "${field}"`);
  return files[0]!;
}

export function numberField(form: MultipartForm, field: string, check: (n: number) => boolean, what: string): number | undefined {
  const raw = form.fields.get(field);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new LikenessError('LIKENESS_BAD_INPUT', `${field} must be ${what}, got "${raw}"`);
  return n;
}

/** A list given either as repeated fields or comma separated. */
export function listField(form: MultipartForm, field: string): string[] | undefined {
  const raw = form.fields.get(field);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}
