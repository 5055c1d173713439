import type { FetchRequest, FetchResponse, HttpFetcher } from './http-fetcher.ts';

/** HttpFetcher over Node's built-in fetch: no redirects followed, no credentials, bounded body. */
export const nodeHttpFetcher: HttpFetcher = {
  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const response = await fetch(request.url, {
      method: 'GET',
      headers: request.headers,
      redirect: 'manual',
      credentials: 'omit',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const header = (name: string): string | undefined => response.headers.get(name) ?? undefined;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > request.maxBytes) {
      await response.body?.cancel();
      return { status: response.status, header, body: new Uint8Array(0), truncated: true };
    }
    const { body, truncated } = await readBounded(response.body, request.maxBytes);
    return { status: response.status, header, body, truncated };
  },
};

async function readBounded(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<{ body: Uint8Array; truncated: boolean }> {
  if (!stream) return { body: new Uint8Array(0), truncated: false };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      await reader.cancel();
      return { body: concat(chunks, size), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: concat(chunks, size), truncated: false };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
