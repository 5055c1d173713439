import { sql, type Kysely } from 'kysely';
import { LikenessError } from '../../../errors.ts';

interface ShardRow { partition: string; server: string; server_options: string[] | null; mapping_options: string[] | null }

const optionsOf = (options: string[] | null) => new Map((options ?? []).map((o) => {
  const at = o.indexOf('=');
  return [o.slice(0, at), o.slice(at + 1)] as const;
}));

/**
 * Where the shards of a coordinator's `table` are, as its foreign servers and the current role's
 * user mappings tell postgres_fdw (shard-faces.ts wrote both): a URL per foreign partition, in
 * partition order. A clean-up the coordinator starts on each shard connects there as its searches do.
 */
export async function shardUrls<DB>(db: Kysely<DB>, table = 'faces'): Promise<string[]> {
  const { rows } = await sql<ShardRow>`
    SELECT c.relname AS partition, s.srvname AS server, s.srvoptions AS server_options, um.umoptions AS mapping_options
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid AND c.relkind = 'f'
      JOIN pg_foreign_table ft ON ft.ftrelid = c.oid JOIN pg_foreign_server s ON s.oid = ft.ftserver
      LEFT JOIN pg_user_mappings um ON um.srvid = s.oid AND um.usename = current_user
     WHERE i.inhparent = to_regclass(${table}) ORDER BY c.relname`.execute(db);
  return rows.map((row) => {
    const server = optionsOf(row.server_options);
    const mapping = optionsOf(row.mapping_options);
    const host = server.get('host');
    const dbname = server.get('dbname');
    const user = mapping.get('user');
    if (!host || !dbname || !user) {
      throw new LikenessError('LIKENESS_CONFIG_INVALID',
        `the shard ${row.server} of ${table} has no host, dbname or user mapping for the current role: it cannot be reached to erase its faces`);
    }
    const url = new URL('postgres://localhost');
    url.hostname = host.includes(':') ? `[${host}]` : host;
    url.port = server.get('port') ?? '5432';
    url.pathname = `/${encodeURIComponent(dbname)}`;
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(mapping.get('password') ?? '');
    return url.toString();
  });
}
