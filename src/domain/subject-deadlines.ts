// The deadlines of a subject request (GDPR Art. 12(3)): pure rules, the one place they are written.

/**
 * Calendar months, as GDPR Art. 12(3) counts them: 31 January + 1 month is the last day of
 * February, not 3 March.
 */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

/** The answer is due one month after receipt; the DPO may extend it by two further months at most. */
export const ANSWER_MONTHS = 1;
export const MAX_EXTENSION_MONTHS = 2;

const DAY_MS = 86_400_000;

/** A request not yet closed (received or approved) whose due date has passed. */
export function isOverdue(request: { status: string; dueAt: string }, now: Date): boolean {
  return (request.status === 'received' || request.status === 'approved') && Date.parse(request.dueAt) < now.getTime();
}

/** Whole days left until the due date; negative once overdue. */
export function daysLeft(request: { dueAt: string }, now: Date): number {
  return Math.floor((Date.parse(request.dueAt) - now.getTime()) / DAY_MS);
}
