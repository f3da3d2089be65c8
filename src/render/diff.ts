// `netpol diff` as text: opened and closed connections grouped by source and destination
// workload, then the policy changes; and the semantic comparison's answer.
import type { DiffConnection, DiffResult } from '../analysis/diff/diff.js';
import type { CounterExample, SemanticResult } from '../analysis/diff/semantic.js';
import { terminalText } from './escape.js';

/** `prod/api-0` -> `prod/api` (workload pods are named `<workload>-<ordinal>`). */
const workload = (name: string) => name.replace(/-\d+$/, '');

function grouped(list: readonly DiffConnection[]): string[] {
  const groups = new Map<string, Set<string>>();
  for (const c of list) {
    const key = `${workload(c.from)} -> ${workload(c.to)}`;
    if (!groups.has(key)) groups.set(key, new Set());
    groups.get(key)!.add(`${c.port}/${c.protocol}${c.depends ? '?' : ''}`);
  }
  return [...groups].map(([k, ports]) => `  ${k}: ${[...ports].join(', ')}`);
}

/** The connections whose verdict hinges on the plugin, spelled out (at most a few). */
function dependsLines(d: DiffResult): string[] {
  const list = [...d.opened, ...d.closed].filter((c) => c.depends);
  if (list.length === 0) return [];
  const out = [`? = depends on what the manifests do not state or the API leaves to the network plugin (${list.length}):`];
  for (const c of list.slice(0, 10)) out.push(`  ${c.from} -> ${c.to} ${c.port}/${c.protocol}: ${c.depends}`);
  if (list.length > 10) out.push(`  … and ${list.length - 10} more (--format json lists every one)`);
  return out;
}

export function renderDiffText(d: DiffResult): string {
  const out: string[] = [];
  out.push(`opened (${d.opened.length} connection${d.opened.length === 1 ? '' : 's'}):`, ...(d.opened.length ? grouped(d.opened) : ['  none']));
  out.push(`closed (${d.closed.length} connection${d.closed.length === 1 ? '' : 's'}):`, ...(d.closed.length ? grouped(d.closed) : ['  none']));
  out.push(...dependsLines(d));
  const p = d.policies;
  out.push('policies:');
  if (!p.added.length && !p.removed.length && !p.changed.length) out.push('  unchanged');
  for (const [mark, list] of [['+ added', p.added], ['- removed', p.removed], ['~ changed', p.changed]] as const) for (const x of list) out.push(`  ${mark} ${x}`);
  // Each entry is one line; names inside it come from manifests.
  return out.map(terminalText).join('\n');
}

function example(c: CounterExample): string[] {
  const out = [`  ${c.from} -> ${c.to} ${c.port}/${c.protocol}`];
  for (const [name, desc] of Object.entries(c.hypothetical ?? {})) out.push(`      (hypothetical) ${name}: ${desc}`);
  return out;
}

export function renderSemanticText(s: SemanticResult, mode: 'subset' | 'equivalent'): string {
  const out: string[] = [];
  if (mode === 'subset') out.push(s.subset ? 'SUBSET: the new policies allow nothing the old ones did not' : `NOT A SUBSET: the new policies allow ${s.counts.onlyAfter} connection(s) the old ones did not, e.g.:`);
  else out.push(s.equivalent ? 'EQUIVALENT: both policy sets allow exactly the same connections' : `NOT EQUIVALENT: ${s.counts.onlyAfter} connection(s) allowed only by the new set, ${s.counts.onlyBefore} only by the old, e.g.:`);
  if (!s.subset) out.push(mode === 'equivalent' ? 'allowed only after:' : '', ...s.onlyAfter.flatMap(example));
  if (mode === 'equivalent' && s.counts.onlyBefore) out.push('allowed only before:', ...s.onlyBefore.flatMap(example));
  out.push(`(${s.counts.checked} connections checked, over the pods of both inputs plus hypothetical pods and namespaces built from the selectors' labels, one address per ipBlock region and one port per port range)`);
  return out.filter((l) => l !== '').map(terminalText).join('\n');
}
