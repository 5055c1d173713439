import { uploadWithProgress } from '../api.ts';
import { h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import type { SourceRow } from './sources.ts';

interface UploadResult {
  facesIndexed: number;
  images: Array<{ filename: string; status: string; faces: Array<{ id: string }> }>;
}

/**
 * Uploads into a source of kind `upload`: the other kinds list their own images (a folder, a list,
 * a site). `onUploaded` refreshes what the upload changed, e.g. the face counts.
 */
export function uploadForm(section: HTMLElement, sources: SourceRow[], onUploaded: () => Promise<void>): void {
  if (sources.length === 0) {
    replace(section, h('h2', { id: 'upload-title' }, 'Upload images'),
      h('p', { 'data-testid': 'no-upload-source' }, 'No active source of kind "upload" takes images. Declare one first, e.g. ',
        h('code', {}, 'likeness source add uploads --kind upload …'), '.'));
    return;
  }
  const select = h('select', { id: 'upload-source', name: 'source' }, ...sources.map((s) => h('option', { value: s.name }, s.name)));
  const files = h('input', { id: 'upload-files', name: 'images', type: 'file', accept: 'image/*', multiple: true, required: true });
  // Hidden until an upload starts: an empty bar would suggest one is under way.
  const progress = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const status = statusBox('upload-status');
  const outcome = h('div', { 'data-testid': 'upload-outcome' });
  const button = h('button', { type: 'submit' }, 'Upload');
  const form = h('form', { class: 'card', novalidate: true },
    h('label', { for: 'upload-source' }, 'Into source'), select,
    h('label', { for: 'upload-files' }, 'Images'), files,
    h('p', { class: 'hint' }, 'All or nothing: if one file is refused, none is stored. Uploaded images are analysed, not kept.'),
    button, progress, status, outcome);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = [...(files.files ?? [])];
    if (chosen.length === 0) {
      showError(status, new Error('Choose one or more images.'));
      files.focus();
      return;
    }
    const body = new FormData();
    for (const f of chosen) body.append('images', f);
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    outcome.replaceChildren();
    showLoading(status, `Uploading ${chosen.length} image(s)…`);
    try {
      const result = await uploadWithProgress<UploadResult>(`/v1/sources/${encodeURIComponent(select.value)}/images`, body, (f) => {
        progress.value = Math.round(f * 100);
        if (f >= 1) showLoading(status, 'Detecting and indexing faces…');
      });
      progress.value = 100;
      replace(outcome, h('ul', {}, ...result.images.map((img) => h('li', {}, `${img.filename}: ${img.status}`,
        ...img.faces.map((f, i) => h('a', { href: `#/faces/${f.id}`, class: 'pill' }, `face ${i + 1}`))))));
      await onUploaded();
      // The status region is the one announcement of the outcome.
      showDone(status, `${result.facesIndexed} face(s) indexed from ${result.images.length} image(s).`);
    } catch (error) {
      progress.hidden = true;
      showError(status, error);
    } finally {
      button.disabled = false;
    }
  });
  replace(section, h('h2', { id: 'upload-title' }, 'Upload images'), form);
}
