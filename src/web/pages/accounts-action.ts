import { announce, showError, showLoading } from '../dom.ts';
import type { AccountsState } from './accounts-types.ts';

/** Runs one change of the Accounts page: says it is busy, reloads the lists after it, announces it or shows why not. */
export type Act = (busy: string, done: string, work: () => Promise<unknown>) => Promise<void>;

export function accountsAction(status: HTMLElement, state: AccountsState): Act {
  return async (busy, done, work) => {
    showLoading(status, busy);
    try {
      await work();
      await state.reload();
      announce(done);
    } catch (error) {
      showError(status, error);
    }
  };
}
