import { api } from '../api.ts';
import { announce, formatDate, h, markInvalid, replace, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { ROLES, type AccountsState, type IssuedKey, type SecondFactor, type UserRow } from './accounts-types.ts';
import { accountsAction } from './accounts-action.ts';
import { me } from '../session.ts';
import { responsiveTable } from './responsive-table.ts';

const userPath = (name: string, ...rest: string[]) => `/v1/admin/users/${[name, ...rest].map(encodeURIComponent).join('/')}`;

/** Users with their client, roles and state; the forms that add a user and change a user's roles. */
export function usersSection(container: HTMLElement, state: AccountsState): void {
  const status = statusBox('users-status');
  const act = accountsAction(status, state);
  /** A secret the server answers with once: shown, and the lists left as they are. */
  const reveal = async <T>(busy: string, call: () => Promise<T>, show: (answer: T) => void) => {
    showLoading(status, busy);
    try {
      show(await call());
      showDone(status);
    } catch (error) {
      showError(status, error);
    }
  };
  const newKey = (user: UserRow) => reveal(`Issuing a key to ${user.name}…`,
    () => api<IssuedKey>(userPath(user.name, 'keys'), { body: {} }), (issued) => state.showKey(user.name, issued));
  const resetSecondFactor = async (user: UserRow) => {
    const own = me()?.user.id === user.id;
    const question = own
      ? 'Give yourself a new second factor? Your authenticator codes and recovery codes stop working and you are signed out everywhere, this page included, once you have stored the new ones.'
      : `Give ${user.name} a new second factor? Their authenticator codes and recovery codes stop working and they are signed out everywhere.`;
    if (!confirm(question)) return;
    await reveal(`Resetting the second factor of ${user.name}…`,
      () => api<SecondFactor>(userPath(user.name, 'second-factor'), { method: 'POST' }), (enrolled) => state.showSecondFactor(user.name, enrolled));
  };
  const table = state.users.length === 0 ? h('p', {}, 'No user yet.') : responsiveTable({
    testId: 'users',
    caption: `${state.users.length} user${state.users.length === 1 ? '' : 's'}${state.users.length >= 500 ? ' (the first 500 by name)' : ''}`,
    columns: ['User', 'Client', 'Roles', 'State', 'Actions'],
    rows: state.users.map((u) => [
      u.name, u.clientName, u.roles.join(', '),
      u.disabledAt ? `disabled since ${formatDate(u.disabledAt)}` : 'active',
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `New key for ${u.name}`, disabled: Boolean(u.disabledAt), onclick: () => void newKey(u) }, 'New key'),
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `Reset second factor of ${u.name}`, onclick: () => void resetSecondFactor(u) }, 'Reset second factor'),
        u.disabledAt
          ? h('button', { type: 'button', class: 'secondary small', 'aria-label': `Enable ${u.name}`, onclick: () => void act('Enabling…', `${u.name} enabled`, () => api(userPath(u.name, 'enable'), { method: 'POST' })) }, 'Enable')
          : h('button', { type: 'button', class: 'secondary small', 'aria-label': `Disable ${u.name}`, onclick: () => void act('Disabling…', `${u.name} disabled`, () => api(userPath(u.name, 'disable'), { method: 'POST' })) }, 'Disable'),
        h('button', {
          type: 'button', class: 'danger small', 'aria-label': `Delete ${u.name}`,
          onclick: () => {
            if (confirm(`Delete ${u.name} and their keys? A user who searched stays on record and can only be disabled.`)) {
              void act('Deleting…', `${u.name} deleted`, () => api(userPath(u.name), { method: 'DELETE' }));
            }
          },
        }, 'Delete')),
    ]),
  });
  replace(container, h('h2', { id: 'users-title' }, 'Users and roles'), table, status, addUserForm(state), rolesForm(state, act));
}

/** Role checkboxes in a fieldset; `prefix` keeps the ids of two such groups apart. */
function roleBoxes(prefix: string, legend: string, checked: readonly string[] = []): { fieldset: HTMLElement; chosen(): string[] } {
  const boxes = ROLES.map((r) => h('input', { type: 'checkbox', id: `${prefix}-${r}`, name: 'roles', value: r, checked: checked.includes(r) }));
  const fieldset = h('fieldset', { class: 'roles' }, h('legend', {}, legend),
    ...boxes.map((b) => h('label', { class: 'check', for: b.id }, b, ` ${b.value}`)));
  return { fieldset, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

function addUserForm(state: AccountsState): HTMLElement {
  const name = h('input', { id: 'user-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off', 'aria-describedby': 'user-name-hint' });
  const client = h('select', { id: 'user-client', name: 'client' }, ...state.clients.map((c) => h('option', { value: c.name }, c.name)));
  const roles = roleBoxes('new-role', 'Roles');
  const days = h('input', { id: 'user-key-days', name: 'keyDays', type: 'number', min: 1, max: 3650, value: 90, inputmode: 'numeric' });
  const status = statusBox('add-user-status');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'add-user-title' },
    h('h3', { id: 'add-user-title' }, 'Add a user'),
    h('label', { for: name.id }, 'Name'), name,
    h('p', { id: 'user-name-hint', class: 'hint' }, 'Letters, digits, or . _ @ -'),
    h('label', { for: client.id }, 'Client'), client,
    roles.fieldset,
    h('label', { for: days.id }, 'Days until the first key expires'), days,
    h('button', { type: 'submit', disabled: state.clients.length === 0 }, 'Add user'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    markInvalid(name, !name.value.trim());
    if (!name.value.trim()) return name.focus();
    if (roles.chosen().length === 0) return showError(status, new Error('Choose at least one role.'));
    showLoading(status, 'Adding the user…');
    try {
      const created = await api<IssuedKey & { user: UserRow }>('/v1/admin/users', {
        body: { name: name.value.trim(), client: client.value, roles: roles.chosen(), keyDays: Number(days.value) },
      });
      await state.reload();
      state.showKey(created.user.name, created);
      announce(`User ${created.user.name} added`);
    } catch (error) {
      showError(status, error);
    }
  });
  return form;
}

function rolesForm(state: AccountsState, act: (busy: string, done: string, work: () => Promise<unknown>) => Promise<void>): HTMLElement {
  const user = h('select', { id: 'roles-user', name: 'user' }, ...state.users.map((u) => h('option', { value: u.name }, `${u.name} (${u.clientName})`)));
  const holder = h('div', {});
  let roles = roleBoxes('set-role', 'New roles', state.users[0]?.roles);
  holder.append(roles.fieldset);
  // The boxes start from the chosen user's current roles.
  user.addEventListener('change', () => {
    roles = roleBoxes('set-role', 'New roles', state.users.find((u) => u.name === user.value)?.roles);
    holder.replaceChildren(roles.fieldset);
  });
  const form = h('form', { class: 'card', 'aria-labelledby': 'roles-title' },
    h('h3', { id: 'roles-title' }, 'Change a user\'s roles'),
    h('label', { for: user.id }, 'User'), user, holder,
    h('button', { type: 'submit', disabled: state.users.length === 0 }, 'Save roles'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act('Saving the roles…', `Roles of ${user.value} saved`, () => api(userPath(user.value, 'roles'), { method: 'PUT', body: { roles: roles.chosen() } }));
  });
  return form;
}
