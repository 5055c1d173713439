import type { AuditService } from '../audit/audit-service.ts';
import type { LoadedPolicy } from './load-policy.ts';

export const POLICY_ACTION = 'policy.change';

/**
 * Puts the policy in force on record when it is not the one last recorded, so the audit log
 * shows which rule set governed every later entry. Returns whether an entry was written.
 */
export async function recordPolicyInForce(audit: AuditService, loaded: LoadedPolicy, actor: string): Promise<boolean> {
  const [last] = await audit.list({ action: POLICY_ACTION, limit: 1 });
  if (last?.details.sha256 === loaded.sha256) return false;
  await audit.record({
    actor, client: null, action: POLICY_ACTION, target: null,
    details: { sha256: loaded.sha256, file: loaded.file, previousSha256: last?.details.sha256 ?? null },
  });
  return true;
}
