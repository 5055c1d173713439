import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_ABSOLUTE_MS } from '../services/accounts/sign-in.ts';

// The web UI's session cookie (docs/architecture.md, "Authentication"): HttpOnly, so no script
// reads it; SameSite=Strict, so no other site's page sends it; Secure whenever the request came
// over TLS, directly or through the TLS reverse proxy likeness is meant to sit behind
// (X-Forwarded-Proto: https); Path=/ and no Domain.
export const SESSION_COOKIE = 'likeness_session';
export const CSRF_HEADER = 'x-csrf-token';
/** The methods that change something: with a cookie, each must carry the session's CSRF token. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  void reply.header('set-cookie', cookie(request, token, Math.floor(SESSION_ABSOLUTE_MS / 1000)));
}

/** Tells the browser to forget the cookie: after sign-out, or once its session has ended. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', cookie(request, '', 0));
}

/**
 * The header is believed from anyone: Secure only narrows where the browser sends the cookie, so
 * a forged `https` costs the forger their own session and nothing else.
 */
function overTls(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return request.protocol === 'https' || first === 'https';
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = overTls(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}
