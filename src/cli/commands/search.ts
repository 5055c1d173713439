import type { Command } from 'commander';
import { expectedStrangersInWords } from '../../domain/expected-false-matches.ts';
import { LikenessError } from '../../errors.ts';
import type { AccountableSearchResult, GroupSearchResult, PartialAnswer, ScoredCandidate } from '../../services/searches/search-results.ts';
import type { ProbeFace } from '../../services/search-service.ts';
import { formatScore, printJson } from '../output.ts';
import { localOperator } from '../operator.ts';
import { withLikeness } from '../session.ts';
import { parseFaceIndex, parseThreshold, parseTop } from './parse-options.ts';

interface SearchOptions {
  top?: string; threshold?: string; face?: string; faces?: string; faceId?: string; gallery?: string[]; json?: boolean; case?: string; purpose?: string;
}

export function registerSearch(program: Command): void {
  program.command('search [photos...]')
    .description('find the faces in the galleries that match the most prominent face of a photo; several photos of one person are searched as one probe')
    .option('--top <k>', 'how many candidates at most', undefined)
    .option('--threshold <t>', 'minimum cosine similarity (default: the lowest at which the policy\'s expected false matches hold over the faces searched)')
    .option('--face <n>', 'which face of the photo, 0 = largest (default: the most prominent)')
    .option('--faces <all>', 'all: search every face of the photo, each on its own')
    .option('--face-id <id>', 'search from a face already in a gallery instead of a photo')
    .option('--gallery <name...>', 'search only these galleries')
    .option('--case <number>', 'the case number this search serves (required by the default policy)')
    .option('--purpose <text>', 'why this search is made (required)')
    .option('--json', 'machine-readable output')
    .action(async (photos: string[], opts: SearchOptions, command: Command) => {
      const faceIndex = parseFaceIndex(opts.face);
      const request = {
        caseNumber: opts.case,
        purpose: opts.purpose,
        maxResults: parseTop(opts.top),
        threshold: parseThreshold(opts.threshold),
        faceIndex,
        galleries: opts.gallery,
      };
      const usage = (message: string) => new LikenessError('LIKENESS_USAGE', `${message}; see likeness search --help`);
      if (opts.faces !== undefined && opts.faces !== 'all') throw usage(`--faces must be "all", got "${opts.faces}"`);
      if (opts.faceId !== undefined && photos.length > 0) throw usage('give either photos or --face-id, not both');
      if (opts.faceId === undefined && photos.length === 0) throw usage('missing a photo to search with (or --face-id)');
      if (opts.faces === 'all' && (photos.length !== 1 || faceIndex !== undefined)) throw usage('--faces all takes exactly one photo and no --face');
      await withLikeness(command, async (likeness) => {
        const bytes = await Promise.all(photos.map((p) => likeness.imageFiles.read(p)));
        if (opts.faces === 'all') {
          const result = await likeness.searches.searchEveryFace(localOperator(), bytes[0]!, request);
          if (opts.json) printJson(groupJson(result));
          else printGroup(photos[0]!, result);
          return;
        }
        const probe = opts.faceId !== undefined ? { faceId: opts.faceId } : bytes.length === 1 ? bytes[0]! : bytes;
        const result = await likeness.searches.search(localOperator(), probe, request);
        if (opts.json) printJson(toJson(result));
        else printTable(opts.faceId !== undefined ? `face ${opts.faceId}` : photos.join(' + '), result);
      }, { indexes: 'view', engine: 'in-process', readOnly: true });
    });
}

function toJson(r: AccountableSearchResult) {
  return {
    searchId: r.searchId,
    probe: r.probe,
    ...(r.fusedFrom ? { fusedFrom: r.fusedFrom } : {}),
    searchedFaces: r.searchedFaces,
    ...partialJson(r),
    threshold: r.threshold,
    extrapolated: r.extrapolated,
    candidates: r.candidates.map(candidateJson),
  };
}

function partialJson(r: PartialAnswer): PartialAnswer {
  return r.partial ? { partial: true, missingShards: r.missingShards } : {};
}

function groupJson(r: GroupSearchResult) {
  return {
    searchedFaces: r.searchedFaces,
    ...partialJson(r),
    probes: r.probes.map((p) => ({
      face: p.face, searchId: p.searchId, ...partialJson(p), threshold: p.threshold, extrapolated: p.extrapolated, candidates: p.candidates.map(candidateJson),
    })),
  };
}

function candidateJson(c: ScoredCandidate) {
  const where = (image: ScoredCandidate['image']) => (image.url ? { url: image.url, pageUrl: image.pageUrl } : { path: image.path });
  return {
    faceId: c.faceId,
    score: c.score,
    falseMatchRate: c.falseMatchRate,
    expectedFalseMatches: c.expectedFalseMatches,
    extrapolated: c.extrapolated,
    box: c.box,
    image: where(c.image),
    source: c.source.name,
    legalBasis: c.source.legalBasis,
    collectedAt: c.image.collectedAt,
    alsoAt: c.alsoAt.map((d) => ({ faceId: d.faceId, image: where(d.image), source: d.source.name })),
  };
}

function printTable(probe: string, r: AccountableSearchResult): void {
  const faces = r.fusedFrom ?? [r.probe];
  console.log(`probe ${probe}: ${faces.map(describeFace).join('; ')}`);
  printCandidates(r.searchedFaces, r.threshold, r.candidates, r);
}

function printGroup(photo: string, r: GroupSearchResult): void {
  console.log(`${photo}: ${r.probes.length} face(s), each searched on its own`);
  for (const p of r.probes) {
    console.log(`\n${describeFace(p.face)}`);
    printCandidates(r.searchedFaces, p.threshold, p.candidates, p);
  }
}

function describeFace(face: ProbeFace): string {
  const { box } = face;
  const warnings = face.warnings.length > 0 ? ` (warnings: ${face.warnings.join(', ')})` : '';
  return `face ${face.faceIndex} of ${face.facesInImage} at ${box.x},${box.y} ${box.width}x${box.height}${warnings}`;
}

function printCandidates(searchedFaces: number, threshold: number, candidates: readonly ScoredCandidate[], answer: PartialAnswer): void {
  console.log(`${searchedFaces} faces searched, threshold ${threshold.toFixed(4)}`);
  if (answer.partial) {
    console.log(`partial answer: the shards ${answer.missingShards!.join(', ')} did not answer; their faces were not searched nor counted above`);
  }
  if (candidates.length === 0) {
    console.log(`no candidate at or above the threshold ${threshold.toFixed(4)}`);
    return;
  }
  candidates.forEach((c, i) => {
    const copies = c.alsoAt.length > 0 ? `, also at ${c.alsoAt.map((d) => d.image.url ?? d.image.path).join(', ')}` : '';
    console.log(`${String(i + 1).padStart(3)}  ${formatScore(c.score)}  ${c.image.url ?? c.image.path}  [source ${c.source.name}, face ${c.faceId}${copies}]`);
    console.log(`     ${expectedStrangersInWords(c.expectedFalseMatches)}${c.extrapolated ? ' (extrapolated beyond the measured rates)' : ''}`);
  });
}
