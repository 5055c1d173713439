import { DISPOSITIONS, type Disposition } from '../../domain/cases.ts';
import { api } from '../api.ts';
import { announce, formatDateTime, h, markInvalid, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { me } from '../session.ts';

export interface LeadReview {
  id: string;
  searchId: string;
  faceId: string;
  userId: string;
  disposition: Disposition;
  reason: string;
  at: string;
  /** The reviewer by name, where the answer carries it (the case file does). */
  user?: { id: string; name: string };
}

const WORDS: Record<Disposition, string> = {
  'likely-match': 'Likely match',
  'not-a-match': 'Not a match',
  inconclusive: 'Inconclusive',
};

export const dispositionText = (d: string): string => WORDS[d as Disposition] ?? d;

/** The reviews of a search, oldest first: the last one of a candidate is the one that stands. */
export function fetchReviews(searchId: string): Promise<LeadReview[]> {
  return api<LeadReview[]>(`/v1/searches/${encodeURIComponent(searchId)}/reviews`);
}

export function latestByFace(reviews: LeadReview[]): Map<string, LeadReview> {
  return new Map(reviews.map((r) => [r.faceId, r]));
}

/** One review in words: what, why, by whom and when. */
export function reviewText(r: LeadReview): string {
  const who = r.userId === me()?.user.id ? 'you' : r.user?.name ?? r.userId;
  return `${dispositionText(r.disposition)}: ${r.reason} (by ${who}, ${formatDateTime(r.at)})`;
}

let forms = 0;

/**
 * What a reviewer made of one candidate (docs/architecture.md, "Case work"): the standing review,
 * and a form to record one, with a reason, that supersedes it. The form folds away so a grid of
 * candidates stays readable.
 */
export function leadReview(searchId: string, faceId: string, label: string, current: LeadReview | undefined,
  onRecorded?: (review: LeadReview) => void): HTMLElement {
  const n = ++forms;
  const recorded = h('p', { class: 'review', 'data-testid': 'review' });
  const show = (r: LeadReview | undefined) => {
    recorded.className = r ? `review ${r.disposition}` : 'review';
    replace(recorded, r ? h('strong', {}, 'Review: ') : 'Not reviewed yet.', r ? reviewText(r) : null);
  };
  show(current);

  const choices = DISPOSITIONS.map((d) => {
    const id = `review-${n}-${d}`;
    return h('div', { class: 'choice' }, h('input', { type: 'radio', id, name: `disposition-${n}`, value: d }), h('label', { for: id }, WORDS[d]));
  });
  const reason = h('input', { id: `review-${n}-reason`, name: 'reason', autocomplete: 'off', maxlength: 2000 });
  const status = statusBox(`review-${n}-status`);
  const button = h('button', { type: 'submit' }, 'Record review');
  const form = h('form', { class: 'review-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Disposition'), ...choices),
    h('label', { for: reason.id }, 'Reason'), reason,
    button, status);
  const fold = h('details', { class: 'review-fold' }, h('summary', {}, `Review ${label}`), form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value;
    if (!chosen) {
      showError(status, new Error('Choose likely match, not a match or inconclusive.'));
      form.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
      return;
    }
    markInvalid(reason, !reason.value.trim());
    if (!reason.value.trim()) {
      showError(status, new Error('A review states its reason.'));
      reason.focus();
      return;
    }
    button.disabled = true;
    showLoading(status, 'Recording the review…');
    try {
      const review = await api<LeadReview>(`/v1/searches/${encodeURIComponent(searchId)}/reviews`, {
        body: { faceId, disposition: chosen, reason: reason.value.trim() },
      });
      show(review);
      onRecorded?.(review);
      reason.value = '';
      showDone(status, 'Recorded in the audit log.');
      announce(`Review recorded: ${dispositionText(review.disposition)}`);
    } catch (error) {
      showError(status, error);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'lead-review' }, recorded, fold);
}
