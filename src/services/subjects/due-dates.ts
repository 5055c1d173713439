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
