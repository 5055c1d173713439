import { Command } from 'commander';
import { registerAudit } from './commands/audit.ts';
import { registerBackup } from './commands/backup.ts';
import { registerRetention } from './commands/retention.ts';
import { registerSubject } from './commands/subject.ts';
import { registerClient } from './commands/client.ts';
import { registerCompare } from './commands/compare.ts';
import { registerCase } from './commands/case.ts';
import { registerFace } from './commands/face.ts';
import { registerIndex } from './commands/index-commands.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerInit } from './commands/init.ts';
import { registerKey } from './commands/key.ts';
import { registerSearch } from './commands/search.ts';
import { registerServe } from './commands/serve.ts';
import { registerSource } from './commands/source.ts';
import { registerUser } from './commands/user.ts';
import { reportError } from './output.ts';
import { isCommanderError, quietUsage, usageError } from './usage-errors.ts';

const program = new Command('likeness')
  .description('Face search over declared sources, with the rights of the people in it built in')
  .option('--data <dir>', 'data directory (default: $LIKENESS_DATA or ./likeness-data)')
  .option('--store <url>', 'store of record: postgres://user:password@host:port/database (default: $LIKENESS_STORE, the config file\'s store, or SQLite in the data directory)')
  .option('--policy <file>', 'policy file, YAML or JSON (default: likeness.policy.yaml in the data directory)');
quietUsage(program);

registerInit(program);
registerSource(program);
registerIngest(program);
registerSearch(program);
registerCompare(program);
registerFace(program);
registerIndex(program);
registerClient(program);
registerUser(program);
registerKey(program);
registerAudit(program);
registerSubject(program);
registerCase(program);
registerRetention(program);
registerBackup(program);
registerServe(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isCommanderError(error)) {
    const usage = usageError(error, program, process.argv.slice(2));
    process.exitCode = usage ? reportError(usage) : 0;
  } else {
    process.exitCode = reportError(error);
  }
}
