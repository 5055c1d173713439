import type { CaseDocument, CaseRenderer } from '../../ports/case-renderer.ts';
import { caseSections } from './case-sections.ts';

const LABEL_WIDTH = 130;

/** A PDF in the standard Helvetica fonts (no font file to ship), A4, text selectable. */
export class PdfCaseRenderer implements CaseRenderer {
  readonly contentType = 'application/pdf';

  async render(document: CaseDocument): Promise<Buffer> {
    const { title, sections, closing } = caseSections(document);
    // Loaded with the first export: pdfkit and its font machinery take longer to load than a one-shot search takes to run.
    const { default: PDFDocument } = await import('pdfkit');
    const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Producer: 'likeness', Creator: 'likeness' } });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      pdf.on('end', () => resolve(Buffer.concat(chunks)));
      pdf.on('error', reject);
    });
    const valueWidth = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right - LABEL_WIDTH;
    const rows = (list: Array<[string, string]>) => {
      for (const [label, value] of list) {
        const y = pdf.y;
        if (y > pdf.page.height - pdf.page.margins.bottom - 30) pdf.addPage();
        const top = pdf.y;
        pdf.font('Helvetica-Bold').fontSize(9).text(label, pdf.page.margins.left, top, { width: LABEL_WIDTH - 10 });
        const afterLabel = pdf.y;
        pdf.font('Helvetica').fontSize(9).text(value, pdf.page.margins.left + LABEL_WIDTH, top, { width: valueWidth });
        pdf.y = Math.max(pdf.y, afterLabel);
      }
    };
    pdf.font('Helvetica-Bold').fontSize(16).text(title);
    for (const section of sections) {
      pdf.moveDown(0.8);
      pdf.font('Helvetica-Bold').fontSize(12).text(section.heading, pdf.page.margins.left);
      pdf.moveDown(0.3);
      rows(section.rows);
    }
    pdf.moveDown(0.8);
    pdf.font('Helvetica-Bold').fontSize(12).text('Audit chain', pdf.page.margins.left);
    pdf.moveDown(0.3);
    rows(closing);
    pdf.end();
    return done;
  }
}
