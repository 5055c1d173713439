import { LikenessError } from '../../errors.ts';

// Small typed readers for the policy document. Each names the dotted key and what is wrong
// with it, because the person reading the message is an operator editing YAML, not a developer.

type Obj = Record<string, unknown>;

export interface TextPattern {
  test: (text: string) => boolean;
  /** Completes "must be ...". */
  what: string;
}

export class PolicyReader {
  constructor(private readonly origin: string) {}

  fail(path: string, problem: string): never {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${this.origin}: ${path} ${problem}`);
  }

  /** A mapping with only the given keys; absent (or null) reads as empty. */
  section(value: unknown, path: string, keys: readonly string[]): Obj {
    const obj = this.mapping(value, path);
    for (const key of Object.keys(obj)) {
      if (!keys.includes(key)) {
        const where = path ? `${path}.${key}` : key;
        this.fail(where, `is not a known key; expected one of ${keys.join(', ')}`);
      }
    }
    return obj;
  }

  /** A mapping with any keys (client names, role names). */
  mapping(value: unknown, path: string): Obj {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path || 'the document', `must be a mapping of keys to values, got ${describe(value)}`);
    return value as Obj;
  }

  bool(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(path, `must be true or false, got ${describe(value)}`);
    return value;
  }

  number(value: unknown, path: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number;
  number(value: unknown, path: string, fallback: number | undefined, range: { min: number; max: number; integer?: boolean }): number | undefined;
  number(value: unknown, path: string, fallback: number | undefined, range: { min: number; max: number; integer?: boolean }): number | undefined {
    if (value === undefined || value === null) return fallback;
    const kind = range.integer ? 'a whole number' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer && !Number.isInteger(value))
      || value < range.min || value > range.max) {
      this.fail(path, `must be ${kind} from ${range.min} to ${range.max}, got ${describe(value)}`);
    }
    return value;
  }

  string(value: unknown, path: string, pattern?: TextPattern): string {
    if (value === undefined) this.fail(path, 'is required');
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, `must be a non-empty text, got ${describe(value)}`);
    const text = value.trim();
    if (pattern && !pattern.test(text)) this.fail(path, `must be ${pattern.what}, got "${text}"`);
    return text;
  }

  /** A list of texts; `allowed` names every accepted value in the message when one is not. */
  strings(value: unknown, path: string, options: { allowed?: readonly string[]; pattern?: TextPattern; upper?: boolean } = {}): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(path, `must be a list, got ${describe(value)}`);
    return value.map((item, i) => {
      const raw = this.string(options.upper && typeof item === 'string' ? item.toUpperCase() : item, `${path}[${i}]`, options.pattern);
      if (options.allowed && !options.allowed.includes(raw)) {
        this.fail(`${path}[${i}]`, `must be one of ${options.allowed.join(', ')}, got "${raw}"`);
      }
      return raw;
    });
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `must be a list, got ${describe(value)}`);
    return value;
  }

  /**
   * A date (2027-05-09, meaning 00:00 UTC that day) or an instant with its offset
   * (2027-05-09T12:00:00Z). An instant without an offset is refused: its meaning would
   * depend on the server's time zone.
   */
  date(value: unknown, path: string): Date | undefined {
    if (value === undefined || value === null) return undefined;
    const text = value instanceof Date ? value.toISOString() : this.string(value, path);
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
    const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
    const parsed = new Date(dateOnly ? `${text}T00:00:00Z` : text);
    if ((!dateOnly && !instant) || Number.isNaN(parsed.getTime())
      || (dateOnly && parsed.toISOString().slice(0, 10) !== text)) {
      this.fail(path, `must be a date such as 2027-05-09 or an instant such as 2027-05-09T12:00:00Z, got ${describe(value)}`);
    }
    return parsed;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}
