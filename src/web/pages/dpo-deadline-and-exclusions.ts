import { api } from '../api.ts';
import { announce, formatDate, h, markInvalid, showError, showLoading, statusBox } from '../dom.ts';
import { formatScore } from '../format.ts';

export interface DeskRequest {
  id: string;
  status: string;
  dueAt: string;
  originalDueAt?: string;
  extension?: { by: string; at: string; reason: string; dueAt: string } | null;
  matches?: Array<{ faceId: string; score: number }> | null;
  exclusions?: Array<{ faceId: string; reason: string; by: string; at: string }>;
}

/** Sends one DPO decision with its reason, then reads the queue again so what is shown is what was recorded. */
async function decide(path: string, body: object, status: HTMLElement, busy: string, done: string, reload: () => Promise<void>): Promise<void> {
  showLoading(status, busy);
  try {
    await api(path, { body });
    await reload();
    announce(done);
  } catch (error) {
    showError(status, error);
  }
}

/**
 * GDPR Art. 12(3): the deadline may be extended once, by one or two months, with the reason that
 * the requester is told. Once extended, the extension and its reason are shown instead.
 */
export function deadlineExtension(r: DeskRequest, reload: () => Promise<void>): HTMLElement | null {
  if (r.extension) {
    return h('p', { 'data-testid': 'extension' }, h('strong', {}, `Deadline extended to ${formatDate(r.extension.dueAt)}`),
      r.originalDueAt ? ` (was ${formatDate(r.originalDueAt)})` : '', `: ${r.extension.reason}`);
  }
  if (r.status !== 'received' && r.status !== 'approved') return null;
  const months = h('select', { id: `extend-months-${r.id}`, name: 'months' },
    h('option', { value: '1' }, 'by 1 month'), h('option', { value: '2' }, 'by 2 months'));
  const reason = h('input', { id: `extend-reason-${r.id}`, name: 'reason', autocomplete: 'off', maxlength: 2000 });
  const status = statusBox(`extend-status-${r.id}`);
  const form = h('form', { novalidate: true },
    h('label', { for: months.id }, 'Extend the deadline'), months,
    h('label', { for: reason.id }, 'Why more time is needed (told to the requester)'), reason,
    h('button', { type: 'submit', class: 'secondary' }, 'Extend deadline'), status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    markInvalid(reason, !reason.value.trim());
    if (!reason.value.trim()) {
      showError(status, new Error('An extension needs a reason.'));
      reason.focus();
      return;
    }
    void decide(`/v1/dpo/requests/${encodeURIComponent(r.id)}/extend`, { months: Number(months.value), reason: reason.value.trim() },
      status, 'Extending…', 'Deadline extended', reload);
  });
  return h('details', { class: 'desk-fold' }, h('summary', {}, 'Extend the deadline…'), form);
}

/**
 * The faces an approved request matched, each of which the DPO may leave out of the report and
 * the erasure when it is clearly someone else, with a reason; faces left out say why.
 */
export function matchedFaces(r: DeskRequest, reload: () => Promise<void>): HTMLElement | null {
  if (r.status !== 'approved' || !r.matches) return null;
  if (r.matches.length === 0) return h('p', { 'data-testid': 'no-matched-faces' }, 'No face matched at the strict threshold.');
  const excluded = new Map((r.exclusions ?? []).map((e) => [e.faceId, e]));
  return h('div', { class: 'matched' },
    h('h3', {}, `${r.matches.length} matched face${r.matches.length === 1 ? '' : 's'}`),
    h('ul', { class: 'matched-faces' }, ...r.matches.map((m, i) => {
      const name = `face ${i + 1}`;
      const left = excluded.get(m.faceId);
      const head = h('p', {}, h('a', { href: `#/faces/${encodeURIComponent(m.faceId)}` }, `Face ${i + 1}`), ` · similarity score ${formatScore(m.score)}`);
      if (left) {
        return h('li', { 'data-testid': 'matched-face', 'data-face-id': m.faceId }, head,
          h('p', { 'data-testid': 'exclusion' }, h('strong', {}, 'Left out: '), left.reason));
      }
      const reason = h('input', { id: `exclude-reason-${r.id}-${i}`, name: 'reason', autocomplete: 'off', maxlength: 2000 });
      const status = statusBox(`exclude-status-${r.id}-${i}`);
      const form = h('form', { class: 'inline', novalidate: true },
        h('label', { for: reason.id }, `Reason to leave out ${name}`), reason,
        h('button', { type: 'submit', class: 'secondary' }, `Leave out ${name}`), status);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        markInvalid(reason, !reason.value.trim());
        if (!reason.value.trim()) {
          showError(status, new Error('Leaving a face out needs a reason.'));
          reason.focus();
          return;
        }
        void decide(`/v1/dpo/requests/${encodeURIComponent(r.id)}/exclusions`, { faceId: m.faceId, reason: reason.value.trim() },
          status, 'Leaving it out…', `${name} left out`, reload);
      });
      return h('li', { 'data-testid': 'matched-face', 'data-face-id': m.faceId }, head, form);
    })));
}
