import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isOverdue } from '../../domain/subject-deadlines.ts';
import { LikenessError } from '../../errors.ts';
import { accessReportHtml } from '../../services/subjects/access-report-html.ts';
import { cliActor } from '../operator.ts';
import { printJson } from '../output.ts';
import { withLikeness } from '../session.ts';

async function photo(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `Cannot read ${path}`, { cause });
  }
}

const who = () => ({ actor: cliActor() });

export function registerSubject(program: Command): void {
  const subject = program.command('subject').description('requests of the people in the galleries: access, erasure, objection');

  subject.command('request <kind>')
    .description('file a request (access | erasure | objection); prints the request id on its last line')
    .requiredOption('--selfie <photo>', 'a photo of the person, taken now')
    .requiredOption('--contact <email>', 'where the answer goes')
    .option('--document <photo>', 'a photo of an identity document')
    .action(async (kind: string, opts: { selfie: string; contact: string; document?: string }, command: Command) => {
      const selfie = await photo(opts.selfie);
      const document = opts.document ? await photo(opts.document) : undefined;
      await withLikeness(command, async ({ rights }) => {
        const receipt = await rights.intake.file({ kind, contact: opts.contact, selfie, document, actor: cliActor() });
        console.log(`received; due by ${receipt.dueAt.slice(0, 10)}`);
        console.log(`access token (give it to the requester only): ${receipt.accessToken}`);
        console.log(receipt.requestId);
      });
    });

  subject.command('list')
    .description('open requests, soonest due first (--all for every request)')
    .option('--all', 'closed requests too, newest first')
    .option('--json', 'machine-readable output')
    .action(async (opts: { all?: boolean; json?: boolean }, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        const list = opts.all ? await rights.requests.list(1000) : await rights.requests.open();
        if (opts.json) return printJson(list);
        if (list.length === 0) return console.log('no open requests');
        const now = new Date();
        for (const r of list) {
          const overdue = isOverdue(r, now) ? '\tOVERDUE' : '';
          const v = r.verification;
          const checks = `liveness ${v.liveness.score.toFixed(2)}${v.liveness.passed ? '' : ' (failed)'}${v.document ? `, document ${v.document.score.toFixed(2)}${v.document.matched ? '' : ' (no match)'}` : ''}`;
          console.log(`${r.id}\t${r.kind}\t${r.status}\tdue ${r.dueAt.slice(0, 10)}${overdue}\t${checks}`);
        }
      }, { readOnly: true });
    });

  subject.command('approve <id>')
    .description('approve the verification; the galleries are searched for the person now')
    .option('--reason <text>', 'needed when the selfie failed liveness or the document match')
    .action(async (id: string, opts: { reason?: string }, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        const r = await rights.requests.approve(id, who(), { reason: opts.reason });
        console.log(`approved: ${r.matches!.length} face(s) at similarity >= ${r.threshold!.toFixed(4)}`);
      });
    });

  subject.command('reject <id>')
    .description('reject a request, with the reason')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, opts: { reason: string }, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        await rights.requests.reject(id, who(), opts.reason);
        console.log('rejected');
      });
    });

  subject.command('extend <id>')
    .description('extend the deadline by up to 2 months, with the reason')
    .requiredOption('--reason <text>', 'why, as told to the person')
    .option('--months <n>', '1 or 2', '2')
    .action(async (id: string, opts: { reason: string; months: string }, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        const r = await rights.requests.extend(id, who(), Number(opts.months), opts.reason);
        console.log(`due by ${r.dueAt.slice(0, 10)}`);
      });
    });

  subject.command('exclude <id> <faceId>')
    .description('leave out of the report and the erasure a face that is clearly someone else')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, faceId: string, opts: { reason: string }, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        await rights.requests.exclude(id, faceId, who(), opts.reason);
        console.log(`face ${faceId} excluded`);
      });
    });

  subject.command('report <id>')
    .description('the access report of an approved request')
    .option('--json', 'as JSON')
    .option('--html', 'as a print-ready HTML page')
    .action(async (id: string, opts: { json?: boolean; html?: boolean }, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        const report = await rights.requests.report(id);
        if (opts.html) return void process.stdout.write(accessReportHtml(report));
        if (opts.json) return printJson(report);
        console.log(`${report.faces.length} face(s); recipients: ${report.recipients.map((r) => `${r.client} (${r.clientType})`).join(', ') || 'none'}`);
        for (const f of report.faces) console.log(`${f.faceId}\t${f.score.toFixed(4)}\t${f.image.url ?? f.image.path}\t${f.source.name}\t${f.source.legalBasis}`);
      }, { readOnly: true });
    });

  subject.command('execute <id>')
    .description('carry out an approved request: close an access request; erase and suppress for erasure and objection')
    .action(async (id: string, _opts, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        const outcome = await rights.requests.execute(id, who());
        console.log(`${outcome.request.kind} request completed: ${outcome.erased.length} face(s) erased${outcome.suppressed ? ', template on the suppression list' : ''}`);
      });
    });
}
