import { api, ApiError, imageUrl } from '../api.ts';
import { formatDate, h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { deadlineExtension, matchedFaces, type DeskRequest } from './dpo-deadline-and-exclusions.ts';

interface SubjectRequest extends DeskRequest {
  kind: string;
  receivedAt: string;
  overdue?: boolean;
  daysLeft?: number;
  verification?: { liveness?: { score: number; passed: boolean }; document?: { score: number; matched: boolean } | null };
}

/** Open subject requests by due date, overdue first, with the verification to approve or reject. */
export async function dpoPage(main: HTMLElement): Promise<void> {
  const status = statusBox('dpo-status');
  const list = h('div', {});
  main.append(h('h1', {}, 'DPO desk'), h('p', {}, 'Open requests, soonest due first. Nothing is revealed to a requester before you approve.'), status, list);
  const load = async () => {
    showLoading(status, 'Loading requests…');
    try {
      const { requests } = await api<{ requests: SubjectRequest[] }>('/v1/dpo/requests');
      showDone(status);
      render(list, requests.sort((a, b) => a.dueAt.localeCompare(b.dueAt)), load);
    } catch (error) {
      showError(status, error instanceof ApiError && error.status === 404
        ? new Error('This server does not offer the subject-request endpoints yet.') : error);
    }
  };
  await load();
}

function render(list: HTMLElement, requests: SubjectRequest[], reload: () => Promise<void>): void {
  if (requests.length === 0) return replace(list, h('p', { 'data-testid': 'no-requests' }, 'No open request.'));
  replace(list, h('ul', { class: 'requests' }, ...requests.map((r) => {
    // The server decides what is overdue (src/domain/subject-deadlines.ts).
    const overdue = r.overdue === true;
    const status = statusBox(`req-${r.id}`);
    const failed = r.verification?.liveness?.passed === false || r.verification?.document?.matched === false;
    const reasonInput = h('input', { id: `reason-${r.id}`, name: 'reason', autocomplete: 'off', maxlength: 2000 });
    const act = (verb: 'approve' | 'reject' | 'execute') => async () => {
      const reason = reasonInput.value.trim();
      if (!reason && (verb === 'reject' || (verb === 'approve' && failed))) {
        showError(status, new Error(verb === 'reject' ? 'A rejection needs a reason.' : 'The selfie failed verification: approving it anyway needs a reason.'));
        reasonInput.focus();
        return;
      }
      showLoading(status, { approve: 'Approving…', reject: 'Rejecting…', execute: 'Carrying out…' }[verb]);
      try {
        await api(`/v1/dpo/requests/${encodeURIComponent(r.id)}/${verb}`, { method: 'POST', body: verb === 'execute' ? undefined : reason ? { reason } : {} });
        await reload();
      } catch (error) {
        showError(status, error);
      }
    };
    const live = r.verification?.liveness;
    const doc = r.verification?.document;
    return h('li', { class: overdue ? 'request overdue' : 'request', 'data-testid': 'request', 'data-request-id': r.id },
      h('p', {}, h('strong', {}, r.kind), ` · ${r.status} · received ${formatDate(r.receivedAt)} · `,
        h('span', { class: overdue ? 'badge bad' : 'badge' }, overdue ? `overdue since ${formatDate(r.dueAt)}` : `due ${formatDate(r.dueAt)}`)),
      h('p', { class: 'hint' }, `Request ${r.id}. Liveness ${live ? `${live.score.toFixed(2)} (${live.passed ? 'passed' : 'failed'})` : 'not checked'}; `
        + `document ${doc ? `${doc.score.toFixed(2)} (${doc.matched ? 'matches' : 'does not match'})` : 'not given'}.`),
      r.status === 'received' ? h('div', { class: 'field' },
        h('label', { for: `reason-${r.id}` }, failed ? 'Reason (required: the verification failed)' : 'Reason (required to reject)'), reasonInput) : null,
      r.status === 'received' ? h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: act('approve') }, 'Approve'),
        h('button', { type: 'button', class: 'secondary', onclick: act('reject') }, 'Reject')) : null,
      matchedFaces(r, reload),
      deadlineExtension(r, reload),
      r.status === 'approved' ? h('div', { class: 'actions' },
        r.kind === 'access' ? h('button', { type: 'button', class: 'secondary', onclick: () => void openReport(r.id, status) }, 'View access report') : null,
        h('button', { type: 'button', onclick: act('execute') }, r.kind === 'access' ? 'Send report and close' : 'Erase and suppress')) : null,
      status);
  })));
}

/** The print-ready report, fetched with the key (a plain link could not send it) and opened as a local page. */
async function openReport(id: string, status: HTMLElement): Promise<void> {
  showLoading(status, 'Preparing the report…');
  try {
    window.open(await imageUrl(`/v1/dpo/requests/${encodeURIComponent(id)}/report.html`), '_blank', 'noopener');
    showDone(status);
  } catch (error) {
    showError(status, error);
  }
}
