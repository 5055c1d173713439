import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
  /** The raw request body, as received. */
  body: Buffer;
}

export interface RecordingServer {
  origin: string;
  port: number;
  requests: ReceivedRequest[];
  paths(): string[];
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 (random port) that serves fixed routes and records every
 * request it receives, so a test can assert on what a crawler did and did not ask for.
 * Unknown paths get 404. Closed when the test file ends.
 */
export async function startRecordingServer(routes: Record<string, Route | ((origin: string) => Route)>): Promise<RecordingServer> {
  const requests: ReceivedRequest[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, at, body: Buffer.concat(chunks) });
      answer(req.url, res);
    });
  });
  const answer = (url: string | undefined, res: ServerResponse) => {
    const entry = routes[url ?? ''];
    const route = typeof entry === 'function' ? entry(origin) : entry;
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(route.status ?? 200, route.headers ?? {});
    res.end(route.body ?? '');
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  after(close);
  return { origin, port, requests, paths: () => requests.map((r) => r.path), close };
}

export const html = (body: string): Route => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><html><body>${body}</body></html>` });
export const jpeg = (size = 100): Route => ({ headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(size).fill(0xff) });
