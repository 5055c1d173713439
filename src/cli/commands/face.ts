import type { Command } from 'commander';
import { printJson } from '../output.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerFace(program: Command): void {
  const face = program.command('face').description('single faces in the galleries');

  face.command('show <id>')
    .description('a face with its box, quality, model and expiry')
    .action(async (id: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => printJson(await (await likeness.faceRecords()).get(id)));
    });

  face.command('delete <id...>')
    .description('erase faces: gone from search at once, recorded in the erasure ledger, gone from disk at compaction')
    .action(async (ids: string[], _opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const outcome = await likeness.erasure.erase({ faceIds: ids, reason: 'operator', actor: cliActor() });
        const missing = ids.filter((id) => !outcome.erased.includes(id));
        console.log(`erased ${outcome.erased.length} face(s)${missing.length ? `; not found: ${missing.join(', ')}` : ''}`);
        if (missing.length) process.exitCode = 2;
      });
    });
}
