import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRobots } from './robots.ts';

const text = `
# comments are ignored
User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/press/
Crawl-delay: 2

User-agent: Likeness/0.1
User-agent: otherbot
Disallow: /people/
Allow: /people/public
Crawl-delay: 0.5

User-agent: likeness
Disallow: /tmp
`;

describe('parseRobots', () => {
  it('uses the group naming our token, all of them merged, and ignores *', () => {
    const rules = parseRobots(text, 'likeness');
    assert.equal(rules.isAllowed('/people/jane.html'), false);
    assert.equal(rules.isAllowed('/people/public/jane.html'), true, 'longer Allow wins');
    assert.equal(rules.isAllowed('/tmp/x'), false, 'second group for the same agent is merged');
    assert.equal(rules.isAllowed('/private/x'), true, 'the * group does not apply to us');
    assert.equal(rules.crawlDelaySeconds, 0.5);
  });

  it('falls back to * when no group names us', () => {
    const rules = parseRobots(text, 'somebot');
    assert.equal(rules.isAllowed('/private/x'), false);
    assert.equal(rules.isAllowed('/private/press/x'), true);
    assert.equal(rules.isAllowed('/docs/a.pdf'), false);
    assert.equal(rules.isAllowed('/docs/a.pdf?x=1'), true, '$ anchors the end');
    assert.equal(rules.isAllowed('/people/jane'), true);
    assert.equal(rules.crawlDelaySeconds, 2);
  });

  it('matches agent names without regard to case', () => {
    assert.equal(parseRobots('User-Agent: LIKENESS\nDisallow: /\n', 'likeness').isAllowed('/a'), false);
  });

  it('lets Allow win a tie of equal length', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /page\nAllow: /page\n', 'x');
    assert.equal(rules.isAllowed('/page'), true);
  });

  it('takes the longest match, whichever comes first', () => {
    const rules = parseRobots('User-agent: *\nAllow: /a/b/c\nDisallow: /a/b\nDisallow: /\n', 'x');
    assert.equal(rules.isAllowed('/a/b/c/d'), true);
    assert.equal(rules.isAllowed('/a/b/x'), false);
    assert.equal(rules.isAllowed('/z'), false);
  });

  it('treats an empty Disallow as allowing everything', () => {
    assert.equal(parseRobots('User-agent: *\nDisallow:\n', 'x').isAllowed('/anything'), true);
  });

  it('allows everything when the file has no rules', () => {
    assert.equal(parseRobots('', 'x').isAllowed('/a'), true);
  });

  it('always allows /robots.txt itself', () => {
    assert.equal(parseRobots('User-agent: *\nDisallow: /\n', 'x').isAllowed('/robots.txt'), true);
  });

  it('compares percent-encoded and raw paths alike', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /café\n', 'x');
    assert.equal(rules.isAllowed('/caf%c3%a9/menu'), false);
    assert.equal(rules.isAllowed('/caf%C3%A9'), false);
  });

  it('applies * inside a pattern', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /*/faces/\n', 'x');
    assert.equal(rules.isAllowed('/team/faces/a.jpg'), false);
    assert.equal(rules.isAllowed('/team/logos/a.jpg'), true);
  });

  it('starts a new group when a user-agent line follows rules', () => {
    const rules = parseRobots('User-agent: a\nDisallow: /a\nUser-agent: likeness\nDisallow: /b\n', 'likeness');
    assert.equal(rules.isAllowed('/a'), true);
    assert.equal(rules.isAllowed('/b'), false);
  });
});
