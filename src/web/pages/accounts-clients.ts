import { api } from '../api.ts';
import { h, markInvalid, replace, statusBox } from '../dom.ts';
import { CLIENT_TYPES, type AccountsState } from './accounts-types.ts';
import { accountsAction, type Act } from './accounts-action.ts';
import { responsiveTable } from './responsive-table.ts';

const path = (...parts: string[]) => `/v1/admin/${parts.map(encodeURIComponent).join('/')}`;

/** Client organisations, the galleries each may search, and the forms that add a client or a grant. */
export function clientsSection(container: HTMLElement, state: AccountsState): void {
  const status = statusBox('clients-status');
  const act = accountsAction(status, state);
  const table = state.clients.length === 0 ? h('p', {}, 'No client yet.') : responsiveTable({
    testId: 'clients',
    caption: `${state.clients.length} client${state.clients.length === 1 ? '' : 's'}`,
    columns: ['Client', 'Type', 'Jurisdiction', 'Galleries granted'],
    rows: state.clients.map((c) => [
      c.name, c.type, c.jurisdiction,
      c.galleries.length === 0 ? 'none' : h('ul', { class: 'grants' }, ...c.galleries.map((g) => h('li', {}, g, ' ',
        h('button', {
          type: 'button', class: 'secondary small', 'aria-label': `Withdraw ${g} from ${c.name}`,
          onclick: () => void act('Withdrawing the grant…', `${c.name} may no longer search ${g}`, () => api(path('clients', c.name, 'galleries', g), { method: 'DELETE' })),
        }, 'Withdraw')))),
    ]),
  });
  replace(container, h('h2', { id: 'clients-title' }, 'Clients and gallery grants'), table, status, addClientForm(act), grantForm(state, act));
}


function addClientForm(act: Act): HTMLElement {
  const name = h('input', { id: 'client-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
  const type = h('select', { id: 'client-type', name: 'type' }, ...CLIENT_TYPES.map((t) => h('option', { value: t }, t)));
  const jurisdiction = h('input', { id: 'client-jurisdiction', name: 'jurisdiction', required: true, maxlength: 6, autocomplete: 'off', 'aria-describedby': 'client-jurisdiction-hint' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'add-client-title' },
    h('h3', { id: 'add-client-title' }, 'Add a client'),
    h('label', { for: name.id }, 'Name'), name,
    h('label', { for: type.id }, 'Type'), type,
    h('label', { for: jurisdiction.id }, 'Jurisdiction'), jurisdiction,
    h('p', { id: 'client-jurisdiction-hint', class: 'hint' }, 'ISO 3166 code, such as FR or US-IL.'),
    h('button', { type: 'submit' }, 'Add client'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    markInvalid(name, !name.value.trim());
    markInvalid(jurisdiction, !jurisdiction.value.trim());
    if (!name.value.trim() || !jurisdiction.value.trim()) return (name.value.trim() ? jurisdiction : name).focus();
    void act('Adding the client…', `Client ${name.value.trim()} added`,
      () => api('/v1/admin/clients', { body: { name: name.value.trim(), type: type.value, jurisdiction: jurisdiction.value.trim() } }));
  });
  return form;
}

function grantForm(state: AccountsState, act: Act): HTMLElement {
  const client = h('select', { id: 'grant-client', name: 'client' }, ...state.clients.map((c) => h('option', { value: c.name }, c.name)));
  const gallery = h('select', { id: 'grant-gallery', name: 'gallery' }, ...state.galleries.map((g) => h('option', { value: g.name }, g.name)));
  const form = h('form', { class: 'card', 'aria-labelledby': 'grant-title' },
    h('h3', { id: 'grant-title' }, 'Grant a gallery'),
    h('p', { class: 'hint' }, 'The client\'s users may search the gallery from their next request.'),
    h('label', { for: client.id }, 'Client'), client,
    h('label', { for: gallery.id }, 'Gallery'), gallery,
    h('button', { type: 'submit', disabled: state.clients.length === 0 || state.galleries.length === 0 }, 'Grant'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act('Granting…', `${client.value} may search ${gallery.value}`, () => api(path('clients', client.value, 'galleries', gallery.value), { method: 'PUT' }));
  });
  return form;
}
