import { api, ApiError } from '../api.ts';
import { announce, formatDate, formatDateTime, h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { formatRate, formatScore } from '../format.ts';
import { hasRole } from '../session.ts';
import { responsiveTable } from './responsive-table.ts';

interface Person { id: string; name: string }
interface Provenance { source: string; imageUrl: string | null; pageUrl: string | null; path: string | null; collectedAt: string }

interface CaseWatch {
  id: string;
  status: string;
  expired: boolean;
  user: Person;
  approvedByUser: Person | null;
  purpose: string;
  createdAt: string;
  expiresAt: string;
  approvedAt: string | null;
  webhookUrl: string | null;
  hits: Array<{ id: string; faceId: string; score: number; falseMatchRate: number; provenance: Provenance; at: string }>;
}

interface CaseFile { caseNumber: string; watches: CaseWatch[] }

/**
 * The watches filed under a case and the faces they caught (docs/architecture.md, "Case work"),
 * read from the case file: an investigator sees their own, a supervisor their client's.
 */
export function caseWatchesSection(): { element: HTMLElement; show(caseNumber: string): Promise<void> } {
  const status = statusBox('watches-status');
  const body = h('div', { 'data-testid': 'case-watches' });
  const heading = h('h2', { id: 'watches-title' }, 'Watches of the case');
  const element = h('section', { id: 'watches', 'aria-labelledby': 'watches-title', hidden: true }, heading, status, body);
  return {
    element,
    async show(caseNumber: string) {
      element.hidden = false;
      heading.textContent = `Watches of case ${caseNumber}`;
      body.replaceChildren();
      showLoading(status, 'Loading the case…');
      try {
        const file = await api<CaseFile>(`/v1/cases/${encodeURIComponent(caseNumber)}`);
        showDone(status);
        render(body, file);
        const hits = file.watches.reduce((n, w) => n + w.hits.length, 0);
        announce(`${file.watches.length} watch(es) and ${hits} hit(s) under case ${caseNumber}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          showDone(status);
          replace(body, h('p', { 'data-testid': 'no-watches' }, `Nothing you may see is on record under case ${caseNumber} yet: no search, no watch.`));
        } else {
          showError(status, error);
        }
      }
    },
  };
}

function render(body: HTMLElement, file: CaseFile): void {
  if (file.watches.length === 0) {
    replace(body, h('p', { 'data-testid': 'no-watches' }, `No watch is filed under case ${file.caseNumber}.`));
    return;
  }
  replace(body, h('ul', { class: 'watches' }, ...file.watches.map((w) => h('li', { class: 'watch', 'data-testid': 'watch', 'data-watch-id': w.id },
    h('p', {}, h('span', { class: state(w).badge, 'data-testid': 'watch-state' }, state(w).text),
      ` Filed by ${w.user.name} on ${formatDate(w.createdAt)}`,
      w.approvedByUser && w.approvedAt ? `, approved by ${w.approvedByUser.name} on ${formatDate(w.approvedAt)}` : '',
      `; ${w.expired ? 'ended' : 'ends'} ${formatDate(w.expiresAt)}.`),
    h('p', { class: 'hint' }, `Purpose: ${w.purpose}. ${w.webhookUrl ? `Alerts go to ${w.webhookUrl}.` : 'No alert address: hits are kept in the case only.'} Watch ${w.id}.`),
    w.hits.length === 0
      ? h('p', { 'data-testid': 'no-hits' }, 'No hit yet.')
      : responsiveTable({
        testId: 'watch-hits',
        caption: `${w.hits.length} hit${w.hits.length === 1 ? '' : 's'}, newest last`,
        columns: ['When', 'Similarity score', 'False-match rate', 'Where', 'Face'],
        rowHeader: false,
        rows: w.hits.map((hit) => [
          formatDateTime(hit.at), formatScore(hit.score), formatRate(hit.falseMatchRate, false), where(hit.provenance),
          hasRole('operator', 'dpo') ? h('a', { href: `#/faces/${encodeURIComponent(hit.faceId)}` }, 'Face record') : h('code', {}, hit.faceId),
        ]),
      })))));
}

function state(w: CaseWatch): { text: string; badge: string } {
  if (w.expired) return { text: 'Ended', badge: 'badge' };
  if (w.status === 'active') return { text: 'Active', badge: 'badge ok' };
  if (w.status === 'pending-approval') return { text: 'Waiting for a supervisor', badge: 'badge' };
  return { text: w.status, badge: 'badge' };
}

function where(p: Provenance): Array<Node | string> {
  const link = p.pageUrl ?? p.imageUrl;
  const name = link ?? p.path?.split(/[\\/]/).pop() ?? '—';
  return [link ? h('a', { href: link, rel: 'noopener noreferrer', target: '_blank' }, name) : name, h('span', { class: 'hint block' }, `${p.source}, collected ${formatDate(p.collectedAt)}`)];
}
