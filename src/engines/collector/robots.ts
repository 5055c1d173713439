// robots.txt as RFC 9309 reads it: groups by user agent, Allow/Disallow with `*` and `$`,
// the longest matching rule wins and Allow wins a tie; plus the common Crawl-delay. Where the
// RFC leaves room, the reading that fetches less is taken (docs/architecture.md, the collector).

import { readRobotsRecords } from './robots-lines.ts';
import { compilePattern, decodeUnreserved, encodePath, upperCaseEscapes, type PathPattern } from './robots-pattern.ts';

export interface RobotsRules {
  isAllowed(pathAndQuery: string): boolean;
  /** Seconds between requests the site asked for, if it did. */
  crawlDelaySeconds: number | undefined;
}

interface Rule {
  allow: boolean;
  pattern: PathPattern;
  /** Disallow only: the pattern with escapes of unreserved characters decoded. */
  decoded?: PathPattern;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelay: number | undefined;
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelaySeconds: undefined };
export const DISALLOW_ALL: RobotsRules = { isAllowed: (p) => p === '/robots.txt', crawlDelaySeconds: undefined };

/** The rules in a fetched robots.txt body, decoded as UTF-8 (invalid bytes do not stop it). */
export function parseRobotsBody(body: Uint8Array, token: string): RobotsRules {
  return parseRobots(new TextDecoder().decode(body), token);
}

/** The rules for the crawler whose product token is `token` (e.g. "likeness"). */
export function parseRobots(text: string, token: string): RobotsRules {
  const groups = parseGroups(text);
  const me = token.toLowerCase();
  let chosen = me === '' ? [] : groups.filter((g) => g.agents.includes(me));
  if (chosen.length === 0) chosen = groups.filter((g) => g.agents.includes('*'));
  // Several groups for the same agent are one group (RFC 9309 2.2.1).
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== undefined);
  return {
    isAllowed: (pathAndQuery) => decide(rules, pathAndQuery),
    crawlDelaySeconds: delays.length ? Math.max(...delays) : undefined,
  };
}

/**
 * A group is one or more User-agent lines and the rules after them; only a User-agent line
 * that follows a rule starts the next group. Sitemap, Crawl-delay and unknown lines do not
 * (RFC 9309 2.2.4): were they to, "User-agent: likeness / Crawl-delay: 10 / User-agent: * /
 * Disallow: /private/" would leave likeness in a group without rules, free to fetch /private/.
 */
function parseGroups(text: string): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  let sawRule = false;
  for (const { key, value, cutValue } of readRobotsRecords(text)) {
    if (key === 'user-agent') {
      if (!current || sawRule) {
        current = { agents: [], rules: [], crawlDelay: undefined };
        groups.push(current);
        sawRule = false;
      }
      const name = agentName(value);
      if (name) current.agents.push(name);
    } else if (key === 'allow' || key === 'disallow') {
      sawRule = true;
      // An empty value adds no rule: "Disallow:" allows everything.
      if (!current || value === '') continue;
      current.rules.push(key === 'allow' ? { allow: true, pattern: compilePattern(value) } : disallowRule(cutValue ?? value));
    } else if (key === 'crawl-delay' && current) {
      const seconds = Number(value);
      if (value !== '' && Number.isFinite(seconds) && seconds >= 0) current.crawlDelay = seconds;
    }
  }
  return groups;
}

// A cut Disallow (see robots-lines.ts) is a shorter prefix, so it refuses at least as much.
function disallowRule(value: string): Rule {
  const pattern = compilePattern(value);
  return { allow: false, pattern, decoded: compilePattern(decodeUnreserved(pattern.text)) };
}

/**
 * The product name in a User-agent value: its leading letters, `-` and `_`, lower-cased
 * (RFC 9309 2.2.1), so "likeness bot" and "Likeness/1.0" both name likeness. "*" alone or
 * before a space is the global group; anything else yields no name.
 */
function agentName(value: string): string | undefined {
  if (value === '*' || /^\*\s/.test(value)) return '*';
  const name = /^[A-Za-z_-]*/.exec(value)![0];
  return name === '' ? undefined : name.toLowerCase();
}

/**
 * Allow rules are matched against the path as given; Disallow rules also against the path
 * percent-encoded and with unreserved escapes decoded. A path that could be spelt several ways
 * is thus refused if any spelling is disallowed and allowed only under the spelling it has.
 */
function decide(rules: readonly Rule[], pathAndQuery: string): boolean {
  const given = upperCaseEscapes(pathAndQuery || '/');
  if (given === '/robots.txt') return true;
  const encoded = encodePath(given);
  const decoded = decodeUnreserved(encoded);
  let best: Rule | undefined;
  for (const rule of rules) {
    const hit = rule.allow
      ? rule.pattern.matches(given)
      : rule.pattern.matches(given) || rule.pattern.matches(encoded) || rule.decoded!.matches(decoded);
    if (!hit) continue;
    const length = rule.pattern.text.length;
    const bestLength = best?.pattern.text.length ?? -1;
    if (length > bestLength || (length === bestLength && rule.allow)) best = rule;
  }
  return best === undefined || best.allow;
}
