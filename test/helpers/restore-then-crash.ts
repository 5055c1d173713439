// Restores a backup and kills its own process (SIGKILL, as a crash or `kill -9` would) the instant
// the store has been replaced, when the program opens the restored store to write back what the
// replaced one recorded since the backup: before any of it is written.
// Usage: node --import tsx test/helpers/restore-then-crash.ts DATA_DIR BACKUP_DIR
import { restore } from '../../src/backups.ts';
import { loadConfig } from '../../src/config.ts';
import { SqliteStore } from '../../src/repositories/sqlite/sqlite-store.ts';

const [dataDir, backup] = process.argv.slice(2);
if (!dataDir || !backup) throw new Error('usage: restore-then-crash.ts DATA_DIR BACKUP_DIR');

// The first open reads what to carry over from the store about to be replaced; the second is the
// restored store's.
const open = SqliteStore.open.bind(SqliteStore);
let opened = 0;
SqliteStore.open = async (...args: Parameters<typeof SqliteStore.open>) => {
  if (++opened === 2) process.kill(process.pid, 'SIGKILL');
  return open(...args);
};

await restore(loadConfig({ dataDir }), backup, 'local:crash-test');
throw new Error('the restore returned: the crash point was never reached');
