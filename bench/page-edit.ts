// `npm run bench:page-edit [-- --pods 2000 --runs 15]`: an edit of the page in Node, in CPU time
// (process.cpuUsage), so a figure means something on a shared machine where wall time does not.
// On bench/page.ts's cluster (the page's generator), each edit is made and undone `runs` times:
//   worker   the engine call an edit makes (engine.ts `update`: parse, load, class engine, list)
//   main     what the page computes before drawing: the changes since the baseline (diff.ts),
//            the namespace overview (buildGraph, graphElements) and the patch of a headless
//            Cytoscape (patchElements), without the browser's style and paint
// Median and minimum per edit kind, with the 1-minute load average.
import os from 'node:os';
import cytoscape from 'cytoscape';
import { analyze, forget, update, type Analysis } from '../src/web/engine.js';
import { diffLists } from '../src/web/diff.js';
import { buildGraph, graphElements, patchElements, type GraphState } from '../src/web/graph.js';
import { generateCluster } from '../src/web/generate.js';
import type { Source } from '../src/index.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const pods = opt('--pods', 2000);
const runs = opt('--runs', 15);
const files = generateCluster(Math.max(1, Math.round(pods / 50)), 10);
const text = (f: string) => files.find((s) => s.file === f)!.text;
const once = (t: string, a: string, b: string) => { if (!t.includes(a)) throw new Error(`no ${a}`); return t.replace(a, b); };
const EDITS: [string, string, (t: string) => string][] = [
  ['policy port (a new port)', 'generated/policies.yaml', (t) => once(t, 'ports: [{port: 80}]', 'ports: [{port: 800}]')],
  ['policy peer', 'generated/policies.yaml', (t) => once(t, 'from: [{podSelector: {matchLabels: {app: front}}}]', 'from: [{podSelector: {matchLabels: {app: worker}}}]')],
  ['workload labels', 'generated/workloads.yaml', (t) => once(t, '{app: cache}}\n  template:\n    metadata: {labels: {app: cache}}', '{app: api}}\n  template:\n    metadata: {labels: {app: api}}')],
];

const cpu = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1]!.toFixed(1).padStart(6)} ms  min ${s[0]!.toFixed(1).padStart(6)} ms`;
};

forget();
let version = 1;
const baseline = analyze(files, version);
const state: GraphState = { level: 'namespace' };
const cy = cytoscape({ headless: true, elements: graphElements(buildGraph(baseline.graph, state), state, baseline.ends) });
let shown = graphElements(buildGraph(baseline.graph, state), state, baseline.ends);
const main = (a: Analysis) => {
  diffLists(baseline.graph, a.graph);
  const els = graphElements(buildGraph(a.graph, state), state, a.ends);
  patchElements(cy, els, ...(patchElements.length >= 3 ? [shown] : []) as []);
  shown = els;
};
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores; ${baseline.pods} pods, ${baseline.policies.length} policies, ${baseline.graph.connections.length} connections`);
for (const [name, file, f] of EDITS) {
  const worker: number[] = [], page: number[] = [];
  for (let r = 0; r < runs + 2; r++) {
    for (const t of [f(text(file)), text(file)]) {
      const changed: Source[] = [{ file, text: t }];
      let a: Analysis | { stale: true } | undefined;
      const w = cpu(() => { a = update(version + 1, version, changed, []); });
      version++;
      if (!a || 'stale' in a) throw new Error('stale');
      const m = cpu(() => main(a as Analysis));
      if (r >= 2) { worker.push(w); page.push(m); } // the first two warm the JIT
    }
  }
  console.log(`EDIT ${name.padEnd(26)} worker ${stats(worker)}   main ${stats(page)}   load ${os.loadavg()[0]!.toFixed(2)}`);
}
