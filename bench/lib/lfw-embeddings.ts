import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceEngine } from '../../src/ports/face-engine.ts';
import { chooseFace } from './lfw-settings.ts';

export interface LfwPerson {
  name: string;
  images: number;
}

export function readIdentities(lfw: string): LfwPerson[] {
  return readFileSync(join(lfw, 'identities.tsv'), 'utf8').trim().split('\n').map((line) => {
    const [name, count] = line.split('\t');
    return { name: name!, images: Number(count) };
  });
}

export function lfwImagePath(lfw: string, name: string, n: number): string {
  return join(lfw, 'images', name, `${name}_${String(n).padStart(4, '0')}.jpg`);
}

/**
 * Embeds each file with the face a search would choose (the most prominent), several at a time so every worker is busy.
 * A file with no face maps to undefined: callers count those as detection failures.
 */
export async function embedFiles(
  engine: FaceEngine,
  files: readonly string[],
  concurrency: number,
  onProgress?: (done: number) => void,
): Promise<Map<string, Float32Array | undefined>> {
  const out = new Map<string, Float32Array | undefined>();
  let next = 0;
  let done = 0;
  const work = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      try {
        const analysed = await engine.analyse(readFileSync(file));
        out.set(file, chooseFace(analysed.faces, analysed.width, analysed.height, 'prominent')?.embedding);
      } catch {
        out.set(file, undefined);
      }
      if (++done % 200 === 0) onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, work));
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
