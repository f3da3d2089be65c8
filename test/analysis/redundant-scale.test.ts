// redundant-rule decides on pod classes (one pod per class of the class engine) and counts
// coverage per witness; both are pinned here to the plain reading: every pod its own witness,
// and each rule compared with every other rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redundantEntries, redundantFindings } from './reference-redundant.js';
import { policyId, type Cluster, type NetworkPolicy } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { replicaCluster } from '../matrix/helpers.js';

type Entry = ReturnType<typeof redundantEntries>[number];

/** The pairwise reading: covered when every witness is allowed by another rule of the direction (a later twin does not count). */
function pairwise(entries: readonly Entry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.hits.size === 0) continue;
    const others = entries.filter((x) => x !== e && x.direction === e.direction && x.hits.size > 0 &&
      !(x.hits.size === e.hits.size && x.order > e.order && [...e.hits].every((h) => x.hits.has(h))));
    if (![...e.hits].every((h) => others.some((x) => x.hits.has(h)))) continue;
    const single = others.find((x) => [...e.hits].every((h) => x.hits.has(h)));
    out.push(`${policyId(e.policy)} ${e.rule.path} by ${single ? `${policyId(single.policy)} ${single.rule.path}` : others.filter((x) => [...e.hits].some((h) => x.hits.has(h))).map((x) => `${policyId(x.policy)} ${x.rule.path}`).join('+')}`);
  }
  return out;
}

const fast = (entries: readonly Entry[]) => redundantFindings(entries).map(({ e, single }) => {
  const others = single ? [single] : entries.filter((x) => x !== e && x.direction === e.direction && x.hits.size > 0 && [...e.hits].some((h) => x.hits.has(h)) &&
    !(x.order > e.order && x.hits.size === e.hits.size && [...e.hits].every((h) => x.hits.has(h))));
  return `${policyId(e.policy)} ${e.rule.path} by ${others.map((x) => `${policyId(x.policy)} ${x.rule.path}`).join('+')}`;
});

/** Redundancy on purpose: a twin of one policy, and a copy of another narrowed to one port. */
function withRedundancy(c: Cluster): Cluster {
  const [a, b] = c.policies;
  const extra: NetworkPolicy[] = [];
  if (a) extra.push({ ...a, name: `${a.name}-twin` });
  if (b) extra.push({ ...b, name: `${b.name}-narrow`, ingress: b.ingress.map((r) => ({ ...r, ports: [{ protocol: 'TCP' as const, port: 80, path: `${r.path}.ports[0]` }] })), egress: [] });
  return { ...c, policies: [...c.policies, ...extra] };
}

/** A rule whose peers are those of two rules of the same targets and ports: covered by both together, not by one. */
function withUnion(c: Cluster): Cluster {
  const withPeers = c.policies.filter((p) => p.ingress[0]?.peers.length && p.policyTypes.includes('Ingress'));
  const [a, b] = withPeers;
  if (!a || !b) return c;
  const ra = a.ingress[0]!, rb = b.ingress[0]!;
  const second: NetworkPolicy = { ...a, name: `${a.name}-second`, egress: [], ingress: [{ ...rb, ports: ra.ports }] };
  const both: NetworkPolicy = { ...a, name: `${a.name}-both`, egress: [], ingress: [{ ...ra, peers: [...ra.peers, ...rb.peers] }] };
  return { ...c, policies: [...c.policies, second, both] };
}

test('redundant-rule: pod classes and witness counting give the findings of the per-pod, pairwise reading', () => {
  let findings = 0;
  const clusters: Cluster[] = [];
  for (let seed = 1; seed <= 25; seed++) clusters.push(replicaCluster(seed), withRedundancy(replicaCluster(seed)), withRedundancy(generateCluster(seed).cluster));
  for (const [i, c] of clusters.entries()) {
    const perPod = redundantEntries(c, false);
    const expected = pairwise(perPod);
    assert.deepEqual(fast(perPod), expected, `cluster ${i}: witness counting`);
    assert.deepEqual(fast(redundantEntries(c, true)), expected, `cluster ${i}: pod classes`);
    findings += expected.length;
  }
  // The comparison means something only if the clusters have redundant rules.
  assert.ok(findings >= 20, `only ${findings} findings`);
});

test('redundant-rule: the product form (rectangles per probe port) gives the findings of the enumerating reading', async () => {
  const { redundantFindings: product } = await import('../../src/analysis/lint/rules/redundant-rule.js');
  const { b2 } = await import('../../bench/workloads.js');
  const show = (policy: NetworkPolicy, path: string, by: string, single?: NetworkPolicy) => `${policyId(policy)} ${path} by ${by}${single ? ` (single ${policyId(single)})` : ''}`;
  const clusters: Cluster[] = [b2(300, 3), b2(600, 5)];
  for (let seed = 1; seed <= 25; seed++) {
    clusters.push(replicaCluster(seed), withRedundancy(replicaCluster(seed)), withRedundancy(generateCluster(seed).cluster), withUnion(generateCluster(seed).cluster), withUnion(replicaCluster(seed)));
  }
  let findings = 0, together = 0;
  for (const [i, c] of clusters.entries()) {
    const expected = redundantFindings(redundantEntries(c)).map(({ e, single, by }) => show(e.policy, e.rule.path, by, single?.policy));
    const got = product(c).map((f) => show(f.policy, f.rule.path, f.by, f.single?.policy));
    assert.deepEqual(got, expected, `cluster ${i}`);
    findings += expected.length;
    together += expected.filter((s) => s.includes('rules together')).length;
  }
  assert.ok(findings >= 40 && together >= 1, `only ${findings} findings, ${together} covered by several rules`);
});
