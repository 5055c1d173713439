import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
import { printJson } from '../output.ts';
import { cliActor, localOperator } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerFace(program: Command): void {
  const face = program.command('face').description('single faces in the galleries');

  face.command('show <id>')
    .description('a face with its box, quality, model and expiry')
    .action(async (id: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => printJson(await (await likeness.faceRecords()).get(id)), { readOnly: true });
    });

  face.command('delete [id...]')
    .description('erase faces, by id or every face collected from a page or an image URL: gone from search at once, recorded in the erasure ledger, gone from disk at compaction')
    .option('--page-url <url>', 'every face collected from this page (a takedown request)')
    .option('--image-url <url>', 'every face of the image at this URL')
    .action(async (ids: string[], opts: { pageUrl?: string; imageUrl?: string }, command: Command) => {
      const byOrigin = opts.pageUrl !== undefined || opts.imageUrl !== undefined;
      if (byOrigin === (ids.length > 0)) throw new LikenessError('LIKENESS_BAD_INPUT', 'Name the faces by id, or by --page-url or --image-url, not both');
      await withLikeness(command, async (likeness) => {
        if (byOrigin) {
          const outcome = await likeness.facesByOrigin.takedown(localOperator(), { pageUrl: opts.pageUrl, imageUrl: opts.imageUrl });
          console.log(`erased ${outcome.erased} face(s) and ${outcome.imagesDeleted} image(s) collected from ${opts.pageUrl ?? opts.imageUrl}`);
          return;
        }
        const outcome = await likeness.erasure.erase({ faceIds: ids, reason: 'operator', actor: cliActor() });
        const missing = ids.filter((id) => !outcome.erased.includes(id));
        console.log(`erased ${outcome.erased.length} face(s)${missing.length ? `; not found: ${missing.join(', ')}` : ''}`);
        if (missing.length) process.exitCode = 2;
      });
    });
}
