import { api, ApiError } from '../api.ts';
import { h, markInvalid, showError, showLoading, statusBox } from '../dom.ts';
import { signedIn, type SessionInfo } from '../session.ts';

/** The one answer to a wrong name, password or code, as the server gives one. */
export const SIGN_IN_FAILED = 'The name, password or code is not right.';

export function signInPage(main: HTMLElement, landing: () => string): void {
  const field = (id: string, attrs: Record<string, string | boolean>) =>
    h('input', { id, name: id, required: true, spellcheck: 'false', autocapitalize: 'off', ...attrs });
  const user = field('user', { type: 'text', autocomplete: 'username' });
  const password = field('password', { type: 'password', autocomplete: 'current-password' });
  const code = field('code', { type: 'text', autocomplete: 'one-time-code', 'aria-describedby': 'code-help', required: false });
  const status = statusBox('signin-status');
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('label', { for: 'user' }, 'Name'), user,
    h('label', { for: 'password' }, 'Password'), password,
    h('label', { for: 'code' }, 'Code'), code,
    h('p', { id: 'code-help', class: 'hint' }, 'The six digits your authenticator app shows now, or one of your recovery codes.'),
    h('button', { type: 'submit' }, 'Sign in'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = [user, password].find((input) => !input.value.trim());
    for (const input of [user, password]) markInvalid(input, input === missing);
    if (missing) {
      showError(status, new Error(missing === user ? 'Enter your name.' : 'Enter your password.'));
      missing.focus();
      return;
    }
    showLoading(status, 'Signing in…');
    try {
      const body = { user: user.value.trim(), password: password.value, ...(code.value.trim() ? { code: code.value.trim() } : {}) };
      signedIn(await api<SessionInfo>('/v1/session', { body }));
      location.hash = `#${landing()}`;
    } catch (error) {
      showError(status, error instanceof ApiError && error.status === 401 ? new Error(SIGN_IN_FAILED) : error);
      code.value = '';
      password.value = '';
      password.focus();
    }
  });
  main.append(h('h1', {}, 'Sign in'), form,
    h('p', {}, 'Looking for what likeness holds about you? No account is needed: ', h('a', { href: '#/privacy' }, 'see your privacy rights'), '.'));
}
