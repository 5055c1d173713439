// The one catalogue of errors likeness raises. Codes are stable: users script against them,
// and the HTTP edge maps each to a status without knowing where it was thrown.
export const ERRORS = {
  LIKENESS_BAD_INPUT: { status: 400, message: 'Invalid input' },
  LIKENESS_NOT_AN_IMAGE: { status: 415, message: 'The file is not an image in a supported format' },
  LIKENESS_CORRUPT_IMAGE: { status: 422, message: 'The image is corrupt or truncated' },
  LIKENESS_IMAGE_TOO_SMALL: { status: 422, message: 'The image is too small to hold a face' },
  LIKENESS_IMAGE_TOO_LARGE: { status: 413, message: 'The image exceeds the pixel or byte limit' },
  LIKENESS_NO_FACE: { status: 422, message: 'No face was found in the image' },
  LIKENESS_FACE_INDEX_OUT_OF_RANGE: { status: 422, message: 'The image has fewer faces than the index asked for' },
  LIKENESS_FILE_NOT_FOUND: { status: 404, message: 'File not found' },
  LIKENESS_PATH_REFUSED: { status: 422, message: 'The path leaves its source\'s declared folder, or is not a regular file' },
  LIKENESS_IMAGE_CHANGED: { status: 409, message: 'The file on disk is no longer the image that was ingested' },
  LIKENESS_NOT_FOUND: { status: 404, message: 'Not found' },
  LIKENESS_CONFLICT: { status: 409, message: 'Already exists' },
  LIKENESS_SOURCE_UNDECLARED: { status: 422, message: 'Images can only enter through a declared source' },
  LIKENESS_SOURCE_INVALID: { status: 400, message: 'The source declaration is incomplete or invalid' },
  LIKENESS_NOT_INITIALISED: { status: 500, message: 'The data directory is not initialised' },
  LIKENESS_MODEL_INTEGRITY: { status: 500, message: 'A model file is missing or does not match its pinned hash' },
  LIKENESS_CONFIG_INVALID: { status: 500, message: 'The configuration is invalid' },
  LIKENESS_INDEX_DIMENSION: { status: 500, message: 'Embedding dimension does not match the index' },
  LIKENESS_SOURCE_INACTIVE: { status: 409, message: 'The source is paused or retired and takes no new images' },
  LIKENESS_POLICY_DENIED: { status: 403, message: 'Refused by the policy' },
  LIKENESS_RATE_LIMITED: { status: 429, message: 'Too many searches: a rate limit or quota of the policy is reached' },
  LIKENESS_UNAUTHENTICATED: { status: 401, message: 'A valid API key is required: Authorization: Bearer <key>' },
  LIKENESS_FORBIDDEN: { status: 403, message: 'Your role does not allow this' },
  LIKENESS_SECOND_FACTOR_REQUIRED: { status: 403, message: 'Your role needs a second factor to sign in: ask your operator to enrol one' },
  LIKENESS_CSRF_REFUSED: { status: 403, message: 'A change made with a session cookie must carry the session\'s X-CSRF-Token header' },
  LIKENESS_SEARCH_UNJUSTIFIED: { status: 400, message: 'A search must state its case number and purpose' },
  LIKENESS_ACCOUNT_INVALID: { status: 400, message: 'The client, user, role or key is invalid' },
  LIKENESS_LAST_ADMIN: { status: 409, message: 'The controller\'s last admin cannot be removed' },
  LIKENESS_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body is not of the content type this endpoint takes' },
  LIKENESS_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request has too many parts or is too large' },
  LIKENESS_TOO_MANY_FILES: { status: 413, message: 'A form field carries more files than it takes' },
  LIKENESS_FIELD_TOO_LONG: { status: 413, message: 'A form field is longer than it may be' },
  LIKENESS_UNEXPECTED_FIELD: { status: 400, message: 'The form has a field this endpoint does not take' },
  LIKENESS_THRESHOLD_OUT_OF_RANGE: { status: 400, message: 'The threshold must lie between the calibrated threshold and 1' },
  LIKENESS_TOO_MANY_REQUESTS: { status: 429, message: 'Too many requests from this address' },
  LIKENESS_AUTH_BACKOFF: { status: 429, message: 'Too many failed authentications: wait before trying again' },
  LIKENESS_SERVER_BUSY: { status: 503, message: 'The server is at its limit of uploads being read; retry shortly' },
  LIKENESS_SHARD_UNAVAILABLE: { status: 503, message: 'A shard of the face store cannot be reached: no partial answer is given' },
  LIKENESS_STORE_UNAVAILABLE: { status: 503, message: 'The store of record cannot be reached' },
  LIKENESS_BACKUP_UNAVAILABLE: { status: 500, message: 'The store cannot be backed up this way' },
  LIKENESS_RESTORE_UNFINISHED: { status: 503, message: 'A restore was interrupted: nothing opens the store until likeness restore --resume finishes it' },
  LIKENESS_AUDIT_BROKEN: { status: 500, message: 'The audit chain does not verify' },
  LIKENESS_USAGE: { status: 400, message: 'The command line is not valid: see likeness --help' },
  LIKENESS_PORT_IN_USE: { status: 409, message: 'The port to listen on is in use' },
  LIKENESS_INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class LikenessError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Machine-readable facts for the caller, e.g. the policy rule that refused. */
  declare readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message ?? ERRORS[code].message, options);
    this.name = 'LikenessError';
    this.code = code;
    this.status = ERRORS[code].status;
    if (options?.details) this.details = options.details;
  }
}

export function isLikenessError(error: unknown, code?: ErrorCode): error is LikenessError {
  return error instanceof LikenessError && (code === undefined || error.code === code);
}
