// Incremental updates: after each random policy upsert/removal and pod add/removal, the engine
// answers every pair like a fresh Evaluator on the mutated cluster, mostly without rebuilding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { buildReachability, type Reachability } from '../../src/matrix/engine.js';
import { hasBit } from '../../src/matrix/bitset.js';
import type { Cluster, NetworkPolicy, Pod, Protocol } from '../../src/model/types.js';
import { rng } from '../oracle/generate.js';
import { randomPod, randomPolicy, replicaCluster } from './helpers.js';

const PROBES: [number, Protocol][] = [[80, 'TCP'], [443, 'TCP'], [8080, 'TCP'], [9090, 'TCP'], [85, 'UDP'], [53, 'SCTP']];

/** Every ordered pair of live pods, by podAllowed and by row bits, against the Evaluator. */
function check(engine: Reachability, cluster: Cluster, label: string): number {
  const ev = new Evaluator(cluster);
  let n = 0;
  for (const a of cluster.pods) for (const b of cluster.pods) for (const [port, protocol] of PROBES) {
    const want = ev.allowed({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port, protocol });
    const ia = engine.podIndexOf(a.namespace, a.name)!, ib = engine.podIndexOf(b.namespace, b.name)!;
    assert.equal(engine.podAllowed(ia, ib, port, protocol), want, `${label}: ${a.namespace}/${a.name} -> ${b.namespace}/${b.name} ${port}/${protocol}`);
    if (a !== b) {
      const row = engine.row(engine.classOfIndex(ia));
      assert.equal(hasBit(row[engine.atomOf(protocol, port)]!, engine.classOfIndex(ib)), want, `${label} (row)`);
    }
    n++;
  }
  return n;
}

test('random sequences of policy and pod changes stay equal to the Evaluator', () => {
  let checked = 0, ops = 0, rebuilds = 0, incremental = 0;
  for (let seed = 1; seed <= 25; seed++) {
    const r = rng(seed * 7919);
    const cluster = replicaCluster(seed + 500);
    let pods: Pod[] = [...cluster.pods];
    let policies: NetworkPolicy[] = [...cluster.policies];
    const engine = buildReachability(cluster);
    const ns = () => cluster.namespaces[Math.floor(r() * cluster.namespaces.length)]!.name;
    for (let step = 0; step < 12; step++) {
      const roll = r();
      const before = engine.stats.rebuilds;
      let change;
      if (roll < 0.35) {
        // Replace an existing policy, or add a new one.
        const old = policies.length && r() < 0.6 ? policies[Math.floor(r() * policies.length)]! : undefined;
        const p = randomPolicy(r, old?.namespace ?? ns(), old?.name ?? `new${step}`);
        policies = [...policies.filter((x) => !(x.namespace === p.namespace && x.name === p.name)), p];
        change = engine.upsertPolicy(p);
      } else if (roll < 0.5 && policies.length) {
        const p = policies[Math.floor(r() * policies.length)]!;
        policies = policies.filter((x) => x !== p);
        change = engine.removePolicy(p.namespace, p.name);
      } else if (roll < 0.8) {
        const p = randomPod(r, ns(), `added${step}`, 100 + step);
        pods = [...pods, p];
        change = engine.addPod(p);
      } else if (pods.length > 2) {
        const p = pods[Math.floor(r() * pods.length)]!;
        pods = pods.filter((x) => x !== p);
        change = engine.removePod(p.namespace, p.name);
      }
      if (change) engine.recompute(change);
      ops++;
      if (engine.stats.rebuilds > before) rebuilds++;
      else incremental++;
      checked += check(engine, { namespaces: cluster.namespaces, pods, policies }, `seed ${seed} step ${step}`);
    }
  }
  assert.ok(checked > 50_000, `checked ${checked}`);
  // The incremental path ran far more often than the full rebuild fallback.
  assert.ok(incremental > rebuilds * 2, `incremental ${incremental}, rebuilds ${rebuilds}`);
});

test('a change that keeps the atoms reports only the touched rows and columns', () => {
  const ns = 'a';
  const cluster: Cluster = {
    namespaces: [{ kind: 'Namespace', name: ns, labels: { 'kubernetes.io/metadata.name': ns }, implicit: false }],
    pods: ['web', 'web', 'db', 'api'].map((app, i) => ({ kind: 'Pod', name: `p${i}`, namespace: ns, labels: { app }, ips: [], ports: [], hostNetwork: false })),
    policies: [{ kind: 'NetworkPolicy', name: 'db', namespace: ns, podSelector: { matchLabels: { app: 'db' }, matchExpressions: [] }, policyTypes: ['Ingress'], policyTypesDefaulted: false,
      ingress: [{ peers: [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] }, path: 'p' }], ports: [], path: 'r' }], egress: [] }],
  };
  const engine = buildReachability(cluster);
  assert.equal(engine.stats.classes, 3, 'two web replicas share a class');
  const db = engine.classOfPod(ns, 'p2')!, web = engine.classOfPod(ns, 'p0')!, api = engine.classOfPod(ns, 'p3')!;
  assert.equal(engine.classAllowed(web, db, 0), true);
  assert.equal(engine.classAllowed(api, db, 0), false);
  const p = { ...cluster.policies[0]!, ingress: [{ peers: [{ podSelector: { matchLabels: { app: 'api' }, matchExpressions: [] }, path: 'p' }], ports: [], path: 'r' }] };
  const change = engine.upsertPolicy(p);
  assert.equal(change.rebuilt, false);
  assert.deepEqual(change.rows, []);
  assert.deepEqual(change.columns, [db]);
  assert.deepEqual([...(change.columnSources as number[])].sort(), [web, api].sort());
  assert.equal(engine.classAllowed(web, db, 0), false);
  assert.equal(engine.classAllowed(api, db, 0), true);
  // A third web replica joins its class: no class row changes.
  const add = engine.addPod({ kind: 'Pod', name: 'p9', namespace: ns, labels: { app: 'web' }, ips: [], ports: [], hostNetwork: false });
  assert.equal(add.cls, web);
  assert.deepEqual(add.rows, []);
  assert.equal(engine.stats.rebuilds, 0);
});
