import { join } from 'node:path';

export interface LfwPair {
  fold: number;
  same: boolean;
  /** Image paths relative to the data set's `images/` folder. */
  a: string;
  b: string;
}

export function lfwImagePath(name: string, number: number): string {
  return join(name, `${name}_${String(number).padStart(4, '0')}.jpg`);
}

/**
 * Parses View 2's pairs.txt: a `folds n` header, then per fold n same-person lines
 * (`Name n1 n2`) followed by n different-person lines (`Name1 n1 Name2 n2`).
 */
export function parseLfwPairs(text: string): LfwPair[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const header = (lines.shift() ?? '').split(/\s+/).map(Number);
  const [folds, perSide] = header;
  if (!folds || !perSide || header.length !== 2) throw new Error(`pairs.txt: bad header "${header.join(' ')}"`);
  if (lines.length !== folds * perSide * 2) {
    throw new Error(`pairs.txt: expected ${folds * perSide * 2} pairs, found ${lines.length}`);
  }
  return lines.map((line, i) => {
    const fold = Math.floor(i / (2 * perSide));
    const same = i % (2 * perSide) < perSide;
    const f = line.split(/\s+/);
    if (same) {
      if (f.length !== 3) throw new Error(`pairs.txt line ${i + 2}: expected "Name n1 n2"`);
      const [name, n1, n2] = f as [string, string, string];
      return { fold, same, a: lfwImagePath(name, Number(n1)), b: lfwImagePath(name, Number(n2)) };
    }
    if (f.length !== 4) throw new Error(`pairs.txt line ${i + 2}: expected "Name1 n1 Name2 n2"`);
    const [name1, n1, name2, n2] = f as [string, string, string, string];
    return { fold, same, a: lfwImagePath(name1, Number(n1)), b: lfwImagePath(name2, Number(n2)) };
  });
}

/** The person an image path belongs to (its folder). */
export function lfwIdentity(path: string): string {
  return path.split(/[\\/]/)[0] ?? path;
}
