import type { Command } from 'commander';
import { printJson } from '../output.ts';
import { withLikeness } from '../session.ts';

export function registerFace(program: Command): void {
  const face = program.command('face').description('single faces in the galleries');

  face.command('show <id>')
    .description('a face with its box, quality, model and expiry')
    .action(async (id: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => printJson(await (await likeness.faces()).get(id)));
    });

  face.command('delete <id...>')
    .description('delete faces: gone from search at once, from disk at the next compaction')
    .action(async (ids: string[], _opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const { deleted } = await (await likeness.faces()).delete(ids);
        const missing = ids.filter((id) => !deleted.includes(id));
        console.log(`deleted ${deleted.length} face(s)${missing.length ? `; not found: ${missing.join(', ')}` : ''}`);
        const compacted = await likeness.compactDue();
        if (compacted.length) console.log(`compacted ${compacted.length} index(es)`);
      });
    });
}
