import { api } from '../api.ts';
import { formatDateTime, h, markInvalid, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { formatRate, formatScore } from '../format.ts';
import { hasRole } from '../session.ts';
import { leadReview, reviewText, type LeadReview } from './lead-review.ts';
import { dayAfter, dayStart, field, perPageSelect, query } from './filter-form.ts';
import { pager } from './pager.ts';
import { responsiveTable } from './responsive-table.ts';

interface SearchRecord { id: string; userId: string; caseNumber: string; purpose: string; galleries: string[]; threshold: number; results: Array<{ faceId: string; score: number }>; at: string }

interface CaseSearch {
  id: string; at: string; user: { id: string; name: string }; purpose: string; threshold: number;
  candidates: Array<{
    faceId: string; score: number; falseMatchRate: number; falseMatchRateIsUpperBound: boolean;
    provenance: { source: string; imageUrl: string | null; pageUrl: string | null; path: string | null } | null;
    review: LeadReview | null;
  }>;
  reviews: LeadReview[];
}

/** The searches of the supervisor's client, filtered and paged by the server, each with its leads to review. */
export async function searchesSection(main: HTMLElement): Promise<void> {
  const status = statusBox('searches-status');
  const user = h('input', { id: 'f-user', name: 'userId', autocomplete: 'off', maxlength: 100 });
  const caseNumber = h('input', { id: 'f-case', name: 'caseNumber', autocomplete: 'off', maxlength: 200 });
  const from = h('input', { id: 'f-from', name: 'from', type: 'date' });
  const to = h('input', { id: 'f-to', name: 'to', type: 'date' });
  const perPage = perPageSelect('f-per-page');
  const list = h('div', {});
  const review = h('section', { id: 'leads', 'aria-labelledby': 'leads-title', hidden: true });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter searches', novalidate: true },
    field('f-user', 'User id', user), field('f-case', 'Case number', caseNumber), field('f-from', 'From', from), field('f-to', 'To', to),
    field('f-per-page', 'Per page', perPage),
    h('button', { type: 'submit' }, 'Filter searches'));
  const pages = pager<SearchRecord, { at: string; id: string }>({
    label: 'searches', status,
    load: (after, limit) => api<SearchRecord[]>(`/v1/searches?${query({
      limit: String(limit), before: after?.at, beforeId: after?.id, userId: user.value.trim(), caseNumber: caseNumber.value.trim(), from: dayStart(from.value), to: dayAfter(to.value),
    })}`),
    cursor: (last) => ({ at: last.at, id: last.id }),
    show: (rows, page) => replace(list, responsiveTable({
      testId: 'searches',
      caption: `${rows.length} search${rows.length === 1 ? '' : 'es'} on page ${page}, newest first`,
      columns: ['When', 'User', 'Case', 'Purpose', 'Galleries', 'Results', 'Leads'],
      rowHeader: false,
      rows: rows.map((s) => [formatDateTime(s.at), h('code', {}, s.userId), s.caseNumber, s.purpose, s.galleries.join(', '),
        s.results.length === 0 ? 'no candidate' : `${s.results.length} (best score ${formatScore(s.results[0]!.score)})`,
        s.results.length > 0 && hasRole('supervisor')
          ? h('button', { type: 'button', class: 'secondary', onclick: () => void openLeads(review, s) },
            'Review leads', h('span', { class: 'visually-hidden' }, ` of the search of ${formatDateTime(s.at)}, case ${s.caseNumber}`))
          : '—']),
    })),
  });
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const backwards = from.value && to.value && to.value < from.value;
    markInvalid(to, !!backwards);
    if (backwards) return showError(status, new Error('The end date is before the start date.'));
    review.hidden = true;
    void pages.first(Number(perPage.value));
  });
  main.append(h('section', { 'aria-labelledby': 'searches-title' }, h('h2', { id: 'searches-title' }, 'Searches by your people'),
    filters, status, list, pages.controls, review));
  await pages.first(Number(perPage.value));
}

/**
 * The leads of one search as its case file has them (provenance, false-match rate, the standing
 * review), each with a form to review it, and every review on record.
 */
async function openLeads(section: HTMLElement, s: SearchRecord): Promise<void> {
  const status = statusBox('leads-status');
  const heading = h('h3', { id: 'leads-title', tabindex: -1 }, `Leads of the search of ${formatDateTime(s.at)}, case ${s.caseNumber}`);
  replace(section, heading, status);
  section.hidden = false;
  heading.focus();
  showLoading(status, 'Loading the leads…');
  try {
    const file = await api<{ searches: CaseSearch[] }>(`/v1/cases/${encodeURIComponent(s.caseNumber)}`);
    const search = file.searches.find((c) => c.id === s.id);
    if (!search) throw new Error(`Search ${s.id} is not in the file of case ${s.caseNumber}.`);
    showDone(status);
    const none = h('li', { 'data-testid': 'no-reviews' }, 'No review yet.');
    const history = h('ul', { 'data-testid': 'review-history' }, none);
    const record = (r: LeadReview) => {
      const rank = search.candidates.findIndex((c) => c.faceId === r.faceId);
      none.remove();
      history.append(h('li', {}, `Lead ${rank + 1}: ${reviewText(r)}`));
    };
    search.reviews.forEach(record);
    section.append(
      h('p', { class: 'hint' }, `By ${search.user.name} for "${search.purpose}"; similarity threshold ${formatScore(search.threshold)}. Search ${search.id}.`),
      h('ol', { class: 'leads' }, ...search.candidates.map((c, i) => h('li', { class: 'lead', 'data-testid': 'lead', 'data-face-id': c.faceId },
        h('p', {}, h('strong', {}, `Lead ${i + 1}`), ` · similarity score ${formatScore(c.score)} · false-match rate ${formatRate(c.falseMatchRate, c.falseMatchRateIsUpperBound)}`),
        h('p', { class: 'hint' }, c.provenance
          ? `${c.provenance.source}: ${c.provenance.pageUrl ?? c.provenance.imageUrl ?? c.provenance.path ?? 'no address'}`
          : 'This face has since been erased.', ` Face ${c.faceId}.`),
        leadReview(search.id, c.faceId, `lead ${i + 1}`, c.review ?? undefined, record)))),
      h('h4', {}, 'Reviews on record, oldest first'), history);
  } catch (error) {
    showError(status, error);
  }
}
