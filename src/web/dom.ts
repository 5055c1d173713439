// A tiny element builder: the UI has a few pages of forms and lists, not enough to need a framework.
type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Tells screen-reader users what changed without moving their focus. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (region) region.textContent = message;
}

/** Marks a field as wrong (or right again): read out by screen readers, outlined in red by the style sheet. */
export function markInvalid(field: HTMLElement, invalid: boolean): void {
  if (invalid) field.setAttribute('aria-invalid', 'true');
  else field.removeAttribute('aria-invalid');
}

/** A region that shows one call's state: nothing, loading, an error, or content. */
export function statusBox(id: string): HTMLElement {
  return h('div', { id, class: 'status', role: 'status', 'aria-live': 'polite' });
}

export function showLoading(box: HTMLElement, text: string): void {
  box.className = 'status loading';
  box.setAttribute('aria-busy', 'true');
  replace(box, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function showError(box: HTMLElement, error: unknown): void {
  box.className = 'status error';
  box.removeAttribute('aria-busy');
  box.setAttribute('role', 'alert');
  replace(box, describe(error));
}

export function showDone(box: HTMLElement, text = ''): void {
  box.className = text ? 'status done' : 'status';
  box.removeAttribute('aria-busy');
  box.setAttribute('role', 'status');
  replace(box, text);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
