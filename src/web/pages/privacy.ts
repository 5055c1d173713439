import { api } from '../api.ts';
import { h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { legalBasisText, specialCategoryText } from '../legal-words.ts';
import { followSection } from './privacy-follow.ts';
import { requestSection } from './privacy-request.ts';
import { responsiveTable } from './responsive-table.ts';

interface Transparency {
  categories: Array<{ kind: string; legalBasis: string; specialCategoryCondition: string | null; jurisdictions: string[]; retentionDays: number; sources: number }>;
  retentionCapDays: number;
  faces: number;
}

const KIND_TEXT: Record<string, string> = {
  directory: 'Folders of images supplied by an identified controller',
  'url-list': 'Lists of image addresses declared by an identified controller',
  upload: 'Images uploaded by an operator',
  'targeted-site': 'Named web sites, within a declared scope, honouring robots.txt',
};

/** The public page: what likeness holds and on what basis, the form to exercise one's rights, and the one to follow a request. */
export async function privacyPage(main: HTMLElement): Promise<void> {
  const facts = h('div', {});
  const factsStatus = statusBox('transparency-status');
  main.append(
    h('h1', {}, 'Your privacy and likeness'),
    h('p', { class: 'lead' }, 'likeness is a face search engine. Vetted organisations search it with a photo to find faces that resemble it, '
      + 'for a stated case and purpose, and every search is recorded. Faces enter only from declared sources, each with a legal basis and a retention period.'),
    h('section', { 'aria-labelledby': 'sources-title' }, h('h2', { id: 'sources-title' }, 'Where faces come from'), factsStatus, facts),
    requestSection(),
    followSection());
  showLoading(factsStatus, 'Loading…');
  try {
    const t = await api<Transparency>('/v1/transparency', { anonymous: true });
    showDone(factsStatus);
    replace(facts,
      t.categories.length === 0 ? h('p', {}, 'No source is declared at present.') : responsiveTable({
        testId: 'categories',
        caption: `${t.faces.toLocaleString('en')} faces are held at present.`,
        columns: ['Category of source', 'Legal basis', 'Jurisdictions', 'Kept for at most'],
        rows: t.categories.map((c) => [
          KIND_TEXT[c.kind] ?? c.kind,
          [legalBasisText(c.legalBasis), c.specialCategoryCondition ? h('span', { class: 'hint block' }, specialCategoryText(c.specialCategoryCondition)) : null],
          c.jurisdictions.join(', '),
          `${c.retentionDays} days`,
        ]),
      }),
      h('p', {}, `No face is kept longer than ${t.retentionCapDays} days, whatever its source. Probe photos of searches are not kept; only their fingerprint (SHA-256) is.`));
  } catch (error) {
    showError(factsStatus, error);
  }
}
