import type { FastifyRequest } from 'fastify';
import type { AuditService } from '../services/audit/audit-service.ts';
import { denialError } from '../services/policy/decision.ts';
import type { PolicyService } from '../services/policy/policy-service.ts';

/**
 * onRequest hook after authentication: a client the policy refuses (its type, a jurisdiction
 * ban in force) gets 403 with the rule's id on every protected route, before any body is read.
 */
export function admitClient(policy: PolicyService, audit: AuditService) {
  return async (request: FastifyRequest): Promise<void> => {
    const who = request.principal;
    if (!who) return;
    const decision = policy.decideClient({ id: who.client.id, name: who.client.name, type: who.client.type, jurisdiction: who.client.jurisdiction });
    if (decision.outcome === 'allow') return;
    await audit.record({
      actor: who.user.id, client: who.client.id, action: 'access.refused', target: null,
      details: { ruleId: decision.ruleId, method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0] },
    });
    throw denialError(decision);
  };
}
