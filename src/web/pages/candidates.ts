import { expectedStrangersInWords } from '../../domain/expected-false-matches.ts';
import { imageUrl } from '../api.ts';
import { formatDate, h, replace } from '../dom.ts';
import { formatRate, formatScore } from '../format.ts';
import { legalBasisText } from '../legal-words.ts';
import { hasRole } from '../session.ts';
import { leadReview } from './lead-review.ts';

export interface Candidate {
  faceId: string;
  score: number;
  falseMatchRate: number;
  falseMatchRateIsUpperBound: boolean;
  expectedFalseMatches: number;
  extrapolated: boolean;
  alsoAt: Array<{ faceId: string; image: { url: string | null; pageUrl: string | null; path: string | null }; source: { name: string } }>;
  image: { url: string | null; pageUrl: string | null; path: string | null; collectedAt: string };
  source: { id: string; name: string; legalBasis: string; jurisdictions: string[] };
}

export interface SearchAnswer {
  searchId: string;
  threshold: number;
  searchedFaces: number;
  probe: { warnings: string[] };
  candidates: Candidate[];
  /** Some shards of the store did not answer (docs/scaling.md, "A shard that does not answer"). */
  partial?: boolean;
  missingShards?: string[];
}

/** Said with every partial answer: its "no candidate" covers only the faces that were searched. */
function partialNotice(answer: SearchAnswer): HTMLElement | null {
  if (!answer.partial) return null;
  return h('p', { class: 'hint', role: 'status', 'data-testid': 'partial-answer' },
    `Partial answer: part of the store (${(answer.missingShards ?? []).join(', ')}) did not answer, and its faces were not searched. `
    + `The ${answer.searchedFaces.toLocaleString('en')} faces searched are those that did; search again later for the rest.`);
}

/** The answer of a search: a grid of candidates, best first, or the explicit no-match state. */
export function renderCandidates(container: HTMLElement, answer: SearchAnswer): void {
  const n = answer.candidates.length;
  if (n === 0) {
    replace(container, h('section', { class: 'no-match', 'aria-labelledby': 'no-match-title', 'data-testid': 'no-match' },
      h('h2', { id: 'no-match-title' }, 'No candidate above the threshold'),
      h('p', {}, `No face in the galleries you may search is similar enough to this one (similarity score ${formatScore(answer.threshold)} or more). `
        + 'This is a normal answer: likeness does not show the nearest strangers.'),
      partialNotice(answer),
      h('p', { class: 'hint' }, `Search ${answer.searchId} is on record.`)));
    return;
  }
  replace(container,
    h('h2', { id: 'results-title' }, `${n} candidate${n === 1 ? '' : 's'} above the threshold`),
    h('p', { class: 'hint' }, `Best first. ${answer.searchedFaces.toLocaleString('en')} faces searched; similarity scores run from 0 to 1, and only those of ${formatScore(answer.threshold)} or more are shown. `
      + `Search ${answer.searchId} is on record. A candidate is a lead to check, not an identification.`),
    partialNotice(answer),
    answer.probe.warnings.length > 0
      ? h('p', { class: 'hint', 'data-testid': 'probe-warnings' }, `The probe face is ${answer.probe.warnings.join(', ')}: the rates below may not hold for it.`)
      : null,
    h('ol', { class: 'candidates', 'aria-labelledby': 'results-title' }, ...answer.candidates.map((c, i) => card(answer.searchId, c, i))));
}

function card(searchId: string, c: Candidate, rank: number): HTMLElement {
  const crop = h('div', { class: 'crop placeholder', role: 'img', 'aria-label': 'No image kept for this face' }, 'no image');
  void imageUrl(`/v1/faces/${encodeURIComponent(c.faceId)}/crop`).then((url) => {
    crop.replaceWith(h('img', { class: 'crop', src: url, alt: `Candidate ${rank + 1}`, width: 160, height: 160 }));
  }).catch(() => undefined);
  const where = c.image.pageUrl ?? c.image.url;
  const name = c.image.path?.split(/[\\/]/).pop() ?? c.image.url ?? c.faceId;
  return h('li', { class: 'candidate', 'data-testid': 'candidate', 'data-face-id': c.faceId },
    crop,
    h('div', { class: 'candidate-body' },
      h('p', { class: 'rank' }, h('span', { class: 'rank-no' }, `#${rank + 1}`), h('span', { class: 'file', 'data-testid': 'candidate-file' }, name)),
      h('p', { 'data-testid': 'similarity' }, h('strong', {}, `Similarity score ${formatScore(c.score)}`)),
      h('div', { class: 'bar', 'aria-hidden': 'true' }, barFill(c.score)),
      h('p', { 'data-testid': 'expected-strangers' }, h('strong', {}, expectedStrangersInWords(c.expectedFalseMatches)),
        c.extrapolated ? ' (from the fitted tail, beyond the measured rates)' : ''),
      h('p', { class: 'hint' }, `False-match rate per comparison ${formatRate(c.falseMatchRate, c.falseMatchRateIsUpperBound)}`),
      c.alsoAt.length > 0
        ? h('p', { class: 'hint' }, `Also at: ${c.alsoAt.map((d) => `${d.image.pageUrl ?? d.image.url ?? d.image.path ?? d.faceId} (${d.source.name})`).join('; ')}`)
        : null,
      h('p', {}, `Source ${c.source.name} · ${legalBasisText(c.source.legalBasis)} · ${c.source.jurisdictions.join(', ')}`),
      h('p', { class: 'hint' }, `Collected ${formatDate(c.image.collectedAt)}`),
      h('p', { class: 'links' },
        where ? h('a', { href: where, rel: 'noopener noreferrer', target: '_blank' }, c.image.pageUrl ? 'Source page' : 'Original image') : null,
        hasRole('operator', 'dpo') ? h('a', { href: `#/faces/${c.faceId}` }, 'Face record') : null),
      // A new search has no review yet; the reviewer records one here (docs/architecture.md, "Case work").
      hasRole('investigator', 'supervisor') ? leadReview(searchId, c.faceId, `candidate #${rank + 1}`, undefined) : null));
}

function barFill(score: number): HTMLElement {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.min(1, Math.max(0, score)) * 100}%`;
  return fill;
}
