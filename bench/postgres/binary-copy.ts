// PostgreSQL's binary COPY format: a 512-d embedding travels as 2 KiB of float4 instead of ~5 kB
// of text that the server would have to parse back, which is most of a bulk load's cost.
// Each value is encoded by the column's type as the catalogue reports it (format_type).

export type CopyValue = string | number | Float32Array | null;

export const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** Encodes one value of a column type into its binary wire form (without the length word). */
export function encodeValue(type: string, value: Exclude<CopyValue, null>): Buffer {
  const vector = /^vector\((\d+)\)$/.exec(type);
  if (vector) {
    if (!(value instanceof Float32Array) || value.length !== Number(vector[1])) throw new Error(`a ${type} needs a Float32Array of that length`);
    // pgvector's vector_recv: int16 dimension, int16 unused (0), then big-endian float4s.
    const out = Buffer.allocUnsafe(4 + 4 * value.length);
    out.writeInt16BE(value.length, 0);
    out.writeInt16BE(0, 2);
    for (let i = 0; i < value.length; i++) out.writeFloatBE(value[i]!, 4 + 4 * i);
    return out;
  }
  if (value instanceof Float32Array) throw new Error(`a ${type} column cannot take a vector`);
  switch (type) {
    case 'text': case 'json': case 'character varying':
      return Buffer.from(String(value), 'utf8');
    case 'jsonb':
      // Version 1 of jsonb's binary form: a version byte, then the JSON text.
      return Buffer.concat([Buffer.from([1]), Buffer.from(String(value), 'utf8')]);
    case 'bigint': {
      const out = Buffer.allocUnsafe(8);
      out.writeBigInt64BE(BigInt(value));
      return out;
    }
    case 'integer': {
      const out = Buffer.allocUnsafe(4);
      out.writeInt32BE(Number(value));
      return out;
    }
    case 'real': {
      const out = Buffer.allocUnsafe(4);
      out.writeFloatBE(Number(value));
      return out;
    }
    case 'double precision': {
      const out = Buffer.allocUnsafe(8);
      out.writeDoubleBE(Number(value));
      return out;
    }
    case 'timestamp with time zone': case 'timestamp without time zone': {
      // Microseconds since 2000-01-01 UTC.
      const ms = typeof value === 'number' ? value : Date.parse(value);
      if (Number.isNaN(ms)) throw new Error(`not a time: ${value}`);
      const out = Buffer.allocUnsafe(8);
      out.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n);
      return out;
    }
    default:
      throw new Error(`binary COPY of a ${type} column is not supported here`);
  }
}

/** One tuple: field count, then each field as its length (-1 for NULL) and bytes. */
export function encodeTuple(types: readonly string[], values: readonly CopyValue[]): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.allocUnsafe(2);
  count.writeInt16BE(types.length);
  parts.push(count);
  types.forEach((type, i) => {
    const value = values[i];
    const length = Buffer.allocUnsafe(4);
    if (value === null || value === undefined) {
      length.writeInt32BE(-1);
      parts.push(length);
      return;
    }
    const bytes = encodeValue(type, value);
    length.writeInt32BE(bytes.length);
    parts.push(length, bytes);
  });
  return Buffer.concat(parts);
}
