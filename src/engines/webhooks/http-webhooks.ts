import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { LikenessError } from '../../errors.ts';
import type { Webhooks } from '../../ports/webhooks.ts';

const TIMEOUT_MS = 10_000;
const MAX_URL = 2048;

// Addresses a webhook may not reach unless the policy allows private ones: loopback, private
// networks, link-local (cloud metadata services), carrier-grade NAT, unspecified, multicast.
const internal = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) internal.addSubnet(net, prefix, 'ipv6');

function isInternal(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  return internal.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

function refused(message: string): LikenessError {
  return new LikenessError('LIKENESS_POLICY_DENIED', `denied by rule \`webhook-private-address\`: ${message}`, { details: { ruleId: 'webhook-private-address' } });
}

/** Webhooks over Node's fetch, with the address rules of the policy's `watches.webhookAllowPrivate`. */
export class HttpWebhooks implements Webhooks {
  async check(url: string, options: { allowPrivate: boolean }): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new LikenessError('LIKENESS_BAD_INPUT', 'webhookUrl is not a URL');
    }
    if (url.length > MAX_URL) throw new LikenessError('LIKENESS_BAD_INPUT', `webhookUrl is longer than ${MAX_URL} characters`);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new LikenessError('LIKENESS_BAD_INPUT', 'webhookUrl must be http or https');
    if (parsed.username || parsed.password) throw new LikenessError('LIKENESS_BAD_INPUT', 'webhookUrl may not carry credentials');
    if (options.allowPrivate) return;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await resolve(host);
    const inside = addresses.find(isInternal);
    if (inside !== undefined) throw refused(`${parsed.host} is a loopback or private address (${inside}); the policy allows public webhooks only`);
  }

  async post(url: string, body: string, headers: Record<string, string>, options: { allowPrivate: boolean }): Promise<{ status: number }> {
    // Checked again at sending time: a name may resolve elsewhere than when the watch was filed.
    await this.check(url, options);
    const response = await fetch(url, {
      method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { 'content-type': 'application/json', 'user-agent': 'likeness-watch-alerts', ...headers },
    });
    await response.body?.cancel();
    return { status: response.status };
  }
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new LikenessError('LIKENESS_BAD_INPUT', `webhookUrl's host ${host.slice(0, 200)} does not resolve`);
  }
}
