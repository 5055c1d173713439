import { formatDate, h, replace } from '../dom.ts';
import type { IssuedKey } from './accounts-types.ts';

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
