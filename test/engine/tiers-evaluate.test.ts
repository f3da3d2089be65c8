// The readable Evaluator with Admin and Baseline tiers. Sources, kubernetes-sigs/network-policy-api
// @ 0eec1b0: T = apis/v1alpha2/clusternetworkpolicy_types.go (Tier, Priority, Ingress/Egress),
// O = site-src/api-overview.md ("Actions", "Tiers", the hairpin paragraph).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, type Verdict } from '../../src/evaluate/evaluate.js';
import type { IpBlockPods } from '../../src/match/peer.js';
import type { Cluster, ClusterPolicy, NetworkPolicy, Pod, Protocol } from '../../src/model/types.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import { cluster, cnp, cport, domains, namespaces, networks, nodes, np, ns, nsSel, pod, pods, rule, sel, subjectNamespaces, subjectPods, tcp } from './tier-builders.js';

const NS = [ns('prod', { env: 'prod' }), ns('staging', { env: 'staging' }), ns('db', { env: 'db' }), ns('infra')];
const web = pod('prod', 'web', { app: 'web' }, ['10.0.0.1'], { ports: [cport('http', 80)] });
const app = pod('staging', 'app', { app: 'app' }, ['10.0.1.1'], { ports: [cport('http', 8080)] });
const pg = pod('db', 'pg', { app: 'pg' }, ['10.0.2.1'], { ports: [cport('pg', 5432)] });
const noIp = pod('prod', 'noip', { app: 'batch' }, []);
const agent = pod('infra', 'agent', { app: 'agent' }, ['192.168.0.10'], { hostNetwork: true, nodeName: 'n1' });
const PODS = [web, app, pg, noIp, agent];

function world(clusterPolicies: ClusterPolicy[], policies: NetworkPolicy[] = []): Cluster {
  return cluster({ namespaces: NS, pods: PODS, policies, clusterPolicies });
}
function q(c: Cluster, from: Pod | string, to: Pod | string, port = 80, protocol: Protocol = 'TCP', ipBlockPods?: IpBlockPods): Verdict {
  const end = (e: Pod | string) => (typeof e === 'string' ? { kind: 'ip' as const, ip: e } : { kind: 'pod' as const, pod: e });
  return new Evaluator(c, ipBlockPods ? { ipBlockPods } : {}).evaluate({ from: end(from), to: end(to), port, protocol });
}

const allProd = subjectNamespaces(sel({ env: 'prod' }));
const allowAllIngressDb = np('db', 'allow-all', sel(), ['Ingress'], { ingress: [[]] });
const denyAllIngressDb = np('db', 'deny-all', sel(), ['Ingress']);
const denyAllEgressProd = np('prod', 'deny-egress', sel(), ['Egress']);

test('an Admin Deny overrides a NetworkPolicy allow, and the reason names policy, priority, rule and action (T, Tier: "Admin tier takes precedence")', () => {
  const deny = cnp({ name: 'deny-staging', priority: 10, subject: allProd, egress: [
    rule('Accept', [namespaces(nsSel('staging'))], [], 'to-staging'),
    rule('Pass', [namespaces(nsSel('infra'))]),
    rule('Deny', [pods(sel({ env: 'db' }), sel({ app: 'pg' }))], [], 'deny-to-db'),
  ] });
  const c = world([deny], [allowAllIngressDb]);
  const v = q(c, web, pg, 5432);
  assert.equal(v.verdict, 'deny');
  assert.equal(v.egress.decidedBy, 'Admin');
  assert.match(v.egress.reason, /^Admin: cnp\/deny-staging priority 10, egress rule 2 'deny-to-db' Deny — final/);
  const admin = v.egress.tiers![0]!;
  assert.equal(admin.tier, 'Admin');
  assert.deepEqual(admin.decided, { policy: 'cnp/deny-staging', rule: 2, name: 'deny-to-db', action: 'Deny' });
  assert.deepEqual(admin.policies[0]!.rules.map((r) => r.matched), [false, false, true]);
  assert.equal(admin.policies[0]!.kind, 'ClusterNetworkPolicy');
  // Without the CNP the same connection is allowed: the Deny made the difference.
  assert.equal(q(world([], [allowAllIngressDb]), web, pg, 5432).verdict, 'allow');
});

test('an egress Accept skips the NetworkPolicy layer for egress, but the destination ingress still decides (O, "Actions")', () => {
  const accept = cnp({ name: 'accept-db', priority: 1, subject: allProd, egress: [rule('Accept', [namespaces(nsSel('db'))])] });
  // prod denies all egress by NetworkPolicy: the Admin Accept overrides it.
  const v = q(world([accept], [denyAllEgressProd]), web, pg, 5432);
  assert.equal(v.egress.allowed, true);
  assert.equal(v.egress.decidedBy, 'Admin');
  assert.match(v.egress.reason, /Accept — final for egress/);
  assert.equal(v.verdict, 'allow');
  // db isolates ingress and allows nothing: the connection is denied at the destination.
  const w = q(world([accept], [denyAllEgressProd, denyAllIngressDb]), web, pg, 5432);
  assert.equal(w.egress.allowed, true);
  assert.equal(w.ingress.allowed, false);
  assert.equal(w.ingress.decidedBy, 'NetworkPolicy');
  assert.equal(w.verdict, 'deny');
});

test('an Admin Accept skips the Baseline tier for that direction too', () => {
  const accept = cnp({ name: 'accept-db', priority: 1, subject: allProd, egress: [rule('Accept', [namespaces(nsSel('db'))])] });
  const baselineDeny = cnp({ name: 'b-deny', tier: 'Baseline', subject: subjectNamespaces(sel()), egress: [rule('Deny', [namespaces(sel())])] });
  const v = q(world([accept, baselineDeny]), web, pg, 5432);
  assert.equal(v.verdict, 'allow');
  assert.equal(v.egress.tiers![1]!.reached, false);
  assert.equal(q(world([baselineDeny]), web, pg, 5432).verdict, 'deny', 'without the Accept the Baseline Deny decides');
});

test('tier traces point at the file and line of the policy and of each rule', () => {
  const lines: Record<string, number> = { 'metadata.name': 3, 'spec.egress[0]': 12 };
  const origin = { file: 'cnp.yaml', document: 0, locate: (path: string) => ({ line: lines[path] ?? 1, column: 1 }) };
  const policy = { ...cnp({ name: 'deny', subject: allProd, egress: [rule('Deny', [namespaces(sel())])] }), origin };
  const t = q(world([policy]), web, pg, 5432).egress.tiers![0]!.policies[0]!;
  assert.equal(t.file, 'cnp.yaml');
  assert.equal(t.line, 3);
  assert.equal(t.rules[0]!.line, 12);
});

test('ingress rules are evaluated at the destination pod and both directions must allow', () => {
  const guardDb = cnp({ name: 'guard-db', priority: 3, subject: subjectNamespaces(nsSel('db')), ingress: [rule('Deny', [namespaces(nsSel('prod'))])] });
  const c = world([guardDb]);
  const v = q(c, web, pg, 5432);
  assert.equal(v.egress.allowed, true);
  assert.equal(v.egress.decidedBy, 'default');
  assert.equal(v.ingress.allowed, false);
  assert.equal(v.ingress.decidedBy, 'Admin');
  assert.equal(v.verdict, 'deny');
  assert.equal(q(c, app, pg, 5432).verdict, 'allow', 'staging is not denied');
});

test('Pass skips the rest of the Admin tier and hands the connection to NetworkPolicy (O, "Actions": Pass)', () => {
  const pass = cnp({ name: 'delegate', priority: 5, subject: allProd, egress: [rule('Pass', [namespaces(nsSel('db'))])] });
  const denyAll = cnp({ name: 'deny-all', priority: 50, subject: allProd, egress: [rule('Deny', [namespaces(sel())])] });
  const v = q(world([pass, denyAll]), web, pg, 5432);
  assert.equal(v.verdict, 'allow', 'the lower-priority Deny is skipped; no NetworkPolicy, no Baseline: default allow');
  assert.equal(v.egress.decidedBy, 'default');
  assert.match(v.egress.reason, /Pass — skips the rest of the Admin tier/);
  assert.equal(v.egress.tiers![0]!.decided!.action, 'Pass');
  // Not passed (staging): the Deny applies.
  assert.equal(q(world([pass, denyAll]), web, app, 8080).verdict, 'deny');
  // Passed to a NetworkPolicy that denies egress: NetworkPolicy decides.
  const w = q(world([pass, denyAll], [denyAllEgressProd]), web, pg, 5432);
  assert.equal(w.verdict, 'deny');
  assert.equal(w.egress.decidedBy, 'NetworkPolicy');
});

test('ascending priority decides between Admin policies; inside a policy the first matching rule wins (T, Priority; Ingress/Egress order)', () => {
  const accept = (p: number) => cnp({ name: 'accept', priority: p, subject: allProd, egress: [rule('Accept', [namespaces(nsSel('db'))])] });
  const deny = (p: number) => cnp({ name: 'deny', priority: p, subject: allProd, egress: [rule('Deny', [namespaces(sel())])] });
  assert.equal(q(world([deny(20), accept(10)]), web, pg, 5432).verdict, 'allow');
  assert.equal(q(world([deny(10), accept(20)]), web, pg, 5432).verdict, 'deny');
  const ordered = (first: 'Accept' | 'Deny') => cnp({ name: 'one', priority: 1, subject: allProd, egress: first === 'Accept'
    ? [rule('Accept', [namespaces(nsSel('db'))]), rule('Deny', [namespaces(sel())])]
    : [rule('Deny', [namespaces(sel())]), rule('Accept', [namespaces(nsSel('db'))])] });
  assert.equal(q(world([ordered('Accept')]), web, pg, 5432).verdict, 'allow');
  assert.equal(q(world([ordered('Deny')]), web, pg, 5432).verdict, 'deny');
});

test('the Baseline tier applies only where no NetworkPolicy isolates the pod; NetworkPolicy overrides it (T, Tier)', () => {
  const baselineDeny = cnp({ name: 'default-deny', tier: 'Baseline', priority: 0, subject: subjectNamespaces(sel()), ingress: [rule('Deny', [namespaces(sel())])] });
  // No NetworkPolicy selects db/pg: the Baseline Deny decides.
  const v = q(world([baselineDeny]), web, pg, 5432);
  assert.equal(v.verdict, 'deny');
  assert.equal(v.ingress.decidedBy, 'Baseline');
  assert.match(v.ingress.reason, /Baseline: cnp\/default-deny priority 0, ingress rule 0 Deny — final/);
  // A NetworkPolicy that isolates db/pg and allows: it decides, the Baseline is never reached.
  const w = q(world([baselineDeny], [allowAllIngressDb]), web, pg, 5432);
  assert.equal(w.verdict, 'allow');
  assert.equal(w.ingress.decidedBy, 'NetworkPolicy');
  // A NetworkPolicy that isolates and allows nothing: denied even with a Baseline Accept.
  const baselineAccept = cnp({ name: 'default-accept', tier: 'Baseline', priority: 0, subject: subjectNamespaces(sel()), ingress: [rule('Accept', [namespaces(sel())])] });
  assert.equal(q(world([baselineAccept], [denyAllIngressDb]), web, pg, 5432).verdict, 'deny');
  // An Admin Pass reaches the Baseline when no NetworkPolicy selects the pod.
  const pass = cnp({ name: 'pass', priority: 0, subject: subjectNamespaces(sel()), ingress: [rule('Pass', [namespaces(sel())])] });
  const x = q(world([pass, baselineDeny]), web, pg, 5432);
  assert.equal(x.verdict, 'deny');
  assert.equal(x.ingress.decidedBy, 'Baseline');
  // A Baseline Pass or no match: default allow.
  const baselinePass = cnp({ name: 'b-pass', tier: 'Baseline', priority: 0, subject: subjectNamespaces(sel()), ingress: [rule('Pass', [namespaces(sel())])] });
  const y = q(world([baselinePass, cnp({ name: 'b-deny', tier: 'Baseline', priority: 1, subject: subjectNamespaces(sel()), ingress: [rule('Deny', [namespaces(sel())])] })]), web, pg, 5432);
  assert.equal(y.verdict, 'allow');
  assert.equal(y.ingress.decidedBy, 'default');
});

test('a CNP has no implicit isolation: a subject with no matching rule is allowed by default', () => {
  const c = world([cnp({ name: 'only-staging', subject: allProd, egress: [rule('Deny', [namespaces(nsSel('staging'))])] })]);
  const v = q(c, web, pg, 5432);
  assert.equal(v.verdict, 'allow');
  assert.equal(v.egress.decidedBy, 'default');
  assert.match(v.egress.reason, /Admin: no rule of cnp\/only-staging matches/);
});

test('networks 0.0.0.0/0 applies to pod-to-pod traffic (T, Networks)', () => {
  const c = world([cnp({ name: 'no-v4', subject: allProd, egress: [rule('Deny', [networks('0.0.0.0/0')])] })]);
  assert.equal(q(c, web, pg, 5432).verdict, 'deny');
  assert.equal(q(c, web, '203.0.113.5', 443).verdict, 'deny');
  assert.equal(q(c, web, '2001:db8::1', 443).verdict, 'allow', 'IPv6 is not in 0.0.0.0/0');
  // Defined by the API, not by the plugin: --ipblock-pods ignore does not stop networks matching pod IPs.
  assert.equal(q(c, web, pg, 5432, 'TCP', 'ignore').verdict, 'deny');
  // An external source is governed by no tier: only the destination's ingress counts.
  const ext = q(c, '203.0.113.5', web, 80);
  assert.equal(ext.verdict, 'allow');
  assert.equal(ext.egress.decidedBy, 'default');
  assert.match(ext.egress.reason, /no NetworkPolicy or tier policy governs its egress/);
});

test('a pod reaching its own pod IP is not subject to the tiers (O, hairpin paragraph)', () => {
  const c = world([cnp({ name: 'deny-everything', subject: allProd, egress: [rule('Deny', [namespaces(sel())])], ingress: [rule('Deny', [namespaces(sel())])] })]);
  const self = q(c, web, web, 80);
  assert.equal(self.verdict, 'allow');
  assert.ok(self.notes.some((n) => /own pod IP/.test(n)));
  assert.equal(q(c, web, pg, 5432).verdict, 'deny', 'the same policy denies other pods');
});

test('host-networked pods are never subjects: an Admin Deny on their namespace does not govern them', () => {
  const c = world([cnp({ name: 'deny-infra', subject: subjectNamespaces(nsSel('infra')), egress: [rule('Deny', [namespaces(sel())])] }),
    cnp({ name: 'deny-infra-pods', priority: 1, subject: subjectPods(nsSel('infra'), sel()), egress: [rule('Deny', [namespaces(sel())])] })]);
  const v = q(c, agent, pg, 5432);
  assert.equal(v.egress.allowed, true);
  assert.equal(v.egress.tiers![0]!.policies.length, 0);
  assert.match(v.egress.reason, /host-networked pods are never subjects/);
});

test('a tier Deny makes a verdict with a hostNetwork end certain; an Accept leaves the NetworkPolicy uncertainty of hostNetwork', () => {
  const n1 = { kind: 'Node' as const, name: 'n1', labels: { role: 'worker' }, addresses: ['192.168.0.10'] };
  const deny = cnp({ name: 'no-nodes', subject: allProd, egress: [rule('Deny', [nodes(sel({ role: 'worker' }))])] });
  const c = { ...world([deny]), nodes: [n1] };
  const v = q(c, web, agent, 10250, 'TCP', 'depends');
  assert.equal(v.verdict, 'deny');
  assert.equal(v.depends.length, 0);
  assert.equal(v.egress.decidedBy, 'Admin');
  const accept = cnp({ name: 'to-nodes', subject: allProd, egress: [rule('Accept', [nodes(sel({ role: 'worker' }))])] });
  const w = q({ ...world([accept]), nodes: [n1] }, web, agent, 10250, 'TCP', 'depends');
  assert.equal(w.egress.allowed, true);
  assert.equal(w.verdict, 'depends', 'NetworkPolicy behaviour at a hostNetwork destination is undefined');
  assert.match(w.depends[0]!.reason, /hostNetwork/);
});

test('equal priority with different actions: name order in match mode with a depends note naming both; DEPENDS under --ipblock-pods depends (T, Priority)', () => {
  const a = cnp({ name: 'a-accept', priority: 7, subject: allProd, egress: [rule('Accept', [namespaces(nsSel('db'))])] });
  const b = cnp({ name: 'b-deny', priority: 7, subject: allProd, egress: [rule('Deny', [namespaces(sel())])] });
  const c = world([b, a]);
  const v = q(c, web, pg, 5432);
  assert.equal(v.verdict, 'allow', 'cnp/a-accept comes first by name');
  assert.deepEqual(v.egress.tiers![0]!.ties, [{ priority: 7, policies: ['cnp/a-accept', 'cnp/b-deny'], actions: ['Accept', 'Deny'] }]);
  assert.equal(v.depends.length, 1);
  assert.match(v.depends[0]!.reason, /cnp\/a-accept and cnp\/b-deny share priority 7/);
  assert.ok(v.notes.some((n) => /cnp\/a-accept and cnp\/b-deny share priority 7/.test(n)));
  const d = q(c, web, pg, 5432, 'TCP', 'depends');
  assert.equal(d.verdict, 'depends');
  assert.equal(d.egress.allowed, 'depends');
  // Renamed so the Deny sorts first: the match-mode answer flips, proving the order is by name.
  const flipped = world([cnp({ ...b, name: 'a-deny' }), cnp({ ...a, name: 'b-accept' })]);
  assert.equal(q(flipped, web, pg, 5432).verdict, 'deny');
  // Same priority but only one matches (staging is not db): no tie, no depends.
  const w = q(c, web, app, 8080);
  assert.equal(w.verdict, 'deny');
  assert.equal(w.depends.length, 0);
  assert.equal(w.egress.tiers![0]!.ties, undefined);
});

test('equal priority with the same action is no tie', () => {
  const c = world([cnp({ name: 'x', priority: 7, subject: allProd, egress: [rule('Deny', [namespaces(sel())])] }),
    cnp({ name: 'y', priority: 7, subject: allProd, egress: [rule('Deny', [namespaces(nsSel('db'))])] })]);
  const v = q(c, web, pg, 5432, 'TCP', 'depends');
  assert.equal(v.verdict, 'deny');
  assert.equal(v.egress.tiers![0]!.ties, undefined);
});

test('networks against a pod without an IP: DEPENDS under --ipblock-pods depends, a named depends note otherwise', () => {
  const c = world([cnp({ name: 'deny-net', subject: subjectNamespaces(sel()), ingress: [rule('Deny', [networks('10.0.0.0/8')])] })]);
  const d = q(c, noIp, pg, 5432, 'TCP', 'depends');
  assert.equal(d.verdict, 'depends');
  assert.match(d.ingress.reason, /Admin: depends: cnp\/deny-net .*no IP/);
  const m = q(c, noIp, pg, 5432);
  assert.equal(m.verdict, 'allow');
  assert.equal(m.depends.length, 1);
  assert.match(m.depends[0]!.reason, /ingress at db\/pg: .*cnp\/deny-net/);
  // With an IP, certain.
  assert.equal(q(c, web, pg, 5432, 'TCP', 'depends').verdict, 'deny');
});

test('domainNames Accept before a Deny: DEPENDS for an external address in depends mode, falls through to the Deny otherwise', () => {
  const c = world([cnp({ name: 'fqdn', subject: allProd, egress: [rule('Accept', [domains('api.example.com')]), rule('Deny', [networks('0.0.0.0/0')])] })]);
  assert.equal(q(c, web, '203.0.113.9', 443, 'TCP', 'depends').verdict, 'depends');
  const m = q(c, web, '203.0.113.9', 443);
  assert.equal(m.verdict, 'deny');
  assert.equal(m.depends.length, 1);
  assert.match(m.depends[0]!.reason, /DNS/);
  // A pod destination is not selected by the name: the Deny applies with certainty.
  assert.equal(q(c, web, pg, 5432, 'TCP', 'depends').verdict, 'deny');
});

test('named ports of a tier rule resolve on the destination pod', () => {
  const c = world([cnp({ name: 'deny-http', subject: subjectNamespaces(sel()), ingress: [rule('Deny', [namespaces(sel())], [tcp('http')])] })]);
  assert.equal(q(c, pg, web, 80).verdict, 'deny', 'prod/web http = 80');
  assert.equal(q(c, pg, app, 8080).verdict, 'deny', 'staging/app http = 8080');
  assert.equal(q(c, pg, app, 80).verdict, 'allow');
  assert.equal(q(c, pg, web, 80, 'UDP').verdict, 'allow');
});

test('v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy speak their own words in traces', () => {
  const anp = cnp({ name: 'allow-dns', kind: 'AdminNetworkPolicy', priority: 3, subject: allProd, egress: [{ action: 'Accept', actionWritten: 'Allow', peers: [namespaces(nsSel('db'))] }] });
  const banp = cnp({ name: 'default', kind: 'BaselineAdminNetworkPolicy', subject: subjectNamespaces(sel()), egress: [rule('Deny', [namespaces(sel())])] });
  const c = world([anp, banp]);
  const v = q(c, web, pg, 5432);
  assert.equal(v.verdict, 'allow');
  assert.match(v.egress.reason, /^Admin: anp\/allow-dns priority 3, egress rule 0 Allow — final for egress/);
  const w = q(c, web, app, 8080);
  assert.equal(w.verdict, 'deny');
  assert.match(w.egress.reason, /Baseline: banp\/default priority 0, egress rule 0 Deny — final/);
});

test('clusters without tier policies give exactly the traces they gave before', () => {
  const policies = [denyAllEgressProd, allowAllIngressDb];
  const base = cluster({ namespaces: NS, pods: PODS, policies });
  for (const extra of [{ clusterPolicies: [] as ClusterPolicy[] }, {}]) {
    const c: Cluster = { ...base, ...extra };
    for (const [f, t, p] of [[web, pg, 5432], [app, pg, 5432], [pg, web, 80], [noIp, '10.9.9.9', 1]] as const) {
      const v = q(c, f, t, p, 'TCP', 'depends');
      assert.equal(v.egress.tiers, undefined);
      assert.equal(v.egress.decidedBy, undefined);
      assert.deepEqual(v, q(base, f, t, p, 'TCP', 'depends'));
    }
  }
});

test('the class engine evaluates tier policies as the Evaluator does (issue 11; it used to refuse them)', () => {
  const c = world([cnp({ name: 'x', subject: allProd, egress: [rule('Deny', [namespaces(sel())])] })]);
  const m = computeMatrix(c, [{ port: 80, protocol: 'TCP' }]);
  const ev = new Evaluator(c);
  let denied = 0;
  m.pods.forEach((from, i) => m.pods.forEach((to, j) => {
    const f = c.pods.find((p) => `${p.namespace}/${p.name}` === from)!, t = c.pods.find((p) => `${p.namespace}/${p.name}` === to)!;
    const want = ev.allowed({ from: { kind: 'pod', pod: f }, to: { kind: 'pod', pod: t }, port: 80, protocol: 'TCP' });
    assert.equal(m.probes[0]!.rows[i]![j] === '1', want, `${from} -> ${to}`);
    if (!want) denied++;
  }));
  assert.ok(denied > 0, 'the Admin Deny closes something');
});

test('Evaluator.allowed agrees with evaluate() on tier verdicts', () => {
  const c = world([
    cnp({ name: 'p', priority: 1, subject: allProd, egress: [rule('Pass', [namespaces(nsSel('db'))])] }),
    cnp({ name: 'd', priority: 2, subject: subjectNamespaces(sel()), egress: [rule('Deny', [namespaces(nsSel('staging'))])], ingress: [rule('Accept', [namespaces(nsSel('prod'))])] }),
    cnp({ name: 'b', tier: 'Baseline', subject: subjectNamespaces(sel()), ingress: [rule('Deny', [namespaces(sel())])] }),
  ], [denyAllIngressDb]);
  let allowed = 0;
  for (const f of PODS) for (const t of PODS) for (const mode of ['match', 'depends'] as const) {
    const e = new Evaluator(c, { ipBlockPods: mode });
    const conn = { from: { kind: 'pod' as const, pod: f }, to: { kind: 'pod' as const, pod: t }, port: 80, protocol: 'TCP' as const };
    const v = e.evaluate(conn);
    assert.equal(e.allowed(conn), v.allowed === true, `${f.name} -> ${t.name} ${mode}`);
    if (v.allowed === true) allowed++;
  }
  assert.ok(allowed > 0 && allowed < PODS.length * PODS.length * 2);
});

test('fail closed is per rule: a Pass rule with an unknown peer denies all; an Accept rule with one matches nothing even when another peer would (T, ClusterNetworkPolicyEgressPeer)', () => {
  const passUnknown = cnp({ name: 'pass-unknown', priority: 1, subject: allProd, egress: [rule('Pass', [namespaces(sel()), { kind: 'unknown', field: 'services' }], [tcp(9999)])] });
  const v = q(world([passUnknown]), web, pg, 5432);
  assert.equal(v.allowed, false, 'a Pass rule with an unknown peer acts as "Deny all", whatever its ports');
  assert.equal(v.egress.decidedBy, 'Admin');
  const rt = v.egress.tiers![0]!.policies[0]!.rules[0]!;
  assert.equal(rt.action, 'Deny');
  assert.equal(rt.actionWritten, 'Pass');
  const acceptUnknown = cnp({ name: 'accept-unknown', priority: 1, subject: allProd, egress: [rule('Accept', [namespaces(sel()), { kind: 'unknown', field: 'services' }])] });
  const denyAll = np('prod', 'deny-egress', sel(), ['Egress']);
  assert.equal(q(world([acceptUnknown], [denyAll]), web, pg, 5432).allowed, false, 'the Accept rule must not match through its known peer');
});
