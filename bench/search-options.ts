import { parseArgs } from 'node:util';
import type { Quantisation } from '../src/ports/vector-index.ts';
import { USEARCH_DEFAULTS } from '../src/engines/vector-index/usearch-index.ts';
import { POSTGRES_EF_SEARCH, expansionSearchGiven, parsePostgresTarget, type PostgresBenchTarget } from './postgres/postgres-options.ts';

export interface SearchBenchOptions {
  faces: number;
  dimension: number;
  quantisation: Quantisation;
  connectivity: number;
  expansionAdd: number;
  /** The first is the headline figure; the others are measured on the same build. */
  expansionSearch: number[];
  /** Re-rank k x this many candidates with exact cosines; 0 for none. */
  rerank: number;
  queries: number;
  groundTruthQueries: number;
  threads: number;
  seed: number;
  effectiveDimension: number;
  tag: string | undefined;
  indexDir: string | undefined;
  /** Build once and keep the index here; a later run with the same file skips the build. */
  indexFile: string | undefined;
  /** With indexFile: vectors between the build's checkpoints, from which a later run resumes (bench/resumable-build.ts). */
  checkpointEvery: number;
  /** Look up every added vector and re-insert the stranded ones (UsearchIndex repairAdds). */
  repair: boolean;
  /** PostgreSQL + pgvector instead of the embedded index (bench/search-postgres.ts). */
  postgres: PostgresBenchTarget | undefined;
}

const USAGE = `npm run bench:search -- --faces N [--dim 512] [--quant i8|f16|f32] [--queries Q]
  [--connectivity M] [--expansion-add E] [--expansion-search S[,S2,...]] [--rerank M]
  [--gt-queries G] [--threads T] [--seed X] [--effective-dim D] [--tag NAME] [--index-dir DIR | --index-file FILE [--checkpoint-every N]] [--no-repair]
  [--store postgres://... | --shards postgres://COORD,postgres://SHARD1,... | --start-clusters 1|4]`;

export function parseSearchBenchOptions(argv: string[]): SearchBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      faces: { type: 'string' },
      dim: { type: 'string', default: '512' },
      quant: { type: 'string', default: USEARCH_DEFAULTS.quantisation },
      queries: { type: 'string', default: '2000' },
      'gt-queries': { type: 'string', default: '500' },
      connectivity: { type: 'string', default: String(USEARCH_DEFAULTS.connectivity) },
      'expansion-add': { type: 'string', default: String(USEARCH_DEFAULTS.expansionAdd) },
      'expansion-search': { type: 'string', default: String(USEARCH_DEFAULTS.expansionSearch) },
      rerank: { type: 'string', default: '0' },
      threads: { type: 'string', default: '2' },
      seed: { type: 'string', default: '42' },
      'effective-dim': { type: 'string', default: '100' },
      tag: { type: 'string' },
      'index-dir': { type: 'string' },
      'index-file': { type: 'string' },
      'checkpoint-every': { type: 'string', default: '500000' },
      'no-repair': { type: 'boolean', default: false },
      store: { type: 'string' },
      shards: { type: 'string' },
      'start-clusters': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, text: string | undefined, min = 1): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}`);
    return n;
  };
  if (values.help || values.faces === undefined) fail('');
  const quantisation = values.quant as Quantisation;
  if (!['i8', 'f16', 'f32'].includes(quantisation)) fail('--quant must be i8, f16 or f32');
  const queries = int('queries', values.queries);
  let postgres: PostgresBenchTarget | undefined;
  try {
    postgres = parsePostgresTarget(values);
  } catch (error) {
    fail((error as Error).message);
  }
  if (postgres && !expansionSearchGiven(argv)) values['expansion-search'] = POSTGRES_EF_SEARCH.join(',');
  return {
    faces: int('faces', values.faces),
    dimension: int('dim', values.dim),
    quantisation,
    connectivity: int('connectivity', values.connectivity, 2),
    expansionAdd: int('expansion-add', values['expansion-add']),
    expansionSearch: values['expansion-search'].split(',').map((s) => int('expansion-search', s)),
    rerank: Number(values.rerank),
    queries,
    groundTruthQueries: Math.min(queries, int('gt-queries', values['gt-queries'])),
    threads: int('threads', values.threads),
    seed: int('seed', values.seed, 0),
    effectiveDimension: int('effective-dim', values['effective-dim']),
    tag: values.tag,
    indexDir: values['index-dir'],
    indexFile: values['index-file'],
    checkpointEvery: int('checkpoint-every', values['checkpoint-every']),
    repair: !values['no-repair'],
    postgres,
  };
}

function fail(message: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(message ? 2 : 0);
}
