import { h } from '../dom.ts';

type Cell = Node | string | null | undefined | false | Array<Node | string | null | undefined | false>;

export interface TableSpec {
  testId: string;
  caption?: string;
  columns: string[];
  /** One array of cells per row; the first cell names the row (a row header) unless `rowHeader` is false. */
  rows: Cell[][];
  rowHeader?: boolean;
}

/**
 * A table that becomes one card per row on a narrow screen (styles.css, `table.cards`): each cell
 * carries its column's name, shown beside the value when the header row is hidden, so nothing
 * needs sideways scrolling on a phone.
 */
export function responsiveTable({ testId, caption, columns, rows, rowHeader = true }: TableSpec): HTMLElement {
  const cell = (value: Cell, i: number) => {
    const children = Array.isArray(value) ? value : [value];
    return i === 0 && rowHeader
      ? h('th', { scope: 'row', 'data-label': columns[i] }, ...children)
      // One box around the value, so on a card it sits in one column beside its label.
      : h('td', { 'data-label': columns[i] }, h('span', {}, ...children));
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'cards', 'data-testid': testId },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map(cell))))));
}
