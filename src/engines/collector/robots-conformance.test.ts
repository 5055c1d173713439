import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseRobotsBody } from './robots.ts';

type Check = [agent: string, url: string, allowed: boolean, divergence?: { likeness: boolean; why: string }];
interface CaseGroup { name: string; robots: string[]; bytes?: 'latin1'; checks: Check[] }
interface CaseFile { reference: CaseGroup[]; likeness: CaseGroup[] }

const cases = JSON.parse(readFileSync(new URL('./robots-rfc9309-cases.json', import.meta.url), 'utf8')) as CaseFile;

const expand = (text: string) => text.replace(/\{\{(.)\*(\d+)\}\}/g, (_, ch: string, n: string) => ch.repeat(Number(n)));

function robotsBody(group: CaseGroup): Uint8Array {
  const text = group.robots.map((line) => `${expand(line)}\n`).join('');
  return Buffer.from(text, group.bytes === 'latin1' ? 'latin1' : 'utf8');
}

// The path, parameters and query of a URL as the reference suite hands it over: unparsed, so a
// URL that is not percent-encoded reaches the parser as it is written.
function pathOf(url: string): string {
  const rest = url.replace(/^[a-z]+:\/\/[^/?#]*/i, '');
  const path = rest.split('#')[0]!;
  return path === '' ? '/' : path.startsWith('/') ? path : `/${path}`;
}

function answers(group: CaseGroup) {
  const body = robotsBody(group);
  return group.checks.map(([agent, url, expected, divergence]) => ({
    group: group.name, agent, url: url.slice(0, 80), expected, divergence,
    got: parseRobotsBody(body, agent).isAllowed(pathOf(expand(url))),
  }));
}

describe('robots.txt against the RFC 9309 cases of the reference parser', () => {
  const results = cases.reference.flatMap(answers);
  const differing = results.filter((r) => r.got !== r.expected);

  it('never allows what the reference disallows', () => {
    assert.deepEqual(differing.filter((r) => r.got && !r.expected), []);
  });

  it('differs only where the case file says why, and only by refusing', (t) => {
    t.diagnostic(`${results.length - differing.length} of ${results.length} reference cases agree`);
    assert.deepEqual(
      differing.map((r) => [r.group, r.agent, r.url]),
      results.filter((r) => r.divergence).map((r) => [r.group, r.agent, r.url]),
    );
    assert.ok(differing.every((r) => r.divergence?.likeness === r.got && !r.got));
  });
});

describe('robots.txt: likeness cases beyond the reference suite', () => {
  for (const group of cases.likeness) {
    it(group.name, () => {
      for (const r of answers(group)) assert.equal(r.got, r.expected, `${r.agent} ${r.url}`);
    });
  }
});
