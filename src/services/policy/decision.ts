import { LikenessError } from '../../errors.ts';

export type Decision =
  | { outcome: 'allow' }
  | { outcome: 'deny'; ruleId: string; reason: string };

export type Denial = Extract<Decision, { outcome: 'deny' }>;

export const ALLOW: Decision = Object.freeze({ outcome: 'allow' });

/** A refusal whose reason names its rule, so a refused user can tell the operator which one. */
export function deny(ruleId: string, why: string): Denial {
  return { outcome: 'deny', ruleId, reason: `denied by rule \`${ruleId}\`: ${why}` };
}

/** Built-in rule ids of rate limits and quotas: a refusal that says "later", not "never". */
export const VOLUME_RULES = new Set(['user-rate-limit', 'client-rate-limit', 'user-daily-quota', 'client-daily-quota']);

export function denialError(denial: Denial): LikenessError {
  const code = VOLUME_RULES.has(denial.ruleId) ? 'LIKENESS_RATE_LIMITED' : 'LIKENESS_POLICY_DENIED';
  return new LikenessError(code, denial.reason, { details: { ruleId: denial.ruleId } });
}

/** Throws the typed error of a denial; returns on allow. */
export function enforce(decision: Decision): void {
  if (decision.outcome === 'deny') throw denialError(decision);
}

/** The first denial of a list of checks, evaluated in order and lazily. */
export function firstDenial(checks: ReadonlyArray<() => Decision>): Decision {
  for (const check of checks) {
    const decision = check();
    if (decision.outcome === 'deny') return decision;
  }
  return ALLOW;
}

/** "2027-05-09" for a date at midnight UTC, the full instant otherwise. */
export function formatInstant(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
