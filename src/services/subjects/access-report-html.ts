import type { AccessReport } from './access-report.ts';

const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const day = (iso: string): string => iso.slice(0, 10);

/** The report's only style; the page's Content-Security-Policy allows exactly this text, by its hash. */
export const REPORT_STYLE = `
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111 }
  table { border-collapse: collapse; width: 100% } th, td { border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top }
  th { background: #eee } small { color: #555 } a { color: inherit; word-break: break-all }
  @media print { body { margin: 0 } a { text-decoration: none } tr { break-inside: avoid } }
`;

/** The access report as a page a person can read and print; it loads nothing from elsewhere. */
export function accessReportHtml(report: AccessReport): string {
  const faces = report.faces.map((f, i) => `
    <tr>
      <td>${i + 1}</td>
      <td>${f.image.url ? `<a href="${esc(f.image.url)}">${esc(f.image.url)}</a>` : esc(f.image.path)}${f.image.pageUrl ? `<br>page: <a href="${esc(f.image.pageUrl)}">${esc(f.image.pageUrl)}</a>` : ''}</td>
      <td>${esc(f.source.name)}<br><small>${esc(f.source.controller ?? '')}</small></td>
      <td>${esc(f.source.legalBasis)}${f.source.specialCategoryCondition ? `<br><small>Art. 9: ${esc(f.source.specialCategoryCondition)}</small>` : ''}</td>
      <td>${day(f.collectedAt)}</td>
      <td>${day(f.expiresAt)}</td>
      <td>${f.recipients.length === 0 ? 'none' : f.recipients.map((r) => `${esc(r.client)} (${esc(r.clientType)}), ${day(r.at)}`).join('<br>')}</td>
    </tr>`).join('');
  const recipients = report.recipients.map((r) => `<li>${esc(r.client)} (${esc(r.clientType)}): ${r.searches} search(es) returned ${r.faces} of these faces, ${day(r.firstAt)} to ${day(r.lastAt)}</li>`).join('');
  const excluded = report.excluded.map((e) => `<li>one face left out: ${esc(e.reason)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>likeness: your access report</title>
<style>${REPORT_STYLE}</style></head>
<body>
<h1>Your access report</h1>
<p>Request ${esc(report.requestId)}, received ${day(report.receivedAt)}, answered ${day(report.generatedAt)} (due ${day(report.dueAt)}).</p>
<p>We compared your selfie with every face we hold, counting a face as yours only at a similarity of
${esc(report.threshold.score.toFixed(3))} or more, where two different people score that high about ${esc(report.threshold.falseMatchRate.toExponential(0))} of the time.</p>
<h2>${report.faces.length === 0 ? 'We hold no face that matches yours' : `${report.faces.length} face(s) that match yours`}</h2>
${report.faces.length === 0 ? '' : `<table><thead><tr><th>#</th><th>Image</th><th>Source</th><th>Legal basis</th><th>Collected</th><th>Erased by</th><th>Returned to</th></tr></thead><tbody>${faces}</tbody></table>`}
<h2>Who received them</h2>
${recipients ? `<ul>${recipients}</ul>` : '<p>No search by any client has returned these faces.</p>'}
${excluded ? `<h2>Faces left out</h2><ul>${excluded}</ul>` : ''}
<h2>Suppression list</h2>
<p>${esc(report.suppression.statement)}</p>
<h2>Your rights</h2>
<p>Every face is erased at the latest on the date shown, and never kept more than ${report.retentionCapDays} days. You may ask for erasure,
or object, and we will erase these faces and keep them out of likeness. You may complain to your data protection authority.</p>
</body></html>
`;
}
