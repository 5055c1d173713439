import { randomBytes } from 'node:crypto';
import { request } from 'node:http';

export interface StreamedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Body bytes the client managed to hand to its socket before the server answered or hung up. */
  bytesSent: number;
}

/**
 * POSTs a body produced chunk by chunk (chunked transfer encoding, no Content-Length), as a
 * client that keeps sending whatever the server says would. Stops writing as soon as an
 * answer arrives or the connection closes; the test process never holds more than one chunk.
 */
export function streamedPost(url: string, headers: Record<string, string>, chunks: Iterable<Uint8Array>): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let stopped = false;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' }, agent: false });
    const closed = new Promise<void>((done) => req.on('close', () => { stopped = true; done(); }));
    req.on('response', (res) => {
      answered = true;
      stopped = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, bytesSent });
        req.destroy();
      });
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, bytesSent }));
    });
    req.on('error', (error) => {
      stopped = true;
      if (!answered) reject(Object.assign(error, { bytesSent }));
    });
    void (async () => {
      for (const chunk of chunks) {
        if (stopped) return;
        bytesSent += chunk.byteLength;
        if (!req.write(chunk)) await Promise.race([new Promise((r) => req.once('drain', r)), closed]);
      }
      if (!stopped) req.end();
    })();
  });
}

export type StreamedPart =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; bytes: number | Uint8Array };

const CHUNK = new Uint8Array(64 * 1024).fill(0x5a);

/** A multipart/form-data body as a lazy sequence of chunks: a part of N bytes costs one 64 KiB buffer. */
export function multipartStream(parts: StreamedPart[]): { headers: Record<string, string>; chunks: Iterable<Uint8Array>; totalBytes: number } {
  const boundary = `----likeness${randomBytes(8).toString('hex')}`;
  const heads = parts.map((p) => Buffer.from('filename' in p
    ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'image/jpeg'}\r\n\r\n`
    : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}`));
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const crlf = Buffer.from('\r\n');
  const size = (p: StreamedPart) => ('filename' in p ? (typeof p.bytes === 'number' ? p.bytes : p.bytes.byteLength) : 0);
  const totalBytes = parts.reduce((n, p, i) => n + heads[i]!.byteLength + size(p) + 2, tail.byteLength);
  function* chunks(): Generator<Uint8Array> {
    for (const [i, part] of parts.entries()) {
      yield heads[i]!;
      if ('filename' in part) {
        if (typeof part.bytes === 'number') {
          for (let left = part.bytes; left > 0; left -= CHUNK.byteLength) yield left >= CHUNK.byteLength ? CHUNK : CHUNK.subarray(0, left);
        } else yield part.bytes;
      }
      yield crlf;
    }
    yield tail;
  }
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, chunks: { [Symbol.iterator]: chunks }, totalBytes };
}
