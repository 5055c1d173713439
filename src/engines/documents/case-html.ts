import type { CaseDocument, CaseRenderer } from '../../ports/case-renderer.ts';
import { caseSections } from './case-sections.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained HTML page: no script, no remote resource. */
export class HtmlCaseRenderer implements CaseRenderer {
  readonly contentType = 'text/html; charset=utf-8';

  async render(document: CaseDocument): Promise<Buffer> {
    const { title, sections, closing } = caseSections(document);
    const table = (rows: Array<[string, string]>) =>
      `<table>${rows.map(([label, value]) => `<tr><th scope="row">${escape(label)}</th><td>${escape(value)}</td></tr>`).join('')}</table>`;
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}th{text-align:left;vertical-align:top;padding-right:1rem;white-space:nowrap}td{word-break:break-all}</style>
</head><body>
<h1>${escape(title)}</h1>
${sections.map((s) => `<section><h2>${escape(s.heading)}</h2>${table(s.rows)}</section>`).join('\n')}
<footer><h2>Audit chain</h2>${table(closing)}</footer>
</body></html>
`;
    return Buffer.from(html, 'utf8');
  }
}
