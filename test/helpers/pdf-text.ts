import { inflateSync } from 'node:zlib';

/**
 * The text shown by a PDF's pages, one string per text operation, as far as a test needs it: the
 * content streams are inflated (FlateDecode) and the hex and literal strings of each Tj/TJ are
 * joined. Enough for PDFs written in the standard fonts, whose codes are single bytes.
 */
export function pdfText(pdf: Buffer): string[] {
  const lines: string[] = [];
  const latin = pdf.toString('latin1');
  const streams = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let match = streams.exec(latin); match; match = streams.exec(latin)) {
    const start = match.index + match[0].length;
    const end = latin.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    let content: string;
    try {
      content = (/FlateDecode/.test(match[1]!) ? inflateSync(raw) : raw).toString('latin1');
    } catch {
      continue;
    }
    for (const op of content.matchAll(/(\[[^\]]*\]|<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\))\s*T[Jj]/g)) {
      let text = '';
      for (const part of op[1]!.matchAll(/<([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\)/g)) {
        text += part[1] !== undefined ? Buffer.from(part[1], 'hex').toString('latin1') : part[2]!.replace(/\\(.)/g, '$1');
      }
      lines.push(text);
    }
  }
  return lines;
}
