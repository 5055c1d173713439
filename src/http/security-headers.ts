import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

// The pages likeness serves (web UI, /docs) load their scripts and styles from this origin and
// inline nothing; JSON answers need nothing at all. No page may be framed (clickjacking), and
// nothing is guessed from content (nosniff). docs/architecture.md, the HTTP edge.
const PAGE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

const toHeader = (directives: Record<string, string[]>) => Object.entries(directives)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`).join('; ');

/** The policy of the web UI and of /docs. */
export const PAGE_CSP = toHeader(PAGE_DIRECTIVES);

/** The page policy with some directives replaced. */
export const pageCsp = (changes: Partial<Record<keyof typeof PAGE_DIRECTIVES, string[]>>): string => toHeader({ ...PAGE_DIRECTIVES, ...changes });

/**
 * The policy of a self-contained HTML document whose only style is one inline block, allowed
 * by its hash: it loads nothing and runs nothing (the DPO's printable access report).
 */
export function documentCsp(inlineStyle: string): string {
  const hash = createHash('sha256').update(inlineStyle).digest('base64');
  return toHeader({
    defaultSrc: ["'none'"], styleSrc: [`'sha256-${hash}'`], imgSrc: ["'none'"], frameAncestors: ["'none'"],
    baseUri: ["'none'"], formAction: ["'none'"],
  });
}

/** Security headers on every response, errors and 404s included. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    // For browsers too old for frame-ancestors.
    frameguard: { action: 'deny' },
    // The API is called cross-origin by nobody; the UI is served from the same origin.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
