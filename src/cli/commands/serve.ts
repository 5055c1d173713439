import type { Command } from 'commander';
import { buildApp, LOG_REDACT } from '../../http/app.ts';
import { apiServices } from '../../http/assemble.ts';
import { LikenessError } from '../../errors.ts';
import { loadFmrTable } from '../../repositories/files/fmr-table-file.ts';
import { loadPolicy } from '../../services/policy/load-policy.ts';
import { PolicyService } from '../../services/policy/policy-service.ts';
import { systemClock } from '../../services/ports/clock.ts';
import { FalseMatchRate } from '../../services/scores/false-match-rate.ts';
import { withLikeness } from '../session.ts';

export const MAX_FILES_PER_UPLOAD = 20;

export function registerServe(program: Command): void {
  program.command('serve')
    .description('run the HTTP API (OpenAPI at /openapi.json, docs at /docs)')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--policy <file>', 'policy file (default: likeness.policy.yaml in the data directory)')
    .action(async (opts: { port: string; host: string; policy?: string }, command: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LikenessError('LIKENESS_BAD_INPUT', `--port must be 0 to 65535, got "${opts.port}"`);
      await withLikeness(command, async (likeness) => {
        const policy = new PolicyService(loadPolicy({ dataDir: likeness.config.dataDir, file: opts.policy }).policy, systemClock);
        // Loaded before listening, so the first search does not pay for the models.
        const engine = await likeness.engine();
        const fmr = new FalseMatchRate(loadFmrTable(engine.modelId));
        const app = await buildApp(apiServices(likeness, { policy, fmr }), {
          limits: { maxImageBytes: likeness.config.limits.maxImageBytes, maxFiles: MAX_FILES_PER_UPLOAD },
          logger: { level: process.env.LIKENESS_LOG_LEVEL ?? 'info', redact: LOG_REDACT },
        });
        const stopped = new Promise<void>((resolve) => {
          const stop = () => void app.close().then(() => resolve());
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await app.listen({ port, host: opts.host });
        await stopped;
      });
    });
}
