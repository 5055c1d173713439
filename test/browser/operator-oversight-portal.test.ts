import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { assertOffers, forgetSession, signIn, visit } from './helpers/sign-in.ts';
import { WATCHES_ON } from './helpers/case-api.ts';
import { CASE_PEOPLE, PROBES, startUiServer, type UiServer } from './helpers/ui-server.ts';

describe('web UI: operator catalogue, audit view, privacy portal and DPO desk', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON, signsIn: ['dpo', 'operator', 'overseer'] });
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the declared sources with legal basis in words, jurisdictions, retention and face counts', async () => {
    await signIn(page, server.origin, server.people.operator);
    assert.equal(new URL(page.url()).hash, '#/sources');
    const row = page.locator('[data-testid="sources"] tbody tr').filter({ hasText: 'press-archive' });
    await row.waitFor();
    const text = await row.innerText();
    for (const expected of ['press-archive', 'directory', 'Legitimate interests (Art. 6(1)(f))', 'Special category: substantial public interest (Art. 9(2)(g))',
      'FR, DE', '365 days', 'default (8)']) {
      assert.ok(text.includes(expected), `${expected} not in ${text}`);
    }
    assert.doesNotMatch(await page.locator('[data-testid="sources"]').innerText(), /legitimate-interests|public-task|substantial-public-interest/);
  });

  it('offers uploads only into upload sources, shows no progress bar before one, and refreshes the face counts after it', async () => {
    const choices = await page.getByLabel('Into source').locator('option').allInnerTexts();
    assert.deepEqual(choices, ['operator-uploads'], 'the directory source press-archive lists its own folder and takes no upload');
    assert.equal(await page.locator('#upload-progress').isVisible(), false, 'a progress bar before any upload');
    const counts = page.locator('[data-testid="gallery-faces"]');
    assert.deepEqual(await counts.allInnerTexts(), ['default (8)', 'default (8)']);

    await page.getByLabel('Images', { exact: true }).setInputFiles(join(PROBES, 'Colin_Powell_0009.jpg'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('#upload-status.done').waitFor();
    assert.equal(await page.locator('#upload-progress').isVisible(), true);
    assert.equal(await page.locator('#upload-progress').evaluate((p: HTMLProgressElement) => p.value), 100);
    assert.match(await page.locator('#upload-status').innerText(), /1 face\(s\) indexed from 1 image/);
    assert.deepEqual(await counts.allInnerTexts(), ['default (9)', 'default (9)']);
    await screenshot(page, 'sources');
  });

  it('opens the uploaded face and deletes it after confirming', async () => {
    await page.locator('[data-testid="upload-outcome"] a').first().click();
    await page.getByRole('heading', { name: 'Face record' }).waitFor();
    await page.locator('dl.facts').waitFor();
    const facts = await page.locator('dl.facts').innerText();
    assert.match(facts, /operator-uploads \(upload\)/);
    assert.match(facts, /A task in the public interest \(Art\. 6\(1\)\(e\)\)/);
    assert.match(facts, /upload\/Colin_Powell_0009\.jpg/);
    await page.getByRole('button', { name: 'Delete face…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this face?' });
    await dialog.waitFor();
    await screenshot(page, 'face-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.locator('#delete-status').innerText(), '');
    await page.getByRole('button', { name: 'Delete face…' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#delete-status.done').waitFor();
    assert.match(await page.locator('#delete-status').innerText(), /no longer searchable/);
  });

  it('shows a face from a directory source with its crop and provenance', async () => {
    const res = await fetch(`${server.origin}/v1/sources`, { headers: { authorization: `Bearer ${server.keys.operator}` } });
    assert.equal(res.status, 200);
    // The investigator's search leaves the face ids; here one is found through the API, as the UI's lookup box would.
    const search = new FormData();
    search.append('image', new Blob([await (await import('node:fs/promises')).readFile(join(PROBES, 'Serena_Williams_0009.jpg'))], { type: 'image/jpeg' }), 'probe.jpg');
    search.append('caseNumber', 'CASE-OPS-1');
    search.append('purpose', 'quality review');
    const found = await (await fetch(`${server.origin}/v1/search`, { method: 'POST', body: search, headers: { authorization: `Bearer ${server.keys.investigator}` } })).json() as { candidates: Array<{ faceId: string }> };
    const faceId = found.candidates[0]!.faceId;
    await visit(page, server.origin, '/sources');
    await page.getByLabel('Open a face by id').fill(faceId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator('img.crop.large').waitFor();
    assert.match(await page.locator('dl.facts').innerText(), /Serena_Williams_\d+\.jpg/);
    await screenshot(page, 'face-record');
  });

  it('shows supervisors and auditors the searches by case and the chain verification', async () => {
    await signIn(page, server.origin, server.people.overseer);
    assert.equal(new URL(page.url()).hash, '#/audit');
    await page.locator('[data-testid="chain"]').waitFor();
    assert.match(await page.locator('[data-testid="chain"]').innerText(), /^Intact: all \d+ entries verify/);
    await page.locator('[data-testid="searches"]').waitFor();
    assert.match(await page.locator('[data-testid="searches"] tbody').innerText(), /CASE-OPS-1\tquality review/);
    // The server filters: a case number is matched exactly.
    await page.getByLabel('Case number').fill('no-such-case');
    await page.getByRole('button', { name: 'Filter searches' }).click();
    await page.locator('[data-testid="searches"] caption').filter({ hasText: /^0 searches/ }).waitFor();
    assert.equal(await page.locator('[data-testid="searches"] tbody tr').count(), 0);
    await page.getByLabel('Case number').fill('CASE-OPS-1');
    await page.getByRole('button', { name: 'Filter searches' }).click();
    await page.locator('[data-testid="searches"] caption').filter({ hasText: /^1 search / }).waitFor();
    assert.equal(await page.locator('[data-testid="searches"] tbody tr').count(), 1);
    assert.match(await page.locator('[data-testid="entries"]').innerText(), /search/);
    await screenshot(page, 'audit');
  });

  it('shows anyone, without an account, the source categories, legal bases and retention', async () => {
    await forgetSession(page);
    await visit(page, server.origin, '/privacy');
    await page.locator('[data-testid="categories"]').waitFor();
    const table = await page.locator('[data-testid="categories"]').innerText();
    assert.match(table, /Legitimate interests \(Art\. 6\(1\)\(f\)\)/);
    assert.doesNotMatch(table, /legitimate-interests|substantial-public-interest/);
    assert.match(table, /365 days/);
    assert.doesNotMatch(table, /press-archive/);
    assert.match(await page.locator('main').innerText(), /No face is kept longer than 1095 days/);
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('alert').filter({ hasText: 'valid email' }).waitFor();
    await screenshot(page, 'privacy');
  });

  it('takes a subject request with a selfie, shows only its id and due date, and no longer marks the corrected e-mail invalid', async () => {
    await assertOffers(server.origin, 'POST', '/v1/subject-requests');
    await visit(page, server.origin, '/privacy');
    await page.getByLabel(/Erasure/).check();
    const email = page.getByLabel('Email address');
    await email.fill('serena@');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('alert').filter({ hasText: 'valid email' }).waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    await email.fill('serena@example.org');
    await page.getByLabel('A photo of your face').setInputFiles(join(PROBES, 'Serena_Williams_0009.jpg'));
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('[data-testid="request-id"]').waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), null, 'the e-mail field stays marked invalid after a successful request');
    assert.match(await page.locator('[data-testid="request-id"]').innerText(), /\S{8,}/);
    assert.match(await page.locator('[data-testid="due-date"]').innerText(), /^\d{4}-\d{2}-\d{2}$/);
    assert.doesNotMatch(await page.locator('main').innerText(), /Serena_Williams_0/);
    await screenshot(page, 'privacy-request-received');
  });

  it('lets the DPO approve an open request', async () => {
    await assertOffers(server.origin, 'GET', '/v1/dpo/requests');
    await signIn(page, server.origin, server.people.dpo);
    const request = page.locator('[data-testid="request"]').first();
    await request.waitFor();
    await screenshot(page, 'dpo');
    assert.match(await request.innerText(), /erasure · received/);
    assert.match(await request.innerText(), /Liveness \d\.\d\d/);
    await request.getByRole('button', { name: 'Approve' }).click();
    await request.getByRole('alert').waitFor();
    if (/failed/.test(await request.innerText())) {
      await request.getByLabel(/Reason/).fill('identity checked by video call');
      await request.getByRole('button', { name: 'Approve' }).click();
    }
    await page.getByRole('button', { name: 'Erase and suppress' }).waitFor();
    assert.match(await page.locator('[data-testid="request"]').first().innerText(), /erasure · approved/);
    await screenshot(page, 'dpo-approved');
  });
});
