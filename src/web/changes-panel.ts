// The Changes tab: connections opened and closed since the baseline.
import { portSummary } from '../render/list-graph';
import { $, button } from './dom';
import { explain, firstPort } from './query';
import { page } from './state';

export function renderDiff(): void {
  const d = page.diff!;
  const opened = d.changes.filter((c) => c.change === 'opened').length;
  const closed = d.changes.length - opened;
  $('diff-count').textContent = d.changes.length ? `+${opened} −${closed}` : '';
  $('diff-summary').textContent = d.changes.length || d.addedEnds.length || d.removedEnds.length
    ? `Since the baseline: ${opened} connections opened, ${closed} closed (per pair of workloads, exact port ranges).${d.addedEnds.length ? ` New: ${d.addedEnds.join(', ')}.` : ''}${d.removedEnds.length ? ` Removed: ${d.removedEnds.join(', ')}.` : ''}`
    : 'No change since the baseline. Edit a policy to see which connections it opens or closes.';
  $('diff-list').replaceChildren(...d.changes.slice(0, 300).map((c) => {
    const li = document.createElement('li');
    const p = firstPort(c.ports)!;
    li.append(button(`${c.change === 'opened' ? '+ opened' : '− closed'}: ${c.from} → ${c.to} on ${portSummary(c.ports, 6)}`, () => void explain(c.fromQuery, c.toQuery, p), `link ${c.change}`));
    return li;
  }));
}
