import type { Command } from 'commander';
import type { Likeness } from '../composition.ts';
import type { Rights } from '../rights.ts';
import { withLikeness } from './session.ts';

/** Like withLikeness, with the rights services opened on top and closed after. */
export async function withRights<T>(command: Command, action: (rights: Rights, likeness: Likeness) => Promise<T>): Promise<T> {
  return withLikeness(command, async (likeness) => {
    const { openRights } = await import('../rights.ts');
    const rights = openRights(likeness);
    try {
      return await action(rights, likeness);
    } finally {
      await rights.close();
    }
  });
}
