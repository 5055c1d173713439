import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
import type { IngestFailure, IngestProgress, IngestSummary } from '../../services/ingest-service.ts';
import type { CollectionSummary } from '../../ports/collected-image.ts';
import type { RefusalEvent } from '../../ports/collection-gate.ts';
import { cliActor } from '../operator.ts';
import { isTty, printJson } from '../output.ts';
import { formatDuration, ProgressRate } from '../progress-rate.ts';
import { withLikeness } from '../session.ts';

export function registerIngest(program: Command): void {
  program.command('ingest [dir]')
    .description('detect, embed and index the images of a declared source: a folder (directory), a URL list (url-list) or a site within its scope (targeted-site)')
    .requiredOption('--source <name>', 'declared source the images come from')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string | undefined, opts: { source: string; json?: boolean }, command: Command) => {
      // Loaded for this command only, so that help and the other commands start without them.
      const [{ recordPolicyInForce }, { refusalDetails }, { collectorFor }, { ingestCollected }] = await Promise.all([
        import('../../services/policy/policy-record.ts'), import('../../services/uploads/upload-service.ts'),
        import('../../source-collector.ts'), import('../../services/collection/ingest-collected.ts'),
      ]);
      await withLikeness(command, async (likeness) => {
        const source = await likeness.catalogue.sourceByName(opts.source);
        await recordPolicyInForce(likeness.audit, likeness.loadedPolicy, cliActor());
        const audited = { actor: cliActor(), client: null, target: source.id };
        const report = { view: undefined as Awaited<ReturnType<typeof barView>> | undefined };
        const say = (line: string) => (report.view ? report.view.log : writeErr)(line);
        const handlers = {
          actor: { actor: audited.actor, client: null },
          onFailure: (f: IngestFailure) => say(`${f.path}: ${f.code}: ${f.message}\n`),
          // One line per refusal, with its rule; the audit entry carries no box, age or embedding.
          onRefusal: async (event: RefusalEvent) => {
            say(`${event.path}: ${event.scope === 'image' ? 'image' : `face ${event.scope}`} refused: ${event.reason}\n`);
            await likeness.audit.record({ ...audited, action: 'ingest.refused', details: refusalDetails(event) });
          },
        };

        let collection: CollectionSummary | undefined;
        let summary: IngestSummary;
        if (source.kind === 'url-list' || source.kind === 'targeted-site') {
          if (dir !== undefined) throw new LikenessError('LIKENESS_BAD_INPUT', `Source "${source.name}" is a ${source.kind} source; it takes no folder`);
          const images = await collectorFor(source, likeness.config.collector, {
            maxImageBytes: likeness.config.limits.maxImageBytes,
            onSkip: (skip) => writeErr(`${skip.url}: not fetched (${skip.reason}${skip.detail ? `: ${skip.detail}` : ''})\n`),
          });
          ({ summary, collection } = await ingestCollected(images, await likeness.ingest(), source.name, handlers));
        } else {
          if (source.kind !== 'directory') {
            throw new LikenessError('LIKENESS_SOURCE_INVALID', `Source "${source.name}" is an ${source.kind} source; its images arrive through the API`);
          }
          // Refuses a folder whose real path leaves the source's; each file is checked again when read.
          const files = await likeness.imageFiles.list(source.uri, dir ?? source.uri);
          const ingest = await likeness.ingest();
          report.view = isTty() && !opts.json ? await barView(files.length) : undefined;
          summary = await ingest.ingest(files, source.name, { ...handlers, onProgress: report.view?.update });
          report.view?.stop();
        }
        await likeness.audit.record({ ...audited, action: 'ingest', details: { source: source.name, ...counts(summary), ...(collection ? { collection } : {}) } });
        // Alerts of the watches this run's faces matched leave now; any that fail wait for the server's next try.
        const alerts = await likeness.watchAlerts.drain();
        if (alerts.delivered + alerts.retrying + alerts.failed > 0) {
          writeErr(`watch alerts: ${alerts.delivered} delivered, ${alerts.retrying} to retry, ${alerts.failed} given up\n`);
        }
        if (opts.json) return printJson(collection ? { ...summary, collection } : summary);
        if (collection) console.log(collectionLine(collection));
        console.log(summaryLine(summary));
      });
    });
}

const writeErr = (line: string): void => void process.stderr.write(line);

function summaryLine(s: IngestSummary): string {
  // Every image handled counts towards the rate: a skipped or failed one also took its turn.
  const rate = s.seconds > 0 ? (s.done / s.seconds).toFixed(1) : '-';
  const rules = Object.entries(s.refusalsByRule).map(([rule, n]) => `${rule} ${n}`).join(', ');
  const refused = s.refusedImages + s.refusedFaces > 0 ? `refused ${s.refusedImages} images and ${s.refusedFaces} faces by policy (${rules}), ` : '';
  return `ingested ${s.ingested} images (${s.faces} faces, ${s.withoutFace} without a face), skipped ${s.skipped} already present, `
    + `${refused}failed ${s.failed}, in ${s.seconds.toFixed(1)} s (${rate} images/s)`;
}

function collectionLine(c: CollectionSummary): string {
  const skipped = Object.entries(c.skipped).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  return `collected ${c.images} images from ${c.pages} pages in ${c.requests} requests (${c.bytes} bytes); not fetched: ${skipped}; stopped: ${c.stoppedBy}`;
}

function counts(s: IngestSummary): Record<string, unknown> {
  return { ingested: s.ingested, skipped: s.skipped, failed: s.failed, faces: s.faces, refusedImages: s.refusedImages, refusedFaces: s.refusedFaces, refusalsByRule: s.refusalsByRule };
}

async function barView(total: number) {
  const { MultiBar, Presets } = await import('cli-progress');
  const bars = new MultiBar({
    format: '{bar} {value}/{total} images | {rate} images/s | {faces} faces | {failed} failed | ETA {left}',
    hideCursor: true,
    stream: process.stderr,
  }, Presets.shades_classic);
  const bar = bars.create(total, 0, { rate: '-', faces: 0, failed: 0, left: '-' });
  // The bar's own ETA follows its last few updates; this one follows the measured rate.
  const rate = new ProgressRate(Date.now);
  rate.update(0, total);
  return {
    update: (p: IngestProgress) => {
      const { perSecond, secondsLeft } = rate.update(p.done, p.total);
      bar.update(p.done, { rate: perSecond === undefined ? '-' : perSecond.toFixed(1), faces: p.faces, failed: p.failed, left: formatDuration(secondsLeft) });
    },
    log: (line: string) => bars.log(line),
    stop: () => bars.stop(),
  };
}
