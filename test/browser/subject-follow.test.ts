import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { describeViolations, seriousViolations } from './helpers/axe.ts';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { assertOffers, visit } from './helpers/sign-in.ts';
import { WATCHES_ON } from './helpers/case-api.ts';
import { CASE_PEOPLE, PROBES, startUiServer, type UiServer } from './helpers/ui-server.ts';

interface Receipt { requestId: string; accessToken: string; dueAt: string }

describe('web UI: a data subject follows their request on the Privacy page', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let access: Receipt;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON, signsIn: [] });
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A request as any client of the API files it: no account, a selfie, a contact address. */
  async function fileRequest(kind: string, probe: string): Promise<Receipt> {
    const form = new FormData();
    form.append('kind', kind);
    form.append('contact', 'subject@example.org');
    form.append('selfie', new Blob([readFileSync(join(PROBES, probe))], { type: 'image/jpeg' }), 'selfie.jpg');
    const res = await fetch(`${server.origin}/v1/subject-requests`, { method: 'POST', body: form });
    assert.equal(res.status, 202, await res.clone().text());
    return await res.json() as Receipt;
  }

  async function follow(requestId: string, accessCode: string): Promise<void> {
    await page.getByLabel('Request id').fill(requestId);
    await page.getByLabel('Access code').fill(accessCode);
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.locator('#follow-status.done, #follow-status.error').waitFor();
  }

  it('shows the status and due date of a request filed through POST /v1/subject-requests', async () => {
    await assertOffers(server.origin, 'POST', '/v1/subject-requests');
    await assertOffers(server.origin, 'GET', '/v1/subject-requests/{id}');
    access = await fileRequest('access', 'Serena_Williams_0009.jpg');
    await visit(page, server.origin, '/privacy');
    await follow(access.requestId, access.accessToken);
    assert.equal(await page.locator('[data-testid="follow-due-date"]').innerText(), access.dueAt.slice(0, 10));
    assert.match(await page.locator('[data-testid="follow-status"]').innerText(), /^Received: /);
    assert.equal(await page.locator('[data-testid="access-report"]').count(), 0, 'a report before the DPO approved');
    await screenshot(page, 'privacy-follow-received');
  });

  it('gives the same answer to a wrong access code and to a wrong request id', async () => {
    await follow(access.requestId, `${access.accessToken.slice(0, -3)}xyz`);
    const wrongCode = await page.getByRole('alert').innerText();
    await follow(`${access.requestId.slice(0, -3)}abc`, access.accessToken);
    const wrongId = await page.getByRole('alert').innerText();
    assert.equal(wrongCode, wrongId);
    assert.match(wrongCode, /No request matches this request id and access code/);
    assert.equal(await page.locator('[data-testid="follow-due-date"]').count(), 0);
    assert.equal(await page.getByLabel('Request id').getAttribute('aria-invalid'), null);
  });

  it('shows the approved access report in the page and hands it over as a download', async () => {
    await assertOffers(server.origin, 'GET', '/v1/subject-requests/{id}/report.html');
    const approve = await fetch(`${server.origin}/v1/dpo/requests/${access.requestId}/approve`, {
      method: 'POST', headers: { authorization: `Bearer ${server.keys.dpo}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'identity checked by video call' }),
    });
    assert.equal(approve.status, 200, await approve.clone().text());
    const matched = (await approve.json() as { matches: unknown[] }).matches.length;
    assert.ok(matched > 0, 'the selfie matched none of her faces');

    await visit(page, server.origin, '/privacy');
    await follow(access.requestId, access.accessToken);
    const report = page.locator('[data-testid="access-report"]');
    await report.waitFor();
    assert.match(await report.getByRole('heading').first().innerText(), new RegExp(`^We hold ${matched} faces? that match`));
    const text = await report.innerText();
    assert.match(text, /Legitimate interests \(Art\. 6\(1\)\(f\)\)/);
    assert.match(text, /Serena_Williams_\d+\.jpg/);
    assert.doesNotMatch(text, /legitimate-interests/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the report' }).click()]);
    assert.equal(download.suggestedFilename(), `likeness-access-report-${access.requestId}.html`);
    const saved = readFileSync(await download.path(), 'utf8');
    assert.match(saved, /<h1>Your access report<\/h1>/);
    assert.match(saved, new RegExp(`${matched} face\\(s\\) that match yours`));
    await screenshot(page, 'privacy-follow-report');
  });

  it('fits a phone, with no serious or critical axe violation, while showing the report', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await visit(page, server.origin, '/privacy');
      await follow(access.requestId, access.accessToken);
      await page.locator('[data-testid="access-report"]').waitFor();
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page scrolls sideways on a phone');
      await screenshot(page, 'privacy-follow-report-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
