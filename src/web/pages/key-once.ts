import { formatDate, h, replace } from '../dom.ts';
import type { IssuedKey, SecondFactor } from './accounts-types.ts';

/**
 * The one time a key's secret is shown: the server keeps only its hash. The box takes focus so a
 * screen reader reads it out, and "Done" clears it from the page.
 */
export function showKeyOnce(box: HTMLElement, owner: string, issued: IssuedKey): void {
  const done = h('button', { type: 'button', class: 'secondary' }, 'Done, I have stored it');
  done.addEventListener('click', () => replace(box));
  replace(box, h('div', { class: 'card key-once', role: 'region', 'aria-labelledby': 'key-once-title', tabindex: '-1' },
    h('h2', { id: 'key-once-title' }, `New API key for ${owner}`),
    h('p', {}, `Shown this once: store it now and hand it to ${owner} over a safe channel. It expires ${formatDate(issued.keyExpiresAt)}; its prefix is ${issued.keyPrefix}.`),
    h('p', {}, h('code', { class: 'secret', 'data-testid': 'new-key' }, issued.key)),
    done));
  (box.firstElementChild as HTMLElement).focus();
}

/**
 * The one time a reset second factor is shown: the secret to type into an authenticator app (or
 * its otpauth:// URI) and the recovery codes. The user's old codes and sessions have ended.
 */
export function showSecondFactorOnce(box: HTMLElement, owner: string, enrolled: SecondFactor): void {
  const done = h('button', { type: 'button', class: 'secondary' }, 'Done, I have handed it over');
  done.addEventListener('click', () => replace(box));
  replace(box, h('div', { class: 'card key-once', role: 'region', 'aria-labelledby': 'factor-once-title', tabindex: '-1' },
    h('h2', { id: 'factor-once-title' }, `New second factor for ${owner}`),
    h('p', {}, `Shown this once: hand it to ${owner} over a safe channel. Their old codes no longer work and they are signed out everywhere.`),
    h('dl', {},
      h('dt', {}, 'Secret for the authenticator app'), h('dd', {}, h('code', { class: 'secret', 'data-testid': 'new-totp-secret' }, enrolled.secret)),
      h('dt', {}, 'Or this URI'), h('dd', {}, h('code', { class: 'secret', 'data-testid': 'new-totp-uri' }, enrolled.uri)),
      h('dt', {}, 'Recovery codes, each good once'),
      h('dd', {}, h('ul', { 'data-testid': 'new-recovery-codes' }, ...enrolled.recoveryCodes.map((code) => h('li', {}, h('code', {}, code)))))),
    done));
  (box.firstElementChild as HTMLElement).focus();
}
