// Erases one face and kills its own process (SIGKILL, as a crash or `kill -9` would) the instant
// the face's row is deleted inside the erasure's transaction, before anything after it runs.
// Usage: node --import tsx test/helpers/erase-then-crash.ts DATA_DIR FACE_ID
import { buildLikeness } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { SqliteFaceRepository } from '../../src/repositories/sqlite/sqlite-face-repository.ts';

const [dataDir, faceId] = process.argv.slice(2);
if (!dataDir || !faceId) throw new Error('usage: erase-then-crash.ts DATA_DIR FACE_ID');

const deleteByIds = SqliteFaceRepository.prototype.deleteByIds;
SqliteFaceRepository.prototype.deleteByIds = async function (this: SqliteFaceRepository, ids: readonly string[]) {
  const removed = await deleteByIds.call(this, ids);
  process.kill(process.pid, 'SIGKILL');
  return removed;
};

const likeness = await buildLikeness(loadConfig({ dataDir }));
await likeness.erasure.erase({ faceIds: [faceId], reason: 'operator', actor: 'local:crash-test' });
throw new Error('the erasure returned: the crash point was never reached');
