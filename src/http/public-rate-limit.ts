import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LikenessError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route that takes an API key; such routes have the policy's limits instead. */
    authenticated?: boolean;
  }
}

/** Requests per minute and address to the routes that take no key (UI, docs, transparency, subjects). */
export const PUBLIC_REQUESTS_PER_MINUTE = 300;
/** Subject requests per hour and address: a person files one, perhaps a few. */
export const SUBJECT_REQUESTS_PER_HOUR = 10;

/**
 * Per-address limits on the routes anyone may call. Routes behind an API key are left to the
 * policy's per-user and per-client limits and to the failed-authentication back-off, so that
 * many users behind one address are not refused for each other. docs/architecture.md.
 */
export async function registerPublicRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: PUBLIC_REQUESTS_PER_MINUTE,
    timeWindow: 60_000,
    allowList: (request: FastifyRequest) => request.routeOptions.config?.authenticated === true,
    errorResponseBuilder: (_request, context) => new LikenessError('LIKENESS_TOO_MANY_REQUESTS',
      `Too many requests from your address; retry in ${context.after}`,
      { details: { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) } }),
  });
}

/** Marks the routes of a scope as taking an API key. Call before registering them. */
export function markAuthenticated(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, authenticated: true };
  });
}

/** The route option that holds subject requests to their own, lower limit. */
export const subjectRequestLimit = { rateLimit: { max: SUBJECT_REQUESTS_PER_HOUR, timeWindow: 3_600_000 } };
