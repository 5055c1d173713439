import { h } from '../dom.ts';

// The pieces the audit page's filter forms share: a labelled field, a page size, dates as the server takes them.

export function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export function perPageSelect(id: string): HTMLSelectElement {
  return h('select', { id, name: 'perPage' }, ...[10, 25, 50, 100].map((n) => h('option', { value: String(n), selected: n === 25 }, String(n))));
}

/** A date input's value ("2026-03-01") as the start of its day, which the server reads as UTC midnight. */
export const dayStart = (day: string): string | undefined => day || undefined;

/** The day after, so that an end date includes its own day (the server's `to` is exclusive). */
export const dayAfter = (day: string): string | undefined => (day ? new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10) : undefined);

/** A query string of the parameters that have a value. */
export function query(params: Record<string, string | undefined>): string {
  return new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
}
