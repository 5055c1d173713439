import { h, showDone, showError, showLoading } from '../dom.ts';

export interface PagerSpec<T, C> {
  /** What is paged, for the controls' name: "searches", "audit entries". */
  label: string;
  status: HTMLElement;
  /** One page from the server, newest first, starting after `cursor` (none: the newest). */
  load(cursor: C | undefined, limit: number): Promise<T[]>;
  /** The cursor that continues after this row. */
  cursor(last: T): C;
  show(rows: T[], page: number): void;
}

export interface Pager {
  controls: HTMLElement;
  /** The first page again, e.g. after the filters changed. */
  first(perPage: number): Promise<void>;
}

/**
 * Pages through a list the server filters and pages itself: the browser holds one page, never
 * the whole list. One row more than a page is asked for, to know whether an older page exists.
 */
export function pager<T, C>(spec: PagerSpec<T, C>): Pager {
  let cursors: Array<C | undefined> = [undefined];
  let page = 0;
  let perPage = 25;
  const newer = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Newer');
  const older = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Older');
  const where = h('span', { class: 'page-no' });
  const controls = h('nav', { class: 'pager', 'aria-label': `Pages of ${spec.label}` }, newer, where, older);

  const go = async (to: number) => {
    newer.disabled = true;
    older.disabled = true;
    showLoading(spec.status, `Loading ${spec.label}…`);
    try {
      const rows = await spec.load(cursors[to], perPage + 1);
      const shown = rows.slice(0, perPage);
      page = to;
      cursors = cursors.slice(0, to + 1);
      if (rows.length > perPage) cursors.push(spec.cursor(shown[shown.length - 1]!));
      showDone(spec.status);
      spec.show(shown, page + 1);
      where.textContent = `Page ${page + 1}`;
    } catch (error) {
      showError(spec.status, error);
    } finally {
      newer.disabled = page === 0;
      older.disabled = cursors.length <= page + 1;
    }
  };
  newer.addEventListener('click', () => void go(page - 1));
  older.addEventListener('click', () => void go(page + 1));
  return {
    controls,
    first: async (size: number) => {
      perPage = size;
      cursors = [undefined];
      await go(0);
    },
  };
}
