import { randomUUID } from 'node:crypto';
import multipart, { ajvFilePlugin } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LikenessError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import { AddressRateLimiter, DEFAULT_FOLLOW_LIMIT, type AddressLimit } from './address-rate-limit.ts';
import type { ApiLimits, ApiServices } from './api-services.ts';
import { authenticate } from './auth.ts';
import { admitClient } from './client-admission.ts';
import { sourceRoutes } from './routes/source-routes.ts';
import { errorHandler } from './error-handler.ts';
import { registerOpenApi } from './openapi.ts';
import { catalogueRoutes } from './routes/catalogue-routes.ts';
import { detectRoutes } from './routes/detect-routes.ts';
import { faceViewRoutes } from './routes/face-view-routes.ts';
import { faceRoutes } from './routes/face-routes.ts';
import { faceListingRoutes } from './routes/face-listing-routes.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { watchRoutes } from './routes/watch-routes.ts';
import { oversightRoutes } from './routes/oversight-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { transparencyRoutes } from './routes/transparency-routes.ts';
import { dpoRoutes } from './routes/dpo-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { subjectRoutes } from './routes/subject-routes.ts';
import { uploadRoutes } from './routes/upload-routes.ts';
import { sessionRoutes, signInRoutes } from './routes/session-routes.ts';
import { ErrorBody } from './schemas.ts';
import { registerWebUi } from './web-ui.ts';
import { registerBodyBudget } from './body-budget.ts';
import { markAuthenticated, registerPublicRateLimit } from './public-rate-limit.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { serverLimits, timeoutOptions } from './server-limits.ts';

export interface AppOptions {
  limits: ApiLimits;
  /** pino options, or false for none (tests). */
  logger?: FastifyServerOptions['logger'];
  version?: string;
  /** Folder of the built web UI, served at `/`; no UI when left out. */
  webRoot?: string;
  /** Lookups of a subject request per client address; DEFAULT_FOLLOW_LIMIT when left out. */
  followLimit?: AddressLimit;
  /** The rate limits' clock (tests pass a fake one). */
  clock?: Clock;
}

const JSON_BODY_LIMIT = 64 * 1024;

// Request logs carry method, URL, status and timing; never keys, bodies, images or embeddings.
export const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'];

/** The HTTP API over the services: built in-process, so tests drive it with inject(). */
export async function buildApp(services: ApiServices, options: AppOptions): Promise<FastifyInstance> {
  const limits = serverLimits(options.limits);
  const app = Fastify({
    logger: options.logger === undefined ? false : options.logger,
    genReqId: () => randomUUID(),
    bodyLimit: JSON_BODY_LIMIT,
    ...timeoutOptions(limits),
    // Multipart body schemas are typeless on purpose (see routes/multipart-schema.ts). A field a
    // schema does not know is refused, not dropped: a misspelt optional field would otherwise be
    // ignored without a word and its default used.
    ajv: { plugins: [ajvFilePlugin], customOptions: { strictTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  app.decorateRequest('sessionToken', null);
  app.addSchema(ErrorBody);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request) => {
    throw new LikenessError('LIKENESS_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Failed authentications still counting toward a burst reach the audit before the server stops.
  app.addHook('onClose', async () => services.authenticator.throttle.flush());

  // Bounded resources on every route: docs/architecture.md, the HTTP edge.
  await registerSecurityHeaders(app);
  await registerPublicRateLimit(app);
  app.decorate('bodyBudget', registerBodyBudget(app, { maxImageBytes: options.limits.maxImageBytes, jsonBytes: JSON_BODY_LIMIT, capBytes: limits.maxBytesInFlight }));
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: options.limits.maxImageBytes, files: options.limits.maxFiles, fields: 20, fieldSize: 4096, parts: options.limits.maxFiles + 20, headerPairs: 100 },
  });
  await registerOpenApi(app, options.version ?? '0.1.0');

  await app.register(async (v1) => {
    markAuthenticated(v1);
    v1.addHook('onRequest', authenticate(services.authenticator, services.signIn));
    v1.addHook('onRequest', admitClient(services.policy, services.audit));
    await v1.register(sourceRoutes, { services });
    await v1.register(catalogueRoutes, { services });
    await v1.register(uploadRoutes, { services });
    await v1.register(searchRoutes, { services });
    await v1.register(faceRoutes, { services });
    await v1.register(faceListingRoutes, { services });
    await v1.register(caseRoutes, { services });
    await v1.register(watchRoutes, { services });
    await v1.register(oversightRoutes, { services });
    await v1.register(detectRoutes, { services });
    await v1.register(faceViewRoutes, { services });
    await v1.register(dpoRoutes, { services });
    await v1.register(sessionRoutes, { services });
    await v1.register(adminRoutes, { services });
  }, { prefix: '/v1' });
  // Outside the scope above, so its routes take no key.
  await app.register(async (open) => {
    await open.register(transparencyRoutes, { services });
    await open.register(signInRoutes, { services });
    const followLimit = new AddressRateLimiter(options.followLimit ?? DEFAULT_FOLLOW_LIMIT, 'lookups of a request', options.clock);
    await open.register(subjectRoutes, { services, followLimit });
  }, { prefix: '/v1' });
  if (options.webRoot) registerWebUi(app, options.webRoot);

  return app;
}
