// Smoke and metamorphic checks of the naive tier reference on 100 random clusters mixing
// NetworkPolicies and ClusterNetworkPolicies of both tiers (test/oracle/generate-tiers.ts).
// The differential test of the real engines against the reference builds on the same generator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster, ClusterPolicy, Pod, Protocol } from '../../src/model/types.js';
import { generateTierCluster } from './generate-tiers.js';
import { referenceAllowed, type ReferenceEndpoint } from './reference.js';
import { referenceTierVerdict } from './reference-tiers.js';

const SEEDS = Array.from({ length: 100 }, (_, i) => 7000 + i);
const PROBES: [number, Protocol][] = [[80, 'TCP'], [53, 'UDP'], [8080, 'SCTP'], [81, 'TCP']];
const all = { matchLabels: {}, matchExpressions: [] };

function endpoints(c: Cluster, externalIps: string[]): ReferenceEndpoint[] {
  return [...c.pods, ...externalIps.map((ip) => ({ ip }))];
}
const isPod = (e: ReferenceEndpoint): e is Pod => (e as Pod).kind === 'Pod';

test('the reference answers every pair of 100 random tier clusters, and the features are exercised', () => {
  const seen = { total: 0, allow: 0, deny: 0, depends: 0, tieNotes: 0, tiesDepend: 0, changedByTiers: 0 };
  const features = { ties: 0, pass: 0, admin: 0, baseline: 0, networks: 0, nodes: 0, named: 0, domainNames: 0, unknown: 0, hostNetwork: 0, anp: 0, banp: 0 };
  for (const seed of SEEDS) {
    const g = generateTierCluster(seed);
    const c = g.cluster;
    const cps = c.clusterPolicies!;
    const prios = cps.map((p) => `${p.tier}/${p.priority}`);
    if (new Set(prios).size < prios.length) features.ties++;
    const rules = cps.flatMap((p) => [...p.ingress, ...p.egress]);
    if (rules.some((r) => r.action === 'Pass')) features.pass++;
    if (cps.some((p) => p.tier === 'Admin')) features.admin++;
    if (cps.some((p) => p.tier === 'Baseline')) features.baseline++;
    for (const k of ['networks', 'nodes', 'domainNames', 'unknown'] as const) if (rules.some((r) => r.peers.some((p) => p.kind === k))) features[k]++;
    if (rules.some((r) => r.ports.some((p) => typeof p.port === 'string'))) features.named++;
    if (c.pods.some((p) => p.hostNetwork)) features.hostNetwork++;
    if (cps.some((p) => p.kind === 'AdminNetworkPolicy')) features.anp++;
    if (cps.some((p) => p.kind === 'BaselineAdminNetworkPolicy')) features.banp++;
    const without: Cluster = { ...c, clusterPolicies: [] };
    for (const from of c.pods) {
      for (const to of endpoints(c, g.externalIps)) {
        for (const [port, protocol] of PROBES) {
          const v = referenceTierVerdict(c, from, to, port, protocol);
          seen.total++;
          seen[v.verdict]++;
          if (v.notes.some((n) => n.includes('equal priority'))) seen.tieNotes++;
          if (referenceTierVerdict(c, from, to, port, protocol, { equalPriority: 'depends' }).verdict === 'depends' && v.verdict !== 'depends') {
            seen.tiesDepend++;
            // Where only the tie order makes it uncertain, the by-name answer must say so.
            assert.ok(v.notes.some((n) => n.includes('equal priority')), `seed ${seed}: tie without a note`);
          }
          // With no tier policies the tier reference is exactly the NetworkPolicy reference.
          const plain = referenceTierVerdict(without, from, to, port, protocol);
          assert.equal(plain.verdict, referenceAllowed(without, from, to, port, protocol) ? 'allow' : 'deny', `seed ${seed}`);
          if (plain.verdict !== v.verdict) seen.changedByTiers++;
        }
      }
    }
  }
  console.log(`tier reference smoke: ${JSON.stringify(seen)} features per 100 clusters ${JSON.stringify(features)}`);
  // Every generated feature shows up, and the tiers change a good share of the verdicts.
  for (const [k, n] of Object.entries(features)) assert.ok(n >= 3, `feature ${k} in only ${n} clusters`);
  assert.ok(seen.total > 10_000, `${seen.total}`);
  assert.ok(seen.changedByTiers > seen.total / 20, `tiers changed ${seen.changedByTiers} of ${seen.total}`);
  assert.ok(seen.allow > 0 && seen.deny > 0 && seen.depends > 0, JSON.stringify(seen));
  // Ties that matter are noted in by-name mode and open ('depends') in depends mode.
  assert.ok(seen.tieNotes > 0 && seen.tiesDepend > 0, JSON.stringify(seen));
});

test('metamorphic: an Admin Deny-all at priority 0 denies every pod pair; an Admin Accept-all allows it over every NetworkPolicy', () => {
  for (const seed of SEEDS.slice(0, 30)) {
    const c = generateTierCluster(seed).cluster;
    const everything = (action: 'Accept' | 'Deny'): ClusterPolicy => ({
      kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', name: `aaa-${action}`, tier: 'Admin', priority: 0,
      subject: { namespaces: all },
      ingress: [{ action, actionWritten: action, peers: [{ kind: 'namespaces', namespaceSelector: all, path: 'i' }], ports: [], path: 'spec.ingress[0]' }],
      egress: [{ action, actionWritten: action, peers: [{ kind: 'networks', cidrs: ['0.0.0.0/0', '::/0'], path: 'e' }], ports: [], path: 'spec.egress[0]' }],
    });
    // Priority 0 and a name sorting first: it is walked first even among ties.
    const deny: Cluster = { ...c, clusterPolicies: [everything('Deny'), ...c.clusterPolicies!] };
    const accept: Cluster = { ...c, clusterPolicies: [everything('Accept'), ...c.clusterPolicies!] };
    for (const from of c.pods.filter((p) => !p.hostNetwork && p.ips.length > 0)) {
      for (const to of c.pods.filter((p) => !p.hostNetwork && p.ips.length > 0)) {
        if (from === to) continue;
        assert.equal(referenceTierVerdict(deny, from, to, 80, 'TCP').verdict, 'deny', `seed ${seed}`);
        assert.equal(referenceTierVerdict(accept, from, to, 80, 'TCP').verdict, 'allow', `seed ${seed}`);
      }
      // A pod reaching its own IP is subject to no policy at all.
      assert.equal(referenceTierVerdict(deny, from, from, 80, 'TCP').verdict, 'allow');
    }
  }
});

test('hostNetwork pods are never subjects nor pod peers, but are reached as node addresses', () => {
  let checked = 0;
  for (const seed of SEEDS) {
    const c = generateTierCluster(seed).cluster;
    const host = c.pods.find((p) => p.hostNetwork);
    const client = c.pods.find((p) => !p.hostNetwork && p.ips.length > 0);
    if (!host || !client) continue;
    const policy = (peers: ClusterPolicy['egress'][number]['peers']): Cluster => ({
      ...c, policies: [],
      clusterPolicies: [{
        kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', name: 'p', tier: 'Admin', priority: 1, subject: { namespaces: all },
        ingress: [{ action: 'Deny', actionWritten: 'Deny', peers: [{ kind: 'namespaces', namespaceSelector: all, path: 'i' }], ports: [], path: 'i' }],
        egress: [{ action: 'Deny', actionWritten: 'Deny', peers, ports: [], path: 'e' }],
      }],
    });
    // pods/namespaces peers skip the hostNetwork pod; its ingress is never evaluated.
    assert.equal(referenceTierVerdict(policy([{ kind: 'pods', namespaceSelector: all, podSelector: all, path: 'e' }]), client, host, 80, 'TCP').verdict, 'allow');
    // A nodes peer selecting its node denies it.
    const node = c.nodes!.find((n) => n.name === host.nodeName)!;
    assert.equal(referenceTierVerdict(policy([{ kind: 'nodes', nodeSelector: { matchLabels: { 'kubernetes.io/hostname': node.name }, matchExpressions: [] }, path: 'e' }]), client, host, 80, 'TCP').verdict, 'deny');
    assert.equal(referenceTierVerdict(policy([{ kind: 'nodes', nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'elsewhere' }, matchExpressions: [] }, path: 'e' }]), client, host, 80, 'TCP').verdict, 'allow');
    assert.equal(referenceTierVerdict(policy([{ kind: 'nodes', nodeSelector: all, path: 'e' }]), client, { ip: node.addresses[0]! }, 80, 'TCP').verdict, 'deny');
    // … and selects node addresses only: a pod-network pod is no node, whatever node it runs on.
    const regular = c.pods.find((p) => !p.hostNetwork && p !== client && p.ips.length > 0);
    if (regular) assert.equal(referenceTierVerdict({ ...policy([{ kind: 'nodes', nodeSelector: all, path: 'e' }]), clusterPolicies: policy([{ kind: 'nodes', nodeSelector: all, path: 'e' }]).clusterPolicies!.map((p) => ({ ...p, ingress: [] })) }, client, regular, 80, 'TCP').verdict, 'allow');
    // An unknown peer fails closed: Deny becomes deny-all.
    assert.equal(referenceTierVerdict(policy([{ kind: 'unknown', field: 'futurePeer', path: 'e' }]), client, { ip: '8.8.8.8' }, 80, 'TCP').verdict, 'deny');
    checked++;
  }
  assert.ok(checked >= 10, `${checked}`);
});

test('the generated raw manifests carry every tier policy (in its own version\'s words) and node', () => {
  for (const seed of SEEDS) {
    const g = generateTierCluster(seed);
    const kinds = ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'];
    const cnps = g.manifests.filter((m) => kinds.includes(m.kind as string));
    assert.deepEqual(cnps.map((m) => (m.metadata as { name: string }).name), g.cluster.clusterPolicies!.map((p) => p.name));
    assert.equal(g.manifests.filter((m) => m.kind === 'Node').length, g.cluster.nodes!.length);
    assert.equal(g.manifests.filter((m) => m.kind === 'Pod').length, g.cluster.pods.length);
    assert.ok(g.cluster.pods.every((p) => p.nodeName !== undefined && isPod(p)));
    assert.ok(g.cluster.clusterPolicies!.filter((p) => p.kind === 'BaselineAdminNetworkPolicy').every((p) => p.name === 'default' && p.tier === 'Baseline'));
    for (const [i, m] of cnps.entries()) {
      const p = g.cluster.clusterPolicies![i]!;
      const spec = m.spec as Record<string, unknown>;
      const written = JSON.stringify(spec);
      if (p.kind === 'ClusterNetworkPolicy') assert.ok(!written.includes('"Allow"') && !written.includes('"ports"') && spec.tier === p.tier);
      else assert.ok(!written.includes('"Accept"') && !written.includes('"protocols"') && spec.tier === undefined, written);
      if (p.kind === 'BaselineAdminNetworkPolicy') assert.ok(!written.includes('"Pass"') && !written.includes('domainNames') && spec.priority === undefined);
    }
  }
});
