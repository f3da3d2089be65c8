// Pods × pods for one probe: a table of buttons (row = from, column = to). One cell is in the
// tab order at a time; arrow keys move between cells, Enter/Space explains the cell.
import type { Analysis } from './engine';
import { probeKey, type MatrixDiff } from './diff';

export const MAX_MATRIX_PODS = 120;

export interface MatrixViewOptions {
  analysis: Analysis;
  probe: number;
  namespace: string; // '' = all
  diff?: MatrixDiff;
  onCell: (from: string, to: string, probe: string) => void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderMatrix(container: HTMLElement, o: MatrixViewOptions): void {
  container.replaceChildren();
  const probe = o.analysis.matrix.probes[o.probe];
  if (!probe) return;
  const key = probeKey(probe);
  const all = o.analysis.matrix.pods.map((id, i) => ({ id, i })).filter((p) => !o.namespace || p.id.startsWith(`${o.namespace}/`));
  const shown = all.slice(0, MAX_MATRIX_PODS);
  if (all.length === 0) {
    container.append(el('p', 'note', 'No pods to show. Add Pods or workloads (Deployment, StatefulSet, …) to the manifests.'));
    return;
  }
  if (shown.length < all.length) {
    container.append(el('p', 'note', `Showing the first ${shown.length} of ${all.length} pods: choose a namespace to see the others.`));
  }
  const table = el('table', 'matrix');
  table.setAttribute('aria-label', `Reachability on ${key}: rows are sources, columns are destinations`);
  const head = table.createTHead().insertRow();
  head.append(el('th', 'corner', 'from \\ to'));
  for (const p of shown) {
    const th = el('th', 'col');
    th.scope = 'col';
    th.append(el('span', undefined, p.id));
    head.append(th);
  }
  // Cells whose verdict depends on the plugin (or an unknown IP): marked, with the reason on hover.
  const depends = new Map(o.analysis.matrix.depends.filter((d) => `${d.port}/${d.protocol}` === `${probe.port}/${probe.protocol}`).map((d) => [`${d.from}|${d.to}`, d.reason]));
  const body = table.createTBody();
  shown.forEach((src, r) => {
    const tr = body.insertRow();
    const th = el('th', 'row', src.id);
    th.scope = 'row';
    tr.append(th);
    const row = probe.rows[src.i]!;
    shown.forEach((dst, c) => {
      const allowed = row[dst.i] === '1';
      const change = o.diff?.byCell.get(`${key}|${src.id}|${dst.id}`);
      const td = tr.insertCell();
      const why = depends.get(`${src.id}|${dst.id}`);
      const b = el('button', `cell ${allowed ? 'allow' : 'deny'}${change ? ` ${change}` : ''}${src.i === dst.i ? ' self' : ''}${why ? ' depends' : ''}`);
      b.type = 'button';
      b.textContent = `${change === 'opened' ? '+' : change === 'closed' ? '−' : allowed ? '✓' : '·'}${why ? '?' : ''}`;
      if (why) b.title = `depends: ${why}`;
      b.dataset.r = String(r);
      b.dataset.c = String(c);
      b.dataset.from = src.id;
      b.dataset.to = dst.id;
      b.tabIndex = r === 0 && c === 0 ? 0 : -1;
      b.setAttribute('aria-label', `${src.id} to ${dst.id} on ${key}: ${allowed ? 'allowed' : 'denied'}${why ? ', depends on the network plugin' : ''}${change ? `, ${change} by your edits` : ''}`);
      td.append(b);
    });
  });
  table.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button.cell');
    if (!b) return;
    focusCell(table, b);
    o.onCell(b.dataset.from!, b.dataset.to!, key);
  });
  table.addEventListener('keydown', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button.cell');
    if (!b) return;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -1e9], End: [0, 1e9] };
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
