import type { Command } from 'commander';
import type { AccountableSearchResult } from '../../services/searches/accountable-search-service.ts';
import { formatScore, printJson } from '../output.ts';
import { localOperator } from '../operator.ts';
import { withLikeness } from '../session.ts';
import { parseFaceIndex, parseThreshold, parseTop } from './parse-options.ts';

interface SearchOptions { top?: string; threshold?: string; face?: string; gallery?: string[]; json?: boolean; case?: string; purpose?: string }

export function registerSearch(program: Command): void {
  program.command('search <photo>')
    .description('find the faces in the galleries that match the largest face of a photo')
    .option('--top <k>', 'how many candidates at most', undefined)
    .option('--threshold <t>', 'minimum cosine similarity (default: the calibrated threshold)')
    .option('--face <n>', 'which face of the photo, 0 = largest', '0')
    .option('--gallery <name...>', 'search only these galleries')
    .option('--case <number>', 'the case number this search serves (required by the default policy)')
    .option('--purpose <text>', 'why this search is made (required)')
    .option('--json', 'machine-readable output')
    .action(async (photo: string, opts: SearchOptions, command: Command) => {
      const request = {
        caseNumber: opts.case,
        purpose: opts.purpose,
        maxResults: parseTop(opts.top),
        threshold: parseThreshold(opts.threshold),
        faceIndex: parseFaceIndex(opts.face),
        galleries: opts.gallery,
      };
      await withLikeness(command, async (likeness) => {
        const bytes = await likeness.imageFiles.read(photo);
        const result = await likeness.searches.search(localOperator(), bytes, request);
        if (opts.json) printJson(toJson(result));
        else printTable(photo, result);
      }, { indexes: 'view', engine: 'in-process' });
    });
}

function toJson(r: AccountableSearchResult) {
  return {
    searchId: r.searchId,
    probe: r.probe,
    threshold: r.threshold,
    candidates: r.candidates.map((c) => ({
      faceId: c.faceId,
      score: c.score,
      falseMatchRate: c.falseMatchRate,
      box: c.box,
      image: c.image.url ? { url: c.image.url, pageUrl: c.image.pageUrl } : { path: c.image.path },
      source: c.source.name,
      legalBasis: c.source.legalBasis,
      collectedAt: c.image.collectedAt,
    })),
  };
}

function printTable(photo: string, r: AccountableSearchResult): void {
  const { box } = r.probe;
  console.log(`probe ${photo}: face ${r.probe.faceIndex} of ${r.probe.facesInImage} at ${box.x},${box.y} ${box.width}x${box.height}`);
  if (r.candidates.length === 0) {
    console.log(`no candidate at or above the threshold ${r.threshold}`);
    return;
  }
  r.candidates.forEach((c, i) => {
    console.log(`${String(i + 1).padStart(3)}  ${formatScore(c.score)}  ${c.image.url ?? c.image.path}  [source ${c.source.name}, face ${c.faceId}]`);
  });
}
