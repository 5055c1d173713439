import type { Command } from 'commander';
import { LEGAL_BASES } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import { printJson } from '../output.ts';
import { withLikeness } from '../session.ts';
import { cliActor } from '../operator.ts';
import { registerSourceLifecycle } from './source-lifecycle.ts';

interface AddOptions {
  kind: string;
  uri: string;
  legalBasis: string;
  jurisdiction: string;
  retentionDays: string;
  gallery?: string;
  controller?: string;
  specialCategory?: string;
}

export function registerSource(program: Command): void {
  const source = program.command('source').description('declared sources: the only way images enter likeness');

  source.command('add <name>')
    .description('declare a source with its legal basis, jurisdictions and retention')
    .requiredOption('--kind <kind>', 'directory | url-list | upload | targeted-site')
    .requiredOption('--uri <uri>', 'folder, list file or URL scope of the source')
    .requiredOption('--legal-basis <basis>', `GDPR Art. 6 basis: ${LEGAL_BASES.join(', ')}`)
    .requiredOption('--jurisdiction <codes>', 'ISO 3166 codes, comma separated (e.g. FR,US-IL)')
    .requiredOption('--retention-days <n>', 'days a face is kept before it is erased')
    .option('--gallery <name>', 'gallery the faces go to', 'default')
    .option('--controller <name>', 'controller or owner of the source')
    .option('--special-category <condition>', 'GDPR Art. 9 condition (e.g. explicit-consent)')
    .action(async (name: string, opts: AddOptions, command: Command) => {
      const retentionDays = Number(opts.retentionDays);
      if (!/^\d+$/.test(opts.retentionDays)) {
        throw new LikenessError('LIKENESS_SOURCE_INVALID', `--retention-days must be a whole number, got "${opts.retentionDays}"`);
      }
      await withLikeness(command, async (likeness) => {
        const created = await likeness.catalogue.declareSource({
          name,
          kind: opts.kind,
          uri: opts.uri,
          legalBasis: opts.legalBasis,
          jurisdictions: opts.jurisdiction.split(','),
          retentionDays,
          gallery: opts.gallery,
          controller: opts.controller,
          specialCategoryCondition: opts.specialCategory,
        });
        await likeness.audit.record({
          actor: cliActor(), client: null, action: 'source.add', target: created.id,
          details: { name: created.name, kind: created.kind, legalBasis: created.legalBasis, specialCategoryCondition: created.specialCategoryCondition, jurisdictions: created.jurisdictions, retentionDays: created.retentionDays },
        });
        console.log(`source ${created.name} declared (${created.kind}, ${created.legalBasis}, ${created.jurisdictions.join(',')}, ${created.retentionDays} days)`);
      });
    });

  source.command('list')
    .description('list declared sources')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const sources = await likeness.catalogue.listSources();
        if (opts.json) return printJson(sources);
        if (sources.length === 0) return console.log('no sources declared');
        for (const s of sources) {
          console.log(`${s.name}\t${s.kind}\t${s.uri}\t${s.legalBasis}\t${s.jurisdictions.join(',')}\t${s.retentionDays}d\t${s.status}`);
        }
      }, { readOnly: true });
    });

  registerSourceLifecycle(source);
}
