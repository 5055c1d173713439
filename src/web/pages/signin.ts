import { api, ApiError } from '../api.ts';
import { h, showError, showLoading, statusBox } from '../dom.ts';
import { signIn, type Me } from '../session.ts';

export function signInPage(main: HTMLElement, landing: () => string): void {
  const key = h('input', { id: 'api-key', name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'key-help' });
  const status = statusBox('signin-status');
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('label', { for: 'api-key' }, 'API key'),
    key,
    h('p', { id: 'key-help', class: 'hint' }, 'The key your operator issued (lk_…). It is kept in this tab only and forgotten when you close it.'),
    h('button', { type: 'submit' }, 'Sign in'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) {
      showError(status, new Error('Enter your API key.'));
      key.focus();
      return;
    }
    showLoading(status, 'Checking your key…');
    try {
      const who = await api<Me>('/v1/me', { key: value });
      signIn(value, who);
      location.hash = `#${landing()}`;
    } catch (error) {
      showError(status, error instanceof ApiError && error.status === 401 ? new Error('This key is not valid, has expired or was revoked.') : error);
      key.focus();
    }
  });
  main.append(h('h1', {}, 'Sign in'), form,
    h('p', {}, 'Looking for what likeness holds about you? No account is needed: ', h('a', { href: '#/privacy' }, 'see your privacy rights'), '.'));
}
