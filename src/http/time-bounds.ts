import { Type } from '@sinclair/typebox';
import { LikenessError } from '../errors.ts';

/** A date or a date and time with its offset, as a list's `from` or `to` takes it. */
export const Instant = (description: string) => Type.String({
  maxLength: 40, description,
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
});

/**
 * The moment in the form the store writes `at` in (toISOString), so that comparing the strings
 * compares the times: "2026-01-01" and "2026-01-01T00:00Z" both become "2026-01-01T00:00:00.000Z".
 */
export function storedInstant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new LikenessError('LIKENESS_BAD_INPUT', `${name} is not a date: ${value.slice(0, 40)}`);
  return new Date(time).toISOString();
}
