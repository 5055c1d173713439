import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { auditEntries, userId, WATCHES_ON } from './helpers/case-api.ts';
import { base32Decode, totpAt } from '../../src/services/accounts/totp.ts';
import { assertOffers, nextCode, signIn, visit } from './helpers/sign-in.ts';
import { CASE_PEOPLE, startUiServer, type UiServer } from './helpers/ui-server.ts';

const KEY = /^lk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;

// The controller's admin on the Accounts page (docs/architecture.md, "Accounts over HTTP"): a user
// and keys made through the page's forms, each key shown once and then used, one revoked.
describe('web UI: the admin adds a user and keys on the Accounts page, and the keys work until revoked', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON, signsIn: ['admin', 'investigator'] });
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const me = (key: string) => fetch(`${server.origin}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  const shownKey = async () => {
    const key = (await page.locator('[data-testid="new-key"]').innerText()).trim();
    assert.match(key, KEY);
    return key;
  };

  it('adds a user with a role; the key shown once works for that user, and only within their role', async () => {
    for (const [method, path] of [['POST', '/v1/admin/users'], ['POST', '/v1/admin/users/{user}/keys'], ['DELETE', '/v1/admin/keys/{prefix}']]) {
      await assertOffers(server.origin, method!, path!);
    }
    await signIn(page, server.origin, server.people.admin);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.locator('[data-testid="users"]').waitFor();

    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#user-name[aria-invalid="true"]').waitFor();
    assert.equal(await page.locator('[data-testid="new-key"]').count(), 0, 'nothing is added without a name');
    await page.locator('#user-name').fill('nina');
    await page.locator('#user-client').selectOption('police');
    await page.locator('#new-role-investigator').check();
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('heading', { name: 'New API key for nina' }).waitFor();
    const key = await shownKey();
    await page.locator('[data-testid="users"] tr', { hasText: 'nina' }).waitFor();
    await screenshot(page, 'accounts-new-user');

    const who = await (await me(key)).json() as { user: { name: string; roles: string[] } };
    assert.deepEqual([who.user.name, who.user.roles], ['nina', ['investigator']]);
    await page.getByRole('button', { name: 'Done, I have stored it' }).click();
    assert.equal(await page.locator('[data-testid="new-key"]').count(), 0, 'the secret leaves the page');

    // The key is for nina's programs: it reaches what her role allows, and no account of anyone.
    const asNina = await fetch(`${server.origin}/v1/admin/users`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(asNina.status, 403);
  });

  it('issues a second key, lists both by prefix and revokes one: that key is refused at once, the other still works', async () => {
    await signIn(page, server.origin, server.people.admin);
    await visit(page, server.origin, '/accounts');
    await page.getByRole('button', { name: 'New key for nina' }).click();
    const second = await shownKey();
    assert.equal((await me(second)).status, 200);

    await page.getByLabel('Keys of').selectOption('nina');
    await page.getByRole('button', { name: 'Show keys' }).click();
    const rows = page.locator('[data-testid="keys"] tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const secondPrefix = second.split('_')[1]!;
    const firstRow = rows.filter({ hasNotText: secondPrefix });
    const firstPrefix = (await firstRow.locator('code').innerText()).trim();
    assert.ok(!(await page.locator('[data-testid="keys"]').innerText()).includes(second.slice('lk_'.length + 12 + 1)), 'no secret in the list');

    await page.getByRole('button', { name: `Revoke key ${firstPrefix}` }).click();
    await firstRow.filter({ hasText: 'revoked' }).waitFor();
    await screenshot(page, 'accounts-keys');
    const firstKeyUser = await fetch(`${server.origin}/v1/admin/keys?prefix=${firstPrefix}`, { headers: { authorization: `Bearer ${server.keys.admin}` } });
    assert.ok(((await firstKeyUser.json()) as Array<{ revokedAt: string | null }>)[0]!.revokedAt);
    assert.equal((await me(second)).status, 200, 'the other key still works');

    const adminId = await userId(server, server.keys.admin);
    const actions = (await auditEntries(server, `actor=${adminId}&limit=50`)).map((e) => e.action);
    for (const action of ['user.add', 'key.issue', 'key.revoke']) assert.ok(actions.includes(action), `${action} is on record: ${actions.join(', ')}`);
  });

  it('resets a user\'s second factor: shown once, the old code is refused, the new secret signs in, the reset is on record', async () => {
    await assertOffers(server.origin, 'POST', '/v1/admin/users/{user}/second-factor');
    await signIn(page, server.origin, server.people.admin);
    await visit(page, server.origin, '/accounts');
    const investigator = server.people.investigator;
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Reset second factor of ${investigator.name}` }).click();
    await page.getByRole('heading', { name: `New second factor for ${investigator.name}` }).waitFor();
    const secret = (await page.locator('[data-testid="new-totp-secret"]').innerText()).trim();
    assert.match(await page.locator('[data-testid="new-totp-uri"]').innerText(), new RegExp(`^otpauth://totp/.*secret=${secret}`));
    const codes = await page.locator('[data-testid="new-recovery-codes"] li').allInnerTexts();
    assert.ok(codes.length >= 8 && new Set(codes).size === codes.length, `recovery codes: ${codes.join(', ')}`);
    await screenshot(page, 'accounts-second-factor');
    await page.getByRole('button', { name: 'Done, I have handed it over' }).click();
    assert.equal(await page.locator('[data-testid="new-totp-secret"]').count(), 0, 'the secret leaves the page');

    const openSession = (code: string) => fetch(`${server.origin}/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: investigator.name, password: investigator.password, code }),
    });
    assert.equal((await openSession(nextCode(investigator))).status, 401, 'the old authenticator\'s code no longer signs in');
    assert.equal((await openSession(totpAt(base32Decode(secret), Date.now()))).status, 200, 'the new secret does');
    const adminId = await userId(server, server.keys.admin);
    const actions = (await auditEntries(server, `actor=${adminId}&limit=50`)).map((e) => e.action);
    assert.ok(actions.includes('user.totp.reset'), `the reset is on record: ${actions.join(', ')}`);
  });
});
