import { formatDate, h } from '../dom.ts';
import { formatRate, formatScore } from '../format.ts';
import { legalBasisText, specialCategoryText } from '../legal-words.ts';

/** The report of src/services/subjects/access-report.ts, as the requester receives it. */
export interface AccessReport {
  requestId: string;
  generatedAt: string;
  threshold: { score: number; falseMatchRate: number };
  faces: Array<{
    faceId: string;
    image: { path: string | null; url: string | null; pageUrl: string | null };
    source: { name: string; legalBasis: string; specialCategoryCondition: string | null; jurisdictions: string[]; controller: string | null };
    collectedAt: string;
    expiresAt: string;
    recipients: Array<{ client: string; clientType: string; at: string }>;
  }>;
  recipients: Array<{ client: string; clientType: string; searches: number; faces: number; firstAt: string; lastAt: string }>;
  excluded: Array<{ reason: string }>;
  suppression: { statement: string };
  retentionCapDays: number;
}

/** The access report in the page: each face with where it came from, on what basis, until when, and who received it. */
export function accessReportView(report: AccessReport): HTMLElement {
  const n = report.faces.length;
  return h('section', { class: 'report', 'aria-labelledby': 'report-title', 'data-testid': 'access-report' },
    h('h3', { id: 'report-title' }, n === 0 ? 'We hold no face that matches yours' : `We hold ${n} face${n === 1 ? '' : 's'} that match${n === 1 ? 'es' : ''} yours`),
    h('p', { class: 'hint' }, `Answered ${formatDate(report.generatedAt)}. A face counts as yours only at a similarity score of `
      + `${formatScore(report.threshold.score)} or more: two different people score that high in about ${formatRate(report.threshold.falseMatchRate, false)} comparisons.`),
    n === 0 ? null : h('ol', { class: 'report-faces' }, ...report.faces.map((f) => h('li', { class: 'card' },
      h('dl', { class: 'facts' },
        h('dt', {}, 'Image'), h('dd', {}, f.image.url ?? f.image.path ?? '—'),
        f.image.pageUrl ? h('dt', {}, 'Page') : null, f.image.pageUrl ? h('dd', {}, f.image.pageUrl) : null,
        h('dt', {}, 'Source'), h('dd', {}, f.source.name, f.source.controller ? ` (${f.source.controller})` : ''),
        h('dt', {}, 'Legal basis'), h('dd', {}, legalBasisText(f.source.legalBasis),
          f.source.specialCategoryCondition ? h('span', { class: 'hint block' }, specialCategoryText(f.source.specialCategoryCondition)) : null),
        h('dt', {}, 'Collected'), h('dd', {}, formatDate(f.collectedAt)),
        h('dt', {}, 'Erased by'), h('dd', {}, formatDate(f.expiresAt)),
        h('dt', {}, 'Returned to'), h('dd', {}, f.recipients.length === 0 ? 'nobody'
          : f.recipients.map((r) => `${r.client} (${r.clientType}), ${formatDate(r.at)}`).join('; ')))))),
    h('h4', {}, 'Who received them'),
    report.recipients.length === 0 ? h('p', {}, 'No search by any client has returned these faces.')
      : h('ul', {}, ...report.recipients.map((r) => h('li', {},
        `${r.client} (${r.clientType}): ${r.searches} search(es) returned ${r.faces} of these faces, ${formatDate(r.firstAt)} to ${formatDate(r.lastAt)}`))),
    report.excluded.length === 0 ? null : h('p', {}, `${report.excluded.length} face(s) were left out as someone else's: `
      + report.excluded.map((e) => e.reason).join('; ')),
    h('p', {}, report.suppression.statement),
    h('p', { class: 'hint' }, `No face is kept longer than ${report.retentionCapDays} days. You may ask for erasure or object with the form above.`));
}
