import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { base32Decode } from '../../src/services/accounts/totp.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { openBrowser, type Browser } from './helpers/browser.ts';
import { signIn } from './helpers/sign-in.ts';
import { TEST_PASSWORD, type Person } from './helpers/ui-server.ts';
import { ensureWebBuild } from './helpers/web-build.ts';

// The Content-Security-Policy forbids inline code and foreign origins; the pages likeness
// serves must still work under it, with not one violation reported by the browser.
describe('pages under the Content-Security-Policy', () => {
  let h: ApiHarness;
  let app: FastifyInstance;
  let origin: string;
  let browser: Browser;
  const violations: string[] = [];

  before(async () => {
    h = await apiHarness();
    app = await buildApp(h.services, { limits: { maxImageBytes: 64 * 1024, maxFiles: 5 }, webRoot: await ensureWebBuild() });
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await openBrowser();
    browser.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await h?.close();
  });

  it('renders the API docs (Swagger UI) with every operation listed', async () => {
    violations.length = 0;
    await browser.page.goto(`${origin}/docs/`);
    await browser.page.locator('.opblock').first().waitFor();
    assert.ok(await browser.page.locator('.opblock').count() > 20);
    assert.deepEqual(violations, []);
  });

  it('renders the web UI and signs in', async () => {
    violations.length = 0;
    const operator = { local: 'local:test' };
    await h.services.credentials.setPassword(operator, 'ivan', TEST_PASSWORD);
    const enrolled = await h.services.credentials.enrolSecondFactor(operator, 'ivan');
    const ivan: Person = { name: 'ivan', password: TEST_PASSWORD, secret: base32Decode(enrolled.secret), recoveryCodes: enrolled.recoveryCodes };
    await signIn(browser.page, origin, ivan);
    assert.deepEqual(violations, []);
  });
});
