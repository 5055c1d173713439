import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { totpAt, totpStep } from '../../../src/services/accounts/totp.ts';
import type { Person } from './ui-server.ts';

// A code is taken once per step (a replay is refused), and tests sign the same person in several
// times a minute: each sign-in takes the next step not yet used, up to the one after now (which
// the server accepts for drift), then a recovery code.
const lastStep = new WeakMap<Person, number>();

/** The code the person's authenticator app would show for their next sign-in. */
export function nextCode(person: Person): string {
  const now = Date.now();
  const step = Math.max(totpStep(now), (lastStep.get(person) ?? -1) + 1);
  if (step <= totpStep(now) + 1) {
    lastStep.set(person, step);
    return totpAt(person.secret, step * 30_000);
  }
  const recovery = person.recoveryCodes.shift();
  assert.ok(recovery, `${person.name} has signed in more often than the codes allow`);
  return recovery;
}

/** Signs in through the form, with name, password and the code computed here. */
export async function signIn(page: Page, origin: string, person: Person): Promise<void> {
  await page.goto(`${origin}/#/signin`);
  await page.reload();
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Password').fill(person.password);
  await page.getByLabel('Code').fill(nextCode(person));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/signin'));
}

/** Signed out as a browser that lost its cookie: the next page load is no one's. */
export async function forgetSession(page: Page): Promise<void> {
  await page.context().clearCookies();
}

/** A fresh load of a page of the UI, whatever page the tab was on; fails when the UI has no such page. */
export async function visit(page: Page, origin: string, hash: string): Promise<void> {
  await page.goto(`${origin}/#${hash}`);
  await page.reload();
  const heading = page.locator('main h1').first();
  await heading.waitFor();
  assert.notEqual(await heading.innerText(), 'Page not found', `the web UI has no page #${hash}`);
}

/** Fails the test, never skips it, when the running server lacks a route the page needs (from its OpenAPI document). */
export async function assertOffers(origin: string, method: string, path: string): Promise<void> {
  const doc = await (await fetch(`${origin}/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
  assert.ok(Object.hasOwn(doc.paths[path] ?? {}, method.toLowerCase()), `the server does not offer ${method} ${path}, which this page needs`);
}
