import { api } from '../api.ts';
import { formatDateTime, h, markInvalid, replace, showError, statusBox } from '../dom.ts';
import { dayAfter, dayStart, field, perPageSelect, query } from './filter-form.ts';
import { pager } from './pager.ts';
import { responsiveTable } from './responsive-table.ts';

interface AuditEntry { seq: number; at: string; actor: string; action: string; target: string | null; details: Record<string, unknown>; hash: string }

// Suggestions only: the field takes any action name the log holds.
const COMMON_ACTIONS = ['search', 'search.refused', 'search.review', 'compare', 'watch.file', 'watch.approve', 'watch.hit', 'watch.alert',
  'case.export', 'subject.approve', 'subject.reject', 'subject.extend', 'subject.exclude', 'subject.execute', 'face.delete', 'face.takedown',
  'erasure', 'upload', 'access.refused', 'auth.failure'];

const MAX_DETAILS = 300;

/** The audit entries about the auditor's client, filtered and paged by the server, newest first. */
export async function entriesSection(main: HTMLElement): Promise<void> {
  const status = statusBox('entries-status');
  const action = h('input', { id: 'e-action', name: 'action', autocomplete: 'off', maxlength: 100, list: 'e-actions' });
  const actor = h('input', { id: 'e-actor', name: 'actor', autocomplete: 'off', maxlength: 100 });
  const from = h('input', { id: 'e-from', name: 'from', type: 'date' });
  const to = h('input', { id: 'e-to', name: 'to', type: 'date' });
  const perPage = perPageSelect('e-per-page');
  const list = h('div', {});
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter audit entries', novalidate: true },
    field('e-action', 'Action', action), h('datalist', { id: 'e-actions' }, ...COMMON_ACTIONS.map((a) => h('option', { value: a }))),
    field('e-actor', 'Actor (user id)', actor), field('e-from', 'From', from), field('e-to', 'To', to), field('e-per-page', 'Per page', perPage),
    h('button', { type: 'submit' }, 'Filter entries'));
  const pages = pager<AuditEntry, number>({
    label: 'audit entries', status,
    load: (beforeSeq, limit) => api<AuditEntry[]>(`/v1/audit?${query({
      limit: String(limit), beforeSeq: beforeSeq === undefined ? undefined : String(beforeSeq),
      action: action.value.trim(), actor: actor.value.trim(), from: dayStart(from.value), to: dayAfter(to.value),
    })}`),
    cursor: (last) => last.seq,
    show: (entries, page) => replace(list, responsiveTable({
      testId: 'entries',
      caption: `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} on page ${page}, newest first`,
      columns: ['#', 'When', 'Action', 'Actor', 'Target', 'Details', 'Hash'],
      rowHeader: false,
      rows: entries.map((e) => [String(e.seq), formatDateTime(e.at), e.action, h('code', {}, e.actor),
        e.target ? h('code', {}, e.target) : '—', h('span', { class: 'details' }, detailsText(e.details)), h('code', { title: e.hash }, e.hash.slice(0, 12))]),
    })),
  });
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const backwards = from.value && to.value && to.value < from.value;
    markInvalid(to, !!backwards);
    if (backwards) return showError(status, new Error('The end date is before the start date.'));
    void pages.first(Number(perPage.value));
  });
  main.append(h('section', { 'aria-labelledby': 'entries-title' }, h('h2', { id: 'entries-title' }, 'Audit entries of your client'),
    filters, status, list, pages.controls));
  await pages.first(Number(perPage.value));
}

/** An entry's details on one line, e.g. "disposition: likely-match; reason: …", cut short past a few lines. */
function detailsText(details: Record<string, unknown>): string {
  const text = Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS - 1)}…` : text || '—';
}
