import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config.ts';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { activeWatch, asJson, auditEntries, uploadPhoto, userId, WATCHES_ON } from './helpers/case-api.ts';
import { assertOffers, signIn, visit } from './helpers/sign-in.ts';
import { CASE_PEOPLE, PROBES, startUiServer, type UiServer } from './helpers/ui-server.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');
const CASE = 'CASE-W-1';

// docs/architecture.md, "Case work": the Search page shows a case's watches and their hits and
// takes a review of each lead; the Audit page reviews leads too, and filters and pages on the server.
describe('web UI: lead reviews, the watches of a case, the audit view filtered and paged by the server', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let investigatorId: string;
  let supervisorId: string;
  let hitFace: string | undefined;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON, signsIn: ['investigator', 'overseer'] });
    browser = await openBrowser();
    page = browser.page;
    await activeWatch(server, join(FACES, 'Serena_Williams_0001.jpg'), CASE, 'locate a missing person');
    // A new photo of the watched person enters through the upload source: the watch catches it.
    [hitFace] = await uploadPhoto(server, join(FACES, 'Serena_Williams_0002.jpg'));
    investigatorId = await userId(server, server.keys.investigator);
    supervisorId = await userId(server, server.keys.overseer);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the investigator the watches of the case being worked on, with their hits, before any search', async () => {
    await assertOffers(server.origin, 'GET', '/v1/cases/{caseNumber}');
    await signIn(page, server.origin, server.people.investigator);
    await page.getByRole('button', { name: 'Show the watches of this case' }).click();
    await page.getByRole('alert').filter({ hasText: 'Enter the case number' }).waitFor();

    await page.getByLabel('Case number').fill('CASE-NOTHING');
    await page.getByRole('button', { name: 'Show the watches of this case' }).click();
    await page.locator('[data-testid="no-watches"]').waitFor();
    assert.match(await page.locator('#watches').innerText(), /Watches of case CASE-NOTHING[\s\S]*Nothing you may see is on record under case CASE-NOTHING/);

    await page.getByLabel('Case number').fill(CASE);
    await page.getByRole('button', { name: 'Show the watches of this case' }).click();
    const watch = page.locator('[data-testid="watch"]');
    await watch.waitFor();
    assert.equal(await watch.count(), 1);
    assert.equal(await watch.locator('[data-testid="watch-state"]').innerText(), 'Active');
    assert.match(await watch.innerText(), /Filed by investigator on \d{4}-\d{2}-\d{2}, approved by overseer on \d{4}-\d{2}-\d{2}; ends \d{4}-\d{2}-\d{2}\./);
    assert.match(await watch.innerText(), /Purpose: locate a missing person\. No alert address/);
    const hits = watch.locator('[data-testid="watch-hits"] tbody tr');
    assert.equal(await hits.count(), 1);
    const hit = await hits.innerText();
    assert.match(hit, /Serena_Williams_0002\.jpg/);
    assert.match(hit, /operator-uploads, collected/);
    assert.match(hit, /\b0\.\d\d\b/, 'the similarity score');
    assert.ok(hit.includes(hitFace!), 'the face the watch caught');
    await screenshot(page, 'search-case-watches');
  });

  it('records the investigator\'s review of a lead with a reason, shows it on the candidate, and the audit log holds it', async () => {
    await visit(page, server.origin, '/search');
    await page.locator('#probe').setInputFiles(join(PROBES, 'Serena_Williams_0009.jpg'));
    await page.locator('.face-box').first().waitFor();
    await page.getByLabel('Case number').fill(CASE);
    await page.getByLabel('Purpose').fill('identify a witness');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const first = page.locator('[data-testid="candidate"]').first();
    await first.waitFor();
    // The case's watches come under the answer without asking.
    await page.locator('[data-testid="watch-hits"]').waitFor();
    assert.equal(await first.locator('[data-testid="review"]').innerText(), 'Not reviewed yet.');

    await first.getByText('Review candidate #1').click();
    await first.getByRole('button', { name: 'Record review' }).click();
    await first.getByRole('alert').filter({ hasText: 'Choose likely match, not a match or inconclusive' }).waitFor();
    await first.getByLabel('Likely match').check();
    await first.getByRole('button', { name: 'Record review' }).click();
    await first.getByRole('alert').filter({ hasText: 'A review states its reason' }).waitFor();
    assert.equal(await first.getByLabel('Reason').getAttribute('aria-invalid'), 'true');
    await first.getByLabel('Reason').fill('same scar above the left eyebrow');
    await first.getByRole('button', { name: 'Record review' }).click();
    await first.locator('.status.done').filter({ hasText: 'Recorded in the audit log' }).waitFor();
    assert.match(await first.locator('[data-testid="review"]').innerText(),
      /^Review: Likely match: same scar above the left eyebrow \(by you, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/);
    await screenshot(page, 'search-lead-reviewed');

    const faceId = await first.getAttribute('data-face-id');
    const [entry] = await auditEntries(server, 'action=search.review');
    assert.equal(entry!.actor, investigatorId);
    assert.deepEqual([entry!.details.faceId, entry!.details.disposition, entry!.details.reason, entry!.details.caseNumber],
      [faceId, 'likely-match', 'same scar above the left eyebrow', CASE]);
    const reviews = await asJson<Array<{ faceId: string; disposition: string }>>(server, server.keys.investigator, `/v1/searches/${entry!.target}/reviews`);
    assert.deepEqual(reviews.map((r) => [r.faceId, r.disposition]), [[faceId, 'likely-match']]);
  });

  it('lets a supervisor review a lead from the Audit page, beside the reviews already on record', async () => {
    await signIn(page, server.origin, server.people.overseer);
    assert.equal(new URL(page.url()).hash, '#/audit');
    await page.getByLabel('Case number').fill(CASE);
    await page.getByRole('button', { name: 'Filter searches' }).click();
    const rows = page.locator('[data-testid="searches"] tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, await page.locator('[data-testid="searches"]').innerText());
    await rows.first().getByRole('button', { name: /^Review leads of the search of .*, case CASE-W-1$/ }).click();
    const lead = page.locator('[data-testid="lead"]').first();
    await lead.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'leads-title', 'focus moves to the leads');
    const history = page.locator('[data-testid="review-history"] li');
    assert.equal(await history.count(), 1);
    assert.match(await history.first().innerText(), /^Lead 1: Likely match: same scar above the left eyebrow \(by investigator, /);
    assert.match(await lead.locator('[data-testid="review"]').innerText(), /^Review: Likely match: same scar above the left eyebrow \(by investigator/);
    assert.match(await lead.innerText(), /false-match rate/);

    await lead.getByText('Review lead 1').click();
    await lead.getByLabel('Not a match').check();
    await lead.getByLabel('Reason').fill('the ear shape differs');
    await lead.getByRole('button', { name: 'Record review' }).click();
    await lead.locator('.status.done').waitFor();
    assert.match(await lead.locator('[data-testid="review"]').innerText(), /^Review: Not a match: the ear shape differs \(by you, /);
    assert.equal(await history.count(), 2);
    assert.match(await history.nth(1).innerText(), /^Lead 1: Not a match: the ear shape differs \(by you, /);
    await screenshot(page, 'audit-lead-review');

    const [latest] = await auditEntries(server, 'action=search.review');
    assert.deepEqual([latest!.actor, latest!.details.disposition, latest!.details.reason], [supervisorId, 'not-a-match', 'the ear shape differs']);
  });

  it('filters the searches and the audit entries on the server and pages through the entries', async () => {
    await visit(page, server.origin, '/audit');
    const searches = page.locator('[data-testid="searches"] tbody tr');
    await searches.first().waitFor();
    await page.getByLabel('Case number').fill('case-w-1');
    let asked = page.waitForRequest((r) => r.url().includes('/v1/searches?') && r.url().includes('caseNumber=case-w-1'));
    await page.getByRole('button', { name: 'Filter searches' }).click();
    await asked;
    await page.locator('[data-testid="searches"] caption').filter({ hasText: /^0 searches on page 1/ }).waitFor();
    await page.getByLabel('Case number').fill('');
    await page.getByLabel('User id', { exact: true }).fill(investigatorId);
    await page.getByRole('button', { name: 'Filter searches' }).click();
    await page.locator('[data-testid="searches"] caption').filter({ hasText: /^1 search on page 1/ }).waitFor();

    const entries = page.locator('[data-testid="entries"]');
    await page.locator('#e-action').fill('search.review');
    asked = page.waitForRequest((r) => r.url().includes('/v1/audit?') && r.url().includes('action=search.review'));
    await page.getByRole('button', { name: 'Filter entries' }).click();
    await asked;
    await entries.locator('caption').filter({ hasText: /^2 entries on page 1/ }).waitFor();
    assert.match(await entries.locator('tbody tr').first().innerText(), /search\.review[\s\S]*disposition: not-a-match; reason: the ear shape differs/);
    await page.locator('#e-actor').fill(investigatorId);
    await page.getByRole('button', { name: 'Filter entries' }).click();
    await entries.locator('caption').filter({ hasText: /^1 entry on page 1/ }).waitFor();
    assert.match(await entries.locator('tbody tr').innerText(), /disposition: likely-match/);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.locator('#e-from').fill(tomorrow);
    await page.getByRole('button', { name: 'Filter entries' }).click();
    await entries.locator('caption').filter({ hasText: /^0 entries on page 1/ }).waitFor();

    const total = (await auditEntries(server, 'limit=500')).length;
    assert.ok(total > 10, `a second page needs more than 10 entries, the client has ${total}`);
    for (const id of ['#e-action', '#e-actor', '#e-from']) await page.locator(id).fill('');
    await page.locator('#e-per-page').selectOption('10');
    await page.getByRole('button', { name: 'Filter entries' }).click();
    await entries.locator('caption').filter({ hasText: /^10 entries on page 1/ }).waitFor();
    const seqs = async () => (await entries.locator('tbody tr td:first-child').allInnerTexts()).map(Number);
    const pageOne = await seqs();
    const pages = page.getByRole('navigation', { name: 'Pages of audit entries' });
    assert.equal(await pages.getByRole('button', { name: 'Newer' }).isDisabled(), true);
    await pages.getByRole('button', { name: 'Older' }).click();
    await entries.locator('caption').filter({ hasText: /on page 2/ }).waitFor();
    const pageTwo = await seqs();
    assert.ok(pageTwo.length > 0 && Math.max(...pageTwo) < Math.min(...pageOne), `page 2 ${pageTwo} continues after page 1 ${pageOne}`);
    assert.match(await pages.innerText(), /Page 2/);
    await pages.getByRole('button', { name: 'Newer' }).click();
    await entries.locator('caption').filter({ hasText: /on page 1/ }).waitFor();
    assert.deepEqual(await seqs(), pageOne);
    await screenshot(page, 'audit-paged');
  });
});
