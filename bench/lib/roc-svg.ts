import type { RocPoint } from '../../src/engines/face/verification-metrics.ts';

const W = 640;
const H = 440;
const M = { left: 64, right: 20, top: 36, bottom: 52 };

/**
 * ROC curve with a logarithmic FAR axis, as face verification is judged at low FARs; a linear
 * axis would crush everything interesting into the left edge.
 */
export function rocSvg(curve: readonly RocPoint[], options: { title: string; minFar: number }): string {
  const decades = Math.ceil(-Math.log10(options.minFar));
  const minFar = 10 ** -decades;
  const visible = curve.filter((p) => p.far >= minFar);
  const lowest = Math.min(...visible.map((p) => p.tar), 1);
  const minTar = Math.max(0, Math.floor(lowest * 10) / 10);
  const x = (far: number) => M.left + ((Math.log10(Math.max(far, minFar)) + decades) / decades) * (W - M.left - M.right);
  const y = (tar: number) => H - M.bottom - ((tar - minTar) / (1 - minTar)) * (H - M.top - M.bottom);

  // A step plot: between operating points the TAR holds until the next impostor is accepted.
  const path: string[] = [];
  let last: RocPoint | undefined;
  for (const p of curve) {
    if (p.far < minFar) {
      last = p;
      continue;
    }
    if (path.length === 0) path.push(`M${x(minFar).toFixed(1)},${y(last?.tar ?? p.tar).toFixed(1)}`);
    path.push(`H${x(p.far).toFixed(1)}`, `V${y(p.tar).toFixed(1)}`);
    last = p;
  }

  const grid: string[] = [];
  for (let d = 0; d <= decades; d++) {
    const far = 10 ** (d - decades);
    const gx = x(far).toFixed(1);
    grid.push(`<line x1="${gx}" y1="${M.top}" x2="${gx}" y2="${H - M.bottom}" class="grid"/>`);
    grid.push(`<text x="${gx}" y="${H - M.bottom + 18}" text-anchor="middle">1e${d - decades}</text>`);
  }
  for (let t = minTar; t <= 1.0001; t += (1 - minTar) / 5) {
    const gy = y(t).toFixed(1);
    grid.push(`<line x1="${M.left}" y1="${gy}" x2="${W - M.right}" y2="${gy}" class="grid"/>`);
    grid.push(`<text x="${M.left - 8}" y="${gy}" text-anchor="end" dominant-baseline="middle">${t.toFixed(2)}</text>`);
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<style>.grid{stroke:#ddd;stroke-width:1}.curve{fill:none;stroke:#1f5fbf;stroke-width:2}</style>
<rect width="${W}" height="${H}" fill="#fff"/>
${grid.join('\n')}
<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>
<path class="curve" d="${path.join('')}"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>
<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">false accept rate (log scale)</text>
<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">true accept rate</text>
</svg>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
