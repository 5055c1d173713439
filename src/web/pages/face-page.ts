import { api, imageUrl } from '../api.ts';
import { formatDate, formatDateTime, h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { legalBasisText, specialCategoryText } from '../legal-words.ts';

interface FaceView {
  face: { id: string; galleryId: string; box: { width: number; height: number }; quality: { detectionScore: number; sharpness: number; yaw: number }; modelId: string; expiresAt: string; createdAt: string };
  image: { sha256: string; path: string | null; url: string | null; pageUrl: string | null; width: number; height: number; collectedAt: string };
  source: { name: string; kind: string; legalBasis: string; specialCategoryCondition: string | null; jurisdictions: string[]; retentionDays: number; controller: string | null };
  cropAvailable: boolean;
}

/** One face: its provenance, and its deletion behind a confirmation. */
export async function facePage(main: HTMLElement, id: string): Promise<void> {
  const status = statusBox('face-status');
  const body = h('div', {});
  main.append(h('h1', {}, 'Face record'), status, body);
  showLoading(status, 'Loading the face…');
  try {
    const view = await api<FaceView>(`/v1/faces/${encodeURIComponent(id)}/provenance`);
    showDone(status);
    render(body, view);
  } catch (error) {
    showError(status, error);
  }
}

function render(body: HTMLElement, { face, image, source, cropAvailable }: FaceView): void {
  const crop = h('div', { class: 'crop large placeholder', role: 'img', 'aria-label': 'No image kept for this face' }, 'no image');
  if (cropAvailable) {
    void imageUrl(`/v1/faces/${encodeURIComponent(face.id)}/crop`)
      .then((url) => crop.replaceWith(h('img', { class: 'crop large', src: url, alt: 'This face', width: 192, height: 192 })))
      .catch(() => undefined);
  }
  const row = (term: string, value: Node | string) => [h('dt', {}, term), h('dd', {}, value)];
  const link = (href: string | null) => (href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, href) : '—');
  const details = h('dl', { class: 'facts' },
    ...row('Face id', face.id),
    ...row('Source', `${source.name} (${source.kind})`),
    ...row('Legal basis', legalBasisText(source.legalBasis) + (source.specialCategoryCondition ? `; ${specialCategoryText(source.specialCategoryCondition)}` : '')),
    ...row('Jurisdictions', source.jurisdictions.join(', ')),
    ...row('Controller', source.controller ?? '—'),
    ...row('Image', image.path ?? image.url ?? '—'),
    ...row('Page', link(image.pageUrl)),
    ...row('Image SHA-256', h('code', {}, image.sha256)),
    ...row('Collected', formatDateTime(image.collectedAt)),
    ...row('Expires', `${formatDate(face.expiresAt)} (retention ${source.retentionDays} days)`),
    ...row('Quality', `${Math.round(Math.min(face.box.width, face.box.height))} px, detection ${face.quality.detectionScore.toFixed(2)}, yaw ${Math.round(face.quality.yaw)}°`),
    ...row('Model', face.modelId));

  const dialog = h('dialog', { id: 'confirm-delete', 'aria-labelledby': 'confirm-title' },
    h('h2', { id: 'confirm-title' }, 'Delete this face?'),
    h('p', {}, 'It leaves search at once and the disk at the next compaction. This cannot be undone.'),
    h('form', { method: 'dialog', class: 'actions' },
      h('button', { value: 'cancel', class: 'secondary', autofocus: true }, 'Cancel'),
      h('button', { value: 'delete', class: 'danger' }, 'Delete')));
  const status = statusBox('delete-status');
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete face…');
  remove.addEventListener('click', () => dialog.showModal());
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'delete') return remove.focus();
    showLoading(status, 'Deleting…');
    try {
      await api(`/v1/faces/${encodeURIComponent(face.id)}`, { method: 'DELETE' });
      remove.disabled = true;
      showDone(status, 'Deleted: this face is no longer searchable.');
    } catch (error) {
      showError(status, error);
    }
  });
  replace(body, h('div', { class: 'face-record' }, crop, details), h('div', { class: 'actions' }, remove), status, dialog);
}
