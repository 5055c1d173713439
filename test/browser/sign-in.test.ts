import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { totpAt } from '../../src/services/accounts/totp.ts';
import { runCli, runCliWithInput } from '../helpers/run-cli.ts';
import { openBrowser, screenshot, type Browser } from './helpers/browser.ts';
import { signIn } from './helpers/sign-in.ts';
import { WATCHES_ON } from './helpers/case-api.ts';
import { CASE_PEOPLE, startUiServer, TEST_PASSWORD, type UiServer } from './helpers/ui-server.ts';

const ONE_MESSAGE = 'The name, password or code is not right.';

// People sign in with name, password and the code of their authenticator app, computed here
// from the secret `likeness user totp` printed; the browser holds the session as an HttpOnly
// cookie that no script of the page can read (docs/architecture.md, "Authentication").
describe('web UI: signing in with a password and a second factor', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startUiServer(CASE_PEOPLE, { policy: WATCHES_ON, signsIn: ['investigator'] });
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const fillForm = async (name: string, password: string, code: string) => {
    await page.goto(`${server.origin}/#/signin`);
    await page.reload();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('refuses a wrong code and a wrong password with the one message, and stays on the form', async () => {
    const person = server.people.investigator;
    // An hour ahead: a code of the right secret, but of no step the server accepts now.
    await fillForm(person.name, person.password, totpAt(person.secret, Date.now() + 3_600_000));
    await page.getByRole('alert').filter({ hasText: ONE_MESSAGE }).waitFor();
    await screenshot(page, 'signin-wrong-code');
    await fillForm(person.name, 'not the password at all', totpAt(person.secret, Date.now()));
    await page.getByRole('alert').filter({ hasText: ONE_MESSAGE }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/signin');
    assert.deepEqual(await page.context().cookies(), [], 'no session was opened');
  });

  it('signs in with name, password and code into an HttpOnly, SameSite=Strict cookie that no script reads, and keeps it over a reload', async () => {
    await signIn(page, server.origin, server.people.investigator);
    assert.equal(new URL(page.url()).hash, '#/search');
    const [cookie, ...others] = await page.context().cookies();
    assert.deepEqual(others, []);
    assert.deepEqual([cookie?.name, cookie?.httpOnly, cookie?.sameSite, cookie?.path], ['likeness_session', true, 'Strict', '/']);
    const stored = await page.evaluate(() => ({ session: sessionStorage.length, local: localStorage.length, cookie: document.cookie }));
    assert.deepEqual(stored, { session: 0, local: 0, cookie: '' }, 'no key, token or cookie within a script\'s reach');
    await page.reload();
    await page.getByRole('heading', { name: 'Search', exact: true }).waitFor();
    assert.match(await page.locator('.who').innerText(), /^investigator · police$/);
  });

  it('refuses with 403 a change sent with the cookie but without the CSRF header, as another site\'s form would send it', async () => {
    const status = await page.evaluate(async () => (await fetch('/v1/session', { method: 'DELETE' })).status);
    assert.equal(status, 403);
    const me = await page.evaluate(async () => (await fetch('/v1/me')).status);
    assert.equal(me, 200, 'the session is still open');
  });

  it('signs out on the server: the cookie a copy was taken of opens nothing afterwards', async () => {
    const [cookie] = await page.context().cookies();
    const asTheCookie = () => fetch(`${server.origin}/v1/me`, { headers: { cookie: `likeness_session=${cookie!.value}` } });
    assert.equal((await asTheCookie()).status, 200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForFunction(() => location.hash === '#/signin');
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal((await asTheCookie()).status, 401);
    assert.deepEqual(await page.context().cookies(), [], 'and the browser was told to forget it');
    const entries = await (await fetch(`${server.origin}/v1/audit?action=session.close`, { headers: { authorization: `Bearer ${server.keys.overseer}` } })).json();
    assert.equal(entries.length, 1);
  });

  it('tells a person whose role needs a second factor, and who has none, to ask for one', async () => {
    const add = await runCli(server.data, 'user', 'add', 'newcomer', '--client', 'police', '--role', 'investigator');
    assert.equal(add.code, 0, add.stderr);
    assert.equal((await runCliWithInput(server.data, `${TEST_PASSWORD}\n`, 'user', 'password', 'newcomer')).code, 0);
    await fillForm('newcomer', TEST_PASSWORD, '');
    await page.getByRole('alert').filter({ hasText: /needs a second factor/ }).waitFor();
    assert.deepEqual(await page.context().cookies(), []);
  });
});
