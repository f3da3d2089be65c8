// Exports of the graph as drawn (with a focus, only the focused node and its neighbours).
import { renderListDot, renderListMermaid } from '../render/list-graph';
import { renderListSvg } from '../render/list-graph-svg';
import { $ } from './dom';
import { neighbourhood } from './graph';
import { graph } from './graph-panel';
import { page } from './state';

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportAs(kind: 'svg' | 'png' | 'dot' | 'mermaid'): void {
  const g = graph.graph;
  if (!g) return;
  // The view as drawn: with a focus, only the focused node and its neighbours.
  const focus = page.gs.focus ? neighbourhood(g, page.gs.focus) : undefined;
  const view = focus ? { ...g, nodes: g.nodes.filter((n) => focus.nodes.has(n.id)), edges: g.edges.filter((_, k) => focus.edges.has(k)) } : g;
  if (kind === 'png') {
    const png = graph.png();
    if (png) download('netpol-graph.png', png);
    return;
  }
  let text: string;
  if (kind === 'svg') {
    const layout = graph.layout();
    if (layout && focus) layout.edges = layout.edges.filter((_, k) => focus.edges.has(k));
    text = renderListSvg(view, layout);
  } else text = kind === 'dot' ? renderListDot(view) : renderListMermaid(view);
  $<HTMLTextAreaElement>('export-text').value = text;
  $('export-box').hidden = false;
  download(`netpol-graph.${kind === 'mermaid' ? 'mmd' : kind}`, new Blob([text], { type: kind === 'svg' ? 'image/svg+xml' : 'text/plain' }));
}
