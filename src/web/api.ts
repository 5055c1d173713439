import { apiKey } from './session.ts';

/** An answer of the API that is not a success, with its stable code (LIKENESS_...). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface CallOptions {
  method?: string;
  body?: FormData | object;
  /** Key to use instead of the signed-in one (signing in). */
  key?: string;
  anonymous?: boolean;
  /** Further headers, e.g. a subject request's access code. */
  headers?: Record<string, string>;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const key = options.key ?? apiKey();
  if (key && !options.anonymous) headers.authorization = `Bearer ${key}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  return parse<T>(response.status, response.headers.get('content-type') ?? '', await response.text());
}

/** An authenticated image or page as an object URL, since an <img> or a link cannot send the key itself. */
export async function imageUrl(path: string): Promise<string> {
  const key = apiKey();
  const response = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
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
    const key = apiKey();
    if (key) xhr.setRequestHeader('authorization', `Bearer ${key}`);
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
