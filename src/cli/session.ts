import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openLikeness, type Likeness, type OpenOptions } from '../composition.ts';

/** Opens the data directory named on the command line, runs the action, and always closes it. */
export async function withLikeness<T>(command: Command, action: (likeness: Likeness) => Promise<T>, options: Pick<OpenOptions, 'create' | 'indexes'> = {}): Promise<T> {
  const { data, policy, store } = command.optsWithGlobals<{ data?: string; policy?: string; store?: string }>();
  const likeness = await openLikeness(loadConfig({ dataDir: data, store }), { ...options, policyFile: policy });
  try {
    return await action(likeness);
  } finally {
    await likeness.close();
  }
}
