import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Failure injection for crash tests: called after the temporary file is complete and before it
 * replaces the target. A crash there (or anywhere earlier) must leave the previous file intact.
 */
export const saveFaults: { beforeRename?: (tempPath: string) => void } = {};

/** Thrown by crash simulations; the temporary file is left behind, as a killed process would. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
    this.name = 'SimulatedCrash';
  }
}

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file so that readers see either the old bytes or the new ones, never a torn mix:
 * the writer fills a temporary file beside the target, which is flushed and renamed over it.
 */
export function writeFileAtomically(path: string, write: (tempPath: string) => void): void {
  const temp = tempPathFor(path);
  try {
    write(temp);
    fsyncPath(temp, 'r+');
    saveFaults.beforeRename?.(temp);
    renameSync(temp, path);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) rmSync(temp, { force: true });
    throw error;
  }
  // Without this the rename itself may not survive a power cut.
  fsyncPath(dirname(path), 'r');
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
