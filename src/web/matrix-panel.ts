// The matrix tab: workloads (all, or a namespace's) or a namespace's pods, on one port.
import { $, el } from './dom';
import { cellChange, endQuery, probeKey } from './diff';
import { client } from './early';
import { MAX_MATRIX_ROWS, renderMatrix, type MatrixAxis } from './matrix-view';
import { explain } from './query';
import { page, unsupportedNote } from './state';

export async function renderMatrixView(): Promise<void> {
  const a = page.analysis;
  if (!a) return;
  if (a.unsupported) { $('matrix').replaceChildren(el('p', 'note unsupported', unsupportedNote(a.unsupported))); return; }
  // Thousands of cell buttons: drawn when the matrix is shown, not behind the first picture.
  if ($('view-matrix').hidden) { page.matrixStale = true; return; }
  page.matrixStale = false;
  const probe = a.probes[Number($<HTMLSelectElement>('matrix-port').value || 0)];
  if (!probe || typeof probe.port !== 'number') return;
  const port = probe.port, protocol = probe.protocol;
  const ns = $<HTMLSelectElement>('matrix-ns').value;
  const showDepends = $<HTMLInputElement>('matrix-depends').checked;
  const onCell = (f: MatrixAxis, t: MatrixAxis) => void explain(f.query, t.query, probeKey(probe));
  if ($<HTMLSelectElement>('matrix-by').value === 'pod') {
    const namespace = ns || a.namespaces[0] || '';
    if (!ns) $<HTMLSelectElement>('matrix-ns').value = namespace;
    if (page.podMatrix?.namespace !== namespace) {
      const mine = page.seq;
      const m = await client.call('podMatrix', [namespace]);
      if (mine !== page.seq || 'error' in m) return;
      page.podMatrix = { namespace, matrix: m };
    }
    const m = page.podMatrix.matrix;
    const k = m.probes.findIndex((p) => p.port === port && p.protocol === protocol);
    if (k < 0) return;
    const rows = m.probes[k]!.rows;
    const deps = new Map(m.depends.filter((d) => d.port === port && d.protocol === protocol).map((d) => [`${d.from}|${d.to}`, d.reason]));
    const axis: MatrixAxis[] = m.pods.slice(0, MAX_MATRIX_ROWS).map((id) => ({ id, query: id, label: id.slice(id.indexOf('/') + 1), group: id.slice(0, id.indexOf('/')) }));
    renderMatrix($('matrix'), {
      axis, portKey: probeKey(probe), showDepends, onCell,
      note: `Pods of ${namespace}${m.pods.length > axis.length ? ` (first ${axis.length} of ${m.pods.length})` : ''}; changes since the baseline are marked on the workload rows.`,
      cell: (r, c) => ({ allowed: rows[r]![c] === '1', depends: deps.get(`${axis[r]!.id}|${axis[c]!.id}`) }),
    });
    return;
  }
  const ends = a.graph.ends.map((e, i) => ({ e, i })).filter(({ e }) => !ns || e.namespace === ns || e.kind === 'external');
  const all = ends.filter(({ e }) => e.kind !== 'external');
  const shown = all.slice(0, MAX_MATRIX_ROWS);
  const axis: MatrixAxis[] = shown.map(({ e }) => ({ id: e.id, query: endQuery(e), label: `${e.label.slice((e.namespace ?? '').length + 1)}${e.pods.length > 1 ? ` ×${e.pods.length}` : ''}`, group: e.namespace ?? '' }));
  const allowed = new Map(a.graph.connections.map((c) => [`${c.from}>${c.to}`, c.allowed]));
  const deps = new Map(a.graph.depends.map((d) => [`${d.from}>${d.to}`, d]));
  const inRange = (r: [number, number][] | undefined) => !!r && r.some(([x, y]) => x <= port && port <= y);
  renderMatrix($('matrix'), {
    axis, portKey: probeKey(probe), showDepends, onCell,
    note: shown.length < all.length ? `Showing the first ${shown.length} of ${all.length} workloads: choose a namespace to see the others.` : undefined,
    cell: (r, c) => {
      const i = shown[r]!.i, j = shown[c]!.i;
      const d = deps.get(`${i}>${j}`);
      return {
        allowed: inRange(allowed.get(`${i}>${j}`)?.[protocol]),
        depends: d && inRange(d.ports[protocol]) ? d.reason : undefined,
        change: cellChange(page.diff, axis[r]!.id, axis[c]!.id, port, protocol),
      };
    },
  });
}
