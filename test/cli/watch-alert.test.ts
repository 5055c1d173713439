import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { startRecordingServer } from '../helpers/recording-server.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');
const receiver = await startRecordingServer({ '/alerts': { status: 204 } });
// At file level, so the folder outlives the server the test stops in its own after hook.
const root = tempDir();

async function cli(data: string, ...args: string[]): Promise<string> {
  const run = await runCli(data, ...args);
  assert.equal(run.code, 0, `likeness ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

async function until<T>(what: string, attempt: () => T | undefined, limitMs = 30_000): Promise<T> {
  for (const started = performance.now(); performance.now() - started < limitMs; await new Promise((r) => setTimeout(r, 200))) {
    const found = attempt();
    if (found !== undefined) return found;
  }
  throw new Error(`gave up waiting for ${what}`);
}

// docs/architecture.md, "Case work": real processes end to end. A watch filed and approved over the
// API of `likeness serve`, a new photo of the person ingested by a separate `likeness ingest`, a
// signed alert at a local receiver, then the case exported as a PDF by the local operator.
it('a watch filed by an investigator and approved by a supervisor alerts a webhook, signed, when a new photo of the person is ingested', async () => {
  const data = join(root, 'data');
  const photos = join(root, 'photos');
  mkdirSync(join(photos, 'earlier'), { recursive: true });
  for (const f of ['George_W_Bush_0001.jpg', 'Tony_Blair_0002.jpg']) cpSync(join(FACES, f), join(photos, 'earlier', f));
  await cli(data, 'init');
  writeFileSync(join(data, 'likeness.policy.yaml'), 'watches:\n  enabled: true\n  webhookAllowPrivate: true\n');
  await cli(data, 'source', 'add', 'press', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
    '--special-category', 'substantial-public-interest', '--jurisdiction', 'FR', '--retention-days', '30');
  await cli(data, 'ingest', join(photos, 'earlier'), '--source', 'press');
  await cli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR');
  const key = async (name: string, role: string) => (await cli(data, 'user', 'add', name, '--client', 'police', '--role', role)).trim().split('\n').pop()!;
  const investigator = await key('ivan', 'investigator');
  const supervisor = await key('sue', 'supervisor');

  const server = startCli(data, ['serve', '--port', '0'], { LIKENESS_LOG_LEVEL: 'info' });
  after(async () => {
    server.child.kill('SIGTERM');
    await server.done;
  });
  let log = '';
  server.child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const origin = await until('the server to listen', () => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1], 120_000);

  const form = new FormData();
  form.append('image', new Blob([readFileSync(join(FACES, 'Serena_Williams_0001.jpg'))], { type: 'image/jpeg' }), 'serena.jpg');
  form.append('caseNumber', 'W-7');
  form.append('purpose', 'locate a missing person');
  form.append('expiresInDays', '30');
  form.append('webhookUrl', `${receiver.origin}/alerts`);
  const filed = await fetch(`${origin}/v1/watches`, { method: 'POST', headers: { authorization: `Bearer ${investigator}` }, body: form });
  assert.equal(filed.status, 201, await filed.clone().text());
  const watch = await filed.json() as { id: string; status: string; secret: string };
  assert.equal(watch.status, 'pending-approval');
  const approved = await fetch(`${origin}/v1/watches/${watch.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${supervisor}` } });
  assert.equal(approved.status, 200, await approved.clone().text());

  mkdirSync(join(photos, 'new'));
  cpSync(join(FACES, 'Serena_Williams_0002.jpg'), join(photos, 'new', 'Serena_Williams_0002.jpg'));
  cpSync(join(FACES, 'Colin_Powell_0001.jpg'), join(photos, 'new', 'Colin_Powell_0001.jpg'));
  await cli(data, 'ingest', join(photos, 'new'), '--source', 'press');

  const alert = await until('the alert', () => receiver.requests.find((r) => r.path === '/alerts'));
  assert.equal(alert.method, 'POST');
  assert.equal(alert.headers['x-likeness-signature'], `sha256=${createHmac('sha256', watch.secret).update(alert.body).digest('hex')}`);
  const body = JSON.parse(alert.body.toString()) as { watchId: string; caseNumber: string; provenance: { path: string } };
  assert.equal(body.caseNumber, 'W-7');
  assert.equal(body.watchId, watch.id);
  assert.match(body.provenance.path, /Serena_Williams_0002\.jpg$/);
  assert.equal(receiver.requests.filter((r) => r.path === '/alerts').length, 1, 'one alert: the other face is not the person');

  const pdf = join(root, 'case.pdf');
  await cli(data, 'case', 'export', 'W-7', '--format', 'pdf', '--out', pdf);
  const text = pdfText(readFileSync(pdf)).join('\n');
  assert.match(text, /Case file W-7/);
  const audit = (await cli(data, 'audit', 'export')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; details: Record<string, unknown> });
  const filedEntry = audit.find((e) => e.action === 'watch.file')!;
  assert.ok(text.includes((filedEntry.details.probeSha256 as string[])[0]!), 'the probe\'s SHA-256 is in the PDF');
  const exported = audit.filter((e) => e.action === 'case.export').at(-1)!;
  assert.ok(text.includes(exported.details.auditHeadHash as string), 'the PDF ends with the audit head at export time');
  assert.ok(audit.some((e) => e.action === 'watch.hit'));
});
