import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder whose bytes contain the needle: where an erased embedding could linger. */
export function filesContaining(root: string, needle: Uint8Array): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).indexOf(needle) >= 0) found.push(path);
    }
  };
  walk(root);
  return found;
}

/** The bytes a float32 embedding is stored as, in the store and in an exact index file. */
export function float32Bytes(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}
