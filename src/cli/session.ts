import type { Command } from 'commander';
import type { BuildOptions, Likeness } from '../composition.ts';

/** Opens the data directory named on the command line, runs the action, and always closes it. */
export async function withLikeness<T>(command: Command, action: (likeness: Likeness) => Promise<T>, options: Pick<BuildOptions, 'create' | 'indexes' | 'engine' | 'readOnly'> = {}): Promise<T> {
  const { data, policy, store } = command.optsWithGlobals<{ data?: string; policy?: string; store?: string }>();
  // Loaded here, not at the top: commands that never open the data directory (help, usage
  // errors) start without the store, the engine and their native modules.
  const [{ buildLikeness }, { loadConfig }] = await Promise.all([import('../composition.ts'), import('../config.ts')]);
  const likeness = await buildLikeness(loadConfig({ dataDir: data, store }), { ...options, policyFile: policy });
  try {
    return await action(likeness);
  } finally {
    await likeness.close();
  }
}
