// The upstream ClusterNetworkPolicy conformance suite (kubernetes-sigs/network-policy-api
// conformance/tests @ 0eec1b0, Apache-2.0, transcribed in test/conformance/npa/) through the fast
// class engine: every probe, both IP families, after every in-test mutation, read from a whole
// computeMatrix of the step's cluster; and the mutations replayed as incremental updates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMatrix } from '../../src/matrix/matrix.js';
import { buildReachability } from '../../src/matrix/engine.js';
import type { Probe } from '../../src/matrix/ports.js';
import type { Cluster, ClusterPolicy } from '../../src/model/types.js';
import { npaCases, npaData, type NpaCase } from './npa/cases.js';

const data = npaData();
const label = (c: NpaCase) => `[${c.family}] ${c.test} / ${c.subtest} (step ${c.step}, ${c.source}): ${c.from.namespace}/${c.from.name} → ${c.to.namespace}/${c.to.name} ${c.protocol}/${c.port}`;

/** Cases grouped by the cluster of their step (one matrix per step). */
function bySteps(cases: NpaCase[]): Map<Cluster, NpaCase[]> {
  const out = new Map<Cluster, NpaCase[]>();
  for (const c of cases) {
    const l = out.get(c.cluster);
    if (l) l.push(c);
    else out.set(c.cluster, [c]);
  }
  return out;
}

for (const family of ['ipv4', 'ipv6'] as const) {
  test(`every upstream probe gives the upstream answer through computeMatrix (${family})`, (t) => {
    const cases = npaCases(data, undefined, family);
    assert.equal(cases.length, 301);
    const wrong: string[] = [];
    let steps = 0;
    for (const [cluster, group] of bySteps(cases)) {
      steps++;
      const probes: Probe[] = [...new Map(group.map((c) => [`${c.port}/${c.protocol}`, { port: c.port, protocol: c.protocol }])).values()];
      const m = computeMatrix(cluster, probes);
      for (const c of group) {
        const i = m.pods.indexOf(`${c.from.namespace}/${c.from.name}`), j = m.pods.indexOf(`${c.to.namespace}/${c.to.name}`);
        const pi = probes.findIndex((p) => p.port === c.port && p.protocol === c.protocol);
        const got = m.probes[pi]!.rows[i]![j] === '1' ? 'allow' : 'deny';
        if (got !== c.expect) wrong.push(`${label(c)}: expected ${c.expect}, got ${got}`);
      }
    }
    t.diagnostic(`conformance through computeMatrix (${family}): ${cases.length} probes, ${steps} step matrices, ${cases.length - wrong.length} pass`);
    assert.deepEqual(wrong, []);
  });
}

const key = (p: ClusterPolicy) => `${p.kind}/${p.name}`;

test('the in-test mutations replayed as incremental tier-policy updates give the rebuilt engine\'s rows', (t) => {
  const cases = npaCases(data, undefined, 'ipv4');
  const clusters = [...bySteps(cases).keys()];
  let updates = 0, rebuilt = 0, compared = 0;
  for (let i = 1; i < clusters.length; i++) {
    const before = clusters[i - 1]!, after = clusters[i]!;
    // Same pods and NetworkPolicies: only the tier policies changed between the two steps.
    if (before.pods.length !== after.pods.length || before.policies.length !== after.policies.length) continue;
    const e = buildReachability(before);
    const old = new Map((before.clusterPolicies ?? []).map((p) => [key(p), p]));
    const next = new Map((after.clusterPolicies ?? []).map((p) => [key(p), p]));
    const changes = [];
    for (const [k, p] of old) if (!next.has(k)) changes.push(e.removeClusterPolicy(p.kind, p.name));
    for (const [k, p] of next) if (JSON.stringify(old.get(k), (f, v) => (f === 'origin' ? undefined : v)) !== JSON.stringify(p, (f, v) => (f === 'origin' ? undefined : v))) changes.push(e.upsertClusterPolicy(p));
    if (!changes.length) continue;
    updates += changes.length;
    rebuilt += changes.filter((c) => c.rebuilt).length;
    const fresh = buildReachability(after);
    for (const pod of after.pods) {
      const a = e.classOfPod(pod.namespace, pod.name)!, b = fresh.classOfPod(pod.namespace, pod.name)!;
      const ra = e.row(a).map((x) => Uint32Array.from(x));
      const rb = fresh.row(b).map((x) => Uint32Array.from(x));
      for (const to of after.pods) {
        const ca = e.classOfPod(to.namespace, to.name)!, cb = fresh.classOfPod(to.namespace, to.name)!;
        for (const [port, protocol] of [[80, 'TCP'], [8080, 'TCP'], [53, 'UDP'], [9003, 'SCTP']] as const) {
          const ka = e.atomOf(protocol, port), kb = fresh.atomOf(protocol, port);
          const bit = (r: Uint32Array[], k: number, c: number) => ((r[k]![c >>> 5]! >>> (c & 31)) & 1) === 1;
          compared++;
          assert.equal(bit(ra, ka, ca), bit(rb, kb, cb), `step ${i}: ${pod.namespace}/${pod.name} -> ${to.namespace}/${to.name} ${port}/${protocol}`);
        }
      }
    }
  }
  t.diagnostic(`incremental: ${updates} tier-policy updates (${rebuilt} fell back to a rebuild), ${compared} cells compared`);
  assert.ok(updates > 20 && updates > rebuilt, `updates ${updates}, rebuilt ${rebuilt}`);
  assert.ok(compared > 10_000);
});
