import { LikenessError } from '../../errors.ts';

export interface Identity {
  /** Sent with every request, e.g. "likeness/0.1 (+https://example.org/about-our-crawler)". */
  userAgent: string;
  /** The name site owners write in robots.txt ("User-agent: likeness"). */
  robotsToken: string;
}

/** Builds the identity a site owner can look up: product, version and a contact URL. */
export function identity(contactUrl: string, options: { product?: string; version?: string } = {}): Identity {
  const product = options.product ?? 'likeness';
  return checkIdentity(`${product}/${options.version ?? '0.1'} (+${contactUrl})`);
}

/** Refuses a user agent that does not say who we are and where to reach us. */
export function checkIdentity(userAgent: string): Identity {
  const token = /^([A-Za-z0-9._-]+)\//.exec(userAgent)?.[1];
  const contact = /https?:\/\/[^\s)]+/.exec(userAgent)?.[0];
  if (!token || !contact) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID',
      `The collector's user agent "${userAgent}" must start with a product token and carry a contact URL, e.g. "likeness/0.1 (+https://example.org/crawler)"`);
  }
  try {
    new URL(contact);
  } catch {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `The contact URL "${contact}" in the collector's user agent is not a URL`);
  }
  return { userAgent, robotsToken: token.toLowerCase() };
}
