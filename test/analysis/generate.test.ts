// netpol generate, in-process: the built-in example from its plain-words intent is equivalent to
// the hand-written policy (semantic diff, with hypothetical pods), random expectation sets are
// checked with the naive reference evaluator (every assertion holds, nothing else opens into a
// governed pod), pods that labels cannot separate are refused, hostile label values survive YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseExpectations, type Expectation } from '../../src/analysis/assert/file.js';
import { parseAssertion } from '../../src/analysis/assert/grammar.js';
import { runExpectations } from '../../src/analysis/assert/run.js';
import { compareSemantics } from '../../src/analysis/diff/semantic.js';
import { generateFromExpectations } from '../../src/analysis/generate/index.js';
import { loadSources } from '../../src/load/load.js';
import { podId, type Cluster, type Pod, type Protocol } from '../../src/model/types.js';
import { generateCluster, rng } from '../oracle/generate.js';
import { referenceAllowed } from '../oracle/reference.js';
import { load, ROOT } from './helpers.js';

function expectations(lines: string[], file = 'intent.yaml'): Expectation[] {
  return lines.map((text, i) => {
    const p = parseAssertion(text);
    assert.ok(p.ok, `${text}: ${p.ok ? '' : p.message}`);
    return { spec: p.spec, file, line: i + 1, path: `[${i}]` };
  });
}

const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');

test('the built-in example from its plain-words intent is equivalent to the hand-written policy', () => {
  const hand = load('examples/db-protection');
  const bare: Cluster = { ...hand.cluster, policies: [] };
  const file = parseExpectations('examples/expect/db-protection-intent.yaml', text('examples/expect/db-protection-intent.yaml'));
  assert.deepEqual(file.diagnostics, []);
  const g = generateFromExpectations(bare, file.expectations, { dns: false });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  assert.equal(g.policies.length, 1);
  assert.deepEqual(g.proof.assertions, { passed: 3, failed: 0 });
  const sem = compareSemantics(hand.cluster, { ...bare, policies: g.proof.policies });
  assert.ok(sem.equivalent, JSON.stringify({ onlyAfter: sem.onlyAfter, onlyBefore: sem.onlyBefore }));
  // The comments say which assertion each rule serves.
  assert.match(g.yaml, /# serves: prod\/api -> prod\/db:3306\/TCP allow \(examples\/expect\/db-protection-intent\.yaml:\d+\)/);
  // With DNS kept (the default) the set is no longer equivalent: it also lets the DB resolve names.
  const withDns = generateFromExpectations(bare, file.expectations);
  assert.ok(withDns.ok);
  assert.equal(compareSemantics(hand.cluster, { ...bare, policies: withDns.proof.policies }).equivalent, false);
  assert.match(withDns.yaml, /k8s-app: kube-dns/);
});

test('the full example expectations (with denies) generate a set that passes them, deterministically', () => {
  const hand = load('examples/db-protection');
  const bare: Cluster = { ...hand.cluster, policies: [] };
  const file = parseExpectations('examples/expect/db-protection.yaml', text('examples/expect/db-protection.yaml'));
  const a = generateFromExpectations(bare, file.expectations);
  const b = generateFromExpectations({ ...bare, pods: [...bare.pods].reverse(), namespaces: [...bare.namespaces].reverse() }, [...file.expectations]);
  assert.ok(a.ok && b.ok);
  assert.deepEqual(a.proof.assertions, { passed: file.expectations.length, failed: 0 });
  assert.equal(a.yaml, b.yaml, 'same input, same YAML, whatever the order of pods and namespaces');
});

test('pods that labels cannot separate are refused, naming the pods and what would separate them', () => {
  const r = loadSources([{ file: 'm.yaml', text: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: prod, labels: {app: api}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: prod, labels: {role: db}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 5432}]}]}
` }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const one = generateFromExpectations(r.cluster, expectations(['prod/api -> prod/db:5432 allow']));
  assert.equal(one.ok, false);
  assert.ok(!one.ok && one.inseparable?.some((p) => p.pods.includes('prod/worker')), JSON.stringify(!one.ok && one.problems));
  assert.ok(!one.ok && one.problems.some((p) => /worker/.test(p.message) && /app\.kubernetes\.io\/name=/.test(p.hint ?? '')));
  const replica = generateFromExpectations(r.cluster, expectations(['prod/api-0 -> prod/db:5432 allow', 'prod/worker -> prod/db:5432 allow']));
  assert.ok(!replica.ok && replica.problems.some((p) => /replicas of Deployment prod\/api/.test(p.hint ?? '')), JSON.stringify(!replica.ok && replica.problems));
  // Allowed alike, they are one class: accepted.
  assert.ok(generateFromExpectations(r.cluster, expectations(['prod/api -> prod/db:5432 allow', 'prod/worker -> prod/db:5432 allow'])).ok);
});

test('conflicting assertions and unresolvable ends are refused with file and line', () => {
  const hand = load('examples/db-protection');
  const g = generateFromExpectations(hand.cluster, expectations(['prod/api -> prod/db:3306 allow', 'prod/app=api -> prod/db:3306 deny', 'prod/nope -> prod/db:3306 allow']));
  assert.ok(!g.ok);
  assert.ok(g.problems.some((p) => p.line === 2 && /asserted deny here and allow at intent\.yaml:1/.test(p.message)));
  assert.ok(g.problems.some((p) => p.line === 3 && /no pod matches/.test(p.message)));
});

test('label values YAML would misread and hostile assertion names survive the emitted YAML', () => {
  const r = loadSources([{ file: 'm.yaml', text: `apiVersion: v1
kind: Namespace
metadata: {name: ns1, labels: {"on": "yes", team: "0777"}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ns1, labels: {"app.kubernetes.io/name": "null", tier: "1e3"}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ns1, labels: {tier: "true"}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: d, namespace: ns1, labels: {tier: "false"}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns2, labels: {"on": "no"}}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: ns2, labels: {tier: "1e3"}}
spec: {containers: [{name: c, image: i}]}
` }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const xs = expectations(['ns1/a -> ns1/b:8080 allow', 'ns2/c -> ns1/b:8080 deny']);
  xs[0]!.name = 'evil\n---\nkind: Secret\u001b[31m\u202e';
  const g = generateFromExpectations(r.cluster, xs);
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  assert.doesNotMatch(g.yaml, /[\u0000-\u0009\u000b-\u001f\u202e]/);
  assert.doesNotMatch(g.yaml, /^kind: Secret/m);
  const docs = g.yaml.split(/^---$/m).map((d) => parse(d, { version: '1.1' }));
  assert.equal(docs.length, g.policies.length);
  const peer = docs[0].spec.ingress[0].from[0];
  assert.deepEqual(peer.namespaceSelector.matchLabels, { on: 'yes' });
  assert.deepEqual(peer.podSelector, { matchLabels: { 'app.kubernetes.io/name': 'null' } });
  assert.deepEqual(docs[0].spec.podSelector, { matchLabels: { tier: 'true' } });
});

// --- random expectation sets through the reference evaluator ---------------------------------

const PORTS: [number, Protocol][] = [[80, 'TCP'], [81, 'TCP'], [53, 'UDP'], [8080, 'TCP']];

function randomExpectations(cluster: Cluster, seed: number): string[] {
  const r = rng(seed * 7919 + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const ips = ['203.0.113.7', '203.0.113.8', '198.51.100.1'];
  const lines: string[] = [];
  const seen = new Set<string>();
  const n = 3 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const to = pick(cluster.pods);
    const toIp = r() < 0.15;
    const from = r() < 0.2 ? pick(ips) : podId(pick(cluster.pods));
    const [port, proto] = pick(PORTS);
    const left = toIp ? podId(to) : from;
    const right = toIp ? pick(ips) : podId(to);
    if (left === right) continue;
    const key = `${left}>${right}:${port}/${proto}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${left} -> ${right}:${port}/${proto} ${r() < 0.6 ? 'allow' : 'deny'}`);
  }
  return lines;
}

const sameClass = (a: Pod, b: Pod) => a.namespace === b.namespace && JSON.stringify(Object.entries(a.labels).sort()) === JSON.stringify(Object.entries(b.labels).sort());

test('random expectation sets: the reference evaluator agrees with every assertion and finds nothing extra', () => {
  let generated = 0;
  let refused = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const base = generateCluster(seed).cluster;
    // Pods named by name must resolve to one pod: the oracle's names are unique per namespace.
    const cluster: Cluster = { namespaces: base.namespaces, pods: base.pods, policies: [] };
    const lines = randomExpectations(cluster, seed);
    if (lines.length === 0) continue;
    const xs = expectations(lines);
    const g = generateFromExpectations(cluster, xs, { dns: false });
    if (!g.ok) {
      // A refusal must be real: two pods with the same namespace and labels.
      assert.ok(g.inseparable?.length, `seed ${seed}: refused without a label reason: ${JSON.stringify(g.problems)}`);
      for (const p of g.inseparable!) {
        const [a, b] = p.pods.map((id) => cluster.pods.find((q) => podId(q) === id)!);
        assert.ok(a && b && sameClass(a, b), `seed ${seed}: ${p.message}`);
      }
      refused++;
      continue;
    }
    generated++;
    const withPolicies: Cluster = { ...cluster, policies: g.proof.policies };
    const allowed = new Set<string>();
    const governedIn = new Set<string>();
    const governedOut = new Set<string>();
    for (const x of xs) {
      const s = x.spec;
      const end = (e: typeof s.from) => (e.kind === 'ip' ? { ip: e.ip } : cluster.pods.find((p) => e.kind === 'pods' && e.namespace.kind === 'name' && e.pod.kind === 'name' && p.namespace === e.namespace.name && p.name === e.pod.name)!);
      const from = end(s.from);
      const to = end(s.to);
      const verdict = referenceAllowed(withPolicies, from, to, s.port as number, s.protocol!);
      assert.equal(verdict, s.expect === 'allow', `seed ${seed}: ${s.text}\n${g.yaml}`);
      if (s.expect === 'allow') allowed.add(`${'ip' in from ? from.ip : podId(from)}>${'ip' in to ? to.ip : podId(to)}:${s.port}/${s.protocol}`);
      if (!('ip' in to)) governedIn.add(podId(to));
      else if (!('ip' in from)) governedOut.add(podId(from));
    }
    // Closed world: into a governed pod (out of a governed pod, to addresses) only what was allowed,
    // widened only to pods no selector can tell apart from an allowed one.
    const widened = (a: Pod, b: Pod, port: number, proto: Protocol) => cluster.pods.some((a2) => sameClass(a, a2) && allowed.has(`${podId(a2)}>${podId(b)}:${port}/${proto}`))
      || cluster.pods.some((b2) => sameClass(b, b2) && allowed.has(`${podId(a)}>${podId(b2)}:${port}/${proto}`));
    for (const b of cluster.pods) {
      for (const [port, proto] of PORTS) {
        if (governedIn.has(podId(b))) {
          for (const a of cluster.pods) {
            if (a === b || !referenceAllowed(withPolicies, a, b, port, proto)) continue;
            assert.ok(allowed.has(`${podId(a)}>${podId(b)}:${port}/${proto}`) || widened(a, b, port, proto), `seed ${seed}: ${podId(a)} -> ${podId(b)}:${port}/${proto} opened\n${g.yaml}`);
          }
          for (const ip of ['203.0.113.7', '203.0.113.8', '198.51.100.1', '192.0.2.1']) {
            if (referenceAllowed(withPolicies, { ip }, b, port, proto)) assert.ok(allowed.has(`${ip}>${podId(b)}:${port}/${proto}`), `seed ${seed}: ${ip} -> ${podId(b)}:${port}/${proto} opened`);
          }
        }
        if (governedOut.has(podId(b))) {
          for (const ip of ['203.0.113.7', '203.0.113.8', '198.51.100.1', '192.0.2.1']) {
            if (referenceAllowed(withPolicies, b, { ip }, port, proto)) assert.ok(allowed.has(`${podId(b)}>${ip}:${port}/${proto}`), `seed ${seed}: ${podId(b)} -> ${ip}:${port}/${proto} opened`);
          }
        }
      }
    }
  }
  console.log(`generate: random sets: ${generated} generated and checked with the reference, ${refused} refused for labels`);
  assert.ok(generated >= 30, `only ${generated} of 60 random sets generated`);
});

test('the proof catches a set that fails an assertion or opens more than asked', async () => {
  const { intentFromExpectations, prove } = await import('../../src/analysis/generate/index.js');
  const hand = load('examples/db-protection');
  const bare: Cluster = { ...hand.cluster, policies: [] };
  const file = parseExpectations('i.yaml', text('examples/expect/db-protection-intent.yaml'));
  const { intent } = intentFromExpectations(bare, file.expectations);
  const handYaml = text('examples/db-protection/db-policy.yaml');
  const good = prove(bare, handYaml, intent, file.expectations);
  assert.deepEqual([good.assertions, good.extra], [{ passed: 3, failed: 0 }, []]);
  const wider = prove(bare, handYaml.replace('port: 3306', 'port: 3306\n      endPort: 3307'), intent, file.expectations);
  assert.deepEqual(wider.assertions, { passed: 3, failed: 0 });
  assert.ok(wider.extra.some((x) => x.reason === 'unexpected' && x.to === 'prod/db-0'), JSON.stringify(wider.extra));
  const narrower = prove(bare, handYaml.replace('cidr: 192.168.5.10/32\n    ports:\n    - protocol: TCP\n      port: 80', 'cidr: 192.168.5.11/32\n    ports:\n    - protocol: TCP\n      port: 80'), intent, file.expectations);
  assert.equal(narrower.assertions.failed, 1);
  assert.ok(narrower.extra.some((x) => x.to === '192.168.5.11'));
});

test('CIDR ends: `netpol test` checks every region of the range; generate emits the range as one ipBlock', () => {
  const hand = load('examples/db-protection');
  // netpol test: 192.168.5.0/24 holds the allowed 192.168.5.10 and addresses the policy denies.
  const p = parseAssertion('192.168.5.0/24 -> prod/db:3306 allow');
  assert.ok(p.ok && p.spec.from.kind === 'cidr' && p.spec.from.cidr === '192.168.5.0/24');
  const q = parseAssertion('10.1.2.3/32 -> prod/db:3306 allow');
  assert.ok(q.ok && q.spec.from.kind === 'ip', '/32 is one address');
  assert.ok(!parseAssertion('prod/db -> 10.0.0.0/8:http allow').ok, 'a range destination needs a port number');
  const run = runExpectations(hand.cluster, expectations(['192.168.5.0/24 -> prod/db:3306 allow', '192.168.5.10/32 -> prod/db:3306 allow']));
  assert.deepEqual(run.results.map((r) => r.ok), [false, true]);
  assert.ok(run.results[0]!.checked >= 3, 'the range is checked at each region the ipBlock cuts (before, inside, after)');
  // generate: the range becomes one ipBlock, widened by nothing; a deny inside an allowed range is refused.
  const bare: Cluster = { ...hand.cluster, policies: [] };
  const g = generateFromExpectations(bare, expectations(['10.20.0.0/16 -> prod/db:3306 allow', '10.21.0.0/16 -> prod/db:3306 allow', 'prod/db -> 203.0.113.0/25:443 allow']), { dns: false });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  assert.match(g.yaml, /cidr: 10\.20\.0\.0\/15/);
  assert.match(g.yaml, /cidr: 203\.0\.113\.0\/25/);
  assert.deepEqual(g.proof.extra, []);
  const db = bare.pods.find((x) => x.name === 'db-0')!;
  const c: Cluster = { ...bare, policies: g.proof.policies };
  assert.equal(referenceAllowed(c, { ip: '10.21.255.255' }, db, 3306, 'TCP'), true);
  assert.equal(referenceAllowed(c, { ip: '10.22.0.0' }, db, 3306, 'TCP'), false);
  assert.equal(referenceAllowed(c, db, { ip: '203.0.113.128' }, 443, 'TCP'), false);
  const clash = generateFromExpectations(bare, expectations(['10.0.0.0/8 -> prod/db:3306 allow', '10.1.1.1 -> prod/db:3306 deny']));
  assert.ok(!clash.ok && clash.problems.some((x) => /overlaps 10\.0\.0\.0\/8/.test(x.message)), JSON.stringify(!clash.ok && clash.problems));
});
