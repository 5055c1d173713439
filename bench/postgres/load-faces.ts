// Bulk load of the synthetic faces: one binary COPY per data node, fed chunk by chunk from the
// generator, the same vectors going into the in-process exact index that gives the ground truth.
// With shards, each face goes straight to the shard the coordinator's hash partitioning assigns it
// (asked of the coordinator, satisfies_hash_partition), as an INSERT through the coordinator would
// route it: PostgreSQL 15's postgres_fdw sends a COPY to a foreign partition one row at a time.
import type pg from 'pg';
import type { ExactIndex } from '../../src/engines/vector-index/exact-index.ts';
import type { SyntheticFaces } from '../synthetic-faces.ts';
import { COPY_HEADER, COPY_TRAILER, encodeTuple } from './binary-copy.ts';
import { columnsOf } from './bench-schema.ts';
import { copyIn } from './copy-in.ts';
import { faceValues, imageValues } from './face-rows.ts';
import type { CopyValue } from './binary-copy.ts';

const CHUNK = 10_000;

export interface LoadOptions {
  synthetic: SyntheticFaces;
  faces: number;
  dimension: number;
  /** Receives every vector too, for the ground truth; left out when a benchmark needs none. */
  exact?: ExactIndex;
  /** The data nodes: one node, or the shards in partition order (remainder i on shard i). */
  nodes: pg.Client[];
  /** The coordinator, when `nodes` are its shards. */
  coordinator?: pg.Client;
  log: (message: string) => void;
}

export interface LoadFigures {
  seconds: number;
  /** Of those, generating vectors and encoding rows in this process. */
  clientSeconds: number;
  rowsPerNode: number[];
}

/** Vector key 1 + i for synthetic face i, in the database and in the exact index alike. */
export const keyOf = (face: number): number => face + 1;

async function shardOf(coordinator: pg.Client, keys: number[], shards: number): Promise<number[]> {
  const { rows } = await coordinator.query<{ r: number }>(
    `SELECT (SELECT r FROM generate_series(0, $2::int - 1) AS r WHERE satisfies_hash_partition('faces'::regclass, $2::int, r, k)) AS r
       FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i`, [keys, shards]);
  return rows.map((row) => row.r);
}

/** The COPY statement for the columns of `table` that `sample` gives values for; refuses a row that would miss a required one. */
async function copyPlan(client: pg.Client, table: string, sample: Record<string, CopyValue>) {
  const columns = await columnsOf(client, table);
  const missing = columns.filter((c) => c.required && !(c.name in sample)).map((c) => `${table}.${c.name}`);
  if (missing.length > 0) throw new Error(`the benchmark gives no value for ${missing.join(', ')}`);
  const used = columns.filter((c) => c.name in sample);
  return {
    names: used.map((c) => c.name),
    types: used.map((c) => c.type),
    sql: `COPY ${table} (${used.map((c) => `"${c.name}"`).join(', ')}) FROM STDIN (FORMAT binary)`,
  };
}

/** One image row per face, before the faces (their image_id must find it). */
export async function loadImages(client: pg.Client, faces: number, log: (message: string) => void): Promise<number> {
  const plan = await copyPlan(client, 'images', imageValues(1));
  const began = performance.now();
  const copy = copyIn(client, plan.sql);
  await copy.write(COPY_HEADER);
  for (let start = 0; start < faces; start += CHUNK) {
    const parts: Buffer[] = [];
    for (let i = start; i < Math.min(faces, start + CHUNK); i++) {
      const values = imageValues(keyOf(i));
      parts.push(encodeTuple(plan.types, plan.names.map((n) => values[n] ?? null)));
    }
    await copy.write(Buffer.concat(parts));
  }
  await copy.write(COPY_TRAILER);
  await copy.end();
  const seconds = (performance.now() - began) / 1000;
  log(`images: ${faces} rows in ${seconds.toFixed(1)}s`);
  return seconds;
}

export async function loadFaces(o: LoadOptions): Promise<LoadFigures> {
  const plan = await copyPlan(o.nodes[0]!, 'faces', faceValues(1, new Float32Array(o.dimension)));
  const { types, sql } = plan;
  const began = performance.now();
  let clientMs = 0;
  const copies = o.nodes.map((node) => copyIn(node, sql));
  await Promise.all(copies.map((c) => c.write(COPY_HEADER)));
  const buffer = new Float32Array(CHUNK * o.dimension);
  let reported = 0;
  for (let start = 0; start < o.faces; start += CHUNK) {
    const end = Math.min(o.faces, start + CHUNK);
    const t0 = performance.now();
    o.synthetic.fill(start, end, buffer);
    const keys = Array.from({ length: end - start }, (_, i) => keyOf(start + i));
    const rows = keys.map((_, i) => buffer.subarray(i * o.dimension, (i + 1) * o.dimension));
    o.exact?.add(keys, rows);
    clientMs += performance.now() - t0;
    const target = o.coordinator ? await shardOf(o.coordinator, keys, o.nodes.length) : keys.map(() => 0);
    const t1 = performance.now();
    const parts: Buffer[][] = o.nodes.map(() => []);
    keys.forEach((key, i) => {
      const values = faceValues(key, rows[i]!);
      parts[target[i]!]!.push(encodeTuple(types, plan.names.map((n) => values[n] ?? null)));
    });
    clientMs += performance.now() - t1;
    await Promise.all(copies.map((c, n) => (parts[n]!.length ? c.write(Buffer.concat(parts[n]!)) : undefined)));
    if (end - reported >= o.faces / 20 || end === o.faces) {
      const seconds = (performance.now() - began) / 1000;
      o.log(`load: ${end}/${o.faces} faces sent (${Math.round(end / seconds)}/s)`);
      reported = end;
    }
  }
  await Promise.all(copies.map((c) => c.write(COPY_TRAILER)));
  const rowsPerNode = await Promise.all(copies.map((c) => c.end()));
  return { seconds: (performance.now() - began) / 1000, clientSeconds: clientMs / 1000, rowsPerNode };
}
