import { api, ApiError, downloadUrl } from '../api.ts';
import { formatDate, h, markInvalid, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { accessReportView, type AccessReport } from './access-report-view.ts';

interface FollowedRequest {
  requestId: string;
  kind: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  report?: AccessReport;
}

const STATUS_TEXT: Record<string, string> = {
  received: 'Received: we are checking that the photo is of you. Nothing has been searched yet.',
  approved: 'Approved: your identity is verified.',
  rejected: 'Closed without an answer: we could not verify that the photo is of you. We have written to you with the reason.',
  completed: 'Answered and closed.',
};

const KIND_TEXT: Record<string, string> = { access: 'Access', erasure: 'Erasure', objection: 'Objection' };

/** The receipt's other half: the request id and access code bring back the status, the due date and, once answered, the report. */
export function followSection(): HTMLElement {
  const id = h('input', { id: 'follow-id', name: 'requestId', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 100 });
  const code = h('input', { id: 'follow-code', name: 'accessCode', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 200, 'aria-describedby': 'follow-help' });
  const button = h('button', { type: 'submit' }, 'Follow');
  const status = statusBox('follow-status');
  const answer = h('div', { 'data-testid': 'follow-answer' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'follow-title' },
    h('label', { for: 'follow-id' }, 'Request id'), id,
    h('label', { for: 'follow-code' }, 'Access code'), code,
    h('p', { id: 'follow-help', class: 'hint' }, 'Both were shown when you sent your request.'),
    button, status);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const requestId = id.value.trim();
    const accessCode = code.value.trim();
    markInvalid(id, !requestId);
    markInvalid(code, !accessCode);
    if (!requestId || !accessCode) {
      showError(status, new Error(!requestId ? 'Enter the request id.' : 'Enter the access code.'));
      (!requestId ? id : code).focus();
      return;
    }
    button.disabled = true;
    answer.replaceChildren();
    showLoading(status, 'Looking up your request…');
    const headers = { 'x-request-token': accessCode };
    try {
      const r = await api<FollowedRequest>(`/v1/subject-requests/${encodeURIComponent(requestId)}`, { anonymous: true, headers });
      showDone(status, `Request ${r.requestId}: ${r.status}.`);
      replace(answer, h('dl', { class: 'facts receipt' },
        h('dt', {}, 'Request'), h('dd', {}, `${KIND_TEXT[r.kind] ?? r.kind}, received ${formatDate(r.receivedAt)}`),
        h('dt', {}, 'Status'), h('dd', { 'data-testid': 'follow-status' }, STATUS_TEXT[r.status] ?? r.status),
        h('dt', {}, 'We answer by'), h('dd', { 'data-testid': 'follow-due-date' }, formatDate(r.dueAt))),
      r.report ? downloadButton(requestId, headers) : null,
      r.report ? accessReportView(r.report) : null);
    } catch (error) {
      // The server gives one answer to a wrong id and a wrong code; so does the page.
      const unknown = error instanceof ApiError && (error.status === 404 || error.status === 400);
      showError(status, unknown ? new Error('No request matches this request id and access code. Check both and try again.') : error);
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'follow-title' }, h('h2', { id: 'follow-title' }, 'Follow a request'),
    h('p', {}, 'See where your request stands and, once it is answered, read the answer here.'), form, answer);
}

/** The report as a page to keep: fetched with the access code, which a plain link could not send. */
function downloadButton(requestId: string, headers: Record<string, string>): HTMLElement {
  const status = statusBox('download-status');
  const button = h('button', { type: 'button', class: 'secondary' }, 'Download the report');
  button.addEventListener('click', async () => {
    showLoading(status, 'Preparing the download…');
    try {
      const url = await downloadUrl(`/v1/subject-requests/${encodeURIComponent(requestId)}/report.html`, headers);
      const link = h('a', { href: url, download: `likeness-access-report-${requestId}.html` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      showDone(status, 'The report is downloaded.');
    } catch (error) {
      showError(status, error);
    }
  });
  return h('div', {}, button, status);
}
