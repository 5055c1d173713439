import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config.ts';
import { describeViolations, seriousViolations } from './helpers/axe.ts';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { activeWatch, approveRequest, subjectRequest, uploadPhoto, WATCHES_ON } from './helpers/case-api.ts';
import { forgetSession, signIn, visit } from './helpers/sign-in.ts';
import { CASE_PEOPLE, PROBES, startUiServer, type Persona, type UiServer } from './helpers/ui-server.ts';

interface Screen {
  name: string;
  /** Who opens it; nobody for the public pages. */
  as: Persona | null;
  hash: string;
  /** Brings the page into the state worth checking, e.g. with results shown. */
  fill?: (page: Page) => Promise<void>;
}

const VIEWPORTS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];

// Every page of the UI, each with content in it, checked by axe-core on a phone and on a desktop.
describe('web UI: no serious or critical axe violation on any page, on a phone or a desktop', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let faceId: string;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON });
    browser = await openBrowser();
    page = browser.page;
    // A search (for the audit page and a face record) and an open request (for the DPO desk), made through the API.
    const search = new FormData();
    search.append('image', new Blob([readFileSync(join(PROBES, 'Serena_Williams_0009.jpg'))], { type: 'image/jpeg' }), 'probe.jpg');
    search.append('caseNumber', 'CASE-A11Y-1');
    search.append('purpose', 'accessibility review');
    const found = await fetch(`${server.origin}/v1/search`, { method: 'POST', body: search, headers: { authorization: `Bearer ${server.keys.investigator}` } });
    assert.equal(found.status, 200, await found.clone().text());
    faceId = (await found.json() as { candidates: Array<{ faceId: string }> }).candidates[0]!.faceId;
    const request = new FormData();
    request.append('kind', 'erasure');
    request.append('contact', 'subject@example.org');
    request.append('selfie', new Blob([readFileSync(join(PROBES, 'Serena_Williams_0009.jpg'))], { type: 'image/jpeg' }), 'selfie.jpg');
    assert.equal((await fetch(`${server.origin}/v1/subject-requests`, { method: 'POST', body: request })).status, 202);
    // A watch with a hit for the case the search screen works on, and an approved request with its matched faces.
    const faces = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');
    await activeWatch(server, join(faces, 'Serena_Williams_0001.jpg'), 'CASE-A11Y-2', 'accessibility review');
    await uploadPhoto(server, join(faces, 'Serena_Williams_0002.jpg'));
    await approveRequest(server, await subjectRequest(server, 'access', join(PROBES, 'Serena_Williams_0009.jpg')));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const screens = (): Screen[] => [
    { name: 'privacy', as: null, hash: '/privacy', fill: async (p) => { await p.locator('[data-testid="categories"]').waitFor(); } },
    { name: 'signin', as: null, hash: '/signin' },
    {
      name: 'search', as: 'investigator', hash: '/search', fill: async (p) => {
        await p.locator('#probe').setInputFiles(join(PROBES, 'Serena_Williams_0009.jpg'));
        await p.locator('.face-box').first().waitFor();
        await p.getByLabel('Case number').fill('CASE-A11Y-2');
        await p.getByLabel('Purpose').fill('accessibility review');
        await p.getByRole('button', { name: 'Search', exact: true }).click();
        await p.locator('[data-testid="candidate"] img.crop').first().waitFor();
        await p.locator('[data-testid="watch-hits"]').waitFor();
        // An open review form, in its error state.
        const first = p.locator('[data-testid="candidate"]').first();
        await first.getByText('Review candidate #1').click();
        await first.getByRole('button', { name: 'Record review' }).click();
        await first.getByRole('alert').waitFor();
      },
    },
    { name: 'sources', as: 'operator', hash: '/sources', fill: async (p) => { await p.locator('[data-testid="sources"]').waitFor(); } },
    { name: 'face', as: 'operator', hash: `/faces/${faceId}`, fill: async (p) => { await p.locator('img.crop.large').waitFor(); } },
    {
      name: 'dpo', as: 'dpo', hash: '/dpo', fill: async (p) => {
        await p.locator('[data-testid="matched-face"]').first().waitFor();
        for (const fold of await p.getByText('Extend the deadline…').all()) await fold.click();
      },
    },
    {
      name: 'audit', as: 'overseer', hash: '/audit', fill: async (p) => {
        await p.locator('[data-testid="searches"]').waitFor();
        await p.locator('[data-testid="entries"]').waitFor();
        await p.getByRole('button', { name: /^Review leads/ }).first().click();
        await p.locator('[data-testid="lead"]').first().waitFor();
        await p.getByText('Review lead 1').click();
      },
    },
    {
      name: 'accounts', as: 'admin', hash: '/accounts', fill: async (p) => {
        await p.locator('[data-testid="users"]').waitFor();
        // A key shown once, a user's keys listed, and the add-user form in its error state.
        await p.getByRole('button', { name: 'New key for investigator' }).click();
        await p.locator('[data-testid="new-key"]').waitFor();
        await p.getByLabel('Keys of').selectOption('investigator');
        await p.getByRole('button', { name: 'Show keys' }).click();
        await p.locator('[data-testid="keys"]').waitFor();
        await p.getByRole('button', { name: 'Add user' }).click();
        await p.locator('#user-name[aria-invalid="true"]').waitFor();
      },
    },
  ];

  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.width}x${viewport.height}`, async () => {
      await page.setViewportSize(viewport);
      const found: string[] = [];
      let signedInAs: Persona | null | undefined;
      for (const screen of screens()) {
        if (screen.as !== signedInAs) {
          if (screen.as) await signIn(page, server.origin, server.people[screen.as]);
          else await forgetSession(page);
          signedInAs = screen.as;
        }
        await visit(page, server.origin, screen.hash);
        await screen.fill?.(page);
        const violations = await seriousViolations(page);
        if (violations.length > 0) found.push(`${screen.name}:\n${describeViolations(violations)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) found.push(`${screen.name}: the page is ${overflow}px wider than the screen`);
        await screenshot(page, `a11y-${screen.name}-${viewport.width}`);
      }
      assert.deepEqual(found, [], found.join('\n'));
    });
  }
});
