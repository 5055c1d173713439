import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export async function signIn(page: Page, origin: string, key: string): Promise<void> {
  await page.goto(`${origin}/#/signin`);
  await page.reload();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/signin'));
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
