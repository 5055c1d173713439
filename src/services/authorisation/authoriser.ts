import { auditIdentity, isLocalOperator, type Actor, type Client } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { GalleryAccess } from '../faces/gallery-access.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { authorise, type Action, type AuthzDecision, type AuthzSubject, type AuthzTarget } from './authorise.ts';

/** What an action is about, before the facts the rules need are looked up. */
export interface Resource {
  /** The gallery of the face read, cropped or deleted. */
  galleryId?: string;
  /** The galleries a search names: every one must be granted. */
  galleryIds?: readonly string[];
  /** The client whose records are read. */
  clientId?: string;
  /** The user who made the record read. */
  userId?: string;
}

// Actions about no single gallery, that still need the client to hold a grant.
const NEEDS_ANY_GRANT: ReadonlySet<Action> = new Set(['search.compare', 'search.detect']);

/**
 * Looks up the facts `authorise` needs (is the client the controller, are the galleries
 * granted) and enforces its decision: a refusal is audited and thrown as LIKENESS_FORBIDDEN.
 * docs/architecture.md, "Authorisation".
 */
export class Authoriser {
  constructor(private readonly policy: PolicyService, private readonly access: GalleryAccess, private readonly audit: AuditService) {}

  /** Whether this client is the controller named in the policy (by id or name). */
  isController(client: Pick<Client, 'id' | 'name'>): boolean {
    const named = this.policy.policy.clients.controller;
    return named !== undefined && (named === client.id || named === client.name);
  }

  async decide(who: Actor, action: Action, resource: Resource = {}): Promise<AuthzDecision> {
    if (isLocalOperator(who)) return authorise({ local: true, clientId: '', roles: [], controller: true, searchRoles: [] }, action);
    const subject: AuthzSubject = {
      clientId: who.client.id, userId: who.user.id, roles: who.user.roles, controller: this.isController(who.client), searchRoles: this.policy.policy.searches.roles,
    };
    const target: AuthzTarget = {};
    const galleries = resource.galleryIds ?? (resource.galleryId === undefined ? undefined : [resource.galleryId]);
    if (galleries) target.galleryGranted = galleries.length > 0 && (await Promise.all(galleries.map((g) => this.access.granted(who, g)))).every(Boolean);
    if (NEEDS_ANY_GRANT.has(action)) target.anyGalleryGranted = await this.access.anyGranted(who);
    if (resource.clientId !== undefined) target.clientId = resource.clientId;
    if (resource.userId !== undefined) target.userId = resource.userId;
    return authorise(subject, action, target);
  }

  /** Returns when allowed; otherwise records `access.refused` and throws LIKENESS_FORBIDDEN with the reason. */
  async require(who: Actor, action: Action, resource: Resource = {}): Promise<void> {
    const decision = await this.decide(who, action, resource);
    if (decision.allowed) return;
    await this.audit.record({ ...auditIdentity(who), action: 'access.refused', target: resource.galleryId ?? resource.clientId ?? null, details: { action, reason: decision.reason } });
    throw new LikenessError('LIKENESS_FORBIDDEN', decision.reason, { details: { action } });
  }
}
