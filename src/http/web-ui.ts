import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LikenessError } from '../errors.ts';
import { PAGE_CSP } from './security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};


/**
 * Serves the built web UI (Vite's output folder) at `/`. Routing happens in the page's hash, so
 * the server needs no fallback. Without a build, `/` says how to make one.
 */
export function registerWebUi(app: FastifyInstance, root: string): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    if (!existsSync(join(root, 'index.html'))) {
      return reply.type('text/plain; charset=utf-8').status(503).send('The web UI is not built: run "npm run build:web", then reload.');
    }
    return send(reply, root, 'index.html');
  });
  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    return send(reply, root, join('assets', rest));
  });
}

async function send(reply: FastifyReply, root: string, relativePath: string) {
  const path = normalize(join(root, relativePath));
  if (!path.startsWith(normalize(root) + sep)) throw new LikenessError('LIKENESS_NOT_FOUND');
  const bytes = await readFile(path).catch(() => {
    throw new LikenessError('LIKENESS_NOT_FOUND', `No file ${relativePath}`);
  });
  // Vite names assets by content hash, so they never change; the page itself must be fresh.
  const cache = relativePath.startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache';
  return reply.type(TYPES[extname(path)] ?? 'application/octet-stream')
    .header('cache-control', cache).header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').send(bytes);
}
