import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, isLikenessError, type ErrorCode } from '../errors.ts';

// Fastify's and its plugins' own error codes, in the catalogue's terms.
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'LIKENESS_UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'LIKENESS_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'LIKENESS_PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'LIKENESS_IMAGE_TOO_LARGE',
  FST_FILES_LIMIT: 'LIKENESS_PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'LIKENESS_PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'LIKENESS_PAYLOAD_TOO_LARGE',
  FST_PROTO_VIOLATION: 'LIKENESS_BAD_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'LIKENESS_BAD_INPUT',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'LIKENESS_BAD_INPUT',
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The one place an error becomes an HTTP answer: `{ code, message }` with the catalogue's status. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toHttp(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.code }, 'request refused');
  const retry = body.details?.retryAfterSeconds;
  if (typeof retry === 'number') void reply.header('retry-after', String(retry));
  return reply.status(status).send(body);
}

/** Fastify's message usually starts with where it looked ("body must ..."); said once. */
function inContext(message: string, context: string | undefined): string {
  const where = context ?? 'request';
  return message.startsWith(`${where} `) ? message : `${where} ${message}`;
}

export function toHttp(error: FastifyError | Error): { status: number; body: ErrorBody } {
  if (isLikenessError(error, 'LIKENESS_INTERNAL')) {
    return { status: 500, body: { code: 'LIKENESS_INTERNAL', message: ERRORS.LIKENESS_INTERNAL.message } };
  }
  if (isLikenessError(error)) {
    return { status: error.status, body: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // The name is the sender's: cut, so a huge key is not echoed back whole.
    const unknown = fastifyError.validation.map((v) => v.params?.additionalProperty).filter((p): p is string => typeof p === 'string');
    const named = unknown.length > 0 ? ` (not a field: ${unknown.map((p) => JSON.stringify(p.slice(0, 100))).join(', ')})` : '';
    return { status: 400, body: { code: 'LIKENESS_BAD_INPUT', message: `${inContext(fastifyError.message, fastifyError.validationContext)}${named}` } };
  }
  const mapped = fastifyError.code ? FRAMEWORK_CODES[fastifyError.code] : undefined;
  if (mapped) return { status: ERRORS[mapped].status, body: { code: mapped, message: fastifyError.message } };
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status: 400, body: { code: 'LIKENESS_BAD_INPUT', message: fastifyError.message } };
  }
  return { status: 500, body: { code: 'LIKENESS_INTERNAL', message: ERRORS.LIKENESS_INTERNAL.message } };
}
