import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { asJson, auditEntries, subjectRequest, userId, WATCHES_ON } from './helpers/case-api.ts';
import { assertOffers, signIn } from './helpers/sign-in.ts';
import { CASE_PEOPLE, PROBES, startUiServer, type UiServer } from './helpers/ui-server.ts';

interface StoredRequest {
  status: string; dueAt: string; originalDueAt: string;
  extension: { reason: string; dueAt: string } | null;
  matches: Array<{ faceId: string }> | null;
  exclusions: Array<{ faceId: string; reason: string }>;
}

// GDPR Art. 12(3) and the exclusion of a face that is someone else: the DPO desk's buttons for
// the API's extend and exclusions routes, each with its reason, each recorded.
describe('web UI: the DPO extends a deadline and leaves a face out of a request, with reasons', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let requestId: string;
  let dpoId: string;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON, signsIn: ['dpo'] });
    browser = await openBrowser();
    page = browser.page;
    requestId = await subjectRequest(server, 'erasure', join(PROBES, 'Serena_Williams_0009.jpg'));
    dpoId = await userId(server, server.keys.dpo);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const stored = () => asJson<StoredRequest>(server, server.keys.dpo, `/v1/dpo/requests/${requestId}`);
  const card = (): Locator => page.locator(`[data-testid="request"][data-request-id="${requestId}"]`);

  it('extends the deadline by two months with a reason, shows the new due date and offers no second extension', async () => {
    await assertOffers(server.origin, 'POST', '/v1/dpo/requests/{id}/extend');
    await signIn(page, server.origin, server.people.dpo);
    await card().waitFor();
    const before = await stored();
    assert.match(await card().innerText(), new RegExp(`due ${before.dueAt.slice(0, 10)}`));

    await card().getByText('Extend the deadline…').click();
    await card().getByRole('button', { name: 'Extend deadline' }).click();
    await card().getByRole('alert').filter({ hasText: 'An extension needs a reason' }).waitFor();
    assert.equal((await stored()).extension, null, 'nothing is sent without a reason');
    await card().getByLabel('Extend the deadline').selectOption('2');
    await card().getByLabel('Why more time is needed').fill('the requester holds several accounts to check');
    await card().getByRole('button', { name: 'Extend deadline' }).click();
    await card().locator('[data-testid="extension"]').waitFor();

    const after = await stored();
    assert.equal(after.extension?.reason, 'the requester holds several accounts to check');
    assert.ok(after.dueAt > before.dueAt, `${after.dueAt} after ${before.dueAt}`);
    assert.equal(await card().locator('[data-testid="extension"]').innerText(),
      `Deadline extended to ${after.dueAt.slice(0, 10)} (was ${before.originalDueAt.slice(0, 10)}): the requester holds several accounts to check`);
    assert.match(await card().innerText(), new RegExp(`due ${after.dueAt.slice(0, 10)}`));
    assert.equal(await card().getByRole('button', { name: 'Extend deadline' }).count(), 0, 'a deadline is extended once');
    const [entry] = await auditEntries(server, 'action=subject.extend');
    assert.deepEqual([entry!.actor, entry!.target, entry!.details.months, entry!.details.reason],
      [dpoId, requestId, 2, 'the requester holds several accounts to check']);
    await screenshot(page, 'dpo-extended');
  });

  it('lists the faces an approved request matched and leaves one out with a reason, which the erasure then spares', async () => {
    await assertOffers(server.origin, 'POST', '/v1/dpo/requests/{id}/exclusions');
    await card().getByRole('button', { name: 'Approve' }).click();
    await card().getByRole('alert').or(card().locator('[data-testid="matched-face"], [data-testid="no-matched-faces"]').first()).waitFor();
    if ((await stored()).status === 'received') {
      // The selfie failed a check: approving it anyway takes a reason.
      await card().getByLabel(/Reason/).fill('identity checked by video call');
      await card().getByRole('button', { name: 'Approve' }).click();
    }
    const faces = card().locator('[data-testid="matched-face"]');
    await faces.first().waitFor();
    const matched = (await stored()).matches!;
    assert.ok(matched.length >= 1);
    assert.equal(await faces.count(), matched.length);
    assert.match(await card().locator('h3').innerText(), new RegExp(`^${matched.length} matched faces?$`));
    assert.equal(await faces.first().getAttribute('data-face-id'), matched[0]!.faceId);
    assert.match(await faces.first().innerText(), /Face 1 · similarity score 0\.\d\d/);

    const first = faces.first();
    await first.getByRole('button', { name: 'Leave out face 1' }).click();
    await first.getByRole('alert').filter({ hasText: 'Leaving a face out needs a reason' }).waitFor();
    await first.getByLabel('Reason to leave out face 1').fill('a different person who shares the name');
    await first.getByRole('button', { name: 'Leave out face 1' }).click();
    await card().locator('[data-testid="exclusion"]').waitFor();
    assert.equal(await card().locator('[data-testid="matched-face"]').first().locator('[data-testid="exclusion"]').innerText(),
      'Left out: a different person who shares the name');
    assert.equal(await card().getByRole('button', { name: 'Leave out face 1' }).count(), 0);

    const after = await stored();
    assert.deepEqual(after.exclusions.map((e) => [e.faceId, e.reason]), [[matched[0]!.faceId, 'a different person who shares the name']]);
    const [entry] = await auditEntries(server, 'action=subject.exclude');
    assert.deepEqual([entry!.actor, entry!.target, entry!.details.faceId, entry!.details.reason],
      [dpoId, requestId, matched[0]!.faceId, 'a different person who shares the name']);
    await screenshot(page, 'dpo-face-left-out');

    await card().getByRole('button', { name: 'Erase and suppress' }).click();
    await page.locator('[data-testid="no-requests"]').waitFor();
    const face = async (id: string) => (await fetch(`${server.origin}/v1/faces/${id}`, { headers: { authorization: `Bearer ${server.keys.operator}` } })).status;
    assert.equal(await face(matched[0]!.faceId), 200, 'the face left out is still there');
    for (const m of matched.slice(1)) assert.equal(await face(m.faceId), 404, `matched face ${m.faceId} is erased`);
  });
});
