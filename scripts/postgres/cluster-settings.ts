// postgresql.conf lines for throwaway clusters.

/** What every throwaway cluster gets: loopback only, its own socket folder, room for HNSW builds. */
export function baseSettings(port: number, socketDir: string): Record<string, string> {
  return {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${socketDir}'`,
    max_connections: '100',
    shared_buffers: "'256MB'",
    // An HNSW build that outgrows maintenance_work_mem goes on much slower, on disk.
    maintenance_work_mem: "'512MB'",
    max_wal_size: "'2GB'",
    log_min_messages: 'warning',
    log_min_error_statement: 'error',
  };
}

/**
 * Tests lose nothing they care about in a crash, so they skip the flushes. A benchmark must not:
 * its figures would not hold for a real deployment.
 */
export const NON_DURABLE_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

export function renderSettings(settings: Record<string, string>): string {
  return Object.entries(settings).map(([key, value]) => `${key} = ${value}`).join('\n') + '\n';
}
