import type { Command } from 'commander';
import { DEFAULT_GALLERY } from '../../services/catalogue-service.ts';
import { withLikeness } from '../session.ts';

export function registerInit(program: Command): void {
  program.command('init')
    .description('create the data directory and its store')
    .action(async (_opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        await likeness.catalogue.ensureGallery(DEFAULT_GALLERY);
        console.log(`initialised ${likeness.config.dataDir}`);
      }, { create: true });
    });
}
