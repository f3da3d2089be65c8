// The matrix: a table of buttons (row = from, column = to) for one port, workloads by default
// (pods of one owner answer alike; the list says so) or pods on request. Rows and columns are
// grouped by namespace; headers stay in view while scrolling (CSS sticky). The baseline diff and
// the `depends` marks are drawn in the same cells. One cell is in the tab order at a time; arrow
// keys move, Home/End jump along the row, Enter/Space explains.
import { el } from './dom';

export const MAX_MATRIX_ROWS = 120;

export interface MatrixAxis {
  id: string;
  /** Text for a query (`ns/name`, a pod, or an address). */
  query: string;
  label: string;
  group: string;
}

export interface MatrixCell {
  allowed: boolean;
  /** Why the verdict hinges on the plugin or on what the manifests do not state. */
  depends?: string;
  change?: 'opened' | 'closed';
}

export interface MatrixViewOptions {
  axis: MatrixAxis[];
  portKey: string;
  cell: (from: number, to: number) => MatrixCell;
  /** Show the `depends` marks. */
  showDepends: boolean;
  onCell: (from: MatrixAxis, to: MatrixAxis) => void;
  /** Shown above the table (e.g. "showing one namespace"). */
  note?: string;
}

export function renderMatrix(container: HTMLElement, o: MatrixViewOptions): void {
  container.replaceChildren();
  const shown = o.axis;
  if (shown.length === 0) {
    container.append(el('p', 'note', 'Nothing to show. Add Pods or workloads (Deployment, StatefulSet, …) to the manifests.'));
    return;
  }
  if (o.note) container.append(el('p', 'note', o.note));
  const table = el('table', 'matrix');
  table.setAttribute('aria-label', `Reachability on ${o.portKey}: rows are sources, columns are destinations`);
  const thead = table.createTHead();
  // Namespace band over the columns.
  const band = thead.insertRow();
  band.className = 'band';
  band.append(el('th', 'corner', ''), el('th', 'corner2', ''));
  for (let i = 0; i < shown.length;) {
    let j = i;
    while (j < shown.length && shown[j]!.group === shown[i]!.group) j++;
    const th = el('th', 'group', shown[i]!.group);
    th.colSpan = j - i;
    th.scope = 'colgroup';
    band.append(th);
    i = j;
  }
  const head = thead.insertRow();
  head.append(el('th', 'corner', 'from'), el('th', 'corner2', 'to →'));
  shown.forEach((p, c) => {
    const th = el('th', `col${c > 0 && shown[c - 1]!.group !== p.group ? ' first' : ''}`);
    th.scope = 'col';
    th.title = p.id;
    th.append(el('span', undefined, p.label));
    head.append(th);
  });
  const body = table.createTBody();
  shown.forEach((src, r) => {
    const tr = body.insertRow();
    if (r === 0 || shown[r - 1]!.group !== src.group) {
      const g = el('th', 'rowgroup', src.group);
      g.scope = 'rowgroup';
      let n = 0;
      while (r + n < shown.length && shown[r + n]!.group === src.group) n++;
      g.rowSpan = n;
      tr.append(g);
      tr.className = 'first';
    }
    const th = el('th', 'row', src.label);
    th.scope = 'row';
    th.title = src.id;
    tr.append(th);
    shown.forEach((dst, c) => {
      const x = o.cell(r, c);
      const why = o.showDepends ? x.depends : undefined;
      const td = tr.insertCell();
      if (c > 0 && shown[c - 1]!.group !== dst.group) td.className = 'first';
      const b = el('button', `cell ${x.allowed ? 'allow' : 'deny'}${x.change ? ` ${x.change}` : ''}${r === c ? ' self' : ''}${why ? ' depends' : ''}`);
      b.type = 'button';
      b.textContent = `${x.change === 'opened' ? '+' : x.change === 'closed' ? '−' : x.allowed ? '✓' : '·'}${why ? '?' : ''}`;
      if (why) b.title = `depends: ${why}`;
      b.dataset.r = String(r);
      b.dataset.c = String(c);
      b.dataset.from = src.id;
      b.dataset.to = dst.id;
      b.tabIndex = r === 0 && c === 0 ? 0 : -1;
      b.setAttribute('aria-label', `${src.id} to ${dst.id} on ${o.portKey}: ${x.allowed ? 'allowed' : 'denied'}${why ? ', depends on the network plugin' : ''}${x.change ? `, ${x.change} by your edits` : ''}`);
      td.append(b);
    });
  });
  table.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button.cell');
    if (!b) return;
    focusCell(table, b);
    o.onCell(shown[+b.dataset.r!]!, shown[+b.dataset.c!]!);
  });
  table.addEventListener('keydown', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button.cell');
    if (!b) return;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -1e9], End: [0, 1e9], PageUp: [-10, 0], PageDown: [10, 0] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    const clamp = (v: number) => Math.max(0, Math.min(shown.length - 1, v));
    const next = table.querySelector<HTMLButtonElement>(`button[data-r="${clamp(+b.dataset.r! + m[0])}"][data-c="${clamp(+b.dataset.c! + m[1])}"]`);
    if (next) focusCell(table, next);
  });
  const wrap = el('div', 'matrix-scroll');
  wrap.append(table);
  container.append(wrap);
}

function focusCell(table: HTMLTableElement, b: HTMLButtonElement): void {
  for (const x of table.querySelectorAll<HTMLButtonElement>('button.cell[tabindex="0"]')) x.tabIndex = -1;
  b.tabIndex = 0;
  b.focus();
}
