// The Policies tab (tier order and a policy's subjects) and the note where the graph, matrix and
// changes would be while the class engine cannot read the cluster's tier policies.
import { $, el } from './dom';
import { client } from './early';
import type { Analysis } from './engine';
import { jump } from './files';
import { renderGraph, selectLayer } from './graph-panel';
import { renderPolicyOrder, renderSubjects } from './tiers-view';
import { page, unsupportedNote } from './state';

export function renderTiers(a: Analysis): void {
  if (a.unsupported) {
    // No workload list: say so where the graph, matrix and changes would be; queries still work.
    const msg = unsupportedNote(a.unsupported);
    for (const id of ['graph-note', 'diff-summary']) $(id).textContent = msg;
    $('matrix').replaceChildren(el('p', 'note unsupported', msg));
    $('status').textContent += ' (tier policies: query only)';
    // The query's endpoint list comes from the workload list; without it, offer the namespaces' pods by name.
    if (!a.graph.ends.length) $('endpoints').replaceChildren(...a.namespaces.map((n) => new Option(`${n}/`)));
  }
  const mine = page.seq;
  void client.call('policyOrder').then((list) => {
    if (mine !== page.seq) return;
    $('tab-policies').textContent = `Policies (${list.length})`;
    renderPolicyOrder($('policy-order'), list, jump, (p) => {
      if (p.tier === 'NetworkPolicy') {
        $('policy-subjects').replaceChildren(el('p', 'note', `${p.id}: its layer is drawn on the graph (Policy layer).`));
        void selectLayer(p.id);
        return;
      }
      void client.call('tierSubjects', p.id).then((r) => {
        if (mine !== page.seq) return;
        renderSubjects($('policy-subjects'), p, 'error' in r ? r : r.pods);
        // Mark the workloads holding a subject pod on the graph, as Find marks its matches.
        if (!('error' in r) && page.analysis) {
          const pods = new Set(r.pods);
          page.hits = new Set(page.analysis.graph.ends.map((e, i) => (e.pods.some((x) => pods.has(x)) ? i : -1)).filter((i) => i >= 0));
          renderGraph();
        }
      });
    });
  });
}
