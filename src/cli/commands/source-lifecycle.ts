import type { Command } from 'commander';
import type { Source } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { SourceChanges } from '../../services/sources/source-lifecycle.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';

interface UpdateOptions {
  legalBasis?: string;
  retentionDays?: string;
  jurisdiction?: string;
  specialCategory?: string;
  controller?: string;
}

/** `source update | pause | resume | retire`: each checked against the policy and audited. */
export function registerSourceLifecycle(source: Command): void {
  const actor = () => ({ actor: cliActor(), client: null });

  source.command('update <name>')
    .description('amend a source declaration (checked against the policy like a new one, audited)')
    .option('--legal-basis <basis>', 'GDPR Art. 6 basis')
    .option('--retention-days <n>', 'days a face is kept; applies to faces collected from now on')
    .option('--jurisdiction <codes>', 'ISO 3166 codes, comma separated; replaces the list')
    .option('--special-category <condition>', 'GDPR Art. 9 condition; "none" clears it')
    .option('--controller <name>', 'controller or owner of the source')
    .action(async (name: string, opts: UpdateOptions, command: Command) => {
      const changes: SourceChanges = {};
      if (opts.legalBasis !== undefined) changes.legalBasis = opts.legalBasis;
      if (opts.retentionDays !== undefined) {
        if (!/^\d+$/.test(opts.retentionDays)) throw new LikenessError('LIKENESS_SOURCE_INVALID', `--retention-days must be a whole number, got "${opts.retentionDays}"`);
        changes.retentionDays = Number(opts.retentionDays);
      }
      if (opts.jurisdiction !== undefined) changes.jurisdictions = opts.jurisdiction.split(',');
      if (opts.specialCategory !== undefined) changes.specialCategoryCondition = opts.specialCategory === 'none' ? null : opts.specialCategory;
      if (opts.controller !== undefined) changes.controller = opts.controller;
      if (Object.keys(changes).length === 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'Nothing to change: give at least one option');
      await withLikeness(command, async (likeness) => {
        console.log(`source ${describe(await likeness.sources.update(actor(), name, changes))}`);
      });
    });

  source.command('pause <name>')
    .description('stop a source taking images until it is resumed')
    .action(async (name: string, _opts: unknown, command: Command) => {
      await withLikeness(command, async (likeness) => {
        console.log(`source ${describe(await likeness.sources.pause(actor(), name))}`);
      });
    });

  source.command('resume <name>')
    .description('let a paused source take images again, if the policy still allows it')
    .action(async (name: string, _opts: unknown, command: Command) => {
      await withLikeness(command, async (likeness) => {
        console.log(`source ${describe(await likeness.sources.resume(actor(), name))}`);
      });
    });

  source.command('retire <name>')
    .description('retire a source for good; --erase also deletes its faces, which leave search at once')
    .option('--erase', 'delete every face collected through this source')
    .action(async (name: string, opts: { erase?: boolean }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const { source: retired, erased } = await likeness.sources.retire(actor(), name, { erase: Boolean(opts.erase) });
        console.log(`source ${retired.name} retired${opts.erase ? `; ${erased} faces erased` : '; its faces stay until they expire (retire --erase deletes them)'}`);
      });
    });
}

function describe(s: Source): string {
  const art9 = s.specialCategoryCondition ? `, Art. 9: ${s.specialCategoryCondition}` : '';
  return `${s.name} ${s.status} (${s.kind}, ${s.legalBasis}${art9}, ${s.jurisdictions.join(',')}, ${s.retentionDays} days)`;
}
