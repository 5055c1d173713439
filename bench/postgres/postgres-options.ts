// The PostgreSQL variant of bench:search: where the faces go. One of
//   --store URL                      one node, an empty database of your own
//   --shards COORD,SHARD1,...        a coordinator and its shards (databases of your own)
//   --start-clusters 1|4             throwaway durable clusters started and stopped by the run:
//                                    1 = one node, 4 = a coordinator and 3 shards
export interface PostgresBenchTarget {
  /** One node, or the coordinator when `shards` is not empty. */
  url: string | undefined;
  shards: string[];
  /** Clusters to start (1 or 4); when set, `url` and `shards` are filled in once they are up. */
  startClusters: number | undefined;
  /** After search-postgres-N in the results file name: empty for one node, `-shardsN` for N shards. */
  suffix: string;
}

/** hnsw.ef_search values measured when --expansion-search is not given. */
export const POSTGRES_EF_SEARCH = [40, 100, 200];

export function parsePostgresTarget(values: { store?: string; shards?: string; 'start-clusters'?: string }): PostgresBenchTarget | undefined {
  const given = [values.store, values.shards, values['start-clusters']].filter((v) => v !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new Error('give one of --store, --shards and --start-clusters');
  if (values['start-clusters'] !== undefined) {
    const n = Number(values['start-clusters']);
    if (n !== 1 && n !== 4) throw new Error('--start-clusters takes 1 (one node) or 4 (a coordinator and 3 shards)');
    return { url: undefined, shards: [], startClusters: n, suffix: n === 1 ? '' : `-shards${n - 1}` };
  }
  if (values.shards !== undefined) {
    const urls = values.shards.split(',').map((u) => u.trim()).filter(Boolean);
    if (urls.length < 2) throw new Error('--shards takes the coordinator URL, then one URL per shard');
    urls.forEach(checkUrl);
    return { url: urls[0], shards: urls.slice(1), startClusters: undefined, suffix: `-shards${urls.length - 1}` };
  }
  checkUrl(values.store!);
  return { url: values.store, shards: [], startClusters: undefined, suffix: '' };
}

/** --expansion-search always has a value (the embedded index's default); PostgreSQL gets its own sweep unless it was given. */
export function expansionSearchGiven(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--expansion-search' || a.startsWith('--expansion-search='));
}

function checkUrl(url: string): void {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`not a PostgreSQL URL: ${url}`);
}
