import { sql, type Kysely, type RawBuilder } from 'kysely';
import { LikenessError } from '../../errors.ts';

/** Where a test (or a benchmark) can step in while the rebuild runs, to write to the live table. */
export interface RebuildHooks {
  /** After the live rows are copied and indexed aside, before the catch-up and the swap. */
  beforeSwap?: (table: string) => Promise<void>;
}

export interface RebuildAsideOptions extends RebuildHooks {
  /** The longest a swap waits for its lock before it gives way to searches and tries again. */
  lockTimeoutMs?: number;
  /** Swaps tried before the pass gives up (the aside table is dropped, the live one kept). */
  swapAttempts?: number;
}

export interface RebuildAsideTimes {
  /** Copy of the live rows, indexes (HNSW too) and constraints built on the aside table. */
  buildMs: number;
  /** The swap statement, waiting for its ACCESS EXCLUSIVE lock included: last catch-up and the renames. */
  swapMs: number;
  /** Writes made to the table while it was rebuilt, carried over to the new one. */
  caughtUp: number;
  /** Swaps that gave way to a lock held too long, before the one that went through. */
  swapRetries: number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 1000;
const DEFAULT_SWAP_ATTEMPTS = 30;

interface IndexRow { name: string; definition: string; constraint_name: string | null; constraint_definition: string | null }
interface ConstraintRow { name: string; definition: string }
interface ReferenceRow extends ConstraintRow { referencing: string }
interface SequenceRow { sequence: string; column_name: string }

const ident = (name: string) => sql.id(name);
const aside = (table: string) => `${table}_aside`;
const log = (table: string) => `${table}_aside_log`;
// Index and constraint names on the aside table until the swap gives them their own: an index
// name is unique in the schema, so the live table's cannot be taken before it is dropped.
const asideName = (name: string) => `${name.slice(0, 57)}_aside`;
const retired = (table: string) => `${table}_retired`;
const retiredName = (name: string) => `${name.slice(0, 55)}_retired`;

/**
 * Rewrites a table whose rows are only ever inserted and deleted (never updated) without holding
 * its searches or its writers for the rewrite (docs/scaling.md, "Compaction and searches"):
 *
 * 1. statement triggers log the key of every row inserted into or deleted from the live table;
 * 2. its live rows are copied into `<table>_aside`, which gets the same indexes (HNSW included),
 *    constraints, grants and statistics, while the live table goes on answering searches and taking writes;
 * 3. the writes logged meanwhile are carried over, once without a lock, then a last time in the
 *    swap transaction: under ACCESS EXCLUSIVE (waiting at most lockTimeoutMs, else giving way and
 *    trying again), the live table steps aside and the new one takes its name, its indexes' and
 *    constraints' names, and the sequences it owned;
 * 4. the old table is dropped.
 *
 * Dropping the old table is what takes the deleted rows' bytes out of its heap and index files
 * (emptied at commit, unlinked at the next checkpoint), as VACUUM FULL did. Every statement runs
 * on `db`, one connection; the caller keeps other passes out (an advisory lock).
 */
export async function rebuildAside<DB>(db: Kysely<DB>, table: string, key: string, options: RebuildAsideOptions = {}): Promise<RebuildAsideTimes> {
  const started = performance.now();
  const indexes = await indexesOf(db, table);
  const foreignKeys = await foreignKeysOf(db, table);
  const references = await referencesTo(db, table);
  await refuseWhatWouldNotFollow(db, table);
  await dropLeftovers(db, table);

  await sql`CREATE TABLE ${ident(log(table))} (${ident(key)} ${sql.raw(await keyType(db, table, key))} NOT NULL, deleted boolean NOT NULL)`.execute(db);
  await createLogTriggers(db, table, key);
  try {
    const reloptions = await reloptionsOf(db, table);
    await sql`CREATE TABLE ${ident(aside(table))} (LIKE ${ident(table)} INCLUDING ALL EXCLUDING INDEXES)${reloptions}`.execute(db);
    // One statement, one snapshot: every write committed after it is in the log (the triggers
    // were in place before it started: creating them waited for the writers then running).
    await sql`INSERT INTO ${ident(aside(table))} SELECT * FROM ${ident(table)}`.execute(db);
    for (const index of indexes) await buildIndexAside(db, table, index);
    for (const fk of foreignKeys) {
      // NOT VALID, then VALIDATE: checking every row holds no lock that stops writers. Adding the
      // key waits for the writers of the table it points at, whose deletes cascade to the aside
      // table from then on; those before it are in the log, carried over before the check.
      await sql`ALTER TABLE ${ident(aside(table))} ADD CONSTRAINT ${ident(asideName(fk.name))} ${sql.raw(fk.definition.replace(/ NOT VALID$/, ''))} NOT VALID`.execute(db);
    }
    let caughtUp = await catchUp(db, table, key);
    for (const fk of foreignKeys) await sql`ALTER TABLE ${ident(aside(table))} VALIDATE CONSTRAINT ${ident(asideName(fk.name))}`.execute(db);
    await grantAsOn(db, table);
    await sql`ANALYZE ${ident(aside(table))}`.execute(db);
    await options.beforeSwap?.(table);
    caughtUp += await catchUp(db, table, key);
    const built = performance.now();

    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    await createSwapFunction(db, table, key, lockTimeoutMs, indexes, foreignKeys, references, await sequencesOwnedBy(db, table));
    const attempts = options.swapAttempts ?? DEFAULT_SWAP_ATTEMPTS;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const swapStarted = performance.now();
      // One statement, its own transaction: the lock is held for the server's work only, never
      // across a round trip to this process.
      const swapped = await sql<{ n: string }>`SELECT ${ident(`${log(table)}_swap`)}() AS n`.execute(db).then(
        (r) => Number(r.rows[0]?.n ?? 0),
        (error: unknown) => {
          if (isLockTimeout(error)) return undefined;
          throw error;
        });
      if (swapped !== undefined) {
        caughtUp += swapped;
        const swapMs = performance.now() - swapStarted;
        await dropRetired(db, table, foreignKeys);
        for (const r of references) await sql`ALTER TABLE ${sql.raw(r.referencing)} VALIDATE CONSTRAINT ${ident(r.name)}`.execute(db);
        return { buildMs: built - started, swapMs, caughtUp, swapRetries: attempt };
      }
      // Something held the table longer than a search may wait: give way, catch up, try again.
      caughtUp += await catchUp(db, table, key);
    }
    throw new LikenessError('LIKENESS_STORE_UNAVAILABLE',
      `the compaction of ${table} could not take its lock for ${attempts} swaps of at most ${options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS} ms: a transaction holds it; the table is unchanged`);
  } finally {
    await dropLeftovers(db, table);
  }
}

async function indexesOf<DB>(db: Kysely<DB>, table: string): Promise<IndexRow[]> {
  const { rows } = await sql<IndexRow>`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition,
           c.conname AS constraint_name, pg_get_constraintdef(c.oid) AS constraint_definition
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u')
     WHERE x.indrelid = to_regclass(${table}) ORDER BY i.relname`.execute(db);
  return rows;
}

async function foreignKeysOf<DB>(db: Kysely<DB>, table: string): Promise<ConstraintRow[]> {
  const { rows } = await sql<ConstraintRow>`SELECT conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE conrelid = to_regclass(${table}) AND contype = 'f' ORDER BY conname`.execute(db);
  return rows;
}

/** Foreign keys of other tables that point at this one: they must point at the new one. */
async function referencesTo<DB>(db: Kysely<DB>, table: string): Promise<ReferenceRow[]> {
  const { rows } = await sql<ReferenceRow>`SELECT conname AS name, pg_get_constraintdef(oid) AS definition, conrelid::regclass::text AS referencing
    FROM pg_constraint WHERE confrelid = to_regclass(${table}) AND conrelid <> confrelid AND contype = 'f' ORDER BY conname`.execute(db);
  return rows;
}

/**
 * A trigger of the table's own would not follow it to the aside table, and a view would stay on
 * the old one (and keep it from being dropped): refused up front, not lost or left stale.
 */
async function refuseWhatWouldNotFollow<DB>(db: Kysely<DB>, table: string): Promise<void> {
  const { rows: triggers } = await sql<{ name: string }>`SELECT tgname AS name FROM pg_trigger
    WHERE tgrelid = to_regclass(${table}) AND NOT tgisinternal AND tgname NOT LIKE ${`${log(table)}%`}`.execute(db);
  const { rows: views } = await sql<{ name: string }>`SELECT DISTINCT r.ev_class::regclass::text AS name
    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass(${table}) AND r.ev_class <> d.refobjid`.execute(db);
  const refused = [...triggers.map((t) => `trigger ${t.name}`), ...views.map((v) => `view ${v.name}`)];
  if (refused.length > 0) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID',
      `${table} cannot be rebuilt aside: the ${refused.join(', ')} would not follow it to the new table`);
  }
}

async function keyType<DB>(db: Kysely<DB>, table: string, key: string): Promise<string> {
  const { rows: [row] } = await sql<{ type: string }>`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
    WHERE attrelid = to_regclass(${table}) AND attname = ${key} AND NOT attisdropped`.execute(db);
  if (!row) throw new LikenessError('LIKENESS_INTERNAL', `${table} has no column ${key}`);
  return row.type;
}

async function reloptionsOf<DB>(db: Kysely<DB>, table: string): Promise<RawBuilder<unknown>> {
  const { rows: [row] } = await sql<{ options: string[] | null }>`SELECT reloptions AS options FROM pg_class WHERE oid = to_regclass(${table})`.execute(db);
  const options = row?.options ?? [];
  // reloptions come from the catalogue as name=value of PostgreSQL's own parameters.
  return options.length > 0 ? sql.raw(` WITH (${options.join(', ')})`) : sql.raw('');
}

/** The privileges other roles hold on the table (a reporting role's SELECT, say) follow it. */
async function grantAsOn<DB>(db: Kysely<DB>, table: string): Promise<void> {
  const { rows } = await sql<{ grantee: string; privilege: string; grantable: boolean }>`
    SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee, a.privilege_type AS privilege, a.is_grantable AS grantable
      FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
     WHERE c.oid = to_regclass(${table}) AND a.grantee <> c.relowner`.execute(db);
  for (const g of rows) {
    // Both come from the catalogue: a privilege keyword, and a quoted role name or PUBLIC.
    await sql`GRANT ${sql.raw(g.privilege)} ON ${ident(aside(table))} TO ${sql.raw(g.grantee)}${sql.raw(g.grantable ? ' WITH GRANT OPTION' : '')}`.execute(db);
  }
}

/** A pass that failed (or a process that died) left these: nothing in them is kept. */
async function dropLeftovers<DB>(db: Kysely<DB>, table: string): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS ${ident(`${log(table)}_insert`)} ON ${ident(table)}`.execute(db);
  await sql`DROP TRIGGER IF EXISTS ${ident(`${log(table)}_delete`)} ON ${ident(table)}`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ${ident(`${log(table)}_insert`)}()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ${ident(`${log(table)}_delete`)}()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ${ident(`${log(table)}_swap`)}()`.execute(db);
  await sql`DROP TABLE IF EXISTS ${ident(aside(table))}, ${ident(log(table))}, ${ident(retired(table))}`.execute(db);
}

/**
 * Statement triggers with transition tables: a bulk insert (an image's faces) logs its keys in one
 * statement, not one per row. Only keys are logged, no personal data.
 */
async function createLogTriggers<DB>(db: Kysely<DB>, table: string, key: string): Promise<void> {
  for (const [event, deleted, rows] of [['insert', false, 'added'], ['delete', true, 'removed']] as const) {
    const name = `${log(table)}_${event}`;
    await sql`CREATE FUNCTION ${ident(name)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.lit(
      `BEGIN INSERT INTO ${quote(log(table))} SELECT ${quote(key)}, ${deleted} FROM ${rows}; RETURN NULL; END`)}`.execute(db);
    await sql`CREATE TRIGGER ${ident(name)} AFTER ${sql.raw(event.toUpperCase())} ON ${ident(table)}
      REFERENCING ${sql.raw(deleted ? 'OLD' : 'NEW')} TABLE AS ${sql.raw(rows)} FOR EACH STATEMENT EXECUTE FUNCTION ${ident(name)}()`.execute(db);
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function buildIndexAside<DB>(db: Kysely<DB>, table: string, index: IndexRow): Promise<void> {
  if (index.constraint_name && index.constraint_definition) {
    await sql`ALTER TABLE ${ident(aside(table))} ADD CONSTRAINT ${ident(asideName(index.constraint_name))} ${sql.raw(index.constraint_definition)}`.execute(db);
    return;
  }
  // pg_get_indexdef: CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING ...
  const match = /^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (USING .*)$/s.exec(index.definition);
  if (!match) throw new LikenessError('LIKENESS_INTERNAL', `cannot rebuild the index ${index.name}: ${index.definition}`);
  await sql`CREATE ${sql.raw(match[1] ?? '')}INDEX ${ident(asideName(index.name))} ON ${ident(aside(table))} ${sql.raw(match[2]!)}`.execute(db);
}

/**
 * Carries the logged writes over to the aside table and empties the log. Rows are never updated
 * and keys never reused, so the order does not matter: a key logged as deleted is gone from the
 * live table too, and a key logged as inserted is copied only if it is still there (and not yet).
 */
async function catchUp<DB>(db: Kysely<DB>, table: string, key: string): Promise<number> {
  const { rows: [row] } = await sql<{ n: string }>`${sql.raw(catchUpSql(table, key, 'AS n'))}`.execute(db);
  return Number(row?.n ?? 0);
}

function catchUpSql(table: string, key: string, into: string): string {
  const [t, a, l, k] = [quote(table), quote(aside(table)), quote(log(table)), quote(key)];
  return `WITH taken AS (DELETE FROM ${l} RETURNING ${k} AS key, deleted),
    gone AS (DELETE FROM ${a} a USING taken t WHERE t.deleted AND a.${k} = t.key),
    added AS (INSERT INTO ${a} SELECT f.* FROM ${t} f WHERE f.${k} IN (SELECT key FROM taken WHERE NOT deleted) ON CONFLICT DO NOTHING)
    SELECT count(*) ${into} FROM taken`;
}

async function sequencesOwnedBy<DB>(db: Kysely<DB>, table: string): Promise<SequenceRow[]> {
  const { rows } = await sql<SequenceRow>`
    SELECT s.oid::regclass::text AS sequence, a.attname AS column_name
      FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
       AND d.refobjid = to_regclass(${table}) AND d.deptype = 'a'`.execute(db);
  return rows;
}

/**
 * The swap, as a function the pass calls in one statement: under the ACCESS EXCLUSIVE lock, the
 * last catch-up and catalogue changes only. The old table is renamed, not dropped: dropping it
 * (its files emptied, its foreign keys' triggers taken off the tables they point at) comes after,
 * holding no lock on what searches read. Every name in it is quoted from the catalogue's.
 */
async function createSwapFunction<DB>(
  db: Kysely<DB>, table: string, key: string, lockTimeoutMs: number,
  indexes: IndexRow[], foreignKeys: ConstraintRow[], references: ReferenceRow[], sequences: SequenceRow[],
): Promise<void> {
  const [t, a, r] = [quote(table), quote(aside(table)), quote(retired(table))];
  const statements = [
    `PERFORM set_config('lock_timeout', '${Math.max(1, Math.round(lockTimeoutMs))}', true)`,
    `LOCK TABLE ${t} IN ACCESS EXCLUSIVE MODE`,
    catchUpSql(table, key, 'INTO n'),
    // Else dropping the old table would drop the sequence that hands out its keys.
    ...sequences.map((s) => `ALTER SEQUENCE ${s.sequence} OWNED BY ${a}.${quote(s.column_name)}`),
    // A key pointing at the old table would follow it: put back NOT VALID, so that no row is read
    // under the lock; validated after the swap, under a lock that stops neither searches nor writers.
    ...references.map((ref) => `ALTER TABLE ${ref.referencing} DROP CONSTRAINT ${quote(ref.name)}`),
    `ALTER TABLE ${t} RENAME TO ${r}`,
    // Index names are unique in the schema: the old ones make way before the new ones take them.
    ...indexes.map((i) => i.constraint_name
      ? `ALTER TABLE ${r} RENAME CONSTRAINT ${quote(i.constraint_name)} TO ${quote(retiredName(i.constraint_name))}`
      : `ALTER INDEX ${quote(i.name)} RENAME TO ${quote(retiredName(i.name))}`),
    `ALTER TABLE ${a} RENAME TO ${t}`,
    // Renaming a unique or primary key constraint renames its index with it.
    ...indexes.map((i) => i.constraint_name
      ? `ALTER TABLE ${t} RENAME CONSTRAINT ${quote(asideName(i.constraint_name))} TO ${quote(i.constraint_name)}`
      : `ALTER INDEX ${quote(asideName(i.name))} RENAME TO ${quote(i.name)}`),
    ...foreignKeys.map((fk) => `ALTER TABLE ${t} RENAME CONSTRAINT ${quote(asideName(fk.name))} TO ${quote(fk.name)}`),
    ...references.map((ref) => `ALTER TABLE ${ref.referencing} ADD CONSTRAINT ${quote(ref.name)} ${ref.definition.replace(/ NOT VALID$/, '')} NOT VALID`),
  ];
  const body = `DECLARE n bigint; BEGIN ${statements.map((s) => `${s};`).join('\n')} RETURN n; END`;
  await sql`CREATE FUNCTION ${ident(`${log(table)}_swap`)}() RETURNS bigint LANGUAGE plpgsql AS ${sql.lit(body)}`.execute(db);
}

/** The old table, swapped out: its foreign keys first, each a short catalogue change on the table it points at. */
async function dropRetired<DB>(db: Kysely<DB>, table: string, foreignKeys: ConstraintRow[]): Promise<void> {
  for (const fk of foreignKeys) await sql`ALTER TABLE ${ident(retired(table))} DROP CONSTRAINT ${ident(fk.name)}`.execute(db);
  await sql`DROP TABLE ${ident(retired(table))}`.execute(db);
}

function isLockTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';
}
