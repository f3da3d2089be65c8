// query text/JSON and explain for tier policies: the tier steps are shown, in order, and every
// name from a manifest reaches the terminal escaped (src/render/escape.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { explainClusterPolicies } from '../../src/analysis/explain/tiers.js';
import { renderTierExplainText } from '../../src/render/explain.js';
import { renderVerdictText } from '../../src/render/verdict.js';
import { safeJson } from '../../src/render/escape.js';
import type { Cluster } from '../../src/model/types.js';
import { cluster, cnp, cport, namespaces, networks, nodes, np, ns, nsSel, pod, pods, rule, sel, subjectNamespaces, subjectPods, tcp } from './tier-builders.js';

const web = pod('prod', 'web', { app: 'web' }, ['10.0.0.1'], { ports: [cport('http', 80)] });
const pg = pod('db', 'pg', { app: 'pg' }, ['10.0.2.1'], { ports: [cport('pg', 5432)] });
const api = pod('prod', 'api', { app: 'api' }, ['10.0.0.2']);

function world(): Cluster {
  return cluster({
    namespaces: [ns('prod', { env: 'prod' }), ns('db', { env: 'db' })],
    pods: [web, pg, api],
    policies: [np('db', 'allow-prod', sel(), ['Ingress'], { ingress: [[{ namespaceSelector: sel({ env: 'prod' }) }]] })],
    clusterPolicies: [
      cnp({ name: 'deny-staging', priority: 10, subject: subjectNamespaces(sel({ env: 'prod' })), egress: [
        rule('Pass', [namespaces(nsSel('kube-system'))]),
        rule('Accept', [pods(nsSel('db'), sel({ app: 'cache' }))]),
        rule('Deny', [pods(nsSel('db'), sel({ app: 'pg' }))], [tcp(5432)], 'deny-to-db'),
      ] }),
      cnp({ name: 'pass-web', priority: 2, subject: subjectPods(nsSel('prod'), sel({ app: 'web' })), egress: [rule('Pass', [networks('10.0.2.0/24')])] }),
      cnp({ name: 'baseline', tier: 'Baseline', priority: 100, subject: subjectNamespaces(sel()), ingress: [rule('Deny', [namespaces(sel())])] }),
    ],
  });
}

test('query text walks the tiers: reason, each policy with its rules and actions, the layer that decided', () => {
  const v = new Evaluator(world()).evaluate({ from: { kind: 'pod', pod: api }, to: { kind: 'pod', pod: pg }, port: 5432, protocol: 'TCP' });
  const text = renderVerdictText(v);
  assert.match(text, /^prod\/api -> db\/pg 5432\/TCP: DENY/);
  assert.match(text, /EGRESS at prod\/api: denied \(decided by Admin\)/);
  assert.match(text, /Admin: cnp\/deny-staging priority 10, egress rule 2 'deny-to-db' Deny — final/);
  assert.match(text, /Admin tier: decided by cnp\/deny-staging egress rule 2 \(Deny\)/);
  assert.match(text, /ClusterNetworkPolicy cnp\/deny-staging priority 10\n {6}spec\.egress\[0\] Pass: no match/);
  assert.match(text, /spec\.egress\[2\] 'deny-to-db' Deny: matches - peer 0: pod db\/pg matches pods app=pg/);
  assert.match(text, /Baseline tier: not reached \(an earlier layer decided\)\n {4}ClusterNetworkPolicy cnp\/baseline/);
  assert.match(text, /INGRESS at db\/pg: allowed \(decided by NetworkPolicy\)/);
  assert.match(text, /NetworkPolicy layer:\n {2}policy db\/allow-prod/);
  // Baseline shown after the NetworkPolicy layer, in tier order.
  const ingress = text.slice(text.indexOf('INGRESS'));
  assert.ok(ingress.indexOf('Admin tier') < ingress.indexOf('NetworkPolicy layer') && ingress.indexOf('NetworkPolicy layer') < ingress.indexOf('Baseline tier'));
});

test('query JSON carries the tier steps as a compatible extension of the direction trace', () => {
  const v = new Evaluator(world()).evaluate({ from: { kind: 'pod', pod: web }, to: { kind: 'pod', pod: pg }, port: 5432, protocol: 'TCP' });
  const json = JSON.parse(safeJson(v)) as Record<string, any>;
  // Existing fields unchanged in shape.
  for (const k of ['direction', 'pod', 'isolated', 'allowed', 'policies', 'reason']) assert.ok(k in json.egress, k);
  assert.equal(json.egress.decidedBy, 'default');
  assert.deepEqual(json.egress.tiers.map((t: any) => t.tier), ['Admin', 'Baseline']);
  const admin = json.egress.tiers[0];
  assert.deepEqual(admin.policies.map((p: any) => [p.policy, p.kind, p.priority]), [['cnp/pass-web', 'ClusterNetworkPolicy', 2], ['cnp/deny-staging', 'ClusterNetworkPolicy', 10]]);
  assert.deepEqual(admin.decided, { policy: 'cnp/pass-web', rule: 0, action: 'Pass' });
  assert.deepEqual(Object.keys(admin.policies[0].rules[0]).sort(), ['action', 'index', 'matched', 'path', 'peer', 'why'].sort());
  assert.equal(json.egress.tiers[1].reached, undefined, 'egress reaches the Baseline tier');
  assert.equal(json.ingress.tiers[1].reached, false, 'NetworkPolicy decided ingress first');
  assert.match(renderVerdictText(v), /cnp\/deny-staging priority 10 - not reached/);
  assert.equal(v.verdict, 'allow', 'web passes to NetworkPolicy, whose egress is not isolated; db/pg ingress allowed by NetworkPolicy');
});

test('names from manifests are escaped in query text and explain text', () => {
  const evil = 'x\u001b[31mred\u202e';
  const c = world();
  const c2: Cluster = { ...c, clusterPolicies: [cnp({ name: evil, priority: 1, subject: subjectNamespaces(sel()), egress: [rule('Deny', [namespaces(sel())], [], evil)] })] };
  const text = renderVerdictText(new Evaluator(c2).evaluate({ from: { kind: 'pod', pod: web }, to: { kind: 'pod', pod: pg }, port: 5432, protocol: 'TCP' }));
  assert.ok(!text.includes('\u001b') && !text.includes('\u202e'));
  assert.match(text, /cnp\/x\\x1b\[31mred\\u202e/);
  const explained = renderTierExplainText(explainClusterPolicies(c2));
  assert.ok(!explained.includes('\u001b') && !explained.includes('\u202e'));
  assert.match(explained, /cnp\/x\\x1b\[31mred\\u202e/);
});

test('explain: every tier policy in evaluation order, its place, subject pods, rules with actions and peer pods, and ties', () => {
  const c = world();
  const tie = cnp({ name: 'also-10', priority: 10, subject: subjectNamespaces(sel()), egress: [rule('Accept', [nodes(sel({ role: 'dns' }))])] });
  const list = explainClusterPolicies({ ...c, clusterPolicies: [...c.clusterPolicies!, tie] });
  assert.deepEqual(list.map((e) => [e.policy, e.tier, e.position, e.of]), [
    ['cnp/pass-web', 'Admin', 1, 3], ['cnp/also-10', 'Admin', 2, 3], ['cnp/deny-staging', 'Admin', 3, 3], ['cnp/baseline', 'Baseline', 1, 1],
  ]);
  const deny = list.find((e) => e.policy === 'cnp/deny-staging')!;
  assert.deepEqual(deny.pods, ['prod/web', 'prod/api']);
  assert.deepEqual(deny.samePriority, ['cnp/also-10']);
  assert.deepEqual(deny.rules[2]!.peers[0]!.pods, ['db/pg']);
  const text = renderTierExplainText(list);
  assert.match(text, /ClusterNetworkPolicy cnp\/deny-staging\n {2}order: {6}Admin tier, priority 10: 3rd of 3 in the Admin tier/);
  assert.match(text, /TIE: {8}same priority as cnp\/also-10/);
  assert.match(text, /place: {6}Admin tier: checked before every NetworkPolicy/);
  assert.match(text, /rule 2 'deny-to-db' \(spec\.egress\[2\]\): DENY \(final\) to pods labelled app=pg in namespace db, on TCP 5432/);
  assert.match(text, /ingress: no rules: this policy does not affect ingress/);
  assert.match(text, /place: {6}Baseline tier: checked only for pods that no NetworkPolicy isolates/);
  assert.match(text, /applies to: every pod in every namespace \(host-networked pods excluded\) {2}\[3 pods/);
});

test('a tie that decides the verdict is shown as a depends reason with a hint to fix it', () => {
  const c = world();
  const tied: Cluster = { ...c, clusterPolicies: [
    cnp({ name: 'a', priority: 4, subject: subjectNamespaces(sel()), egress: [rule('Accept', [namespaces(sel())])] }),
    cnp({ name: 'b', priority: 4, subject: subjectNamespaces(sel()), egress: [rule('Deny', [namespaces(sel())])] }),
  ] };
  const conn = { from: { kind: 'pod' as const, pod: web }, to: { kind: 'pod' as const, pod: api }, port: 80, protocol: 'TCP' as const };
  const text = renderVerdictText(new Evaluator(tied, { ipBlockPods: 'depends' }).evaluate(conn));
  assert.match(text, /: DEPENDS\n/);
  assert.match(text, /tie: cnp\/a and cnp\/b share priority 4 \(Accept vs Deny\): implementation-defined/);
  assert.match(text, /give them distinct priorities/);
  const untied = renderVerdictText(new Evaluator({ ...c, clusterPolicies: [tied.clusterPolicies![0]!] }, { ipBlockPods: 'depends' }).evaluate(conn));
  assert.doesNotMatch(untied, /distinct priorities|tie:/);
});
