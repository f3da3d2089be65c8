// npm run bench [-- --json] [--reference] [--quick] [--only B2,B3d,E2E] [--no-e2e] [--e2e-timeout SECONDS]
// Times the class engine on the issue-4 workloads, checks it against the naive reference
// evaluator (test/oracle/reference.ts) and exits 1 on any disagreement; then the end-to-end
// CLI workloads of issue 13 (bench/e2e.ts; rows named `E2E …`, e.g. --only "E2E check").
import os from 'node:os';
import { Evaluator } from '../src/evaluate/evaluate.js';
import { buildReachability, type Reachability } from '../src/matrix/engine.js';
import { hasBit, words } from '../src/matrix/bitset.js';
import type { Cluster, NetworkPolicy, Pod, Protocol } from '../src/model/types.js';
import { referenceAllowed } from '../test/oracle/reference.js';
import { rng } from '../test/oracle/generate.js';
import { b2, b3a, b3b, b3d, b3t, b4aConfigs, b4aLarge } from './workloads.js';
import { referenceTierVerdict } from '../test/oracle/reference-tiers.js';
import { printE2e, runE2e, type E2eRow } from './e2e.js';
import { WatchSession } from '../src/node/cluster/watch.js';
import { RESOURCES } from '../src/node/cluster/resources.js';

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const only = (() => { const i = args.indexOf('--only'); return i >= 0 ? args[i + 1]!.split(',') : undefined; })();
const quick = flag('--quick');
const RUNS = quick ? 3 : 5;
const TUPLES = 10_000;

function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const w = 30, f = Math.round((done / total) * w);
  process.stderr.write(`\r${label.padEnd(14)} [${'#'.repeat(f)}${'.'.repeat(w - f)}] ${done}/${total}${done === total ? '\n' : ''}`);
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
const heapPeak = { v: 0 };
const sampleHeap = () => { heapPeak.v = Math.max(heapPeak.v, process.memoryUsage().heapUsed); };

/** Build plus every class row; returns the engine and allowed ordered pod pairs summed over atom classes. */
function fullReachability(cluster: Cluster): { engine: Reachability; podPairs: number } {
  const engine = buildReachability(cluster);
  let podPairs = 0;
  for (const c of engine.liveClassIds()) {
    const row = engine.row(c);
    for (const bits of row) podPairs += engine.rowPodPairs(c, bits);
  }
  sampleHeap();
  return { engine, podPairs };
}

/**
 * The policies that may select pod a or b: those of their namespaces whose podSelector has no
 * matchLabels, or whose last matchLabels pair the pod carries (any one pair would do; the last is
 * the rarest in B2, where the first is always `user`). No other policy can select either pod, so
 * the reference's answer is the same; the reference itself still tests every selector it gets.
 * (B2 100k has 50k policies in one namespace: passing them all made the check take minutes.)
 */
function pairCluster(cluster: Cluster, byNs: Map<string, NetworkPolicy[]>, a: Pod, b: Pod): Cluster {
  const policies = a === b ? mayselect(byNs, a) : [...new Set([...mayselect(byNs, a), ...mayselect(byNs, b)])];
  return { namespaces: cluster.namespaces, pods: [a, b], policies };
}

const buckets = new Map<string, { always: NetworkPolicy[]; byPair: Map<string, NetworkPolicy[]> }>();
function mayselect(byNs: Map<string, NetworkPolicy[]>, pod: Pod): NetworkPolicy[] {
  let b = buckets.get(pod.namespace);
  if (!b) {
    b = { always: [], byPair: new Map() };
    for (const p of byNs.get(pod.namespace) ?? []) {
      const last = Object.keys(p.podSelector.matchLabels).at(-1);
      if (last === undefined) b.always.push(p);
      else {
        const k = `${last}=${p.podSelector.matchLabels[last]}`;
        const l = b.byPair.get(k);
        if (l) l.push(p);
        else b.byPair.set(k, [p]);
      }
    }
    buckets.set(pod.namespace, b);
  }
  const out = [...b.always];
  for (const [k, v] of Object.entries(pod.labels)) out.push(...(b.byPair.get(`${k}=${v}`) ?? []));
  return out;
}

interface Check { tuples: number; allowed: number; mismatches: string[]; allPairs: boolean; refMsPerTuple: number }

/** Engine (row bits and pair query) vs the naive reference on random tuples, or all pairs of small clusters. */
function check(cluster: Cluster, engine: Reachability, ports: [number, Protocol][], seed: number): Check {
  const byNs = new Map<string, NetworkPolicy[]>();
  for (const p of cluster.policies) {
    const l = byNs.get(p.namespace);
    if (l) l.push(p);
    else byNs.set(p.namespace, [p]);
  }
  buckets.clear();
  const n = cluster.pods.length;
  const r = rng(seed);
  const tuples: [number, number, number, Protocol][] = [];
  const allPairs = n < 2000 && n * n * ports.length <= 4 * TUPLES * 25;
  if (allPairs) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (const [p, pr] of ports) tuples.push([i, j, p, pr]);
  else for (let t = 0; t < TUPLES; t++) { const [p, pr] = ports[Math.floor(r() * ports.length)]!; tuples.push([Math.floor(r() * n), Math.floor(r() * n), p, pr]); }
  tuples.sort((x, y) => engine.classOfIndex(x[0]) - engine.classOfIndex(y[0]));
  const out: Check = { tuples: tuples.length, allowed: 0, mismatches: [], allPairs, refMsPerTuple: 0 };
  let lastClass = -1, row: Uint32Array[] = [];
  let refMs = 0;
  tuples.forEach(([i, j, port, protocol], t) => {
    const a = cluster.pods[i]!, b = cluster.pods[j]!;
    const t0 = performance.now();
    // With tier policies: the naive tier reference (test/oracle/reference-tiers.ts), every tier policy.
    const pair = pairCluster(cluster, byNs, a, b);
    const want = cluster.clusterPolicies?.length
      ? referenceTierVerdict({ ...pair, clusterPolicies: cluster.clusterPolicies, nodes: cluster.nodes }, a, b, port, protocol).verdict === 'allow'
      : referenceAllowed(pair, a, b, port, protocol);
    refMs += performance.now() - t0;
    const ci = engine.classOfIndex(i);
    if (ci !== lastClass) { row = engine.row(ci); lastClass = ci; }
    const viaRow = i === j || hasBit(row[engine.atomOf(protocol, port)]!, engine.classOfIndex(j));
    const viaPair = engine.podAllowed(i, j, port, protocol);
    if (want) out.allowed++;
    if (viaRow !== want || viaPair !== want) out.mismatches.push(`${a.namespace}/${a.name} -> ${b.namespace}/${b.name} ${port}/${protocol}: reference ${want}, row ${viaRow}, pair ${viaPair}`);
    if (t % 1000 === 0) progress('  check', t, tuples.length);
  });
  progress('  check', tuples.length, tuples.length);
  out.refMsPerTuple = refMs / tuples.length;
  return out;
}

interface Result {
  workload: string; pods: number; policies: number; classes: number; portAtoms: number; rawPortAtoms: number; ipAtoms: number; groups: number;
  classMatrixBytes: number; allowedPodPairs: number; medianMs: number; p95Ms: number; runsMs: number[]; target: string;
  check: Check; extra?: Record<string, number | string>;
  /** 1-minute load average when the runs ended. */
  load: number;
}

const results: Result[] = [];
let failed = false;

function run(name: string, target: string, make: () => Cluster, ports: [number, Protocol][], extra?: (c: Cluster, e: Reachability) => Record<string, number | string>): void {
  if (only && !only.some((o) => name.startsWith(o))) return;
  const cluster = make();
  const times: number[] = [];
  let last!: { engine: Reachability; podPairs: number };
  for (let i = 0; i < RUNS; i++) {
    progress(name, i, RUNS);
    if (i > 0) (last as unknown) = undefined; // let the previous engine go before the next build
    const t0 = performance.now();
    last = fullReachability(cluster);
    times.push(performance.now() - t0);
  }
  progress(name, RUNS, RUNS);
  const s = last.engine.stats;
  const c = check(cluster, last.engine, ports, 42);
  if (c.mismatches.length) failed = true;
  results.push({
    workload: name, pods: s.pods, policies: s.policies, classes: s.classes, portAtoms: s.portAtoms, rawPortAtoms: s.rawPortAtoms, ipAtoms: s.ipAtoms, groups: s.groups,
    classMatrixBytes: s.classes * words(s.classes) * 4 * s.portAtoms, allowedPodPairs: last.podPairs,
    medianMs: pct(times, 50), p95Ms: pct(times, 95), runsMs: times.map((t) => Math.round(t)), target, check: c,
    extra: extra?.(cluster, last.engine), load: +os.loadavg()[0]!.toFixed(2),
  });
}

const TCP80: [number, Protocol][] = [[80, 'TCP'], [53, 'UDP']];
const B3D_PORTS: [number, Protocol][] = [[53, 'UDP'], [53, 'TCP'], [5432, 'TCP'], [9090, 'TCP'], [80, 'TCP']];

run('B2 1k', '< 10 ms', () => b2(1000), TCP80, (c, e) => (flag('--reference') ? referenceRatio(c, e) : {}));
run('B2 2k', '>= 100x vs reference', () => b2(2000), TCP80, (c, e) => (flag('--reference') ? referenceRatio(c, e) : {}));
run('B2 10k', '< 150 ms', () => b2(10_000), TCP80);
run('B2 100k', '< 4 s (stretch < 1 s), < 3 GB', () => b2(100_000), TCP80);
run('B3a 100k', '< 2 s, < 1 GB heap', () => b3a(quick ? 2500 : 25_000), TCP80);
run('B3b 10k', '< 300 ms, < 300 MB', () => b3b(), TCP80);
run('B3d 150k', '< 2 s, < 1.5 GB', () => b3d(quick ? 5 : 50), B3D_PORTS, (c) => incremental(c));
// Issue 11: the same 10,000 pods and 410 NetworkPolicies without and with 1,000 ClusterNetworkPolicies.
run('B3T 10k', 'baseline of B3T+CNP', () => b3t(false), B3D_PORTS);
run('B3T+CNP 10k', '<= 2x B3T 10k', () => b3t(true), B3D_PORTS);
{
  const plain = results.find((r) => r.workload === 'B3T 10k'), tiers = results.find((r) => r.workload === 'B3T+CNP 10k');
  if (plain && tiers) tiers.extra = { ...tiers.extra, ratioVsB3T: `${(tiers.medianMs / plain.medianMs).toFixed(2)}x` };
}
run('B4a diff', '< 50 ms (4 diffs)', () => b4aConfigs()[3]!, [[443, 'TCP'], [8080, 'TCP'], [80, 'TCP']], () => b4aDiff());
run('B4a 10x5000', '< 200 ms', () => b4aLarge(), [[443, 'TCP'], [80, 'TCP']]);
run('W1 watch 10k', 'p99 event -> printed change < 50 ms', () => { const c = b3d(4); return { ...c, pods: c.pods.slice(0, 10_000) }; }, B3D_PORTS, (c) => watchEvents(c));

/**
 * `netpol watch` at 10,000 pods: raw watch events (as the API sends them) through the loader,
 * the incremental engine and the printing (JSON line), timed from event to printed text. Pod
 * label changes (a pod changes tier), status-only updates, and policy changes (a Deployment's
 * policy admits another tier), after a warm-up.
 */
function watchEvents(c: Cluster): Record<string, number | string> {
  const probes = B3D_PORTS.map(([port, protocol]) => ({ port, protocol }));
  const session = new WatchSession(c, 'json', probes);
  const podR = RESOURCES.find((r) => r.plural === 'pods')!, npR = RESOURCES.find((r) => r.plural === 'networkpolicies')!;
  const r = rng(11);
  const rawPod = (p: Pod, labels: Record<string, string>, probe = '2026-11-28T10:00:00Z') => ({
    metadata: { name: p.name, namespace: p.namespace, labels, resourceVersion: '1' },
    spec: { containers: [{ name: 'main', image: 'x' }], nodeName: 'node-1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: probe }] },
  });
  const sel = (m: Record<string, string>) => ({ matchLabels: m });
  const rawPolicy = (ns: string, app: string, tier: string) => ({
    metadata: { name: app, namespace: ns },
    spec: {
      podSelector: sel({ app }), policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: sel({ tier }) }] }, { from: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'monitoring' }) }], ports: [{ protocol: 'TCP', port: 9090 }] }],
      egress: [{ to: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { to: [{ podSelector: sel({ tier: 'db' }) }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    },
  });
  const tiers = ['web', 'api', 'db'];
  const pods = c.pods.filter((p) => p.labels.tier);
  const times: Record<'pod' | 'status' | 'policy', number[]> = { pod: [], status: [], policy: [] };
  let printed = 0, pairs = 0;
  for (let i = 0; i < 650; i++) {
    const roll = r();
    const kind = roll < 0.6 ? 'pod' : roll < 0.8 ? 'status' : 'policy';
    const p = pods[Math.floor(r() * pods.length)]!;
    const tier = tiers[Math.floor(r() * tiers.length)]!;
    const t0 = performance.now();
    const text = kind === 'policy'
      ? session.apply(npR, 'MODIFIED', rawPolicy(p.namespace, p.labels.app!, tier))
      : session.apply(podR, 'MODIFIED', kind === 'pod' ? rawPod(p, { ...p.labels, tier }) : rawPod(p, p.labels, `2026-11-28T10:${String(i % 60).padStart(2, '0')}:00Z`));
    const ms = performance.now() - t0;
    if (i >= 50) times[kind].push(ms); // the first 50: JIT warm-up
    if (text) { printed++; pairs += text.length; }
  }
  const all = [...times.pod, ...times.status, ...times.policy];
  return {
    events: all.length, printed, eventP50Ms: +pct(all, 50).toFixed(2), eventP99Ms: +pct(all, 99).toFixed(2), eventMaxMs: +Math.max(...all).toFixed(2),
    podP99Ms: +pct(times.pod, 99).toFixed(2), statusP99Ms: +pct(times.status, 99).toFixed(2), policyP99Ms: +pct(times.policy, 99).toFixed(2), printedKB: Math.round(pairs / 1024),
  };
}

/** The naive reference on the same run: its measured time per pair, times all pairs, against the fast engine. */
function referenceRatio(c: Cluster, e: Reachability): Record<string, number | string> {
  const n = c.pods.length, sample = 20_000, r = rng(7);
  const t0 = performance.now();
  for (let t = 0; t < sample; t++) referenceAllowed(c, c.pods[Math.floor(r() * n)]!, c.pods[Math.floor(r() * n)]!, 80, 'TCP');
  const perPair = (performance.now() - t0) / sample;
  const t1 = performance.now();
  fullReachability(c);
  const fast = performance.now() - t1;
  void e;
  return { referenceAllPairsMs: Math.round(perPair * n * n), referenceMeasuredPairs: sample, fastMs: Math.round(fast), speedup: `${Math.round((perPair * n * n) / fast)}x` };
}

/** Incremental on B3d: one policy changed (peer tier switched) and affected rows/cells recomputed; pod add/remove. */
function incremental(c: Cluster): Record<string, number | string> {
  const engine = buildReachability(c);
  const target = c.policies.find((p) => p.namespace === 'load-0' && p.name === 'deploy-10')!;
  const other = { ...target, ingress: [{ ...target.ingress[0]!, peers: [{ podSelector: { matchLabels: { tier: 'db' }, matchExpressions: [] }, path: 'spec' }] }, target.ingress[1]!] };
  const policyMs: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    engine.recompute(engine.upsertPolicy(i % 2 ? target : other));
    policyMs.push(performance.now() - t0);
  }
  const template = c.pods.find((p) => p.namespace === 'load-0' && p.labels.app === 'deploy-0')!;
  const addMs: number[] = [], removeMs: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    engine.recompute(engine.addPod({ ...template, name: `extra-${i}` }));
    const t1 = performance.now();
    engine.recompute(engine.removePod('load-0', `extra-${i}`));
    addMs.push(t1 - t0);
    removeMs.push(performance.now() - t1);
  }
  // A pod of a brand-new Deployment makes a new class: its row and column are recomputed.
  const newClassMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    engine.recompute(engine.addPod({ ...template, name: `new-${i}`, labels: { ...template.labels, app: `fresh-${i}`, tier: 'api' } }));
    newClassMs.push(performance.now() - t0);
    engine.removePod('load-0', `new-${i}`);
  }
  // One verdict with a full explanation (readable Evaluator), random pairs. The first 2,000 are
  // a JIT warm-up and not timed: the target is the steady-state latency of a long-lived process
  // (web view, watch); cold, p99 is ~80 us, mostly compilation in the first thousand verdicts.
  const ev = new Evaluator(c);
  const warm = rng(8);
  for (let i = 0; i < 2000; i++) ev.evaluate({ from: { kind: 'pod', pod: c.pods[Math.floor(warm() * c.pods.length)]! }, to: { kind: 'pod', pod: c.pods[Math.floor(warm() * c.pods.length)]! }, port: 5432, protocol: 'TCP' });
  const r = rng(9), verdictUs: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const a = c.pods[Math.floor(r() * c.pods.length)]!, b = c.pods[Math.floor(r() * c.pods.length)]!;
    const t0 = performance.now();
    ev.evaluate({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port: 5432, protocol: 'TCP' });
    verdictUs.push((performance.now() - t0) * 1000);
  }
  return {
    policyChangeP50Ms: +pct(policyMs, 50).toFixed(3), policyChangeP99Ms: +pct(policyMs, 99).toFixed(3),
    podAddP99Ms: +pct(addMs, 99).toFixed(4), podRemoveP99Ms: +pct(removeMs, 99).toFixed(4), newClassPodP99Ms: +pct(newClassMs, 99).toFixed(3),
    verdictP50Us: +pct(verdictUs, 50).toFixed(1), verdictP99Us: +pct(verdictUs, 99).toFixed(1), rebuilds: engine.stats.rebuilds,
  };
}

/** B4a: four configs, four semantic diffs (1-2, 2-3, 3-4, 4-1) over every pod pair and every raw port atom. */
function b4aDiff(): Record<string, number | string> {
  const configs = b4aConfigs();
  const ports: [number, Protocol][] = [[80, 'TCP'], [443, 'TCP'], [8080, 'TCP'], [53, 'UDP'], [9999, 'TCP']];
  const times: number[] = [];
  let changed = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const engines = configs.map((c) => buildReachability(c));
    changed = 0;
    for (const [x, y] of [[0, 1], [1, 2], [2, 3], [3, 0]] as const) {
      const a = engines[x]!, b = engines[y]!;
      const n = configs[x]!.pods.length;
      for (let i = 0; i < n; i++) {
        const ra = a.row(a.classOfIndex(i)).map((w) => w.slice()), rb = b.row(b.classOfIndex(i));
        for (let j = 0; j < n; j++) for (const [p, pr] of ports) {
          if (i === j) continue;
          if (hasBit(ra[a.atomOf(pr, p)]!, a.classOfIndex(j)) !== hasBit(rb[b.atomOf(pr, p)]!, b.classOfIndex(j))) changed++;
        }
      }
    }
    times.push(performance.now() - t0);
  }
  return { fourDiffsMedianMs: +pct(times, 50).toFixed(2), fourDiffsP95Ms: +pct(times, 95).toFixed(2), changedCells: changed };
}

// Measured before the e2e rows: their children's RSS is not this process's.
const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const engineLoad = os.loadavg().map((x) => +x.toFixed(2));
const e2e: E2eRow[] = flag('--no-e2e') || (only && !only.some((o) => o.startsWith('E2E')))
  ? []
  : runE2e({ quick, runs: quick ? 3 : 5, timeoutMs: (() => { const i = args.indexOf('--e2e-timeout'); return i >= 0 ? Number(args[i + 1]) * 1000 : undefined; })(), only: only?.filter((o) => o.startsWith('E2E')), log: (s) => { if (process.stderr.isTTY) process.stderr.write(`${s}\n`); } });
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loadavg: engineLoad, loadavgAfterE2e: os.loadavg().map((x) => +x.toFixed(2)), peakRssMb: rssMb, peakHeapMb: Math.round(heapPeak.v / 1e6) };
if (flag('--json')) console.log(JSON.stringify({ machine, results, e2e }, null, 2));
else {
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadavg.join(' ')}`);
  if (results.length) console.log('workload      pods     policies classes atoms ip-atoms  median ms   p95 ms  allowed pod pairs  checked (mismatch)  load  target');
  for (const r of results) {
    console.log(`${r.workload.padEnd(12)} ${String(r.pods).padStart(7)} ${String(r.policies).padStart(8)} ${String(r.classes).padStart(7)} ${`${r.portAtoms}/${r.rawPortAtoms}`.padStart(5)} ${String(r.ipAtoms).padStart(8)} ${r.medianMs.toFixed(1).padStart(9)} ${r.p95Ms.toFixed(1).padStart(8)} ${String(r.allowedPodPairs).padStart(18)}  ${`${r.check.tuples}${r.check.allPairs ? ' all' : ''} (${r.check.mismatches.length})`.padStart(16)}  ${r.load.toFixed(2).padStart(5)}  ${r.target}`);
    if (r.extra) console.log(`             ${Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  }
  console.log(`peak RSS ${machine.peakRssMb} MB (whole process), peak heap after a run ${machine.peakHeapMb} MB`);
  if (e2e.length) printE2e(e2e);
}
for (const r of results) for (const m of r.check.mismatches.slice(0, 10)) console.error(`MISMATCH ${r.workload}: ${m}`);
if (failed) {
  console.error('FAIL: the fast engine disagrees with the reference evaluator');
  process.exit(1);
}
