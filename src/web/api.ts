import { csrfToken } from './session.ts';

/** An answer of the API that is not a success, with its stable code (LIKENESS_...). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface CallOptions {
  method?: string;
  body?: FormData | object;
  /** A public route: no session cookie is sent. */
  anonymous?: boolean;
  /** Further headers, e.g. a subject request's access code. */
  headers?: Record<string, string>;
}

/** Methods that change something: the server takes them with a session only with its CSRF token. */
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function withCsrf(method: string, headers: Record<string, string>): Record<string, string> {
  const token = csrfToken();
  return token && CHANGES.has(method.toUpperCase()) ? { ...headers, 'x-csrf-token': token } : headers;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  let headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const method = options.method ?? (body ? 'POST' : 'GET');
  if (!options.anonymous) headers = withCsrf(method, headers);
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: options.anonymous ? 'omit' : 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  return parse<T>(response.status, response.headers.get('content-type') ?? '', await response.text());
}

/** An authenticated image as an object URL, so that a failure shows as a message rather than a broken image. */
export async function imageUrl(path: string): Promise<string> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, 'IMAGE', `No image (${response.status})`);
  return URL.createObjectURL(await response.blob());
}

/** A file to save, fetched with headers a plain download link cannot send; errors carry the API's code. */
export async function downloadUrl(path: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(path, { headers });
  if (!response.ok) parse(response.status, response.headers.get('content-type') ?? '', await response.text());
  return URL.createObjectURL(await response.blob());
}

/** A multipart POST with upload progress, which fetch cannot report. */
export function uploadWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(withCsrf('POST', {}))) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload was interrupted. Try again.'));
    xhr.onload = () => {
      try {
        resolve(parse<T>(xhr.status, xhr.getResponseHeader('content-type') ?? '', xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.send(form);
  });
}

function parse<T>(status: number, type: string, text: string): T {
  const json: unknown = type.includes('json') && text ? JSON.parse(text) : text;
  if (status >= 200 && status < 300) return json as T;
  const error = (json ?? {}) as { code?: string; message?: string };
  throw new ApiError(status, error.code ?? `HTTP_${status}`, error.message ?? `The server answered ${status}`);
}
