import { api } from '../api.ts';
import { announce, h, markInvalid, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { renderCandidates, type SearchAnswer } from './candidates.ts';
import { caseWatchesSection } from './case-watches.ts';
import { facePicker, type Detection } from './face-picker.ts';

/** The investigator's page: a photo, the face to search with, the case and purpose, the answer. */
export function searchPage(main: HTMLElement): void {
  let file: File | null = null;
  let faceIndex = 0;
  let preview: string | null = null;

  const input = h('input', { id: 'probe', name: 'probe', type: 'file', accept: 'image/*', class: 'visually-hidden-file' });
  const drop = h('label', { for: 'probe', class: 'drop', 'data-testid': 'drop' },
    h('strong', {}, 'Choose a photo'), ' or drop it here', h('span', { class: 'hint' }, 'JPEG, PNG or WebP. The photo is not kept; its SHA-256 is recorded.'));
  const picker = h('div', { id: 'picker' });
  const detectStatus = statusBox('detect-status');
  const caseNumber = h('input', { id: 'case', name: 'caseNumber', required: true, autocomplete: 'off', maxlength: 200 });
  const purpose = h('input', { id: 'purpose', name: 'purpose', required: true, autocomplete: 'off', maxlength: 500 });
  const submit = h('button', { type: 'submit', disabled: true }, 'Search');
  const searchStatus = statusBox('search-status');
  // Not a live region: the answer is announced once, by moving focus to its heading.
  const results = h('section', { id: 'results' });
  const watches = caseWatchesSection();
  const showWatches = h('button', { type: 'button', class: 'secondary' }, 'Show the watches of this case');
  showWatches.addEventListener('click', () => {
    const wanted = caseNumber.value.trim();
    markInvalid(caseNumber, !wanted);
    if (!wanted) {
      showError(searchStatus, new Error('Enter the case number.'));
      caseNumber.focus();
      return;
    }
    void watches.show(wanted);
  });

  async function choose(chosen: File): Promise<void> {
    file = chosen;
    faceIndex = 0;
    submit.disabled = true;
    results.replaceChildren();
    if (preview) URL.revokeObjectURL(preview);
    preview = URL.createObjectURL(chosen);
    picker.replaceChildren();
    showLoading(detectStatus, 'Finding faces…');
    const form = new FormData();
    form.append('image', chosen);
    try {
      const detection = await api<Detection>('/v1/detect', { body: form });
      if (detection.faces.length === 0) {
        showError(detectStatus, new Error('No face was found in this photo. Choose another one.'));
        return;
      }
      facePicker(picker, preview, detection, (i) => { faceIndex = i; announce(`Face ${i + 1} selected`); });
      showDone(detectStatus);
      submit.disabled = false;
      announce(`${detection.faces.length} face(s) found`);
    } catch (error) {
      showError(detectStatus, error);
    }
  }

  input.addEventListener('change', () => { if (input.files?.[0]) void choose(input.files[0]); });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const dropped = e.dataTransfer?.files[0];
    if (dropped) void choose(dropped);
  });

  const form = h('form', { class: 'card', novalidate: true },
    h('fieldset', {}, h('legend', {}, '1. Photo'), input, drop, detectStatus, picker),
    h('fieldset', {}, h('legend', {}, '2. Why you search'),
      h('label', { for: 'case' }, 'Case number'), caseNumber,
      h('label', { for: 'purpose' }, 'Purpose'), purpose,
      h('p', { class: 'hint' }, 'Both are required and are recorded with your name in the audit log before any result is shown.'),
      showWatches),
    submit, searchStatus);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!file) return showError(searchStatus, new Error('Choose a photo first.'));
    for (const field of [caseNumber, purpose]) {
      if (!field.value.trim()) {
        showError(searchStatus, new Error(`Enter the ${field === caseNumber ? 'case number' : 'purpose'}.`));
        field.setAttribute('aria-invalid', 'true');
        field.focus();
        return;
      }
      field.removeAttribute('aria-invalid');
    }
    const body = new FormData();
    body.append('image', file);
    body.append('caseNumber', caseNumber.value.trim());
    body.append('purpose', purpose.value.trim());
    body.append('faceIndex', String(faceIndex));
    submit.disabled = true;
    showLoading(searchStatus, 'Searching…');
    try {
      const answer = await api<SearchAnswer>('/v1/search', { body });
      showDone(searchStatus);
      renderCandidates(results, answer);
      const heading = results.querySelector<HTMLElement>('h2');
      heading?.setAttribute('tabindex', '-1');
      heading?.focus();
      // The case's standing searches sit under the answer, read again since a search may be their first entry.
      void watches.show(caseNumber.value.trim());
    } catch (error) {
      showError(searchStatus, error);
    } finally {
      submit.disabled = false;
    }
  });

  main.append(h('h1', {}, 'Search'), form, results, watches.element);
}
