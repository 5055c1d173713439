import { fuseTemplates } from '../../src/services/searches/fuse-templates.ts';

export interface OpenSetPerson { name: string; vectors: Float32Array[] }

interface Searches { mated: Array<{ mate: number; bestOther: number }>; nonMatedTop: number[] }

/**
 * Open-set identification at gallery scale: photo 1 of every person in one gallery (people with
 * two or more photos are enrolled, single-photo people are distractors). A mated search is a
 * probe of an enrolled person; the non-mated search is the same probe with its person's photo
 * taken out of the gallery, so every probe is also a stranger to a gallery of the same size.
 * One-photo probes: photo 2. Two-photo probes: photos 2 and 3 fused (people with three or more),
 * with the one-photo figure on the same people beside it.
 * FNIR: share of mated searches whose person is not first at or above the threshold; FPIR: share
 * of non-mated searches with any candidate at or above it. A gallery photo `samePerson` says is the
 * probe's person under another name is neither a stranger of its non-mated search nor a rival of
 * its mated one.
 */
export function openSetIdentification(people: readonly OpenSetPerson[], samePerson: (a: string, b: string) => boolean = () => false) {
  const inGallery = people.filter((p) => p.vectors.length > 0);
  const gallery = inGallery.map((p) => p.vectors[0]!);
  const index = new Map(inGallery.map((p, i) => [p.name, i]));
  const enrolled = inGallery.filter((p) => p.vectors.length >= 2);
  const search = (probes: Array<{ name: string; v: Float32Array }>): Searches => {
    const mated: Searches['mated'] = [];
    const nonMatedTop: number[] = [];
    for (const probe of probes) {
      const own = index.get(probe.name)!;
      let bestOther = -2;
      let mate = -2;
      for (let g = 0; g < gallery.length; g++) {
        const s = dot(probe.v, gallery[g]!);
        if (g === own) mate = s;
        else if (s > bestOther && !samePerson(probe.name, inGallery[g]!.name)) bestOther = s;
      }
      mated.push({ mate, bestOther });
      nonMatedTop.push(bestOther);
    }
    return { mated, nonMatedTop };
  };
  const one = search(enrolled.map((p) => ({ name: p.name, v: p.vectors[1]! })));
  const three = enrolled.filter((p) => p.vectors.length >= 3);
  const oneOfThree = search(three.map((p) => ({ name: p.name, v: p.vectors[1]! })));
  const two = search(three.map((p) => ({ name: p.name, v: fuseTemplates([p.vectors[1]!, p.vectors[2]!]) })));
  return {
    galleryFaces: gallery.length,
    enrolled: enrolled.length,
    distractors: gallery.length - enrolled.length,
    onePhoto: figures(one),
    onePhotoOfPeopleWithThree: figures(oneOfThree),
    twoPhotos: figures(two),
  };
}

function figures({ mated, nonMatedTop }: Searches) {
  const at = (fpir: number) => {
    const tops = [...nonMatedTop].sort((a, b) => b - a);
    const allowed = Math.floor(fpir * tops.length);
    const threshold = allowed < tops.length ? tops[allowed]! + 1e-9 : -1;
    const misses = mated.filter((m) => m.mate < threshold || m.mate <= m.bestOther).length;
    return { threshold, fnir: misses / mated.length, fpir: tops.filter((t) => t >= threshold).length / tops.length };
  };
  return {
    searches: mated.length,
    rank1: mated.filter((m) => m.mate > m.bestOther).length / mated.length,
    atFpir01: at(0.01),
    atFpir001: at(0.001),
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * LFW names some people twice, with their names' parts in another order (Choi_Sung-hong and
 * Sung_Hong_Choi): the same words, whatever their order, case or hyphens, are one person.
 */
export function sameNameReordered(a: string, b: string): boolean {
  return a !== b && nameWords(a) === nameWords(b);
}

function nameWords(name: string): string {
  return name.toLowerCase().split(/[_-]+/).sort().join(' ');
}

/** The pairs of names `sameNameReordered` joins, for the report. */
export function reorderedNamePairs(names: readonly string[]): Array<[string, string]> {
  const byWords = new Map<string, string[]>();
  for (const name of names) byWords.set(nameWords(name), [...(byWords.get(nameWords(name)) ?? []), name]);
  return [...byWords.values()].filter((n) => n.length === 2).map(([a, b]) => [a!, b!]);
}
