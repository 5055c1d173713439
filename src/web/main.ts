import { h, replace } from './dom.ts';
import { accountsPage } from './pages/accounts.ts';
import { auditPage } from './pages/audit.ts';
import { dpoPage } from './pages/dpo.ts';
import { facePage } from './pages/face-page.ts';
import { privacyPage } from './pages/privacy.ts';
import { searchPage } from './pages/search.ts';
import { signInPage } from './pages/signin.ts';
import { sourcesPage } from './pages/sources.ts';
import { api } from './api.ts';
import { forget, hasRole, me, signedIn, type SessionInfo } from './session.ts';

interface Route {
  pattern: RegExp;
  title: string;
  /** Roles that may open it; none means public. */
  roles?: string[];
  render(main: HTMLElement, params: string[]): void | Promise<void>;
}

const ROUTES: Route[] = [
  { pattern: /^\/signin$/, title: 'Sign in', render: (m) => signInPage(m, landing) },
  { pattern: /^\/privacy$/, title: 'Your privacy', render: (m) => privacyPage(m) },
  { pattern: /^\/search$/, title: 'Search', roles: ['investigator'], render: (m) => searchPage(m) },
  { pattern: /^\/sources$/, title: 'Galleries and sources', roles: ['operator'], render: (m) => sourcesPage(m) },
  { pattern: /^\/faces\/([\w-]+)$/, title: 'Face', roles: ['operator', 'dpo'], render: (m, p) => facePage(m, p[0]!) },
  { pattern: /^\/dpo$/, title: 'DPO desk', roles: ['dpo'], render: (m) => dpoPage(m) },
  { pattern: /^\/audit$/, title: 'Audit', roles: ['supervisor', 'auditor'], render: (m) => auditPage(m) },
  { pattern: /^\/accounts$/, title: 'Accounts', roles: ['admin'], render: (m) => accountsPage(m) },
];

const NAV: Array<{ path: string; label: string; roles?: string[] }> = [
  { path: '/search', label: 'Search', roles: ['investigator'] },
  { path: '/sources', label: 'Sources', roles: ['operator'] },
  { path: '/dpo', label: 'DPO desk', roles: ['dpo'] },
  { path: '/audit', label: 'Audit', roles: ['supervisor', 'auditor'] },
  { path: '/accounts', label: 'Accounts', roles: ['admin'] },
  { path: '/privacy', label: 'Privacy' },
];

/** The first page a signed-in user's roles open, else the public one. */
function landing(): string {
  return NAV.find((n) => n.roles && hasRole(...n.roles))?.path ?? '/privacy';
}

function renderNav(current: string): void {
  const nav = document.getElementById('nav')!;
  const who = me();
  const links = NAV.filter((n) => !n.roles || hasRole(...n.roles)).map((n) =>
    h('a', { href: `#${n.path}`, 'aria-current': current.startsWith(n.path) ? 'page' : undefined }, n.label));
  const account = who
    ? [h('span', { class: 'who' }, `${who.user.name} · ${who.client.name}`),
      h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, 'Sign out')]
    : [h('a', { href: '#/signin', 'aria-current': current === '/signin' ? 'page' : undefined }, 'Sign in')];
  replace(nav, h('ul', {}, ...links.map((l) => h('li', {}, l))), h('div', { class: 'account' }, ...account));
}

async function route(): Promise<void> {
  const path = location.hash.replace(/^#/, '') || (me() ? landing() : '/privacy');
  const main = document.getElementById('main')!;
  const found = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  renderNav(path);
  if (!found) {
    document.title = 'Not found · likeness';
    replace(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Go to the start page')));
    return;
  }
  const { r, m } = found;
  if (r.roles && !me()) {
    location.hash = '#/signin';
    return;
  }
  document.title = `${r.title} · likeness`;
  replace(main);
  if (r.roles && !hasRole(...r.roles)) {
    replace(main, h('h1', {}, r.title), h('p', { role: 'alert' }, `This page needs the role ${r.roles.join(' or ')}.`));
  } else {
    await r.render(main, m!.slice(1));
  }
  // Moves focus to the new page so keyboard and screen-reader users start at its top.
  main.focus({ preventScroll: true });
}

/** Ends the session on the server (the cookie alone would outlive a page that just forgot it). */
async function signOut(): Promise<void> {
  try {
    await api('/v1/session', { method: 'DELETE' });
  } catch {
    // Ended already (idle, expired): there is nothing left to end.
  }
  forget();
  if (location.hash === '#/signin') await route();
  else location.hash = '#/signin';
}

/** After a page load: the session the cookie still holds, if any; no cookie or an ended one is no one. */
async function restore(): Promise<void> {
  try {
    signedIn(await api<SessionInfo>('/v1/session'));
  } catch {
    forget();
  }
}

window.addEventListener('hashchange', () => void route());
void restore().then(route);
