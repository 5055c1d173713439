import { join } from 'node:path';
import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';
import type { Likeness } from '../../composition.ts';

export const MAX_FILES_PER_UPLOAD = 20;

export function registerServe(program: Command): void {
  program.command('serve')
    .description('run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the web UI at /')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--web <dir>', 'built web UI to serve at / (default: dist/web of this installation, built by npm install or npm run build:web)')
    .action(async (opts: { port: string; host: string; web?: string }, command: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LikenessError('LIKENESS_BAD_INPUT', `--port must be 0 to 65535, got "${opts.port}"`);
      // Loaded for this command only, so that help and the other commands start without them.
      const [{ PROJECT_ROOT }, { recordPolicyInForce }, { listenOn }, retention, compaction, alerts, follow, { followsStore }] = await Promise.all([
        import('../../config.ts'), import('../../services/policy/policy-record.ts'), import('../listen.ts'), import('../retention-timer.ts'),
        import('../compaction-timer.ts'), import('../watch-alert-timer.ts'), import('../index-follow-timer.ts'), import('../../ports/store-follower.ts'),
      ]);
      const webRoot = opts.web ?? join(PROJECT_ROOT, 'dist', 'web');
      await withLikeness(command, async (likeness) => {
        // The HTTP stack loads only for this command.
        const { buildApp, LOG_REDACT } = await import('../../http/app.ts');
        await recordPolicyInForce(likeness.audit, likeness.loadedPolicy, cliActor());
        // Loaded before listening, so the first search does not pay for the models.
        await likeness.engine();
        const opened = await openGalleryIndexes(likeness);
        const app = await buildApp(likeness, {
          limits: { maxImageBytes: likeness.config.limits.maxImageBytes, maxFiles: MAX_FILES_PER_UPLOAD },
          logger: { level: process.env.LIKENESS_LOG_LEVEL ?? 'info', redact: LOG_REDACT },
          webRoot,
        });
        // What a signal stops, in order: the HTTP server first, then each timer as it was started.
        const stoppers: (() => Promise<void>)[] = [() => app.close()];
        const stopped = new Promise<void>((resolve) => {
          // Each step runs even when one before it fails, and the server then closes the store and
          // the engine: a failed step is logged, never left to keep the process alive.
          const stop = async () => {
            for (const step of stoppers) await step().catch((err: unknown) => app.log.error({ err }, 'stopping the server'));
            resolve();
          };
          process.once('SIGINT', () => void stop());
          process.once('SIGTERM', () => void stop());
        });
        await listenOn(app, port, opts.host).catch(async (error: unknown) => {
          await app.close();
          throw error;
        });
        app.log.info(opened, 'gallery indexes open');
        stoppers.push(retention.startRetentionTimer(likeness.rights.retention, cliActor(), retention.RETENTION_SWEEP_MS, app.log));
        stoppers.push(compaction.startCompactionTimer(likeness.compactDue, compaction.COMPACTION_CHECK_MS, app.log));
        // What other processes (an ingest, a retention sweep, another server) add or delete.
        const indexes = await likeness.indexes();
        if (followsStore(indexes)) stoppers.push(follow.startIndexFollowTimer(indexes, follow.INDEX_FOLLOW_MS, app.log));
        stoppers.push(alerts.startWatchAlertTimer(likeness.watchAlerts, alerts.WATCH_ALERT_MS, app.log));
        await stopped;
      }, { indexes: 'view' });
    });
}

/** Opens every gallery's index before the first search; memory-mapped, this takes milliseconds at any size. */
async function openGalleryIndexes(likeness: Likeness): Promise<{ galleries: number; faces: number; ms: number }> {
  const started = performance.now();
  const indexes = await likeness.indexes();
  let faces = 0;
  const galleries = await likeness.store.galleries.list();
  for (const g of galleries) faces += await indexes.size(g.id);
  return { galleries: galleries.length, faces, ms: Math.round(performance.now() - started) };
}
