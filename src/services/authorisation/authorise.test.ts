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
  /** The user's client is the controller named in the policy. */
  controller: boolean;
}

const controllerOperator = (c: Case) => c.has('operator') && c.controller;
const controllerDpo = (c: Case) => c.has('dpo') && c.controller;

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
  'audit.read': (c) => c.has('auditor') && c.own,
  'audit.verify': (c) => c.has('auditor'),
  'report.read': controllerDpo,
  'report.write': controllerDpo,
};

/** All 2^5 subsets of the roles, the empty one included. */
function roleSubsets(): Role[][] {
  return Array.from({ length: 2 ** ROLES.length }, (_, mask) => ROLES.filter((_, i) => mask & (1 << i)));
}

function decide(roles: Role[], action: Action, granted: boolean, own: boolean, controller: boolean) {
  return authorise(
    { clientId: 'c-self', roles, controller, searchRoles: ['investigator'] },
    action,
    { galleryGranted: granted, anyGalleryGranted: granted, clientId: own ? 'c-self' : 'c-other' },
  );
}

describe('authorise: every role combination x granted or not x own or other client x controller or not', () => {
  const subsets = roleSubsets();
  it('covers the 32 subsets of the 5 roles', () => {
    assert.equal(subsets.length, 32);
    assert.equal(new Set(subsets.map((s) => s.join(','))).size, 32);
  });

  for (const action of ACTIONS) {
    it(`${action}: 256 cases as the rules say`, () => {
      const wrong: string[] = [];
      let allowedCount = 0;
      for (const roles of subsets) {
        for (const granted of [true, false]) {
          for (const own of [true, false]) {
            for (const controller of [true, false]) {
              const expected = EXPECTED[action]({ has: (r) => roles.includes(r), granted, own, controller });
              const decision = decide(roles, action, granted, own, controller);
              if (decision.allowed) allowedCount++;
              if (decision.allowed !== expected) {
                wrong.push(`[${roles.join(',')}] granted=${granted} own=${own} controller=${controller}: ${decision.allowed ? 'allowed' : 'refused'}`);
              }
            }
          }
        }
      }
      assert.deepEqual(wrong, []);
      // Each action is open to someone and closed to someone, so neither answer is constant.
      assert.ok(allowedCount > 0 && allowedCount < 256, `${action} allowed in ${allowedCount} of 256`);
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

  it('an unknown gallery grant or client is no grant: missing facts refuse', () => {
    assert.equal(authorise({ clientId: 'c', roles: ['investigator'], controller: true, searchRoles: ['investigator'] }, 'face.crop').allowed, false);
    assert.equal(authorise({ clientId: 'c', roles: ['supervisor'], controller: true, searchRoles: [] }, 'search.read').allowed, false);
  });

  it('a role name likeness does not know grants nothing', () => {
    assert.equal(authorise({ clientId: 'c', roles: ['admin', 'root'], controller: true, searchRoles: ['admin'] }, 'face.crop', { galleryGranted: true }).allowed, false);
  });

  it('the local operator (the CLI on the server) acts for the controller on everything', () => {
    for (const action of ACTIONS) {
      assert.equal(authorise({ local: true, clientId: '', roles: [], controller: true, searchRoles: [] }, action).allowed, true, action);
    }
  });
});
