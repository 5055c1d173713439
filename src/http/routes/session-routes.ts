import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Principal } from '../../domain/accounts.ts';
import { csrfTokenOf } from '../../services/accounts/session-tokens.ts';
import type { ApiServices } from '../api-services.ts';
import { principalOf } from '../auth.ts';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from '../session-cookie.ts';
import { errorResponses } from '../schemas.ts';
import { LikenessError } from '../../errors.ts';

/** Sign-in attempts per minute and address, before the failed-authentication back-off has a say. */
export const SIGN_INS_PER_MINUTE = 30;

const Session = Type.Object({
  user: Type.Object({ id: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) }),
  client: Type.Object({ id: Type.String(), name: Type.String(), type: Type.String(), jurisdiction: Type.String() }),
  csrfToken: Type.String({ description: 'send it as X-CSRF-Token with every POST, PUT, PATCH or DELETE made with the session cookie' }),
});

const sessionBody = (principal: Principal, token: string) => ({ user: principal.user, client: principal.client, csrfToken: csrfTokenOf(token) });

/** Signing in, public: a person's name, password and code in; a session cookie and its CSRF token out. */
export const signInRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.post('/session', {
    config: { rateLimit: { max: SIGN_INS_PER_MINUTE, timeWindow: 60_000 } },
    schema: {
      tags: ['session'], operationId: 'openSession',
      summary: 'Sign in with a name, password and TOTP or recovery code: sets an HttpOnly session cookie (no key needed)',
      security: [],
      body: Type.Object({
        user: Type.String({ minLength: 1, maxLength: 100, description: 'the user\'s name or id' }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
        code: Type.Optional(Type.String({ maxLength: 64, description: 'six digits from the authenticator app, or a recovery code' })),
      }, { additionalProperties: false }),
      response: { 200: Session, ...errorResponses(400, 401, 403, 415, 429) },
    },
  }, async (request, reply) => {
    const opened = await services.signIn.signIn(request.body, { ip: request.ip, previousToken: sessionCookieOf(request) });
    setSessionCookie(request, reply, opened.token);
    void reply.header('cache-control', 'no-store');
    return sessionBody(opened.principal, opened.token);
  });
};

/** The session itself, behind authentication: who it is and its CSRF token; signing out. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.get('/session', {
    schema: {
      tags: ['session'], operationId: 'readSession', summary: 'The signed-in person and the session\'s CSRF token (after a page load)',
      response: { 200: Session, ...errorResponses(400, 401) },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    if (!request.sessionToken) throw new LikenessError('LIKENESS_BAD_INPUT', 'Signed in with an API key: there is no session');
    void reply.header('cache-control', 'no-store');
    return sessionBody(principal, request.sessionToken);
  });

  app.delete('/session', {
    schema: {
      tags: ['session'], operationId: 'closeSession', summary: 'Sign out: the session ends on the server, and the cookie is cleared',
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    await services.signIn.signOut(principalOf(request), { ip: request.ip });
    clearSessionCookie(request, reply);
    return reply.status(204).send(null);
  });
};
