import type { Page } from 'playwright-core';

export async function signIn(page: Page, origin: string, key: string): Promise<void> {
  await page.goto(`${origin}/#/signin`);
  await page.reload();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/signin'));
}

/** A fresh load of a page of the UI, whatever page the tab was on. */
export async function visit(page: Page, origin: string, hash: string): Promise<void> {
  await page.goto(`${origin}/#${hash}`);
  await page.reload();
}
