import type { CollectedImage, CollectionSummary } from '../../ports/collected-image.ts';
import type { IngestOptions, IngestService, IngestSummary } from '../ingest-service.ts';
import type { ImageFile } from '../../ports/image-files.ts';

export interface CollectedIngestion {
  summary: IngestSummary;
  collection: CollectionSummary;
}

/**
 * Hands what a collector fetches to ingestion a batch at a time, so a crawl holds at most one
 * batch of images in memory and each batch is committed before the next is fetched. Each
 * image keeps its URL and the page it was found on.
 */
export async function ingestCollected(
  images: AsyncGenerator<CollectedImage, CollectionSummary>,
  ingest: IngestService,
  sourceName: string,
  options: Omit<IngestOptions, 'onProgress'> & { batchSize?: number },
): Promise<CollectedIngestion> {
  const batchSize = options.batchSize ?? 16;
  let summary: IngestSummary | undefined;
  let batch: ImageFile[] = [];
  const flush = async () => {
    if (batch.length === 0 && summary) return;
    const done = await ingest.ingest(batch, sourceName, options);
    summary = summary ? merge(summary, done) : done;
    batch = [];
  };
  for (;;) {
    const next = await images.next();
    if (next.done) {
      await flush();
      return { summary: summary!, collection: next.value };
    }
    const image = next.value;
    batch.push({ path: image.imageUrl, url: image.imageUrl, pageUrl: image.pageUrl, read: async () => image.bytes });
    if (batch.length >= batchSize) await flush();
  }
}

const COUNTS = ['total', 'done', 'ingested', 'skipped', 'failed', 'faces', 'refusedImages', 'refusedFaces', 'withoutFace', 'seconds'] as const;

export function merge(a: IngestSummary, b: IngestSummary): IngestSummary {
  const sum = Object.fromEntries(COUNTS.map((k) => [k, a[k] + b[k]])) as Pick<IngestSummary, (typeof COUNTS)[number]>;
  const refusalsByRule = { ...a.refusalsByRule };
  for (const [rule, n] of Object.entries(b.refusalsByRule)) refusalsByRule[rule] = (refusalsByRule[rule] ?? 0) + n;
  return { ...sum, refusalsByRule, failures: [...a.failures, ...b.failures] };
}
