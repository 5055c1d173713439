import { formatDate, h, replace } from '../dom.ts';
import type { IssuedKey, SecondFactor } from './accounts-types.ts';

/**
 * The one time a secret is shown: the server keeps only its hash. The box takes focus so a screen
 * reader reads it out, and the button clears it from the page.
 */
function showOnce(box: HTMLElement, id: string, title: string, doneLabel: string, ...body: HTMLElement[]): void {
  const done = h('button', { type: 'button', class: 'secondary' }, doneLabel);
  done.addEventListener('click', () => replace(box));
  replace(box, h('div', { class: 'card key-once', role: 'region', 'aria-labelledby': id, tabindex: '-1' }, h('h2', { id }, title), ...body, done));
  (box.firstElementChild as HTMLElement).focus();
}

/** A new API key, to hand to its owner. */
export function showKeyOnce(box: HTMLElement, owner: string, issued: IssuedKey): void {
  showOnce(box, 'key-once-title', `New API key for ${owner}`, 'Done, I have stored it',
    h('p', {}, `Shown this once: store it now and hand it to ${owner} over a safe channel. It expires ${formatDate(issued.keyExpiresAt)}; its prefix is ${issued.keyPrefix}.`),
    h('p', {}, h('code', { class: 'secret', 'data-testid': 'new-key' }, issued.key)));
}

/**
 * A reset second factor: the secret to type into an authenticator app (or its otpauth:// URI) and
 * the recovery codes. The user's old codes and sessions have ended.
 */
export function showSecondFactorOnce(box: HTMLElement, owner: string, enrolled: SecondFactor): void {
  showOnce(box, 'factor-once-title', `New second factor for ${owner}`, 'Done, I have handed it over',
    h('p', {}, `Shown this once: hand it to ${owner} over a safe channel. Their old codes no longer work and they are signed out everywhere.`),
    h('dl', {},
      h('dt', {}, 'Secret for the authenticator app'), h('dd', {}, h('code', { class: 'secret', 'data-testid': 'new-totp-secret' }, enrolled.secret)),
      h('dt', {}, 'Or this URI'), h('dd', {}, h('code', { class: 'secret', 'data-testid': 'new-totp-uri' }, enrolled.uri)),
      h('dt', {}, 'Recovery codes, each good once'),
      h('dd', {}, h('ul', { 'data-testid': 'new-recovery-codes' }, ...enrolled.recoveryCodes.map((code) => h('li', {}, h('code', {}, code)))))));
}
