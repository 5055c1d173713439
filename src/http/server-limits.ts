import type { ServerOptions } from 'node:http';
import type { ApiLimits } from './api-services.ts';

/** The limits of buildApp, defaults filled in. */
export interface ServerLimits {
  maxBytesInFlight: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  // Room for a dozen searches' probes at the largest image size, well below a small server's memory.
  maxBytesInFlight: 384 * 1024 * 1024,
  // A whole request, its body included: 25 MB at 2 Mbit/s takes 100 s.
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
};

export function serverLimits(limits: ApiLimits): ServerLimits {
  return {
    maxBytesInFlight: limits.maxBytesInFlight ?? DEFAULT_SERVER_LIMITS.maxBytesInFlight,
    requestTimeoutMs: limits.requestTimeoutMs ?? DEFAULT_SERVER_LIMITS.requestTimeoutMs,
    headersTimeoutMs: Math.min(limits.headersTimeoutMs ?? DEFAULT_SERVER_LIMITS.headersTimeoutMs, limits.requestTimeoutMs ?? Infinity),
  };
}

/**
 * Node's own clocks on each connection: a request whose headers, or whole body, take longer
 * than allowed is answered 408 and its connection closed, so a half-sent request holds nothing
 * for long (slowloris). Node looks for late requests every connectionsCheckingInterval.
 */
export function timeoutOptions(limits: ServerLimits): { requestTimeout: number; connectionTimeout: number; http: ServerOptions } {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.min(5_000, Math.max(50, Math.floor(shortest / 4))) },
  };
}
