import { userInfo } from 'node:os';
import type { LocalOperator } from '../domain/accounts.ts';

/** Commands run on the server itself act as its operating-system user, and are audited as such. */
export function cliActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local:unknown';
  }
}

/** The CLI's actor for use cases: the controller's own operator on this machine. */
export function localOperator(): LocalOperator {
  return { local: cliActor() };
}
