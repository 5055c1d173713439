import { dot } from './lfw-embeddings.ts';

interface Person { name: string; vectors: Float32Array[] }

/**
 * Open-set 1:N on LFW: people with two or more photos alternate between enrolled (first photo in
 * the gallery, second as a mated probe) and not enrolled (second photo as a non-mated probe);
 * every single-photo person is a distractor in the gallery.
 */
export function identification(people: Person[]) {
  const gallery: Array<{ who: string; v: Float32Array }> = [];
  const mated: Array<{ who: string; v: Float32Array }> = [];
  const nonMated: Float32Array[] = [];
  let enrolled = 0;
  let distractors = 0;
  let toggle = false;
  for (const p of people) {
    if (p.vectors.length === 1) {
      gallery.push({ who: p.name, v: p.vectors[0]! });
      distractors++;
    } else if (p.vectors.length >= 2) {
      toggle = !toggle;
      if (toggle) {
        gallery.push({ who: p.name, v: p.vectors[0]! });
        mated.push({ who: p.name, v: p.vectors[1]! });
        enrolled++;
      } else {
        nonMated.push(p.vectors[1]!);
      }
    }
  }
  const best = (probe: Float32Array) => {
    let top = { who: '', score: -2 };
    for (const g of gallery) {
      const s = dot(probe, g.v);
      if (s > top.score) top = { who: g.who, score: s };
    }
    return top;
  };
  const matedTop = mated.map((m) => ({ ...best(m.v), truth: m.who }));
  const nonMatedTop = nonMated.map((v) => best(v).score).sort((a, b) => b - a);
  const threshold = nonMatedTop[Math.max(0, Math.floor(0.01 * nonMatedTop.length) - 1)]! + 1e-6;
  const rank1 = matedTop.filter((m) => m.who === m.truth).length / matedTop.length;
  const fnir = matedTop.filter((m) => m.who !== m.truth || m.score < threshold).length / matedTop.length;
  return { galleryFaces: gallery.length, enrolled, distractors, matedProbes: mated.length, nonMatedProbes: nonMated.length, rank1, fnirAtFpir01: fnir, thresholdAtFpir01: threshold };
}
