import { api } from '../api.ts';
import { h, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { clientsSection } from './accounts-clients.ts';
import { keysSection } from './accounts-keys.ts';
import type { AccountsState, ClientRow, GalleryRow, UserRow } from './accounts-types.ts';
import { usersSection } from './accounts-users.ts';
import { showKeyOnce, showSecondFactorOnce } from './key-once.ts';

/**
 * The controller's admin manages accounts (docs/architecture.md, "Accounts over HTTP"): clients
 * and their gallery grants, users and their roles, API keys. Every change is made by the server's
 * /v1/admin routes, which audit it; the page then reads the lists again.
 */
export async function accountsPage(main: HTMLElement): Promise<void> {
  const status = statusBox('accounts-status');
  const keyBox = h('div', { 'aria-live': 'polite' });
  const clients = h('section', { 'aria-labelledby': 'clients-title' });
  const users = h('section', { 'aria-labelledby': 'users-title' });
  const keys = h('section', { 'aria-labelledby': 'keys-title' });
  main.append(h('h1', {}, 'Accounts'),
    h('p', { class: 'lead' }, 'Clients, the galleries they may search, their users, roles and API keys. Every change is recorded in the audit log.'),
    status, keyBox, clients, users, keys);

  const state: AccountsState = {
    clients: [], galleries: [], users: [],
    reload: async () => {
      [state.clients, state.galleries, state.users] = await Promise.all([
        api<ClientRow[]>('/v1/admin/clients'), api<GalleryRow[]>('/v1/admin/galleries'), api<UserRow[]>('/v1/admin/users?limit=500'),
      ]);
      clientsSection(clients, state);
      usersSection(users, state);
      keysSection(keys, state);
    },
    showKey: (owner, issued) => showKeyOnce(keyBox, owner, issued),
    showSecondFactor: (owner, enrolled) => showSecondFactorOnce(keyBox, owner, enrolled),
  };
  showLoading(status, 'Loading accounts…');
  try {
    await state.reload();
    showDone(status);
  } catch (error) {
    showError(status, error);
  }
}
