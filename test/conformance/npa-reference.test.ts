// The upstream ClusterNetworkPolicy conformance suite (kubernetes-sigs/network-policy-api
// conformance/tests @ 0eec1b0, transcribed in test/conformance/npa/) run through the naive tier
// reference: every probe of every step must give the upstream expectation. This checks the
// transcription and the reference against each other; the real Evaluator/matrix can be run over
// the same npaCases() later.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { referenceTierVerdict } from '../oracle/reference-tiers.js';
import { npaCases, npaData, type NpaCase } from './npa/cases.js';
import { toClusterPolicy } from './npa/convert.js';

// Counted in the Go files at 0eec1b0 by generate.mjs (ConformanceTest blocks, t.Run calls,
// PokeServer calls, mutating API calls); 22 files hold 24 tests (two files hold two each).
const MEASURED = {
  tests: 24, subtests: 92, probes: 301, mutations: 42,
  byFeature: { standard: { tests: 18, subtests: 83, probes: 284 }, NamedPorts: { tests: 4, subtests: 4, probes: 8 }, EgressNodePeers: { tests: 2, subtests: 5, probes: 9 } },
};

const data = npaData();
const cases = npaCases(data);
const casesV6 = npaCases(data, undefined, 'ipv6');
const label = (c: NpaCase) => `[${c.family}] ${c.test} / ${c.subtest} (step ${c.step}, ${c.source}): ${c.from.namespace}/${c.from.name} → ${c.to.namespace}/${c.to.name} ${c.protocol}/${c.port}`;

test('the transcription holds every test, subtest, probe and mutation counted upstream', () => {
  assert.equal(data.upstream.commit.slice(0, 7), '0eec1b0');
  assert.deepEqual({ ...data.counts, byFeature: { ...data.counts.byFeature } }, MEASURED);
  // The recorded counts are the data's own counts, not just a number written down.
  assert.equal(data.tests.length, MEASURED.tests);
  assert.equal(data.tests.reduce((n, t) => n + t.subtests.length, 0), MEASURED.subtests);
  assert.equal(cases.length, MEASURED.probes);
  assert.equal(data.tests.flatMap((t) => t.subtests.flatMap((s) => s.steps)).filter((s) => s.change).length, MEASURED.mutations);
  for (const f of ['standard', 'NamedPorts', 'EgressNodePeers'] as const) {
    assert.equal(cases.filter((c) => c.feature === f).length, MEASURED.byFeature[f].probes, f);
  }
  assert.equal(new Set(data.tests.map((t) => t.name)).size, MEASURED.tests, 'test names are unique');
});

test('every upstream copy carries its attribution', () => {
  for (const m of new Set(['base/manifests.yaml', ...data.tests.flatMap((t) => t.manifests)])) {
    const text = readFileSync(new URL(`./npa/upstream/${m.replace(/^base\//, '')}`, import.meta.url), 'utf8');
    assert.match(text, /^# Copied verbatim from kubernetes-sigs\/network-policy-api conformance\/base\/.* at commit 0eec1b0/, m);
    assert.match(text, /Apache License, Version 2\.0/, m);
  }
});

for (const t of data.tests) {
  test(`upstream ${t.name} [${t.feature}] through the tier reference, IPv4 and IPv6 legs`, () => {
    const mine = [...cases, ...casesV6].filter((c) => c.test === t.name);
    assert.ok(mine.length > 0);
    assert.equal(mine.filter((c) => c.family === 'ipv6').length, mine.length / 2);
    const wrong = mine.filter((c) => referenceTierVerdict(c.cluster, c.from, c.to, c.port, c.protocol).verdict !== c.expect).map((c) => `${label(c)} expected ${c.expect}`);
    assert.deepEqual(wrong, []);
  });
}

test('every probe is also certain when equal priorities are left open (the suite has no ambiguous tie)', () => {
  const open = cases.filter((c) => referenceTierVerdict(c.cluster, c.from, c.to, c.port, c.protocol, { equalPriority: 'depends' }).verdict !== c.expect);
  assert.deepEqual(open.map(label), []);
});

test('the in-test mutations are load-bearing: without them, probes after a change fail', () => {
  // Re-run every probe of a step that follows a change against the test's unmutated objects.
  const fresh = npaCases({ ...data, tests: data.tests.map((t) => ({ ...t, subtests: t.subtests.map((s) => ({ ...s, steps: s.steps.map((st) => ({ probes: st.probes })) })) })) });
  assert.equal(fresh.length, cases.length);
  // Which probes come after some change within their test (cases are in data order).
  const afterChange: boolean[] = [];
  for (const t of data.tests) {
    let changed = false;
    for (const st of t.subtests.flatMap((s) => s.steps)) {
      changed ||= st.change !== undefined;
      for (const _ of st.probes) afterChange.push(changed);
    }
  }
  const differ = cases.map((c, i) => ({ c, i })).filter(({ c, i }) => referenceTierVerdict(fresh[i]!.cluster, c.from, c.to, c.port, c.protocol).verdict !== c.expect);
  // Measured: 76 probes pass only because the mutation before them was applied.
  assert.equal(differ.length, 76);
  assert.deepEqual(differ.filter(({ i }) => !afterChange[i]).map(({ c }) => label(c)), []);
});

test('the IPv6 leg is single-stack IPv6, and the inserted pod-IP networks are /128', () => {
  assert.equal(casesV6.length, MEASURED.probes);
  for (const c of casesV6) {
    assert.ok(c.cluster.pods.every((p) => p.ips.every((ip) => ip.includes(':'))));
    assert.ok(c.cluster.nodes!.every((n) => n.addresses.every((ip) => ip.includes(':'))));
  }
  const inserted = casesV6.flatMap((c) => c.cluster.clusterPolicies!.flatMap((p) => p.egress)).filter((r) => r.name === 'allow-egress-to-specific-podIPs');
  assert.ok(inserted.length > 0);
  for (const r of inserted) for (const p of r.peers) assert.ok(p.kind === 'networks' && p.cidrs.every((x) => x.endsWith('/128')), JSON.stringify(p));
});

test('the hostNetwork server and the nodes are modelled as the kind cluster', () => {
  const centaur = cases.find((c) => c.to.name === 'centaur-1')!;
  assert.equal(centaur.to.hostNetwork, true);
  const node = centaur.cluster.nodes!.find((n) => n.name === centaur.to.nodeName)!;
  assert.deepEqual(centaur.to.ips, [node.addresses[0]]);
  assert.equal(centaur.cluster.nodes!.length, 3);
  // No other pod shares a node's address.
  const addresses = new Set(centaur.cluster.nodes!.flatMap((n) => n.addresses));
  assert.ok(centaur.cluster.pods.filter((p) => !p.hostNetwork).every((p) => p.ips.every((ip) => !addresses.has(ip))));
});

test('converter: protocols, named ports and unknown peers', () => {
  const p = toClusterPolicy(parse(`
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: x}
spec:
  tier: Baseline
  priority: 3
  subject: {pods: {podSelector: {matchLabels: {a: b}}}}
  egress:
  - action: Deny
    to: [{futurePeer: {}}, {networks: [10.0.0.0/8]}]
    protocols: [{destinationNamedPort: dns}, {udp: {destinationPort: {range: {start: 1, end: 9}}}}, {sctp: {destinationPort: {number: 7}}}]
`));
  assert.equal(p.tier, 'Baseline');
  assert.deepEqual(p.subject.pods?.namespaceSelector, { matchLabels: {}, matchExpressions: [] });
  const r = p.egress[0]!;
  assert.deepEqual(r.peers.map((x) => x.kind), ['unknown', 'networks']);
  assert.deepEqual(r.ports.map((x) => [x.protocol, x.port, x.endPort]), [['TCP', 'dns', undefined], ['UDP', 'dns', undefined], ['SCTP', 'dns', undefined], ['UDP', 1, 9], ['SCTP', 7, undefined]]);
  assert.throws(() => toClusterPolicy({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'y' }, spec: { tier: 'Middle', priority: 1, subject: { namespaces: {} } } }), /spec\.tier/);
});
