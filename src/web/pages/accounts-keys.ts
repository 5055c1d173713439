import { api } from '../api.ts';
import { announce, formatDate, h, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import type { AccountsState, KeyRow } from './accounts-types.ts';
import { responsiveTable } from './responsive-table.ts';

/** API keys of one user, by prefix only: a secret is never shown again after it was issued. */
export function keysSection(container: HTMLElement, state: AccountsState): void {
  const user = h('select', { id: 'keys-user', name: 'user' }, ...state.users.map((u) => h('option', { value: u.name }, `${u.name} (${u.clientName})`)));
  const status = statusBox('keys-status');
  const list = h('div', {});
  const show = async (): Promise<void> => {
    showLoading(status, 'Reading the keys…');
    try {
      const keys = await api<KeyRow[]>(`/v1/admin/keys?user=${encodeURIComponent(user.value)}`);
      replace(list, keysTable(user.value, keys, revoke));
      showDone(status);
    } catch (error) {
      showError(status, error);
    }
  };
  const revoke = async (prefix: string): Promise<void> => {
    showLoading(status, 'Revoking the key…');
    try {
      await api(`/v1/admin/keys/${encodeURIComponent(prefix)}`, { method: 'DELETE' });
      await show();
      announce(`Key ${prefix} revoked`);
    } catch (error) {
      showError(status, error);
    }
  };
  const form = h('form', { class: 'inline', 'aria-labelledby': 'keys-title' },
    h('label', { for: user.id }, 'Keys of'), user, h('button', { type: 'submit', disabled: state.users.length === 0 }, 'Show keys'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void show();
  });
  replace(container, h('h2', { id: 'keys-title' }, 'API keys'),
    h('p', { class: 'hint' }, 'Keys are listed by prefix; the secret was shown once, when the key was issued. Issue a new key from the users table.'),
    form, status, list);
}

function keysTable(owner: string, keys: KeyRow[], revoke: (prefix: string) => Promise<void>): HTMLElement {
  if (keys.length === 0) return h('p', {}, `${owner} has no key.`);
  const now = new Date().toISOString();
  return responsiveTable({
    testId: 'keys',
    caption: `Keys of ${owner}`,
    columns: ['Prefix', 'Issued', 'Expires', 'State', 'Actions'],
    rows: keys.map((k) => [
      h('code', {}, k.prefix), formatDate(k.createdAt), formatDate(k.expiresAt),
      k.revokedAt ? `revoked ${formatDate(k.revokedAt)}` : k.expiresAt <= now ? 'expired' : 'valid',
      k.revokedAt ? '' : h('button', { type: 'button', class: 'danger small', 'aria-label': `Revoke key ${k.prefix}`, onclick: () => void revoke(k.prefix) }, 'Revoke'),
    ]),
  });
}
