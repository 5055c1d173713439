import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config.ts';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { signIn, visit } from './helpers/sign-in.ts';
import { GALLERY, PROBES, startUiServer, type UiServer } from './helpers/ui-server.ts';

async function searchWith(page: Page, probe: string, caseNumber: string): Promise<void> {
  await page.locator('#probe').setInputFiles(join(PROBES, probe));
  await page.locator('.face-box').first().waitFor();
  await page.getByLabel('Case number').fill(caseNumber);
  await page.getByLabel('Purpose').fill('identify a witness');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('[data-testid="candidate"], [data-testid="no-match"], #search-status.error').first().waitFor();
  assert.equal(await page.locator('#search-status.error').count(), 0, await page.locator('#search-status').innerText());
}

describe('web UI: investigator search on the real-photo sample gallery', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startUiServer(readdirSync(GALLERY), { signsIn: ['investigator'] });
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in with name, password and code and lands on the Search page', async () => {
    await signIn(page, server.origin, server.people.investigator);
    assert.equal(new URL(page.url()).hash, '#/search');
  });

  it('asks for the case number before searching', async () => {
    await page.locator('#probe').setInputFiles(join(PROBES, 'Colin_Powell_0009.jpg'));
    await page.locator('.face-box').first().waitFor();
    await page.getByLabel('Purpose').fill('identify a witness');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'case number' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'case');
  });

  it('shows the detected face on the probe, then the right person first, with crops, similarity and false-match rate', async () => {
    await visit(page, server.origin, '/search');
    await page.locator('#probe').setInputFiles(join(PROBES, 'Colin_Powell_0009.jpg'));
    const box = page.locator('.face-box').first();
    await box.waitFor();
    assert.equal(await box.getAttribute('aria-pressed'), 'true');
    // Said in words, on the box and under the photo, not by the border colour alone.
    assert.equal(await page.getByRole('button', { name: 'Face 1 · selected', exact: true }).count(), 1);
    assert.match(await page.locator('[data-testid="selected-face"]').innerText(), /selected/);
    await screenshot(page, 'search-face-picked');
    await page.getByLabel('Case number').fill('CASE-2024-001');
    await page.getByLabel('Purpose').fill('identify a witness');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-testid="candidate"], #search-status.error').first().waitFor();
    assert.equal(await page.locator('#search-status.error').count(), 0, await page.locator('#search-status').innerText());
    const first = page.locator('[data-testid="candidate"]').first();
    assert.match(await first.locator('[data-testid="candidate-file"]').innerText(), /^Colin_Powell_/);
    assert.match(await first.locator('[data-testid="similarity"]').innerText(), /^Similarity score 0\.\d\d$/);
    assert.doesNotMatch(await page.locator('#results').innerText(), /\d%/, 'a similarity shown as a percentage reads as a probability');
    assert.match(await first.innerText(), /False-match rate/);
    assert.match(await first.locator('[data-testid="expected-strangers"]').innerText(), /^(about [\d.]+|fewer than 0\.001) strangers? expected at this score in this search/);
    assert.match(await page.locator('#results').innerText(), /[\d,]+ faces searched/);
    assert.match(await first.innerText(), /press-archive · Legitimate interests \(Art\. 6\(1\)\(f\)\) · FR, DE/);
    await first.locator('img.crop').waitFor();
    const natural = await first.locator('img.crop').evaluate((img: HTMLImageElement) => img.naturalWidth);
    assert.equal(natural, 192);
    await screenshot(page, 'search-results');
  });

  it('can be driven by keyboard alone: choose the file, the face, fill the form and search', async () => {
    await visit(page, server.origin, '/search');
    await page.locator('#probe').setInputFiles(join(PROBES, 'Serena_Williams_0009.jpg'));
    await page.locator('.face-box').first().focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'case');
    await page.keyboard.type('CASE-KB-7');
    await page.keyboard.press('Tab');
    await page.keyboard.type('find a missing person');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="candidate"], #search-status.error').first().waitFor();
    assert.equal(await page.locator('#search-status.error').count(), 0, await page.locator('#search-status').innerText());
    const first = page.locator('[data-testid="candidate"]').first();
    assert.match(await first.locator('[data-testid="candidate-file"]').innerText(), /^Serena_Williams_/);
  });

  it('announces the results once: focus moves to their heading, and no live region repeats them', async () => {
    await visit(page, server.origin, '/search');
    await searchWith(page, 'Colin_Powell_0009.jpg', 'CASE-2024-004');
    const focused = await page.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent }));
    assert.deepEqual(focused, { tag: 'H2', text: await page.locator('#results h2').innerText() });
    const live = await page.evaluate(() => [...document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]')]
      .filter((e) => /candidate/i.test(e.textContent ?? '')).map((e) => e.id || e.tagName));
    assert.deepEqual(live, [], 'the results are also in a live region');
  });

  it('says which face of a group photo is selected, in words, and searches with it', async () => {
    await visit(page, server.origin, '/search');
    await page.locator('#probe').setInputFiles(join(PROJECT_ROOT, 'test', 'fixtures', 'group.jpg'));
    const boxes = page.locator('.face-box');
    await boxes.nth(1).waitFor();
    const caption = page.locator('[data-testid="selected-face"]');
    assert.match(await caption.innerText(), /^2 faces found \(face 1 is the largest\)\. Selected: face 1\./);
    await boxes.nth(1).click();
    assert.match(await caption.innerText(), /Selected: face 2\./);
    assert.equal(await page.getByRole('button', { name: 'Face 2 · selected', exact: true }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Face 1 (largest)', exact: true }).count(), 1);
    await screenshot(page, 'search-face-selected-in-words');
    await page.getByLabel('Case number').fill('CASE-2024-005');
    await page.getByLabel('Purpose').fill('identify a witness');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-testid="candidate"], [data-testid="no-match"], #search-status.error').first().waitFor();
    assert.equal(await page.locator('#search-status.error').count(), 0, await page.locator('#search-status').innerText());
    assert.match(await page.locator('[data-testid="candidate-file"]').first().innerText(), /^George_W_Bush_/, 'the search used the selected face 2');
  });

  it('says plainly when no candidate passes the threshold', async () => {
    await visit(page, server.origin, '/search');
    await searchWith(page, 'Vladimir_Putin_0001.jpg', 'CASE-2024-002');
    await page.getByRole('heading', { name: 'No candidate above the threshold' }).waitFor();
    assert.equal(await page.locator('[data-testid="candidate"]').count(), 0);
    await screenshot(page, 'search-no-match');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, server.origin, '/search');
    await searchWith(page, 'Hugo_Chavez_0011.jpg', 'CASE-2024-003');
    assert.match(await page.locator('[data-testid="candidate-file"]').first().innerText(), /^Hugo_Chavez_/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const widest = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-3).map((e) => `${e.tagName}.${e.className}#${e.id}`).join(' '));
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone: ${widest}`);
    await screenshot(page, 'search-results-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('does not let an investigator open the operator pages', async () => {
    await page.goto(`${server.origin}/#/sources`);
    await page.getByRole('alert').filter({ hasText: 'needs the role operator' }).waitFor();
  });
});
