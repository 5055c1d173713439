// robots.txt as RFC 9309 reads it: groups by user agent, Allow/Disallow with `*` and `$`,
// the longest matching rule wins and Allow wins a tie; plus the common Crawl-delay.

export interface RobotsRules {
  isAllowed(pathAndQuery: string): boolean;
  /** Seconds between requests the site asked for, if it did. */
  crawlDelaySeconds: number | undefined;
}

interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelay: number | undefined;
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelaySeconds: undefined };
export const DISALLOW_ALL: RobotsRules = { isAllowed: (p) => p === '/robots.txt', crawlDelaySeconds: undefined };

/** The rules for the crawler whose product token is `token` (e.g. "likeness"). */
export function parseRobots(text: string, token: string): RobotsRules {
  const groups = parseGroups(text);
  const me = token.toLowerCase();
  let chosen = groups.filter((g) => g.agents.includes(me));
  if (chosen.length === 0) chosen = groups.filter((g) => g.agents.includes('*'));
  // Several groups for the same agent are one group (RFC 9309 2.2.1).
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== undefined);
  return {
    isAllowed: (pathAndQuery) => decide(rules, pathAndQuery),
    crawlDelaySeconds: delays.length ? Math.max(...delays) : undefined,
  };
}

function parseGroups(text: string): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], crawlDelay: undefined };
        groups.push(current);
      }
      // "Likeness/1.0" names the product token "likeness".
      current.agents.push(value.split('/')[0]!.trim().toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (key === 'allow' || key === 'disallow') {
      // An empty Disallow allows everything: it adds no rule.
      if (value === '') continue;
      const pattern = normalise(value);
      current.rules.push({ allow: key === 'allow', pattern, regex: toRegex(pattern) });
    } else if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelay = seconds;
    }
  }
  return groups;
}

function decide(rules: readonly Rule[], pathAndQuery: string): boolean {
  const path = normalise(pathAndQuery || '/');
  if (path === '/robots.txt') return true;
  let best: Rule | undefined;
  for (const rule of rules) {
    if (!rule.regex.test(path)) continue;
    if (!best || rule.pattern.length > best.pattern.length || (rule.pattern.length === best.pattern.length && rule.allow)) best = rule;
  }
  return best === undefined || best.allow;
}

/** Percent-encodes what is not ASCII and upper-cases escapes, so /caf%c3%a9 and /café compare equal. */
function normalise(path: string): string {
  let out = '';
  for (const ch of path) {
    out += ch.charCodeAt(0) > 0x7e || ch === ' ' ? encodeURIComponent(ch) : ch;
  }
  return out.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
}

function toRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}
