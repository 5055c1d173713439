import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { LikenessError } from '../../errors.ts';

/**
 * The exact index on disk:
 *   0  magic "LKNSEXCT"    8  format version u32    12 dimension u32
 *   16 count u64           24 CRC-32 u32 of bytes 0-23, then of keys, then of vectors
 *   28 zero u32            32 keys: count x f64     then vectors: count x dimension x f32
 * All little-endian. Keys are stored as f64, exact for the integers below 2^53 that keys are.
 */
const MAGIC = 'LKNSEXCT';
const VERSION = 1;
const HEADER_BYTES = 32;
// readSync and writeSync cap one call near 2 GiB.
const IO_CHUNK = 64 * 1024 * 1024;

export interface ExactIndexContents {
  dimension: number;
  count: number;
  keys: Float64Array;
  vectors: Float32Array;
}

function requireLittleEndian(): void {
  if (endianness() !== 'LE') throw new LikenessError('LIKENESS_INTERNAL', 'The exact index format assumes a little-endian host');
}

function bytesOf(array: Float64Array | Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function writeExactIndexFile(path: string, contents: ExactIndexContents): void {
  requireLittleEndian();
  const keys = bytesOf(contents.keys.subarray(0, contents.count));
  const vectors = bytesOf(contents.vectors.subarray(0, contents.count * contents.dimension));
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(VERSION, 8);
  header.writeUInt32LE(contents.dimension, 12);
  header.writeBigUInt64LE(BigInt(contents.count), 16);
  header.writeUInt32LE(checksum(header, keys, vectors), 24);
  const fd = openSync(path, 'w');
  try {
    let at = 0;
    for (const part of [header, keys, vectors]) {
      for (let off = 0; off < part.byteLength; off += IO_CHUNK) {
        const len = Math.min(IO_CHUNK, part.byteLength - off);
        at += writeSync(fd, part, off, len, at);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads into arrays with room for `capacity` rows, so the index can grow without copying. */
export function readExactIndexFile(path: string, minCapacity = 0): ExactIndexContents & { capacity: number } {
  requireLittleEndian();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `No index file at ${path}`, { cause });
  }
  const corrupt = (why: string) => new LikenessError('LIKENESS_INTERNAL', `${path} is not a usable exact index: ${why}`);
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) throw corrupt('truncated header');
    if (header.toString('latin1', 0, 8) !== MAGIC) throw corrupt('bad magic');
    if (header.readUInt32LE(8) !== VERSION) throw corrupt(`format version ${header.readUInt32LE(8)}`);
    const dimension = header.readUInt32LE(12);
    const count = Number(header.readBigUInt64LE(16));
    const expectedBytes = HEADER_BYTES + count * 8 + count * dimension * 4;
    if (dimension === 0 || fstatSync(fd).size !== expectedBytes) throw corrupt('size does not match its header');
    const capacity = Math.max(count, minCapacity, 1);
    const keys = new Float64Array(capacity);
    const vectors = new Float32Array(capacity * dimension);
    const keyBytes = bytesOf(keys.subarray(0, count));
    const vectorBytes = bytesOf(vectors.subarray(0, count * dimension));
    let at = HEADER_BYTES;
    for (const part of [keyBytes, vectorBytes]) {
      for (let off = 0; off < part.byteLength; off += IO_CHUNK) {
        const len = Math.min(IO_CHUNK, part.byteLength - off);
        if (readSync(fd, part, off, len, at) !== len) throw corrupt('truncated body');
        at += len;
      }
    }
    if (checksum(header, keyBytes, vectorBytes) !== header.readUInt32LE(24)) throw corrupt('checksum mismatch');
    return { dimension, count, keys, vectors, capacity };
  } finally {
    closeSync(fd);
  }
}

function checksum(header: Buffer, keys: Uint8Array, vectors: Uint8Array): number {
  let crc = crc32(header.subarray(0, 24));
  // zlib takes a 32-bit length, so large arrays go in pieces.
  for (const part of [keys, vectors]) {
    for (let off = 0; off < part.byteLength; off += IO_CHUNK) crc = crc32(part.subarray(off, off + IO_CHUNK), crc);
  }
  return crc;
}
