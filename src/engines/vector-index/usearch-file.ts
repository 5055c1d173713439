import { readSync } from 'node:fs';
import { LikenessError } from '../../errors.ts';
import { readIndexFile } from './read-index-file.ts';
import type { Quantisation } from '../../ports/vector-index.ts';

/** What a saved usearch index says about itself, read without loading it. */
export interface UsearchFileHead {
  dimension: number;
  quantisation: Quantisation;
  present: number;
  deleted: number;
}

// usearch's scalar_kind_t codes (include/usearch/index_plugins.hpp).
const SCALARS: Record<number, Quantisation> = { 11: 'f32', 12: 'f16', 23: 'i8' };

/**
 * The file is [rows u32][bytes-per-row u32][rows x bytes][64-byte head][graph]; the head carries
 * the scalar kind, which the JS binding cannot report once an index is loaded.
 */
export function readUsearchHead(path: string): UsearchFileHead {
  return readIndexFile(path, (fd) => {
    const matrix = Buffer.alloc(8);
    const head = Buffer.alloc(64);
    const corrupt = () => new LikenessError('LIKENESS_INTERNAL', `${path} is not a usearch index`);
    if (readSync(fd, matrix, 0, 8, 0) !== 8) throw corrupt();
    const headAt = 8 + matrix.readUInt32LE(0) * matrix.readUInt32LE(4);
    if (readSync(fd, head, 0, 64, headAt) !== 64 || head.toString('latin1', 0, 7) !== 'usearch') throw corrupt();
    const quantisation = SCALARS[head.readUInt8(14)];
    if (!quantisation) throw new LikenessError('LIKENESS_INTERNAL', `${path} uses an unsupported scalar kind`);
    return {
      quantisation,
      present: Number(head.readBigUInt64LE(17)),
      deleted: Number(head.readBigUInt64LE(25)),
      dimension: Number(head.readBigUInt64LE(33)),
    };
  });
}
