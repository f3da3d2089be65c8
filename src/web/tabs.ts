// The view tabs (graph, matrix, changes, policies, generate): arrow keys move between them, and
// a view changed while hidden is drawn when shown.
import { $ } from './dom';
import { graph, renderGraph } from './graph-panel';
import { renderMatrixView } from './matrix-panel';
import { page } from './state';

function selectView(id: (typeof views)[number]): void {
  for (const v of views) {
    const tab = $(`tab-${v}`);
    tab.setAttribute('aria-selected', String(v === id));
    tab.tabIndex = v === id ? 0 : -1;
    $(`view-${v}`).hidden = v !== id;
  }
  if (id === 'matrix' && page.matrixStale) void renderMatrixView();
  if (id === 'graph' && page.graphStale) {
    page.graphStale = false;
    renderGraph();
  }
  if (id === 'graph') graph.resize();
}

const views = ['graph', 'matrix', 'diff', 'policies', 'generate'] as const;

export function wireTabs(): void {
  views.forEach((v, i) => {
  const tab = $(`tab-${v}`);
  tab.addEventListener('click', () => selectView(v));
  tab.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = views[(i + step + views.length) % views.length]!;
    selectView(next);
    $(`tab-${next}`).focus();
  });
});
}
