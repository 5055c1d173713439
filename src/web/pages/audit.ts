import { api } from '../api.ts';
import { formatDateTime, h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { hasRole } from '../session.ts';
import { responsiveTable } from './responsive-table.ts';

interface SearchRecord { id: string; userId: string; caseNumber: string; purpose: string; galleries: string[]; threshold: number; results: Array<{ faceId: string; score: number }>; at: string }
interface AuditEntry { seq: number; at: string; actor: string; action: string; target: string | null; hash: string }
type Verify = { intact: boolean; entries: number; firstBroken?: { seq: number; reason: string } };

/** Oversight: the chain's integrity (auditor) and the searches of one's client, filtered (supervisor). */
export async function auditPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'Audit'));
  if (hasRole('auditor')) await chainSection(main);
  if (hasRole('supervisor')) await searchesSection(main);
  else main.append(h('p', {}, 'The list of searches needs the supervisor role.'));
  if (hasRole('auditor')) await entriesSection(main);
}

async function chainSection(main: HTMLElement): Promise<void> {
  const status = statusBox('chain-status');
  main.append(h('section', { 'aria-labelledby': 'chain-title' }, h('h2', { id: 'chain-title' }, 'Audit chain'), status));
  showLoading(status, 'Verifying the hash chain…');
  try {
    const v = await api<Verify>('/v1/audit/verify');
    showDone(status);
    status.replaceChildren(h('p', { class: v.intact ? 'badge ok' : 'badge bad', 'data-testid': 'chain' },
      v.intact ? `Intact: all ${v.entries} entries verify` : `Broken at entry ${v.firstBroken?.seq}: ${v.firstBroken?.reason}`));
  } catch (error) {
    showError(status, error);
  }
}

async function searchesSection(main: HTMLElement): Promise<void> {
  const status = statusBox('searches-status');
  const user = h('input', { id: 'f-user', name: 'user', autocomplete: 'off' });
  const caseNumber = h('input', { id: 'f-case', name: 'case', autocomplete: 'off' });
  const from = h('input', { id: 'f-from', name: 'from', type: 'date' });
  const to = h('input', { id: 'f-to', name: 'to', type: 'date' });
  const list = h('div', {});
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter searches' },
    field('f-user', 'User id', user), field('f-case', 'Case number', caseNumber), field('f-from', 'From', from), field('f-to', 'To', to),
    h('button', { type: 'submit' }, 'Filter'));
  main.append(h('section', { 'aria-labelledby': 'searches-title' }, h('h2', { id: 'searches-title' }, 'Searches by your people'), filters, status, list));
  let all: SearchRecord[] = [];
  const show = () => {
    const rows = all.filter((s) => (!user.value.trim() || s.userId.includes(user.value.trim()))
      && (!caseNumber.value.trim() || s.caseNumber.toLowerCase().includes(caseNumber.value.trim().toLowerCase()))
      && (!from.value || s.at.slice(0, 10) >= from.value) && (!to.value || s.at.slice(0, 10) <= to.value));
    replace(list, responsiveTable({
      testId: 'searches',
      caption: `${rows.length} of ${all.length} recent searches`,
      columns: ['When', 'User', 'Case', 'Purpose', 'Galleries', 'Results'],
      rowHeader: false,
      rows: rows.map((s) => [formatDateTime(s.at), h('code', {}, s.userId), s.caseNumber, s.purpose, s.galleries.join(', '),
        s.results.length === 0 ? 'no candidate' : `${s.results.length} (best score ${s.results[0]!.score.toFixed(2)})`]),
    }));
  };
  filters.addEventListener('submit', (e) => { e.preventDefault(); show(); });
  showLoading(status, 'Loading searches…');
  try {
    all = await api<SearchRecord[]>('/v1/searches?limit=500');
    showDone(status);
    show();
  } catch (error) {
    showError(status, error);
  }
}

async function entriesSection(main: HTMLElement): Promise<void> {
  const status = statusBox('entries-status');
  const list = h('div', {});
  main.append(h('section', { 'aria-labelledby': 'entries-title' }, h('h2', { id: 'entries-title' }, 'Latest audit entries of your client'), status, list));
  showLoading(status, 'Loading entries…');
  try {
    const entries = await api<AuditEntry[]>('/v1/audit?limit=50');
    showDone(status);
    replace(list, responsiveTable({
      testId: 'entries',
      columns: ['#', 'When', 'Action', 'Actor', 'Target', 'Hash'],
      rowHeader: false,
      rows: entries.map((e) => [String(e.seq), formatDateTime(e.at), e.action, h('code', {}, e.actor),
        e.target ? h('code', {}, e.target) : '—', h('code', { title: e.hash }, e.hash.slice(0, 12))]),
    }));
  } catch (error) {
    showError(status, error);
  }
}

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}
