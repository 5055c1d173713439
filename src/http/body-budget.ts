import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LikenessError } from '../errors.ts';
import { formMaxBytes, routeForm } from './form-spec.ts';

/**
 * Bytes of request bodies the server has agreed to read, all requests together. A request
 * reserves what it declares (Content-Length), or its route's most when it declares nothing
 * (chunked), before a byte of its body is read, and gives it back when answered; when the sum
 * would pass the cap, the request is refused with 503 and read no further. However many
 * clients upload at once, memory held for bodies stays under the cap (docs/architecture.md).
 */
export class BodyBudget {
  private inFlight = 0;

  constructor(readonly capBytes: number) {}

  get bytesInFlight(): number {
    return this.inFlight;
  }

  tryReserve(bytes: number): boolean {
    if (this.inFlight + bytes > this.capBytes) return false;
    this.inFlight += bytes;
    return true;
  }

  release(bytes: number): void {
    this.inFlight = Math.max(0, this.inFlight - bytes);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's budget of body bytes in flight; read by tests and health checks. */
    bodyBudget: BodyBudget;
  }
}

const abandoned = new WeakSet<FastifyRequest>();

/**
 * Marks a request whose body is refused part-way: its answer closes the connection and what
 * is still arriving is discarded as it comes, never buffered.
 */
export function abandonBody(request: FastifyRequest): void {
  abandoned.add(request);
}

export interface BodyLimits {
  maxImageBytes: number;
  /** Body limit of JSON routes. */
  jsonBytes: number;
  capBytes: number;
}

/** Installs the budget: reserve before reading (preParsing), release when answered or aborted. */
export function registerBodyBudget(app: FastifyInstance, limits: BodyLimits): BodyBudget {
  const budget = new BodyBudget(limits.capBytes);
  const reserved = new WeakMap<FastifyRequest, number>();
  const release = (request: FastifyRequest) => {
    const bytes = reserved.get(request);
    if (bytes === undefined) return;
    reserved.delete(request);
    budget.release(bytes);
  };

  app.addHook('preParsing', async (request, _reply, payload) => {
    const length = request.headers['content-length'];
    const chunked = request.headers['transfer-encoding'] !== undefined;
    if (!chunked && (length === undefined || length === '0')) return payload;
    const most = routeMaxBytes(request, limits);
    const declared = length === undefined ? undefined : Number(length);
    if (declared !== undefined && declared > most) {
      abandonBody(request);
      throw new LikenessError('LIKENESS_PAYLOAD_TOO_LARGE', `This route takes at most ${most} bytes; the request declares ${declared}`, { details: { maxBytes: most } });
    }
    // A form larger than the whole budget (many files) may still come, alone.
    const bytes = declared ?? Math.min(most, budget.capBytes);
    if (!budget.tryReserve(bytes)) {
      abandonBody(request);
      throw new LikenessError('LIKENESS_SERVER_BUSY', 'The server is reading as many uploads as it can hold; retry shortly', { details: { retryAfterSeconds: 5 } });
    }
    reserved.set(request, bytes);
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (abandoned.has(request)) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request) => {
    release(request);
    if (abandoned.has(request)) {
      request.raw.unpipe();
      request.raw.resume();
    }
  });
  app.addHook('onRequestAbort', async (request) => release(request));
  return budget;
}

function routeMaxBytes(request: FastifyRequest, limits: BodyLimits): number {
  const form = routeForm(request);
  return form ? formMaxBytes(form, limits.maxImageBytes) : limits.jsonBytes;
}
