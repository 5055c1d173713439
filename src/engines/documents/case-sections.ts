import type { CaseDocument } from '../../ports/case-renderer.ts';

export interface Section {
  heading: string;
  /** Label and value pairs; a label of '' continues the previous one. */
  rows: Array<[string, string]>;
}

const fmr = (rate: number, upperBound: boolean) => `${upperBound ? '<= ' : ''}${rate.toExponential(1)}`;

/** The content of an exported case file, the same for every format: each renderer only lays it out. */
export function caseSections(document: CaseDocument): { title: string; sections: Section[]; closing: Array<[string, string]> } {
  const { file } = document;
  const sections: Section[] = [{
    heading: 'Case',
    rows: [
      ['Case number', file.caseNumber],
      ['Client', file.clientId ?? 'every client (local operator)'],
      ['Exported at', document.exportedAt],
      ['Exported by', document.exportedBy],
      ['Searches', String(file.searches.length)],
      ['Watches', String(file.watches.length)],
    ],
  }];
  for (const [i, search] of file.searches.entries()) {
    const rows: Array<[string, string]> = [
      ['Search id', search.id],
      ['At', search.at],
      ['By', `${search.user.name} (${search.user.id})`],
      ['Purpose', search.purpose],
      ['Galleries', search.galleries.join(', ')],
      ['Probe SHA-256', search.probeSha256],
      ['Threshold', search.threshold.toFixed(3)],
      ['Candidates', search.candidates.length === 0 ? 'none at or above the threshold' : String(search.candidates.length)],
    ];
    const searched = (search as { searchedFaces?: unknown }).searchedFaces;
    if (searched !== undefined) rows.push(['Searched faces', JSON.stringify(searched)]);
    for (const [n, c] of search.candidates.entries()) {
      const where = c.provenance
        ? [c.provenance.source, c.provenance.pageUrl && `page ${c.provenance.pageUrl}`, c.provenance.imageUrl && `image ${c.provenance.imageUrl}`,
          !c.provenance.imageUrl && c.provenance.path && `file ${c.provenance.path}`, `collected ${c.provenance.collectedAt}`].filter(Boolean).join('; ')
        : 'erased since the search';
      rows.push([`Candidate ${n + 1}`, `face ${c.faceId}, score ${c.score.toFixed(4)}, false-match rate ${fmr(c.falseMatchRate, c.falseMatchRateIsUpperBound)}`]);
      rows.push(['', `provenance: ${where}`]);
      rows.push(['', c.review ? `review: ${c.review.disposition} by ${c.review.user.name} at ${c.review.at}: ${c.review.reason}` : 'review: not reviewed']);
    }
    const superseded = search.reviews.filter((r) => !search.candidates.some((c) => c.review?.id === r.id));
    for (const r of superseded) rows.push(['Earlier review', `face ${r.faceId}: ${r.disposition} by ${r.user.name} at ${r.at}: ${r.reason}`]);
    sections.push({ heading: `Search ${i + 1}`, rows });
  }
  for (const [i, watch] of file.watches.entries()) {
    const rows: Array<[string, string]> = [
      ['Watch id', watch.id],
      ['Status', watch.expired ? `${watch.status}, expired` : watch.status],
      ['Filed', `${watch.createdAt} by ${watch.user.name} (${watch.user.id})`],
      ['Approved', watch.approvedByUser ? `${watch.approvedAt} by ${watch.approvedByUser.name} (${watch.approvedByUser.id})` : 'not approved'],
      ['Expires', watch.expiresAt],
      ['Purpose', watch.purpose],
      ['Threshold', watch.threshold.toFixed(3)],
      ...watch.probeSha256.map((sha, n): [string, string] => [`Probe ${n + 1} SHA-256`, sha]),
      ['Webhook', watch.webhookUrl ?? 'none'],
      ['Hits', String(watch.hits.length)],
    ];
    for (const [n, h] of watch.hits.entries()) {
      const where = [h.provenance.source, h.provenance.pageUrl && `page ${h.provenance.pageUrl}`, h.provenance.imageUrl && `image ${h.provenance.imageUrl}`,
        !h.provenance.imageUrl && h.provenance.path && `file ${h.provenance.path}`].filter(Boolean).join('; ');
      rows.push([`Hit ${n + 1}`, `${h.at}: face ${h.faceId}, score ${h.score.toFixed(4)}, false-match rate ${h.falseMatchRate.toExponential(1)}; ${where}`]);
    }
    sections.push({ heading: `Watch ${i + 1}`, rows });
  }
  const closing: Array<[string, string]> = document.auditHead
    ? [['Audit chain head at export', `entry ${document.auditHead.seq}`], ['Head hash', document.auditHead.hash]]
    : [['Audit chain head at export', 'the chain is empty']];
  return { title: `Case file ${file.caseNumber}`, sections, closing };
}
