import { api, ApiError } from '../api.ts';
import { formatDate, h, markInvalid, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';

interface Receipt {
  requestId?: string;
  /** The documented shape before the endpoint landed. */
  id?: string;
  receivedAt: string;
  dueAt: string;
  /** The requester's only way to follow the request; shown once. */
  accessToken?: string;
}

const KINDS: Array<{ value: string; label: string; help: string }> = [
  { value: 'access', label: 'Access', help: 'Am I in there, where from, and who searched for me? (GDPR Art. 15)' },
  { value: 'erasure', label: 'Erasure', help: 'Delete every face of mine and keep me out. (Art. 17)' },
  { value: 'objection', label: 'Objection', help: 'Never collect or return my face again. (Art. 21)' },
];

/** The form to file an access, erasure or objection request, and its receipt. */
export function requestSection(): HTMLElement {
  const status = statusBox('request-status');
  const receipt = h('div', { 'data-testid': 'receipt' });
  const kinds = h('fieldset', {}, h('legend', {}, 'What do you ask for?'), ...KINDS.map((k, i) => h('div', { class: 'choice' },
    h('input', { type: 'radio', id: `kind-${k.value}`, name: 'kind', value: k.value, checked: i === 0 }),
    h('label', { for: `kind-${k.value}` }, h('strong', {}, k.label), ' — ', k.help))));
  const contact = h('input', { id: 'contact', name: 'contact', type: 'email', required: true, autocomplete: 'email', 'aria-describedby': 'contact-help' });
  const selfie = h('input', { id: 'selfie', name: 'selfie', type: 'file', accept: 'image/*', required: true, 'aria-describedby': 'selfie-help' });
  const document = h('input', { id: 'document', name: 'document', type: 'file', accept: 'image/*' });
  const button = h('button', { type: 'submit' }, 'Send request');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'request-title' },
    kinds,
    h('label', { for: 'contact' }, 'Email address'), contact,
    h('p', { id: 'contact-help', class: 'hint' }, 'Where we send the answer. Used for this request only.'),
    h('label', { for: 'selfie' }, 'A photo of your face'), selfie,
    h('p', { id: 'selfie-help', class: 'hint' }, 'Matched against the gallery at a strict threshold, then kept only as long as your request needs it.'),
    h('label', { for: 'document' }, 'Identity document (optional)'), document,
    button, status, receipt);
  // A field corrected by its owner is no longer marked wrong, whether or not the form is sent again.
  contact.addEventListener('input', () => { if (contact.value.trim() && contact.checkValidity()) markInvalid(contact, false); });
  selfie.addEventListener('change', () => { if (selfie.files?.[0]) markInvalid(selfie, false); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const contactBad = !contact.value.trim() || !contact.checkValidity();
    const selfieBad = !selfie.files?.[0];
    markInvalid(contact, contactBad);
    markInvalid(selfie, selfieBad);
    if (contactBad || selfieBad) {
      showError(status, new Error(contactBad && selfieBad ? 'Enter a valid email address and add a photo of your face.'
        : contactBad ? 'Enter a valid email address.' : 'Add a photo of your face.'));
      (contactBad ? contact : selfie).focus();
      return;
    }
    const body = new FormData();
    body.append('kind', (form.querySelector('input[name="kind"]:checked') as HTMLInputElement).value);
    body.append('contact', contact.value.trim());
    body.append('selfie', selfie.files![0]!);
    if (document.files?.[0]) body.append('document', document.files[0]);
    button.disabled = true;
    showLoading(status, 'Sending your request…');
    try {
      const r = await api<Receipt>('/v1/subject-requests', { body, anonymous: true });
      showDone(status, 'Your request is received.');
      replace(receipt, h('dl', { class: 'facts receipt' },
        h('dt', {}, 'Request id'), h('dd', { 'data-testid': 'request-id' }, h('code', {}, r.requestId ?? r.id ?? '')),
        h('dt', {}, 'We answer by'), h('dd', { 'data-testid': 'due-date' }, formatDate(r.dueAt)),
        r.accessToken ? h('dt', {}, 'Your access code') : null,
        r.accessToken ? h('dd', { 'data-testid': 'access-token' }, h('code', {}, r.accessToken)) : null),
        h('p', { class: 'hint' }, r.accessToken
          ? 'Keep the request id and the access code: they are shown once, and are the only way to follow your request (below) and receive the answer.'
          : 'Keep the request id: quote it if you write to us.'));
      receipt.setAttribute('tabindex', '-1');
      receipt.focus();
    } catch (error) {
      showError(status, error instanceof ApiError && error.status === 404
        ? new Error('Requests cannot be received online yet. Write to the data protection officer of the operator instead.') : error);
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'request-title' }, h('h2', { id: 'request-title' }, 'Ask about your face'),
    h('p', {}, 'No account is needed. We answer within one month (extendable by two months for complex requests, with notice).'), form);
}
