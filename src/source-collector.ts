import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CollectorConfig } from './config.ts';
import type { Source } from './domain/types.ts';
import { collectSite, collectUrlList, checkIdentity, identity, parseUrlList, type Identity, type SkipEvent } from './engines/collector/index.ts';
import type { CollectedImage, CollectionSummary } from './ports/collected-image.ts';
import { LikenessError } from './errors.ts';

/** The collector of a url-list or targeted-site source, with the manners the config gives it. */
export async function collectorFor(
  source: Source,
  config: CollectorConfig,
  options: { maxImageBytes: number; onSkip?: (event: SkipEvent) => void },
): Promise<AsyncGenerator<CollectedImage, CollectionSummary>> {
  const manners = {
    identity: identityOf(config),
    minIntervalMs: config.minIntervalMs,
    byteBudget: config.byteBudget,
    maxImageBytes: options.maxImageBytes,
    ...(options.onSkip ? { onSkip: options.onSkip } : {}),
  };
  if (source.kind === 'targeted-site') return collectSite(source.uri, { ...manners, pageBudget: config.pageBudget });
  if (source.kind === 'url-list') {
    const file = resolve(source.uri);
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `The URL list of source "${source.name}" cannot be read: ${file}`, { cause: error });
    });
    return collectUrlList(parseUrlList(text), manners);
  }
  throw new LikenessError('LIKENESS_SOURCE_INVALID', `Source "${source.name}" is a ${source.kind} source; nothing to collect`);
}

function identityOf(config: CollectorConfig): Identity {
  if (config.userAgent) return checkIdentity(config.userAgent);
  if (config.contactUrl) return identity(config.contactUrl);
  throw new LikenessError('LIKENESS_CONFIG_INVALID',
    'Collecting from the web needs collector.contactUrl in likeness.config.json: the collector tells every site who it is and where to object');
}
