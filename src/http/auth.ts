import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../domain/accounts.ts';
import { LikenessError } from '../errors.ts';
import type { Authenticator } from '../services/accounts/authenticator.ts';
import { csrfMatches } from '../services/accounts/session-tokens.ts';
import type { SignInService } from '../services/accounts/sign-in.ts';
import type { Action } from '../services/authorisation/authorise.ts';
import type { Authoriser, Resource } from '../services/authorisation/authoriser.ts';

import { clearSessionCookie, CSRF_HEADER, sessionCookieOf, STATE_CHANGING } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The session cookie's token, when the principal signed in with one (never logged). */
    sessionToken: string | null;
  }
}

/**
 * onRequest hook: runs before the body is read, so an unauthenticated upload is refused unread.
 * A program shows its API key (Authorization: Bearer); a person's browser shows its session
 * cookie, and a change made with a cookie must carry the session's CSRF token
 * (docs/architecture.md, "Authentication"). A key wins over a cookie sent along with it.
 */
export function authenticate(authenticator: Authenticator, signIn: SignInService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (header !== undefined && bearer === undefined) throw new LikenessError('LIKENESS_UNAUTHENTICATED', 'Use Authorization: Bearer <key>');
    const cookie = header === undefined ? sessionCookieOf(request) : undefined;
    if (cookie === undefined) {
      request.principal = await authenticator.authenticate(bearer, { ip: request.ip });
      return;
    }
    try {
      request.principal = await signIn.resolve(cookie, { ip: request.ip });
    } catch (error) {
      // A cookie that opens nothing is forgotten, so the browser stops sending it.
      if (error instanceof LikenessError && error.code === 'LIKENESS_UNAUTHENTICATED') clearSessionCookie(request, reply);
      throw error;
    }
    request.sessionToken = cookie;
    const presented = request.headers[CSRF_HEADER];
    if (STATE_CHANGING.has(request.method) && !csrfMatches(cookie, typeof presented === 'string' ? presented : undefined)) {
      throw new LikenessError('LIKENESS_CSRF_REFUSED');
    }
  };
}

/** The route's roles, checked on request like the key, before any body is read or validated. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const principal = request.principal;
    if (!principal) throw new LikenessError('LIKENESS_UNAUTHENTICATED');
    if (!principal.user.roles.some((r) => roles.includes(r))) {
      throw new LikenessError('LIKENESS_FORBIDDEN', `This needs the role ${roles.join(' or ')}; you have ${principal.user.roles.join(', ')}`);
    }
  };
}

/**
 * The route's action, decided on request by the one authorisation function (docs/architecture.md,
 * "Authorisation") before any body is read; for actions about a whole catalogue or a client's own
 * records. Actions about one face are decided by the use case, once the face's gallery is known.
 */
export function permit(authoriser: Authoriser, action: Action, resource?: (who: Principal) => Resource) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const who = principalOf(request);
    await authoriser.require(who, action, resource?.(who));
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new LikenessError('LIKENESS_UNAUTHENTICATED');
  return request.principal;
}
