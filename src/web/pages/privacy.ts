import { api, ApiError } from '../api.ts';
import { formatDate, h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';

interface Transparency {
  categories: Array<{ kind: string; legalBasis: string; specialCategoryCondition: string | null; jurisdictions: string[]; retentionDays: number; sources: number }>;
  retentionCapDays: number;
  faces: number;
}

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

const KIND_TEXT: Record<string, string> = {
  directory: 'Folders of images supplied by an identified controller',
  'url-list': 'Lists of image addresses declared by an identified controller',
  upload: 'Images uploaded by an operator',
  'targeted-site': 'Named web sites, within a declared scope, honouring robots.txt',
};

/** The public page: what likeness holds and on what basis, and the forms to exercise one's rights. */
export async function privacyPage(main: HTMLElement): Promise<void> {
  const facts = h('div', {});
  const factsStatus = statusBox('transparency-status');
  main.append(
    h('h1', {}, 'Your privacy and likeness'),
    h('p', { class: 'lead' }, 'likeness is a face search engine. Vetted organisations search it with a photo to find faces that resemble it, '
      + 'for a stated case and purpose, and every search is recorded. Faces enter only from declared sources, each with a legal basis and a retention period.'),
    h('section', { 'aria-labelledby': 'sources-title' }, h('h2', { id: 'sources-title' }, 'Where faces come from'), factsStatus, facts),
    requestSection());
  showLoading(factsStatus, 'Loading…');
  try {
    const t = await api<Transparency>('/v1/transparency', { anonymous: true });
    showDone(factsStatus);
    replace(facts,
      t.categories.length === 0 ? h('p', {}, 'No source is declared at present.') : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'categories' },
        h('caption', {}, `${t.faces.toLocaleString('en')} faces are held at present.`),
        h('thead', {}, h('tr', {}, ...['Category of source', 'Legal basis', 'Jurisdictions', 'Kept for at most'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, ...t.categories.map((c) => h('tr', {},
          h('th', { scope: 'row' }, KIND_TEXT[c.kind] ?? c.kind),
          h('td', {}, c.legalBasis, c.specialCategoryCondition ? h('span', { class: 'hint block' }, `Art. 9: ${c.specialCategoryCondition}`) : null),
          h('td', {}, c.jurisdictions.join(', ')),
          h('td', {}, `${c.retentionDays} days`)))))),
      h('p', {}, `No face is kept longer than ${t.retentionCapDays} days, whatever its source. Probe photos of searches are not kept; only their fingerprint (SHA-256) is.`));
  } catch (error) {
    showError(factsStatus, error);
  }
}

function requestSection(): HTMLElement {
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
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = !contact.value.trim() || !contact.checkValidity() ? contact : !selfie.files?.[0] ? selfie : null;
    if (missing) {
      showError(status, new Error(missing === contact ? 'Enter a valid email address.' : 'Add a photo of your face.'));
      missing.setAttribute('aria-invalid', 'true');
      missing.focus();
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
          ? 'Keep the request id and the access code: they are shown once, and are the only way to follow your request and receive the answer.'
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
