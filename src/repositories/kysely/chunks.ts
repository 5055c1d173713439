// SQLite caps bound parameters per statement (32,766) and PostgreSQL at 65,535: key and id lists
// go in slices well below both.
export const CHUNK = 500;

export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
