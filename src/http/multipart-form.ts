import type { FastifyRequest } from 'fastify';
import { isLikenessError, LikenessError } from '../errors.ts';
import type { UploadedImage } from '../services/uploads/upload-service.ts';
import { abandonBody } from './body-budget.ts';
import { formSpecOf, MAX_TEXT_PARTS, type FormSpec } from './form-spec.ts';

export interface MultipartForm {
  files: Map<string, UploadedImage[]>;
  fields: Map<string, string>;
}

// Declared types that may hold an image; the engine still reads the bytes to be sure.
const IMAGE_TYPES = /^(image\/[\w.+-]+|application\/octet-stream)$/i;
// Field names are short identifiers; busboy cuts longer ones and says so.
const MAX_FIELD_NAME_BYTES = 64;

/**
 * Reads a multipart body part by part, as it arrives, against the route's own form (see
 * routes/multipart-schema.ts): an unknown field, one file too many, an over-long value or an
 * oversized file is refused the moment its part begins or crosses the limit, and the rest of
 * the body is never read (docs/architecture.md, the HTTP edge). Files are held in memory only
 * up to the route's limits, so nothing is stored before every part has arrived intact.
 */
export async function readMultipart(request: FastifyRequest): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new LikenessError('LIKENESS_UNSUPPORTED_MEDIA_TYPE', 'Send this as multipart/form-data');
  const spec = formSpecOf(request);
  const form: MultipartForm = { files: new Map(), fields: new Map() };
  try {
    await collect(request, spec, form);
  } catch (error) {
    abandonBody(request);
    // busboy reports a cut-off or malformed body as a bare Error; the plugin's own limits carry FST_ codes.
    if (isLikenessError(error) || (error as { code?: string }).code?.startsWith('FST_')) throw error;
    throw new LikenessError('LIKENESS_BAD_INPUT', `The multipart body is truncated or malformed: ${(error as Error).message}`, { cause: error });
  }
  return form;
}

async function collect(request: FastifyRequest, spec: FormSpec, form: MultipartForm): Promise<void> {
  const fileCount = [...spec.files.values()].reduce((a, b) => a + b, 0);
  const longest = Math.max(0, ...spec.fields.values());
  // One file more than the form takes, so the first extra file reaches the checks below and is
  // refused by name rather than dropped by busboy. fileSize, and files where the form sets no
  // count, are the server's own (app.ts).
  const files = Number.isFinite(fileCount) ? { files: fileCount + 1, parts: fileCount + 1 + MAX_TEXT_PARTS } : {};
  const parts = request.parts({
    limits: {
      ...files, fields: MAX_TEXT_PARTS,
      // UTF-8 takes up to 4 bytes a character; the exact count is checked below.
      fieldSize: longest * 4 + 1, fieldNameSize: MAX_FIELD_NAME_BYTES, headerPairs: 10,
    },
  });
  for await (const part of parts) {
    if (part.type === 'file') {
      const allowed = spec.files.get(part.fieldname);
      if (allowed === undefined) throw unexpectedField(part.fieldname, spec);
      const list = form.files.get(part.fieldname) ?? [];
      if (list.length >= allowed) {
        throw new LikenessError('LIKENESS_TOO_MANY_FILES', `Send at most ${allowed} file(s) in the field "${part.fieldname}"`, { details: { field: part.fieldname, maxFiles: allowed } });
      }
      if (!IMAGE_TYPES.test(part.mimetype)) {
        throw new LikenessError('LIKENESS_NOT_AN_IMAGE', `${part.filename || part.fieldname}: declared as ${part.mimetype}, not an image`);
      }
      const bytes = await readFile(part.file);
      list.push({ filename: part.filename || `${part.fieldname}-${list.length + 1}`, bytes });
      form.files.set(part.fieldname, list);
    } else {
      const maxLength = spec.fields.get(part.fieldname);
      if (part.fieldnameTruncated || maxLength === undefined) throw unexpectedField(part.fieldname, spec);
      const value = String(part.value);
      if (part.valueTruncated || [...value].length > maxLength) {
        throw new LikenessError('LIKENESS_FIELD_TOO_LONG', `The field "${part.fieldname}" takes at most ${maxLength} characters`, { details: { field: part.fieldname, maxLength } });
      }
      const previous = form.fields.get(part.fieldname);
      const joined = previous === undefined ? value : `${previous},${value}`;
      if ([...joined].length > maxLength) {
        throw new LikenessError('LIKENESS_FIELD_TOO_LONG', `The field "${part.fieldname}" takes at most ${maxLength} characters in all`, { details: { field: part.fieldname, maxLength } });
      }
      form.fields.set(part.fieldname, joined);
    }
  }
}

/**
 * The bytes of one file part. busboy, past its fileSize limit, keeps reading and discarding the
 * part to its end; this gives up at the limit instead, so an oversized part is refused as it
 * crosses it, not after it has been sent in full.
 */
async function readFile(file: NodeJS.ReadableStream & { truncated?: boolean }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const tooLarge = () => new LikenessError('LIKENESS_IMAGE_TOO_LARGE', 'An image is larger than the server takes');
  const atLimit = new Promise<never>((_, reject) => file.once('limit', () => {
    chunks.length = 0;
    reject(tooLarge());
  }));
  const whole = (async () => {
    for await (const chunk of file) chunks.push(chunk as Buffer);
    if (file.truncated) throw tooLarge();
    return Buffer.concat(chunks);
  })();
  // Whichever loses is settled later or never; neither may surface as unhandled.
  atLimit.catch(() => {});
  whole.catch(() => {});
  return Promise.race([whole, atLimit]);
}

function unexpectedField(name: string, spec: FormSpec): LikenessError {
  const known = [...spec.files.keys(), ...spec.fields.keys()];
  const shown = name.length > MAX_FIELD_NAME_BYTES ? `${name.slice(0, MAX_FIELD_NAME_BYTES)}…` : name;
  return new LikenessError('LIKENESS_UNEXPECTED_FIELD', `This form has no field "${shown}"; it takes ${known.join(', ')}`, { details: { accepted: known } });
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
