// LiveReachability (the engine behind `netpol watch`) against the naive reference evaluator:
// after every random event on the x/y/z model, the pairs it reports as opened/closed are exactly
// those whose reference verdict flipped.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LiveReachability, pairCount, type PairChange } from '../../src/analysis/watch/tracker.js';
import { loadSources } from '../../src/load/load.js';
import { declaredProbes } from '../../src/matrix/ports.js';
import type { Cluster, Namespace, NetworkPolicy, Pod } from '../../src/model/types.js';
import { referenceAllowed } from '../oracle/reference.js';
import { XYZ } from './fixture.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A block of flipped pods as the pair keys it stands for. */
const keys = (cs: readonly PairChange[]) => cs.flatMap((c) => c.from.flatMap((f) => c.to.filter((t) => t !== f).map((t) => `${f} ${t} ${c.port}/${c.protocol}`))).sort();

function expected(before: Cluster, after: Cluster): { opened: string[]; closed: string[] } {
  const probes = declaredProbes(before).filter((p) => typeof p.port === 'number');
  const opened: string[] = [], closed: string[] = [];
  const afterPods = new Map(after.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const a of before.pods) for (const b of before.pods) {
    if (a === b) continue;
    const a2 = afterPods.get(`${a.namespace}/${a.name}`), b2 = afterPods.get(`${b.namespace}/${b.name}`);
    if (!a2 || !b2) continue;
    for (const pr of probes) {
      const port = pr.port as number;
      const was = referenceAllowed(before, a, b, port, pr.protocol), now = referenceAllowed(after, a2, b2, port, pr.protocol);
      if (was !== now) (now ? opened : closed).push(`${a.namespace}/${a.name} ${b.namespace}/${b.name} ${port}/${pr.protocol}`);
    }
  }
  return { opened: opened.sort(), closed: closed.sort() };
}

test('every event reports exactly the pairs the reference evaluator sees flip (x/y/z, 250 random events, rebuilds included)', () => {
  const sources = readdirSync(XYZ).sort().map((f) => ({ file: f, text: readFileSync(join(XYZ, f), 'utf8') }));
  let cluster = loadSources(sources).cluster;
  // Two policies on label keys and ports no x/y/z policy uses: adding them rebuilds the engine.
  const extra = loadSources([{ file: 'extra.yaml', text: [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: red, namespace: x}\nspec:\n  podSelector: {matchLabels: {team: red}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {ns: \'y\'}}, podSelector: {matchLabels: {team: red}}}]\n    ports: [{port: 81, protocol: UDP}]',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: blue-out, namespace: \'y\'}\nspec:\n  podSelector: {matchExpressions: [{key: team, operator: Exists}]}\n  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {team: blue}}}]\n    ports: [{port: 80, endPort: 81}]',
  ].join('\n---\n') }]).cluster.policies;
  assert.equal(extra.length, 2);
  const allPolicies = [...cluster.policies, ...extra];
  const live = new LiveReachability(cluster);
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  let flipped = 0;
  for (let i = 0; i < 250; i++) {
    const before = cluster;
    const roll = r();
    let got;
    if (roll < 0.45) {
      const pod = pick(cluster.pods);
      const next: Pod = r() < 0.5
        ? { ...pod, labels: { ...pod.labels, pod: pick(['a', 'b', 'c', 'd']) } }
        : { ...pod, labels: { ...pod.labels, team: pick(['red', 'blue']) } };
      cluster = { ...cluster, pods: cluster.pods.map((p) => (p === pod ? next : p)) };
      got = live.pod(pod.namespace, pod.name, next);
    } else if (roll < 0.65) {
      const ns = pick(cluster.namespaces);
      const next: Namespace = { ...ns, labels: { ...ns.labels, ns: pick(['x', 'y', 'z', 'w']) } };
      cluster = { ...cluster, namespaces: cluster.namespaces.map((n) => (n === ns ? next : n)) };
      got = live.namespace(ns.name, next);
    } else {
      const p = pick(allPolicies);
      const present = cluster.policies.some((x) => x.namespace === p.namespace && x.name === p.name);
      const policies: NetworkPolicy[] = present ? cluster.policies.filter((x) => !(x.namespace === p.namespace && x.name === p.name)) : [...cluster.policies, p];
      cluster = { ...cluster, policies };
      got = live.policy(p.namespace, p.name, present ? undefined : p);
    }
    const want = expected(before, cluster);
    assert.deepEqual({ opened: keys(got.opened), closed: keys(got.closed) }, want, `event ${i}`);
    assert.equal(got.opened.reduce((n, c) => n + pairCount(c), 0), want.opened.length);
    flipped += want.opened.length + want.closed.length;
  }
  assert.ok(live.stats.rebuilds > 0, 'some events rebuilt the engine (new keys, ports): that path is covered');
  assert.ok(flipped > 100, `the events flipped pairs (${flipped}): the test is not vacuous`);
});
