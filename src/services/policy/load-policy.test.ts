import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../config.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { loadPolicy, parsePolicyText, POLICY_FILE } from './load-policy.ts';
import { defaultPolicy } from './policy.ts';

describe('loadPolicy', () => {
  it('uses the defaults when the data directory has no policy file', () => {
    const loaded = loadPolicy({ dataDir: tempDir() });
    assert.equal(loaded.file, null);
    assert.deepEqual(loaded.policy, defaultPolicy());
    assert.equal(loaded.policy.collection.indexMinors, false);
    assert.equal(loaded.policy.collection.maxRetentionDays, 1095);
    assert.equal(loaded.policy.searches.keepProbes, false);
    assert.equal(loaded.policy.searches.partialResults, false);
    assert.deepEqual(loaded.policy.watches, { enabled: false, maxDays: 90, webhookAllowPrivate: false });
  });

  it('reads likeness.policy.yaml from the data directory, with its hash', () => {
    const dir = tempDir();
    const text = 'collection:\n  excludeJurisdictions: [fr, US-IL]\n';
    writeFileSync(join(dir, POLICY_FILE), text);
    const loaded = loadPolicy({ dataDir: dir });
    assert.equal(loaded.file, join(dir, POLICY_FILE));
    assert.deepEqual(loaded.policy.collection.excludeJurisdictions, ['FR', 'US-IL']);
    assert.equal(loaded.sha256, createHash('sha256').update(text).digest('hex'));
    assert.equal(loaded.policy.collection.indexMinors, false, 'keys left out keep their defaults');
  });

  it('prefers --policy FILE, and refuses one that does not exist', () => {
    const dir = tempDir();
    writeFileSync(join(dir, POLICY_FILE), 'collection: { indexMinors: true }\n');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ clients: { deniedTypes: ['private'] } }));
    const loaded = loadPolicy({ dataDir: dir, file: other });
    assert.deepEqual(loaded.policy.clients.deniedTypes, ['private']);
    assert.equal(loaded.policy.collection.indexMinors, false);
    assert.throws(() => loadPolicy({ dataDir: dir, file: join(dir, 'missing.yaml') }),
      { code: 'LIKENESS_CONFIG_INVALID', message: /missing\.yaml does not exist/ });
  });

  it('reads the documented example without error', () => {
    const loaded = loadPolicy({ dataDir: tempDir(), file: join(PROJECT_ROOT, 'docs', 'likeness.policy.example.yaml') });
    const p = loaded.policy;
    assert.deepEqual(p.collection.excludeJurisdictions, ['FR', 'GB', 'US-IL']);
    assert.deepEqual(p.clients.bans[0], { id: 'no-illinois-clients', jurisdiction: 'US-IL', until: new Date('2027-05-09T00:00:00Z') });
    assert.deepEqual(p.clients.bans[1]?.from, new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual(p.clients.galleries['*'], ['missing-persons']);
    assert.equal(p.searches.dailyQuota.clients['acme-police'], 5000);
    assert.equal(p.clients.controller, 'example-controller');
  });

  it('names no controller by default, and refuses an empty one', () => {
    assert.equal(defaultPolicy().clients.controller, undefined);
    assert.equal(parsePolicyText('clients:\n  controller: police\n', 'p.yaml').clients.controller, 'police');
    assert.throws(() => parsePolicyText('clients:\n  controller: ""\n', 'p.yaml'), { code: 'LIKENESS_CONFIG_INVALID', message: /clients\.controller/ });
  });

  it('requires the second factor of every role by default, and of the roles the policy names', () => {
    assert.deepEqual(defaultPolicy().accounts.secondFactorRoles, ['operator', 'investigator', 'supervisor', 'auditor', 'dpo', 'admin']);
    assert.deepEqual(parsePolicyText('accounts:\n  secondFactorRoles: [investigator, dpo]\n', 'p.yaml').accounts.secondFactorRoles, ['investigator', 'dpo']);
    assert.deepEqual(parsePolicyText('accounts:\n  secondFactorRoles: []\n', 'p.yaml').accounts.secondFactorRoles, []);
    assert.throws(() => parsePolicyText('accounts:\n  secondFactorRoles: [sheriff]\n', 'p.yaml'),
      { code: 'LIKENESS_CONFIG_INVALID', message: /accounts\.secondFactorRoles\[0\] must be one of operator/ });
  });

  it('treats an empty file as all defaults', () => {
    assert.deepEqual(parsePolicyText('# nothing yet\n', 'p.yaml'), defaultPolicy());
  });
});

describe('policy validation', () => {
  const refusals: Array<[string, string, RegExp]> = [
    ['a misspelt key', 'collection:\n  excludeJurisdiction: [FR]\n',
      /p\.yaml: collection\.excludeJurisdiction is not a known key; expected one of excludeJurisdictions,/],
    ['an unknown section', 'colection: {}\n', /colection is not a known key/],
    ['a yes/no instead of a boolean', 'collection:\n  indexMinors: yes\n', /collection\.indexMinors must be true or false, got "yes"/],
    ['a malformed jurisdiction', 'collection:\n  excludeJurisdictions: [France]\n',
      /collection\.excludeJurisdictions\[0\] must be an ISO 3166 code such as FR or US-IL, got "FRANCE"/],
    ['a single code instead of a list', 'collection:\n  excludeJurisdictions: FR\n', /excludeJurisdictions must be a list, got "FR"/],
    ['an unknown legal basis', 'collection:\n  allowedLegalBases: [because]\n', /allowedLegalBases\[0\] must be one of consent, contract/],
    ['an unknown Art. 9 condition', 'collection:\n  specialCategoryConditions: [public]\n', /specialCategoryConditions\[0\] must be one of explicit-consent/],
    ['a negative face size', 'collection:\n  minFaceQuality: { minSize: -1 }\n', /collection\.minFaceQuality\.minSize must be a number from 0 to 10000, got -1/],
    ['a detection score above 1', 'collection:\n  minFaceQuality: { minDetectionScore: 2 }\n', /minDetectionScore must be a number from 0 to 1/],
    ['fractional retention', 'collection:\n  maxRetentionDays: 30.5\n', /maxRetentionDays must be a whole number from 1 to 36500, got 30\.5/],
    ['a challenge age under 18', 'collection:\n  minorAgeThreshold: 16\n', /minorAgeThreshold must be a number from 18 to 30/],
    ['a ban without id', 'clients:\n  bans:\n    - { jurisdiction: US-IL, until: 2027-05-09 }\n', /clients\.bans\[0\]\.id is required/],
    ['a ban with an impossible date', 'clients:\n  bans:\n    - { id: x, jurisdiction: US-IL, until: 2027-02-30 }\n',
      /clients\.bans\[0\]\.until must be a date such as 2027-05-09/],
    ['a ban with a local time', 'clients:\n  bans:\n    - { id: x, jurisdiction: US-IL, until: "2027-05-09T10:00" }\n', /until must be a date/],
    ['a ban ending before it starts', 'clients:\n  bans:\n    - { id: x, jurisdiction: US, from: 2027-01-01, until: 2026-01-01 }\n',
      /clients\.bans\[0\]\.until must come after from/],
    ['two bans with one id', 'clients:\n  bans:\n    - { id: x, jurisdiction: US }\n    - { id: x, jurisdiction: FR }\n',
      /clients\.bans\[1\]\.id "x" is used by another ban/],
    ['a ban with an unknown key', 'clients:\n  bans:\n    - { id: x, jurisdiction: US, untill: 2027-01-01 }\n', /clients\.bans\[0\]\.untill is not a known key/],
    ['an unknown client type', 'clients:\n  deniedTypes: [privat]\n', /deniedTypes\[0\] must be one of law-enforcement, government, ngo, private, got "privat"/],
    ['galleries as a list', 'clients:\n  galleries: [default]\n', /clients\.galleries must be a mapping of keys to values, got a list/],
    ['an unknown role with limits', 'searches:\n  rateLimits:\n    roles:\n      detective: { perMinute: 1 }\n',
      /searches\.rateLimits\.roles\.detective is not a role/],
    ['a negative quota', 'searches:\n  dailyQuota: { perUser: -5 }\n', /searches\.dailyQuota\.perUser must be a whole number from 0/],
    ['no searching role', 'searches:\n  roles: []\n', /searches\.roles must name at least one role/],
    ['admin searching', 'searches:\n  roles: [investigator, admin]\n', /searches\.roles must not name admin/],
    ['a keepProbes string', 'searches:\n  keepProbes: "false"\n', /searches\.keepProbes must be true or false, got "false"/],
    ['a partialResults string', 'searches:\n  partialResults: "yes"\n', /searches\.partialResults must be true or false, got "yes"/],
    ['a watch longer than ten years', 'watches:\n  maxDays: 4000\n', /watches\.maxDays must be a whole number from 1/],
    ['a misspelt watches key', 'watches:\n  enable: true\n', /watches.*enable/],
    ['another version', 'version: 2\n', /version must be 1, got 2/],
    ['a list as the document', '- a\n', /the document must be a mapping/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what}, naming the key`, () => {
      assert.throws(() => parsePolicyText(text, 'p.yaml'), { code: 'LIKENESS_CONFIG_INVALID', message });
    });
  }

  it('refuses broken YAML with its line', () => {
    assert.throws(() => parsePolicyText('collection:\n  indexMinors: [true\n', 'p.yaml'),
      { code: 'LIKENESS_CONFIG_INVALID', message: /^p\.yaml: not valid YAML at line \d+/ });
  });

  it('refuses a key given twice', () => {
    assert.throws(() => parsePolicyText('collection:\n  indexMinors: false\n  indexMinors: true\n', 'p.yaml'),
      { code: 'LIKENESS_CONFIG_INVALID', message: /not valid YAML/ });
  });

  it('refuses broken JSON in a .json file', () => {
    assert.throws(() => parsePolicyText('{"collection": ', 'p.json'), { code: 'LIKENESS_CONFIG_INVALID', message: /^p\.json: not valid JSON/ });
  });

  it('parses dates as 00:00 UTC, instants with their offset', () => {
    const p = parsePolicyText('clients:\n  bans:\n    - { id: a, jurisdiction: us-il, until: 2027-05-09 }\n'
      + '    - { id: b, jurisdiction: FR, until: "2027-05-09T12:00:00+02:00" }\n', 'p.yaml');
    assert.deepEqual(p.clients.bans, [
      { id: 'a', jurisdiction: 'US-IL', until: new Date('2027-05-09T00:00:00Z') },
      { id: 'b', jurisdiction: 'FR', until: new Date('2027-05-09T10:00:00Z') },
    ]);
  });

  it('a written dailyQuota section replaces the default whole', () => {
    const p = parsePolicyText('searches:\n  dailyQuota: { perClient: 50 }\n', 'p.yaml');
    assert.deepEqual(p.searches.dailyQuota, { perClient: 50, clients: {} });
  });
});
