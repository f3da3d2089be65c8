// netpol generate --tier admin|baseline, in-process: the README guardrail ("nothing outside prod
// reaches prod/db on 3306" as an Admin Deny) round-trips (YAML → loader with zero diagnostics →
// Evaluator and the naive tier reference prove each assertion); Admin Accepts override a team's
// NetworkPolicy; Baseline is a closed world below NetworkPolicies and refuses when one decides
// otherwise; v1alpha2 limits split rules; hostile names stay data; random expectation sets are
// checked with test/oracle/reference-tiers.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseExpectations, type Expectation } from '../../src/analysis/assert/file.js';
import { parseAssertion, type EndpointSpec } from '../../src/analysis/assert/grammar.js';
import { runExpectations } from '../../src/analysis/assert/run.js';
import { generateFromExpectations } from '../../src/analysis/generate/index.js';
import { generateTier, type TierChoice } from '../../src/analysis/generate/tier.js';
import { loadSources } from '../../src/load/load.js';
import { podId, type Cluster, type Pod, type Protocol } from '../../src/model/types.js';
import { generateCluster, rng } from '../oracle/generate.js';
import { referenceTierVerdict } from '../oracle/reference-tiers.js';
import { load, ROOT } from './helpers.js';

function expectations(lines: string[], file = 'intent.yaml'): Expectation[] {
  return lines.map((text, i) => {
    const p = parseAssertion(text);
    assert.ok(p.ok, `${text}: ${p.ok ? '' : p.message}`);
    return { spec: p.spec, file, line: i + 1, path: `[${i}]` };
  });
}

/** Load the generated YAML back alone (zero diagnostics of any severity) and add it to the cluster. */
function withOutput(cluster: Cluster, yaml: string): Cluster {
  const loaded = loadSources([{ file: 'out.yaml', text: yaml }]);
  assert.deepEqual(loaded.diagnostics.map((d) => `${d.severity} ${d.path} ${d.message}`), []);
  assert.equal(loaded.cluster.pods.length + loaded.cluster.policies.length, 0);
  return { ...cluster, clusterPolicies: [...(cluster.clusterPolicies ?? []), ...(loaded.cluster.clusterPolicies ?? [])] };
}

const pod = (c: Cluster, id: string) => c.pods.find((p) => podId(p) === id)!;

test('README guardrail: nothing outside prod reaches prod/db on 3306, as an Admin Deny, round-trips', () => {
  const { cluster } = load('examples/db-protection');
  assert.ok(cluster.policies.length > 0, 'the teams\' NetworkPolicy stays in place');
  const path = 'examples/expect/db-guardrail.yaml';
  const file = parseExpectations(path, readFileSync(join(ROOT, path), 'utf8'));
  assert.deepEqual(file.diagnostics, []);
  const g = generateTier(cluster, file.expectations, { tier: 'admin' });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  assert.equal(g.policies.length, 1);
  const [cnp] = g.manifests as any[];
  assert.equal(cnp.kind, 'ClusterNetworkPolicy');
  assert.equal(cnp.spec.tier, 'Admin');
  assert.deepEqual(cnp.spec.subject, { pods: { namespaceSelector: { matchLabels: { name: 'prod' } }, podSelector: { matchLabels: { role: 'db' } } } });
  assert.deepEqual(cnp.spec.ingress.map((r: any) => r.action), ['Accept', 'Deny']);
  // "outside prod": the complement, so a namespace created later is denied too.
  assert.deepEqual(cnp.spec.ingress[1].from, [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['prod'] }] } }]);
  const all = withOutput(cluster, g.yaml);
  const report = runExpectations(all, file.expectations);
  assert.deepEqual([report.passed, report.failed], [2, 0]);
  // The naive reference agrees on every asserted connection, and the Deny really decides:
  // without the teams' NetworkPolicy, staging still cannot reach the DB (and could without the CNP).
  const db = pod(cluster, 'prod/db-0') ?? cluster.pods.find((p) => p.namespace === 'prod' && p.labels.role === 'db')!;
  const bare: Cluster = { ...all, policies: [] };
  for (const s of cluster.pods.filter((p) => p.namespace === 'staging')) {
    assert.equal(referenceTierVerdict(all, s, db, 3306, 'TCP').verdict, 'deny');
    assert.equal(referenceTierVerdict(bare, s, db, 3306, 'TCP').verdict, 'deny');
    assert.equal(referenceTierVerdict({ ...cluster, policies: [] }, s, db, 3306, 'TCP').verdict, 'allow');
  }
  for (const a of cluster.pods.filter((p) => p.labels.app === 'api' && p.namespace === 'prod')) assert.equal(referenceTierVerdict(bare, a, db, 3306, 'TCP').verdict, 'allow');
  assert.deepEqual(g.proof.extra, []);
});

test('Admin Accept overrides a team NetworkPolicy that blocks an allow; the source egress is opened only where it blocks', () => {
  const { cluster } = load('examples/db-protection');
  const web = cluster.pods.find((p) => p.labels.app === 'web')!;
  const db = cluster.pods.find((p) => p.labels.role === 'db')!;
  const xs = expectations([`${podId(web)} -> ${podId(db)}:3306/TCP allow`]);
  assert.equal(runExpectations(cluster, xs).failed, 1, 'the team policy blocks web → db');
  const g = generateTier(cluster, xs, { tier: 'admin' });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  const all = withOutput(cluster, g.yaml);
  assert.equal(runExpectations(all, xs).passed, 1);
  assert.equal(referenceTierVerdict(all, web, db, 3306, 'TCP').verdict, 'allow');
  assert.equal(referenceTierVerdict(all, web, db, 3307, 'TCP').verdict, 'deny', 'only the asserted port');
  // web's egress is not isolated: no egress rule was needed.
  assert.ok(g.policies.every((p) => p.egress.length === 0));
});

test('Admin: an egress NetworkPolicy at the source gets an egress Accept too', () => {
  const r = loadSources([{ file: 'c.yaml', text: `
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: lockdown, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
` }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const xs = expectations(['a/client -> a/server:8080 allow']);
  const g = generateTier(r.cluster, xs, { tier: 'admin' });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  const all = withOutput(r.cluster, g.yaml);
  assert.equal(referenceTierVerdict(all, pod(all, 'a/client'), pod(all, 'a/server'), 8080, 'TCP').verdict, 'allow');
  assert.equal(referenceTierVerdict(all, pod(all, 'a/client'), pod(all, 'a/server'), 8081, 'TCP').verdict, 'deny');
  assert.equal(g.policies.filter((p) => p.egress.length).length, 1);
});

test('Baseline: closed world below NetworkPolicies; refused (with a hint) when a NetworkPolicy decides otherwise', () => {
  const { cluster } = load('examples/db-protection');
  const bare: Cluster = { ...cluster, policies: [] };
  const xs = expectations(['prod/api -> prod/db:3306 allow', 'prod/db -> 192.168.5.10:80 allow']);
  const g = generateTier(bare, xs, { tier: 'baseline', dns: false });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  const all = withOutput(bare, g.yaml);
  const db = cluster.pods.find((p) => p.labels.role === 'db')!;
  for (const a of cluster.pods) {
    if (a === db) continue;
    for (const port of [3306, 80, 5000]) {
      const want = a.labels.app === 'api' && a.namespace === 'prod' && port === 3306;
      assert.equal(referenceTierVerdict(all, a, db, port, 'TCP').verdict, want ? 'allow' : 'deny', `${podId(a)} -> db:${port}`);
    }
  }
  assert.equal(referenceTierVerdict(all, db, { ip: '192.168.5.10' }, 80, 'TCP').verdict, 'allow');
  assert.equal(referenceTierVerdict(all, db, { ip: '192.168.5.11' }, 80, 'TCP').verdict, 'deny');
  // The hand-written NetworkPolicy isolates the DB and does not let prod/web in: Baseline cannot help.
  const refused = generateTier(cluster, expectations(['prod/web -> prod/db:3306 allow']), { tier: 'baseline' });
  assert.ok(!refused.ok);
  assert.match(refused.problems.map((p) => `${p.message} ${p.hint}`).join('\n'), /fails prod\/web -> prod\/db:3306 allow.*Baseline sits below NetworkPolicies/s);
});

test('an address as the source is refused in tier mode (v1alpha2 ingress peers are namespaces and pods)', () => {
  const { cluster } = load('examples/db-protection');
  const g = generateTier(cluster, expectations(['192.168.5.10 -> prod/db:3306 allow']), { tier: 'admin' });
  assert.ok(!g.ok);
  assert.match(g.problems[0]!.message, /cannot be written in a ClusterNetworkPolicy/);
});

test('more than 25 rules per direction are split into parts whose priorities keep the rule order', () => {
  const pods = Array.from({ length: 30 }, (_, i) => `
---
apiVersion: v1
kind: Pod
metadata: {name: c${i}, namespace: a, labels: {app: c${i}}}
spec: {containers: [{name: c, image: x}]}`).join('');
  const r = loadSources([{ file: 'c.yaml', text: `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server}}
spec: {containers: [{name: c, image: x}]}${pods}` }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  // Each client on its own port: 30 port sets, 30 Accept rules, then Deny rules.
  const xs = expectations(Array.from({ length: 30 }, (_, i) => `a/c${i} -> a/server:${2000 + 2 * i} allow`).concat(['a/c0 -> a/server:9999 deny']));
  const g = generateTier(r.cluster, xs, { tier: 'admin' });
  assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
  assert.equal(g.policies.length, 2);
  assert.deepEqual(g.policies.map((p) => [p.ingress.length, p.priority]), [[25, 100], [6, 101]]);
  const all = withOutput(r.cluster, g.yaml);
  assert.equal(runExpectations(all, xs).failed, 0);
  assert.equal(referenceTierVerdict(all, pod(all, 'a/c1'), pod(all, 'a/server'), 2000, 'TCP').verdict, 'allow', 'untouched: left to NetworkPolicies (none)');
});

test('hostile names: assertion names and label values stay data in the YAML', () => {
  const r = loadSources([{ file: 'h.yaml', text: `
apiVersion: v1
kind: Namespace
metadata: {name: ns1, labels: {"on": "yes"}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ns1, labels: {app.kubernetes.io/name: "null"}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ns1, labels: {tier: "true"}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: ns2, labels: {x: "0777"}}
spec: {containers: [{name: c, image: x}]}
` }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const xs = expectations(['ns1/a -> ns1/b:8080 allow', 'ns2/c -> ns1/b:8080 deny']);
  xs[0]!.name = 'evil\n---\nkind: Secret\u001b[31m\u202e # x';
  for (const tier of ['admin', 'baseline'] as TierChoice[]) {
    const g = generateTier(r.cluster, xs, { tier });
    assert.ok(g.ok, JSON.stringify(!g.ok && g.problems));
    assert.doesNotMatch(g.yaml, /[\u0000-\u0009\u000b-\u001f\u202e]/);
    assert.doesNotMatch(g.yaml, /^kind: Secret/m);
    const docs = parseAllDocuments(g.yaml, { version: '1.1' }).map((d) => d.toJS());
    assert.equal(docs.length, g.policies.length);
    assert.ok(docs.every((d) => d.kind === 'ClusterNetworkPolicy'));
    assert.deepEqual(docs[0].spec.subject.pods.podSelector, { matchLabels: { tier: 'true' } });
    assert.deepEqual(docs[0].spec.ingress[0].from[0].pods.podSelector, { matchLabels: { 'app.kubernetes.io/name': 'null' } });
    const all = withOutput(r.cluster, g.yaml);
    assert.equal(runExpectations(all, xs).failed, 0);
  }
});

// --- random expectation sets through the naive tier reference ---------------------------------

const PORTS: [number, Protocol][] = [[80, 'TCP'], [81, 'TCP'], [53, 'UDP'], [8080, 'TCP']];
const IPS = ['203.0.113.7', '198.51.100.1'];
/** The text of an end the random lines write: an IP or `ns/name`. */
const endText = (e: EndpointSpec): string => (e.kind === 'ip' ? e.ip : e.kind === 'pods' && e.namespace.kind === 'name' && e.pod.kind === 'name' ? `${e.namespace.name}/${e.pod.name}` : assert.fail(JSON.stringify(e)));
const sameClass = (a: Pod, b: Pod) => a.namespace === b.namespace && JSON.stringify(Object.entries(a.labels).sort()) === JSON.stringify(Object.entries(b.labels).sort());

function randomLines(cluster: Cluster, seed: number): string[] {
  const r = rng(seed * 104729 + 3);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const lines: string[] = [];
  const seen = new Set<string>();
  for (let i = 0, n = 2 + Math.floor(r() * 7); i < n; i++) {
    const from = podId(pick(cluster.pods));
    const to = r() < 0.2 ? pick(IPS) : podId(pick(cluster.pods));
    const [port, proto] = pick(PORTS);
    if (from === to || seen.has(`${from}>${to}:${port}/${proto}`)) continue;
    seen.add(`${from}>${to}:${port}/${proto}`);
    lines.push(`${from} -> ${to}:${port}/${proto} ${r() < 0.55 ? 'allow' : 'deny'}`);
  }
  return lines;
}

for (const tier of ['admin', 'baseline'] as TierChoice[]) {
  test(`random expectation sets (--tier ${tier}): the tier reference agrees with every assertion and nothing else changes`, () => {
    const counts = { generated: 0, refusedLabels: 0, refusedPolicies: 0, checked: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const gen = generateCluster(seed).cluster;
      // Admin is proved with the teams' NetworkPolicies in place; Baseline on every other seed too.
      const cluster: Cluster = { namespaces: gen.namespaces, pods: gen.pods, policies: tier === 'admin' || seed % 2 ? gen.policies : [] };
      const lines = randomLines(cluster, seed);
      if (!lines.length) continue;
      const xs = expectations(lines);
      const g = generateTier(cluster, xs, { tier, dns: false });
      if (!g.ok) {
        const text = g.problems.map((p) => p.message).join('\n');
        if (/same labels/.test(text)) {
          // A label refusal must be real: the two pods named have the same namespace and labels.
          for (const m of text.matchAll(/^(\S+) and (\S+) have the same labels/gm)) assert.ok(sameClass(pod(cluster, m[1]!), pod(cluster, m[2]!)), `seed ${seed}: ${m[0]}`);
          counts.refusedLabels++;
        }
        else {
          // Only Baseline may be overruled, and only by a NetworkPolicy of the input.
          assert.ok(tier === 'baseline' && cluster.policies.length && /^the generated set with the input's policies fails/m.test(text), `seed ${seed}: ${text}`);
          counts.refusedPolicies++;
        }
        continue;
      }
      counts.generated++;
      const all = withOutput(cluster, g.yaml);
      const allowed = new Set<string>();
      const named = new Set<string>();
      const ends = (s: string) => (IPS.includes(s) ? { ip: s } : pod(cluster, s));
      const key = (a: Pod | { ip: string }, b: Pod | { ip: string }, port: number, proto: Protocol) => `${'ip' in a ? a.ip : podId(a)}>${'ip' in b ? b.ip : podId(b)}:${port}/${proto}`;
      for (const x of xs) {
        const [from, to] = [ends(endText(x.spec.from)), ends(endText(x.spec.to))];
        const v = referenceTierVerdict(all, from, to, x.spec.port as number, x.spec.protocol!).verdict;
        if (v !== 'depends') assert.equal(v, x.spec.expect, `seed ${seed}: ${x.spec.text}\n${g.yaml}`);
        named.add(key(from, to, x.spec.port as number, x.spec.protocol!));
        if (x.spec.expect === 'allow') allowed.add(key(from, to, x.spec.port as number, x.spec.protocol!));
        counts.checked++;
      }
      const widened = (a: Pod, b: Pod, port: number, proto: Protocol, set: Set<string>) => cluster.pods.some((a2) => sameClass(a, a2) && set.has(key(a2, b, port, proto))) || cluster.pods.some((b2) => sameClass(b, b2) && set.has(key(a, b2, port, proto)));
      const governedIn = new Set(xs.map((x) => endText(x.spec.to)).filter((t) => !IPS.includes(t)));
      for (const a of cluster.pods) {
        for (const b of cluster.pods) {
          if (a === b) continue;
          for (const [port, proto] of PORTS) {
            const now = referenceTierVerdict(all, a, b, port, proto).verdict;
            if (now === 'depends') continue;
            if (tier === 'admin') {
              // Admin changes nothing but the named connections (and their label twins).
              const before = referenceTierVerdict(cluster, a, b, port, proto).verdict;
              if (before !== 'depends' && now !== before) assert.ok(named.has(key(a, b, port, proto)) || widened(a, b, port, proto, named), `seed ${seed}: ${key(a, b, port, proto)} changed ${before} → ${now}\n${g.yaml}`);
            } else if (governedIn.has(podId(b)) && now === 'allow' && !cluster.policies.length) {
              // Baseline without NetworkPolicies: into a governed pod only what was allowed.
              assert.ok(allowed.has(key(a, b, port, proto)) || widened(a, b, port, proto, allowed), `seed ${seed}: ${key(a, b, port, proto)} opened\n${g.yaml}`);
            }
          }
        }
      }
    }
    console.log(`generate --tier ${tier}: random sets: ${JSON.stringify(counts)}`);
    assert.ok(counts.generated >= 10, `too few generated: ${JSON.stringify(counts)}`);
  });
}

test('NetworkPolicy mode: with tier policies in the input the proof walks the Evaluator (an Admin Accept that opens more is caught)', () => {
  const text = `
apiVersion: v1
kind: Namespace
metadata: {name: ns1}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ns1, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ns1, labels: {app: b}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: ns2, labels: {app: c}}
spec: {containers: [{name: c, image: x}]}
`;
  const admin = `
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: open-b}
spec:
  tier: Admin
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: b}}}}
  ingress:
  - {action: Accept, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ns2}}}]}
`;
  const xs = expectations(['ns1/a -> ns1/b:8080 allow']);
  const plain = loadSources([{ file: 'c.yaml', text }]);
  assert.ok(generateFromExpectations(plain.cluster, xs, { dns: false }).ok);
  const tiered = loadSources([{ file: 'c.yaml', text: text + admin }]);
  assert.deepEqual(tiered.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(tiered.cluster.clusterPolicies?.length, 1);
  const g = generateFromExpectations(tiered.cluster, xs, { dns: false });
  assert.ok(!g.ok, 'the Admin Accept lets ns2/c in: the closed world cannot hold');
  assert.match(g.problems.map((p) => p.message).join('\n'), /opens ns2\/c -> ns1\/b:8080\/TCP/);
});
