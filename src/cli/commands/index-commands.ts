import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
import { withLikeness } from '../session.ts';

export function registerIndex(program: Command): void {
  const index = program.command('index').description('the vector indexes beside the store');

  index.command('rebuild')
    .description('rebuild the vector index of every gallery (or one) from the embeddings in the store')
    .option('--gallery <name>', 'only this gallery')
    .action(async (opts: { gallery?: string }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const all = await likeness.catalogue.listGalleries();
        const galleries = opts.gallery ? all.filter((g) => g.name === opts.gallery) : all;
        if (opts.gallery && galleries.length === 0) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${opts.gallery}"`);
        const indexes = await likeness.indexes();
        for (const g of galleries) {
          const started = Date.now();
          const size = await indexes.rebuild(g.id);
          console.log(`gallery ${g.name}: ${size} faces indexed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      });
    });
}
