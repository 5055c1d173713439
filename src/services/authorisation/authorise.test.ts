import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLES, type Role } from '../../domain/accounts.ts';
import { ACTIONS, authorise, type Action } from './authorise.ts';

// The expected answer for each action, written out as the rules read in docs/architecture.md
// ("Authorisation"): what each role may do, and how far it reaches.
interface Case {
  has: (role: Role) => boolean;
  /** The face's gallery (or every searched gallery) is granted to the user's client; for compare and detect: any gallery is. */
  granted: boolean;
  /** The records read belong to the user's own client. */
  own: boolean;
  /** The record read was made by the user themselves (in their client). */
  mine: boolean;
  /** The user's client is the controller named in the policy. */
  controller: boolean;
}

const controllerOperator = (c: Case) => c.has('operator') && c.controller;
const controllerDpo = (c: Case) => c.has('dpo') && c.controller;
const controllerAdmin = (c: Case) => c.has('admin') && c.controller;

const EXPECTED: Record<Action, (c: Case) => boolean> = {
  'face.read': (c) => controllerOperator(c) || controllerDpo(c),
  'face.crop': (c) => (c.has('investigator') && c.granted) || controllerOperator(c) || controllerDpo(c),
  'face.delete': controllerOperator,
  'image.write': controllerOperator,
  'catalogue.read': controllerOperator,
  'catalogue.write': controllerOperator,
  'search.run': (c) => c.has('investigator') && c.granted,
  'search.compare': (c) => c.has('investigator') && c.granted,
  'search.detect': (c) => c.has('investigator') && c.granted,
  'search.read': (c) => c.has('supervisor') && c.own,
  'search.review': (c) => (c.has('investigator') && c.mine) || (c.has('supervisor') && c.own),
  'case.read': (c) => (c.has('investigator') && c.mine) || ((c.has('supervisor') || c.has('auditor')) && c.own),
  'audit.read': (c) => c.has('auditor') && c.own,
  'audit.verify': (c) => c.has('auditor'),
  'report.read': controllerDpo,
  'report.write': controllerDpo,
  'accounts.read': controllerAdmin,
  'accounts.write': controllerAdmin,
};

/** All 2^6 subsets of the roles, the empty one included. */
function roleSubsets(): Role[][] {
  return Array.from({ length: 2 ** ROLES.length }, (_, mask) => ROLES.filter((_, i) => mask & (1 << i)));
}

/** Whose record: the user's own, a colleague's in the same client, or another client's. */
type Owner = 'mine' | 'colleague' | 'other-client';
const OWNERS: readonly Owner[] = ['mine', 'colleague', 'other-client'];

function decide(roles: Role[], action: Action, granted: boolean, owner: Owner | boolean, controller: boolean) {
  const whose: Owner = owner === true ? 'colleague' : owner === false ? 'other-client' : owner;
  return authorise(
    { clientId: 'c-self', userId: 'u-self', roles, controller, searchRoles: ['investigator'] },
    action,
    {
      galleryGranted: granted, anyGalleryGranted: granted,
      clientId: whose === 'other-client' ? 'c-other' : 'c-self', userId: whose === 'mine' ? 'u-self' : 'u-other',
    },
  );
}

describe('authorise: every role combination x granted or not x own record, own client or another x controller or not', () => {
  const subsets = roleSubsets();
  const cases = subsets.length * 2 * OWNERS.length * 2;
  it('covers the 64 subsets of the 6 roles', () => {
    assert.equal(ROLES.length, 6);
    assert.equal(subsets.length, 64);
    assert.equal(new Set(subsets.map((s) => s.join(','))).size, 64);
  });

  for (const action of ACTIONS) {
    it(`${action}: ${cases} cases as the rules say`, () => {
      const wrong: string[] = [];
      let allowedCount = 0;
      for (const roles of subsets) {
        for (const granted of [true, false]) {
          for (const owner of OWNERS) {
            for (const controller of [true, false]) {
              const expected = EXPECTED[action]({ has: (r) => roles.includes(r), granted, own: owner !== 'other-client', mine: owner === 'mine', controller });
              const decision = decide(roles, action, granted, owner, controller);
              if (decision.allowed) allowedCount++;
              if (decision.allowed !== expected) {
                wrong.push(`[${roles.join(',')}] granted=${granted} owner=${owner} controller=${controller}: ${decision.allowed ? 'allowed' : 'refused'}`);
              }
            }
          }
        }
      }
      assert.deepEqual(wrong, []);
      // Each action is open to someone and closed to someone, so neither answer is constant.
      assert.ok(allowedCount > 0 && allowedCount < cases, `${action} allowed in ${allowedCount} of ${cases}`);
    });
  }

  it('a second role never widens the first: investigator,supervisor gets no crop of a gallery not granted', () => {
    const decision = decide(['investigator', 'supervisor'], 'face.crop', false, true, false);
    assert.deepEqual(decision, { allowed: false, reason: 'your client is not granted this gallery' });
  });

  it('an operator of a client that is not the controller deletes nothing, granted or not', () => {
    for (const granted of [true, false]) {
      const decision = decide(['operator'], 'face.delete', granted, true, false);
      assert.equal(decision.allowed, false);
      assert.match(decision.allowed ? '' : decision.reason, /controller/);
    }
  });

  it('a DPO of another client reads no access report; the controller\'s DPO does', () => {
    assert.equal(decide(['dpo'], 'report.read', true, true, false).allowed, false);
    assert.deepEqual(decide(['dpo'], 'report.read', false, false, true), { allowed: true, role: 'dpo' });
  });

  it('an investigator reviews and reads in a case file only their own searches; a second role reaches as far as that role', () => {
    assert.equal(decide(['investigator'], 'search.review', true, 'mine', false).allowed, true);
    assert.deepEqual(decide(['investigator'], 'case.read', true, 'colleague', false), { allowed: false, reason: 'this record is another user\'s' });
    assert.equal(decide(['investigator', 'auditor'], 'case.read', true, 'colleague', false).allowed, true);
    assert.equal(decide(['investigator', 'auditor'], 'search.review', true, 'colleague', false).allowed, false);
    assert.equal(decide(['investigator', 'supervisor', 'auditor'], 'case.read', true, 'other-client', true).allowed, false);
  });

  it('an admin manages accounts only as the controller\'s; every other role, all five together, manages none', () => {
    assert.deepEqual(decide(['admin'], 'accounts.write', false, false, true), { allowed: true, role: 'admin' });
    const notController = decide(['admin'], 'accounts.write', true, true, false);
    assert.equal(notController.allowed, false);
    assert.match(notController.allowed ? '' : notController.reason, /controller/);
    const allButAdmin = ROLES.filter((r) => r !== 'admin');
    assert.deepEqual(decide(allButAdmin, 'accounts.read', true, 'mine', true),
      { allowed: false, reason: `accounts.read needs the role admin; you have ${allButAdmin.join(', ')}` });
  });

  it('the admin role alone reaches no face, search, report or audit entry', () => {
    for (const action of ACTIONS.filter((a) => !a.startsWith('accounts.'))) {
      assert.equal(decide(['admin'], action, true, 'mine', true).allowed, false, action);
    }
  });

  it('names the missing role when the user has none that could', () => {
    const decision = decide(['auditor'], 'face.delete', true, true, true);
    assert.deepEqual(decision, { allowed: false, reason: 'face.delete needs the role operator; you have auditor' });
  });

  it('the searching roles come from the policy: a supervisor allowed to search crops faces of granted galleries only', () => {
    const subject = { clientId: 'c', roles: ['supervisor'], controller: false, searchRoles: ['investigator', 'supervisor'] };
    assert.equal(authorise(subject, 'face.crop', { galleryGranted: true }).allowed, true);
    assert.equal(authorise(subject, 'face.crop', { galleryGranted: false }).allowed, false);
    assert.equal(authorise({ ...subject, searchRoles: ['investigator'] }, 'face.crop', { galleryGranted: true }).allowed, false);
  });

  it('admin never searches, even where a policy object names it among the searching roles', () => {
    const subject = { clientId: 'c', roles: ['admin'], controller: true, searchRoles: ['investigator', 'admin'] };
    for (const action of ['search.run', 'search.compare', 'search.detect', 'face.crop'] as const) {
      const decision = authorise(subject, action, { galleryGranted: true, clientId: 'c' });
      assert.equal(decision.allowed, false, action);
      assert.match(decision.allowed ? '' : decision.reason, /needs the role investigator\b.*; you have admin$/, action);
    }
    assert.equal(authorise({ ...subject, roles: ['admin', 'investigator'] }, 'search.run', { galleryGranted: true }).allowed, true);
  });

  it('an unknown gallery grant or client is no grant: missing facts refuse', () => {
    assert.equal(authorise({ clientId: 'c', roles: ['investigator'], controller: true, searchRoles: ['investigator'] }, 'face.crop').allowed, false);
    assert.equal(authorise({ clientId: 'c', roles: ['supervisor'], controller: true, searchRoles: [] }, 'search.read').allowed, false);
  });

  it('a role name likeness does not know grants nothing', () => {
    assert.equal(authorise({ clientId: 'c', roles: ['root', 'superuser'], controller: true, searchRoles: ['root'] }, 'face.crop', { galleryGranted: true }).allowed, false);
    assert.equal(authorise({ clientId: 'c', roles: ['root', 'Admin'], controller: true, searchRoles: [] }, 'accounts.write').allowed, false);
  });

  it('the local operator (the CLI on the server) acts for the controller on everything', () => {
    for (const action of ACTIONS) {
      assert.equal(authorise({ local: true, clientId: '', roles: [], controller: true, searchRoles: [] }, action).allowed, true, action);
    }
  });
});
