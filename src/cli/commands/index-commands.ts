import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
import type { Likeness } from '../../composition.ts';
import { withLikeness } from '../session.ts';

async function selectGalleries(likeness: Likeness, name?: string) {
  const all = await likeness.catalogue.listGalleries();
  const galleries = name ? all.filter((g) => g.name === name) : all;
  if (name && galleries.length === 0) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${name}"`);
  return galleries;
}

export function registerIndex(program: Command): void {
  const index = program.command('index').description('the vector indexes beside the store');

  index.command('rebuild')
    .description('rebuild the vector index of every gallery (or one) from the embeddings in the store')
    .option('--gallery <name>', 'only this gallery')
    .action(async (opts: { gallery?: string }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const galleries = await selectGalleries(likeness, opts.gallery);
        const indexes = await likeness.indexes();
        for (const g of galleries) {
          const started = Date.now();
          const size = await indexes.rebuild(g.id);
          console.log(`gallery ${g.name}: ${size} faces indexed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      });
    });

  index.command('compact')
    .description('rewrite indexes without removed faces and checkpoint the store, so their bytes leave the disk')
    .option('--gallery <name>', 'only this gallery')
    .action(async (opts: { gallery?: string }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const indexes = await likeness.indexes();
        for (const g of await selectGalleries(likeness, opts.gallery)) {
          const started = Date.now();
          const size = await indexes.compact(g.id);
          console.log(`gallery ${g.name}: compacted to ${size} faces in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      });
    });
}
