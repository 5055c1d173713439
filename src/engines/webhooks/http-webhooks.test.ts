import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpWebhooks } from './http-webhooks.ts';

describe('HttpWebhooks.check: where watch alerts may go', () => {
  const webhooks = new HttpWebhooks();

  for (const url of ['http://127.0.0.1:8080/hook', 'http://10.1.2.3/x', 'https://192.168.0.10/x', 'http://172.20.0.1/x', 'http://169.254.169.254/latest',
    'http://[::1]/x', 'http://[fd00::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://0.0.0.0/x', 'http://localhost/x']) {
    it(`refuses ${url} unless the policy allows private addresses`, async () => {
      await assert.rejects(webhooks.check(url, { allowPrivate: false }), (e: { code: string; details: { ruleId: string } }) =>
        e.code === 'LIKENESS_POLICY_DENIED' && e.details.ruleId === 'webhook-private-address');
      await webhooks.check(url, { allowPrivate: true });
    });
  }

  it('takes a public address', async () => {
    await webhooks.check('https://93.184.216.34/hook', { allowPrivate: false });
  });

  it('refuses what is not an http(s) URL, or carries credentials, whatever the policy', async () => {
    for (const url of ['ftp://93.184.216.34/x', 'file:///etc/passwd', 'nonsense', 'https://u:p@93.184.216.34/x']) {
      await assert.rejects(webhooks.check(url, { allowPrivate: true }), { code: 'LIKENESS_BAD_INPUT' }, url);
    }
  });
});
