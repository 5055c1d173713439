import { userInfo } from 'node:os';
import type { Likeness } from '../composition.ts';
import { AccountsService } from '../services/accounts/accounts-service.ts';
import { AuditService } from '../services/audit/audit-service.ts';
import { systemClock } from '../services/ports/clock.ts';
import { randomIds } from '../services/ports/ids.ts';
import { systemRandom } from '../services/ports/random-bytes.ts';

/** Commands run on the server itself act as its operating-system user, and are audited as such. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

export function accountsOf(likeness: Likeness): { audit: AuditService; accounts: AccountsService } {
  const audit = new AuditService(likeness.store, systemClock);
  return { audit, accounts: new AccountsService(likeness.store, audit, systemClock, randomIds, systemRandom) };
}
