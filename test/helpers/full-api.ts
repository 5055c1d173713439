import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildLikeness, type Likeness } from '../../src/composition.ts';
import { loadConfig, PROJECT_ROOT } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { directoryImageFinder } from '../../src/repositories/files/directory-image-finder.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';

export interface FullApi {
  app: FastifyInstance;
  likeness: Likeness;
  /** Issues a `Bearer` key to a new user of client "newsroom", which is granted the default gallery. */
  keyFor(name: string, roles: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * The API as `likeness serve` builds it (every route, the subject-rights ones included) over a
 * fresh data directory with the real face engine and models. With `people`, a directory source over their
 * photos from samples/gallery is declared and ingested first.
 */
export async function fullApi(people: readonly string[] = []): Promise<FullApi> {
  // Removed by close(): the API is usually made in a before() hook, which a tempDir() would not outlive.
  const root = mkdtempSync(join(tmpdir(), 'likeness-full-api-'));
  const likeness = await buildLikeness(loadConfig({ dataDir: join(root, 'data'), env: { LIKENESS_WORKERS: '1' } }), { create: true, overrides: { fmrTable: PLACEHOLDER_FMR_TABLE } });
  await likeness.catalogue.ensureGallery('default');
  if (people.length > 0) {
    const photos = join(root, 'photos');
    for (const person of people) {
      mkdirSync(join(photos, person), { recursive: true });
      cpSync(join(PROJECT_ROOT, 'samples', 'gallery', person), join(photos, person), { recursive: true });
    }
    await likeness.catalogue.declareSource({
      name: 'press', kind: 'directory', uri: photos, legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30,
      specialCategoryCondition: 'substantial-public-interest',
    });
    await (await likeness.ingest()).ingest(await directoryImageFinder.list(photos), 'press', { actor: { actor: 'local:test', client: null } });
  }
  const services = likeness;
  await services.accounts.addClient({ name: 'newsroom', type: 'ngo', jurisdiction: 'FR' }, 'test');
  await services.accounts.grantGallery('newsroom', 'default', 'test');
  const app = await buildApp(services, { limits: { maxImageBytes: likeness.config.limits.maxImageBytes, maxFiles: 5 } });
  return {
    app, likeness,
    keyFor: async (name, roles) => (await services.accounts.addUser({ name, client: 'newsroom', roles }, 'test')).key,
    close: async () => {
      await app.close();
      await likeness.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

