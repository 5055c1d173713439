import { LikenessError } from '../../errors.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';

/** Failures allowed before any wait: a person mistyping a key is not slowed down. */
const FREE_FAILURES = 5;
/** Longest wait imposed after a run of failures. */
const MAX_BACKOFF_MS = 15 * 60_000;
/** A counter forgets its failures after this long without one; a burst ends after it. */
const QUIET_MS = 15 * 60_000;
/** Counters and bursts kept at most; the oldest go first (memory stays bounded under a flood). */
const MAX_TRACKED = 10_000;

interface Counter { failures: number; lastAt: number; blockedUntil: number }
interface Burst { ip: string; failures: number; refusedWhileWaiting: number; firstAt: number; lastAt: number; prefixes: Set<string>; reasons: Map<string, number> }

/**
 * Failed authentications, counted per address and per key prefix. After FREE_FAILURES the
 * address or prefix must wait, twice as long after each further failure (1 s, 2 s, 4 s, ... up
 * to 15 minutes), and attempts during the wait are refused unchecked, so guessing a secret
 * costs time, not just hashing work. The audit gets one entry per burst of failures from an
 * address, written when the burst has been quiet for QUIET_MS (or on flush), instead of one per
 * try: a flood cannot grow the append-only log. docs/architecture.md, accounts.
 */
export class AuthThrottle {
  private readonly counters = new Map<string, Counter>();
  private readonly bursts = new Map<string, Burst>();

  constructor(private readonly audit: AuditService, private readonly clock: Clock) {}

  /** Refuses, without looking at the key, an address or prefix that must still wait. */
  async admit(ip: string | undefined, prefix: string | null): Promise<void> {
    const now = this.now();
    await this.closeQuietBursts(now);
    const wait = Math.max(this.waitFor(`ip:${ip ?? '?'}`, now), prefix ? this.waitFor(`key:${prefix}`, now) : 0);
    if (wait <= 0) return;
    this.burstOf(ip, now).refusedWhileWaiting++;
    throw new LikenessError('LIKENESS_AUTH_BACKOFF', `Too many failed authentications; retry in ${Math.ceil(wait / 1000)} s`,
      { details: { retryAfterSeconds: Math.ceil(wait / 1000) } });
  }

  async failed(ip: string | undefined, prefix: string | null, reason: string): Promise<void> {
    const now = this.now();
    this.count(`ip:${ip ?? '?'}`, now);
    if (prefix) this.count(`key:${prefix}`, now);
    const burst = this.burstOf(ip, now);
    burst.failures++;
    burst.lastAt = now;
    if (prefix && burst.prefixes.size < 20) burst.prefixes.add(prefix);
    burst.reasons.set(reason, (burst.reasons.get(reason) ?? 0) + 1);
  }

  /** A right key clears its prefix's count; the address keeps its own, which only time clears. */
  succeeded(prefix: string): void {
    this.counters.delete(`key:${prefix}`);
  }

  /** Writes every open burst to the audit now (when the server stops). */
  async flush(): Promise<void> {
    await this.closeQuietBursts(Infinity);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private waitFor(key: string, now: number): number {
    const counter = this.counters.get(key);
    return counter ? counter.blockedUntil - now : 0;
  }

  private count(key: string, now: number): void {
    const previous = this.counters.get(key);
    const failures = previous && now - previous.lastAt < QUIET_MS ? previous.failures + 1 : 1;
    const backoff = failures > FREE_FAILURES ? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - FREE_FAILURES - 1)) : 0;
    remember(this.counters, key, { failures, lastAt: now, blockedUntil: now + backoff });
  }

  private burstOf(ip: string | undefined, now: number): Burst {
    const key = ip ?? '?';
    let burst = this.bursts.get(key);
    if (!burst) {
      burst = { ip: key, failures: 0, refusedWhileWaiting: 0, firstAt: now, lastAt: now, prefixes: new Set(), reasons: new Map() };
      const evicted = remember(this.bursts, key, burst);
      if (evicted) void this.write(evicted);
    }
    return burst;
  }

  private async closeQuietBursts(now: number): Promise<void> {
    for (const [key, burst] of this.bursts) {
      if (now - burst.lastAt < QUIET_MS) continue;
      this.bursts.delete(key);
      await this.write(burst);
    }
  }

  private async write(burst: Burst): Promise<void> {
    if (burst.failures === 0 && burst.refusedWhileWaiting === 0) return;
    await this.audit.record({
      actor: 'anonymous', client: null, action: 'auth.failure', target: burst.prefixes.size === 1 ? [...burst.prefixes][0]! : null,
      details: {
        ip: burst.ip, failures: burst.failures, refusedWhileWaiting: burst.refusedWhileWaiting,
        firstAt: new Date(burst.firstAt).toISOString(), lastAt: new Date(burst.lastAt).toISOString(),
        keyPrefixes: [...burst.prefixes], reasons: Object.fromEntries(burst.reasons),
      },
    });
  }
}

/** Sets a map entry as the newest; returns the oldest entry's value if one had to go. */
function remember<V>(map: Map<string, V>, key: string, value: V): V | undefined {
  map.delete(key);
  map.set(key, value);
  if (map.size <= MAX_TRACKED) return undefined;
  const [oldest, evicted] = map.entries().next().value!;
  map.delete(oldest);
  return evicted;
}
