import { api } from '../api.ts';
import { h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { legalBasisText, specialCategoryText } from '../legal-words.ts';
import { responsiveTable } from './responsive-table.ts';
import { uploadForm } from './upload.ts';

export interface SourceRow {
  id: string; name: string; galleryId: string; kind: string; uri: string; legalBasis: string;
  specialCategoryCondition: string | null; jurisdictions: string[]; retentionDays: number;
  controller: string | null; status: string;
}

/** The operator's catalogue: every declared source with its basis and retention, and uploads into one. */
export async function sourcesPage(main: HTMLElement): Promise<void> {
  const status = statusBox('sources-status');
  const table = h('div', {});
  const upload = h('section', { 'aria-labelledby': 'upload-title' });
  const lookup = h('form', { class: 'inline', role: 'search', 'aria-label': 'Face lookup' },
    h('label', { for: 'face-id' }, 'Open a face by id'), h('input', { id: 'face-id', name: 'faceId', required: true, autocomplete: 'off' }),
    h('button', { type: 'submit' }, 'Open'));
  lookup.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = (lookup.querySelector('input') as HTMLInputElement).value.trim();
    if (id) location.hash = `#/faces/${encodeURIComponent(id)}`;
  });
  main.append(h('h1', {}, 'Galleries and sources'),
    h('p', {}, 'Images enter likeness only through a declared source. Each states its legal basis, jurisdictions and retention.'),
    status, table, upload, lookup);

  showLoading(status, 'Loading sources…');
  try {
    const sources = await showSources(table);
    showDone(status);
    // The counts change with an upload, so the table is read again after each one.
    uploadForm(upload, sources.filter((s) => s.status === 'active' && s.kind === 'upload'), async () => { await showSources(table).catch((error: unknown) => showError(status, error)); });
  } catch (error) {
    showError(status, error);
  }
}

async function showSources(container: HTMLElement): Promise<SourceRow[]> {
  const [sources, galleries, counts] = await Promise.all([
    api<SourceRow[]>('/v1/sources'),
    api<Array<{ id: string; name: string }>>('/v1/galleries'),
    api<Array<{ galleryId: string; faces: number }>>('/v1/galleries/face-counts'),
  ]);
  const galleryName = new Map(galleries.map((g) => [g.id, g.name]));
  const faces = new Map(counts.map((c) => [c.galleryId, c.faces]));
  replace(container, sources.length === 0
    ? h('p', {}, 'No source is declared yet. Declare one with "likeness source add" or POST /v1/sources.')
    : responsiveTable({
      testId: 'sources',
      caption: `${sources.length} declared source${sources.length === 1 ? '' : 's'}`,
      columns: ['Source', 'Kind', 'Legal basis', 'Jurisdictions', 'Retention', 'Gallery (faces)', 'Status'],
      rows: sources.map((s) => [
        [s.name, s.controller ? h('span', { class: 'hint block' }, s.controller) : null],
        s.kind,
        [legalBasisText(s.legalBasis), s.specialCategoryCondition ? h('span', { class: 'hint block' }, specialCategoryText(s.specialCategoryCondition)) : null],
        s.jurisdictions.join(', '),
        `${s.retentionDays} days`,
        h('span', { 'data-testid': 'gallery-faces' }, `${galleryName.get(s.galleryId) ?? s.galleryId} (${faces.get(s.galleryId) ?? 0})`),
        s.status,
      ]),
    }));
  return sources;
}
