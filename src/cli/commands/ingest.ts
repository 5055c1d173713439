import { relative, resolve, isAbsolute } from 'node:path';
import type { Command } from 'commander';
import { MultiBar, Presets } from 'cli-progress';
import { LikenessError } from '../../errors.ts';
import { directoryImageFinder } from '../../repositories/files/directory-image-finder.ts';
import type { IngestProgress, IngestSummary } from '../../services/ingest-service.ts';
import { isTty, printJson } from '../output.ts';
import { withLikeness } from '../session.ts';

export function registerIngest(program: Command): void {
  program.command('ingest [dir]')
    .description('detect, embed and index every image of a folder, through a declared directory source')
    .requiredOption('--source <name>', 'declared source the images come from')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string | undefined, opts: { source: string; json?: boolean }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const source = await likeness.catalogue.sourceByName(opts.source);
        if (source.kind !== 'directory') {
          throw new LikenessError('LIKENESS_SOURCE_INVALID', `Source "${source.name}" is a ${source.kind} source; "likeness ingest" reads directory sources`);
        }
        const folder = resolve(dir ?? source.uri);
        if (!isInside(folder, resolve(source.uri))) {
          throw new LikenessError('LIKENESS_SOURCE_INVALID', `${folder} is outside the declared scope of source "${source.name}" (${source.uri})`);
        }
        const files = await directoryImageFinder.list(folder);
        const ingest = await likeness.ingest();
        const view = isTty() && !opts.json ? barView(files.length) : undefined;
        const summary = await ingest.ingest(files, source.name, {
          onProgress: view?.update,
          onFailure: (f) => (view ? view.log : writeErr)(`${f.path}: ${f.code}: ${f.message}\n`),
        });
        view?.stop();
        if (opts.json) printJson(summary);
        else console.log(summaryLine(summary));
      });
    });
}

function isInside(path: string, scope: string): boolean {
  const rel = relative(scope, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const writeErr = (line: string): void => void process.stderr.write(line);

function summaryLine(s: IngestSummary): string {
  const rate = s.seconds > 0 ? (s.ingested / s.seconds).toFixed(1) : '-';
  return `ingested ${s.ingested} images (${s.faces} faces, ${s.withoutFace} without a face), skipped ${s.skipped} already present, `
    + `failed ${s.failed}, in ${s.seconds.toFixed(1)} s (${rate} images/s)`;
}

function barView(total: number) {
  const bars = new MultiBar({
    format: '{bar} {value}/{total} images | {rate} img/s | {faces} faces | {failed} failed | ETA {eta_formatted}',
    hideCursor: true,
    stream: process.stderr,
  }, Presets.shades_classic);
  const bar = bars.create(total, 0, { rate: '0.0', faces: 0, failed: 0 });
  const started = Date.now();
  return {
    update: (p: IngestProgress) => bar.update(p.done, {
      rate: (p.done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1),
      faces: p.faces,
      failed: p.failed,
    }),
    log: (line: string) => bars.log(line),
    stop: () => bars.stop(),
  };
}
