import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { buildLikeness, type BuildOptions, type Likeness } from '../composition.ts';

/** Opens the data directory named on the command line, runs the action, and always closes it. */
export async function withLikeness<T>(command: Command, action: (likeness: Likeness) => Promise<T>, options: Pick<BuildOptions, 'create' | 'indexes'> = {}): Promise<T> {
  const { data, policy, store } = command.optsWithGlobals<{ data?: string; policy?: string; store?: string }>();
  const likeness = await buildLikeness(loadConfig({ dataDir: data, store }), { ...options, policyFile: policy });
  try {
    return await action(likeness);
  } finally {
    await likeness.close();
  }
}
