import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { lintCluster, lintWithFixes, LINT_RULES } from '../../src/analysis/lint/index.js';
import type { Cluster } from '../../src/model/types.js';
import { loadSources } from '../../src/index.js';
import { FIX, load } from './helpers.js';

const ids = LINT_RULES.map((r) => r.id).sort();
const yamls = (dir: string) => readdirSync(`${FIX}/${dir}`).filter((f) => !f.startsWith('_') && f.endsWith('.yaml')).sort();
const positives = yamls('lint');
const cleans = yamls('lint-clean-rules');
const BASE = 'test/analysis/fixtures/lint/_base.yaml';
const positive = (id: string) => load(BASE, `test/analysis/fixtures/lint/${id}.yaml`).cluster;

test('every lint rule has a positive fixture, and each fixture triggers exactly its own rule', () => {
  assert.deepEqual(positives.map((f) => f.replace('.yaml', '')), ids);
  for (const f of positives) {
    const id = f.replace('.yaml', '');
    const rule = LINT_RULES.find((r) => r.id === id)!;
    const diags = lintCluster(positive(id));
    assert.ok(diags.length > 0, `${id}: no finding`);
    assert.deepEqual([...new Set(diags.map((d) => d.rule))], [id], `${f}: ${diags.map((d) => d.rule).join(', ')}`);
    for (const d of diags) {
      assert.equal(d.severity, rule.severity, `${id}: ${d.message}`);
      assert.equal(d.type, 'Lint');
      assert.equal(d.file, `test/analysis/fixtures/lint/${f}`);
      assert.ok(d.line > 1 && d.hint && d.path !== undefined, `${id}: needs line, path and hint`);
    }
  }
});

test('every lint rule has a clean fixture (the near miss), and lint is silent on each', () => {
  assert.deepEqual(cleans.map((f) => f.replace('.yaml', '')), ids);
  for (const f of cleans) {
    const diags = lintCluster(load(BASE, `test/analysis/fixtures/lint-clean-rules/${f}`).cluster);
    assert.deepEqual(diags.map((d) => `${d.rule}: ${d.message}`), [], f);
  }
});

test('lint is silent on the clean fixture and on the multi-team example', () => {
  assert.deepEqual(lintCluster(load('test/analysis/fixtures/lint-clean').cluster), []);
  assert.deepEqual(lintCluster(load('examples/multi-team').cluster), []);
});

/** Findings as comparable keys: rule, object and severity (paths move when rules are merged or deleted). */
const keys = (c: Cluster, opts = {}) => lintCluster(c, opts).map((d) => `${d.rule} ${d.severity} ${d.object}`);

/** Apply every suggested fix of `id`'s findings, one at a time; nothing new may appear. */
function checkFixes(id: string, cluster: Cluster, opts = {}): number {
  const before = keys(cluster, opts);
  let applied = 0;
  for (const { diagnostic: d, fix } of lintWithFixes(cluster, opts)) {
    if (d.rule !== id || !fix) continue;
    applied++;
    const after = keys(fix(cluster), opts);
    const mine = (l: string[]) => l.filter((k) => k.startsWith(`${id} `)).length;
    assert.ok(mine(after) < mine(before), `${id}: the fix of "${d.message}" did not silence it`);
    const added = after.filter((k) => !k.startsWith(`${id} `) && !before.includes(k));
    assert.deepEqual(added, [], `${id}: applying the fix of "${d.message}" made other rules fire`);
  }
  return applied;
}

test('applying a rule\'s suggested fix to its positive fixture silences it and makes no other rule fire', () => {
  const withFix: string[] = [];
  for (const id of ids) if (checkFixes(id, positive(id)) > 0) withFix.push(id);
  // Rules whose hint is a concrete edit must offer it; the others give advice only.
  assert.deepEqual(withFix, [
    'egress-blocks-dns', 'empty-list-allows-all', 'empty-rules-list', 'ipblock-whole-internet', 'ipv4-any-without-ipv6',
    'named-port-undeclared', 'namespace-selector-names-app', 'peer-and-probably-or', 'peer-or-probably-and',
    'podselector-omitted', 'policytypes-empty', 'policytypes-ignores-rules', 'port-of-wrong-side', 'redundant-rule',
    'rule-split-in-two', 'selector-matches-missing-key', 'service-port-not-target-port',
  ]);
});

/** The base world of an app repo: no kube-system namespace, no DNS pod. */
function withoutKubeSystem(c: Cluster): Cluster {
  return { ...c, namespaces: c.namespaces.filter((n) => n.name !== 'kube-system'), pods: c.pods.filter((p) => p.namespace !== 'kube-system') };
}

test('the DNS fix does not trip peer-matches-nothing when kube-system is not in the input (the 480-warnings case)', () => {
  const c = withoutKubeSystem(positive('egress-blocks-dns'));
  assert.deepEqual(keys(c), ['egress-blocks-dns warning NetworkPolicy prod/api']);
  for (const mode of ['match', 'ignore', 'depends'] as const) assert.equal(checkFixes('egress-blocks-dns', c, { ipBlockPods: mode }), 1);
  const fixed = lintWithFixes(c)[0]!.fix!(c);
  assert.deepEqual(lintCluster(fixed), []);
});

/** A policy isolating prod/api egress with one extra egress rule. */
function apiEgress(extra: Cluster['policies'][number]['egress'][number], base = positive('egress-blocks-dns')): Cluster {
  const p = base.policies[0]!;
  return { ...base, policies: [{ ...p, egress: [...p.egress, extra] }] };
}
const rule = (peers: Cluster['policies'][number]['egress'][number]['peers'], ports = [53]) => ({
  path: 'spec.egress[1]',
  peers,
  ports: ports.map((port, i) => ({ protocol: 'UDP' as const, port, path: `spec.egress[1].ports[${i}]` })),
});
const ipBlock = (cidr: string, except: string[] = []) => ({ path: 'spec.egress[1].to[0]', ipBlock: { cidr, except } });
const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] });
const dns = (c: Cluster, ipBlockPods?: 'match' | 'ignore' | 'depends') =>
  lintCluster(c, ipBlockPods ? { ipBlockPods } : {}).filter((d) => d.rule === 'egress-blocks-dns');

test('egress-blocks-dns: egress to 0.0.0.0/0 on 53 reaches DNS; the verdict follows --ipblock-pods', () => {
  for (const base of [positive('egress-blocks-dns'), withoutKubeSystem(positive('egress-blocks-dns'))]) {
    const c = apiEgress(rule([ipBlock('0.0.0.0/0')]), base);
    assert.deepEqual(dns(c), [], 'match: the DNS pod is in 0.0.0.0/0 whatever its IP');
    const ignore = dns(c, 'ignore');
    assert.equal(ignore.length, 1);
    assert.equal(ignore[0]!.severity, 'warning');
    assert.match(ignore[0]!.message, /--ipblock-pods ignore\): name lookups will fail/);
    const depends = dns(c, 'depends');
    assert.equal(depends.length, 1);
    assert.equal(depends[0]!.severity, 'info');
    assert.match(depends[0]!.message, /depends \(with --ipblock-pods depends\)/);
    assert.doesNotMatch(depends[0]!.message, /will fail/);
  }
});

test('egress-blocks-dns: an ipBlock that covers only some addresses depends on the DNS pods\' IPs', () => {
  const c = apiEgress(rule([ipBlock('10.0.0.0/8')]));
  const d = dns(c);
  assert.equal(d.length, 1);
  assert.equal(d[0]!.severity, 'info');
  assert.match(d[0]!.message, /no IP for kube-system\/coredns/);
  // With the DNS pod's IP in the input, the answer is certain either way.
  const withIp = (ip: string): Cluster => ({ ...c, pods: c.pods.map((p) => (p.name === 'coredns' ? { ...p, ips: [ip] } : p)) });
  assert.deepEqual(dns(withIp('10.96.0.10')), []);
  assert.equal(dns(withIp('172.20.0.10'))[0]!.severity, 'warning');
  assert.equal(dns(withIp('10.96.0.10'), 'ignore')[0]!.severity, 'warning');
});

test('egress-blocks-dns accepts the usual forms of a DNS rule when the input has no DNS pod', () => {
  const app = withoutKubeSystem(positive('egress-blocks-dns'));
  const forms = {
    'kube-system by name only': rule([{ path: 'x', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }) }]),
    'k8s-app=kube-dns in any namespace': rule([{ path: 'x', namespaceSelector: sel({}), podSelector: sel({ 'k8s-app': 'kube-dns' }) }]),
    'the CoreDNS chart label': rule([{ path: 'x', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'app.kubernetes.io/name': 'coredns' }) }]),
    'k8s-app=coredns': rule([{ path: 'x', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'coredns' }) }]),
    'OpenShift DNS': rule([{ path: 'x', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'openshift-dns' }), podSelector: sel({ 'dns.operator.openshift.io/daemonset-dns': 'default' }) }]),
    'NodeLocal DNSCache': rule([ipBlock('169.254.20.10/32')]),
    'port 53 to anyone': rule([]),
  };
  for (const [name, r] of Object.entries(forms)) assert.deepEqual(dns(apiEgress(r, app)), [], name);
  // Not DNS: port 53 to the database, or another port to kube-system.
  assert.equal(dns(apiEgress(rule([{ path: 'x', podSelector: sel({ role: 'db' }) }]), app)).length, 1);
  assert.equal(dns(apiEgress(rule([{ path: 'x', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }) }], [5353]), app)).length, 1);
});

test('peer-matches-nothing: a namespace absent from the input is fine, a near-miss of one present is not', () => {
  const base = positive('peer-matches-nothing');
  const p = base.policies[0]!;
  const only = (ns: string): Cluster => ({ ...base, policies: [{ ...p, ingress: [{ path: 'spec.ingress[0]', ports: [],
    peers: [{ path: 'spec.ingress[0].from[0]', namespaceSelector: sel({ 'kubernetes.io/metadata.name': ns }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }] }] }] });
  assert.deepEqual(lintCluster(only('monitoring')), []);
  const typo = lintCluster(only('kube-sytem'));
  assert.deepEqual(typo.map((d) => [d.rule, d.hint]), [['peer-matches-nothing', 'did you mean "kube-system"?']]);
});

test('the loader records how "nothing" was written: absent, null or empty (NetworkPolicy.written)', () => {
  const doc = (spec: string) => loadSources([{ file: 'x.yaml', text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: prod}
${spec}` }]).cluster.policies[0]!.written ?? {};
  assert.deepEqual(doc('spec: {}'), { spec: 'empty', 'spec.podSelector': 'absent' });
  assert.deepEqual(doc('spec:'), { spec: 'null', 'spec.podSelector': 'absent' });
  assert.deepEqual(doc(''), { spec: 'absent', 'spec.podSelector': 'absent' });
  assert.deepEqual(doc('spec:\n  podSelector: {}\n  policyTypes: []\n  ingress:\n  egress: []'),
    { 'spec.policyTypes': 'empty', 'spec.ingress': 'null', 'spec.egress': 'empty' });
  assert.deepEqual(doc('spec:\n  podSelector:\n  ingress:\n  - from: []\n    ports:\n  - from: [{podSelector: {}}]\n    ports: [{port: 80}]'),
    { 'spec.podSelector': 'null', 'spec.ingress[0].from': 'empty', 'spec.ingress[0].ports': 'null' });
  // Written normally: nothing recorded, and the verdict-relevant model is the same either way.
  assert.deepEqual(doc('spec:\n  podSelector: {matchLabels: {a: b}}\n  ingress:\n  - ports: [{port: 80}]'), {});
});

test('empty lists say what they mean', () => {
  const rules = lintCluster(positive('empty-rules-list')).map((d) => [d.object, d.path, d.message]);
  assert.equal(rules.length, 2);
  assert.match(rules[0]![2]!, /`egress: \[\]` holds no rule, and policyTypes \[Ingress\] \(defaulted.*denies nothing/);
  assert.match(rules[1]![2]!, /`ingress:` with no value \(null\).*denies ALL ingress/);
  assert.match(lintCluster(positive('policytypes-empty'))[0]!.message, /sets policyTypes to \[Ingress\]/);
  assert.match(lintCluster(positive('empty-list-allows-all'))[0]!.message, /allows every source.*, on TCP 3306 — not "nobody"/);
  const omitted = lintCluster(positive('podselector-omitted')).map((d) => d.message);
  assert.match(omitted[0]!, /every pod in namespace prod \(3 pods in the input\) and allows only the ingress its 1 rule allows; egress is not affected/);
  assert.match(omitted[1]!, /spec is empty: .* denies all ingress to every pod of staging; egress is not affected/);
});

test('selector-matches-missing-key: a warning names the pods without the key; DoesNotExist and key-less inputs are info', () => {
  const c = positive('selector-matches-missing-key');
  assert.match(lintCluster(c)[0]!.message, /notin \(web\) also matches pods that have no app label at all: prod\/db/);
  const p = c.policies[0]!;
  const withSel = (matchExpressions: Cluster['policies'][number]['podSelector']['matchExpressions']): Cluster =>
    ({ ...c, policies: [{ ...p, ingress: [{ ...p.ingress[0]!, peers: [{ path: 'spec.ingress[0].from[0]', podSelector: { matchLabels: {}, matchExpressions } }] }] }] });
  const notExist = lintCluster(withSel([{ key: 'role', operator: 'DoesNotExist', values: [] }])).filter((d) => d.rule === 'selector-matches-missing-key');
  assert.deepEqual(notExist.map((d) => d.severity), ['info']);
  // Every namespace carries kubernetes.io/metadata.name: nothing lacks the key today.
  const noVictim = lintCluster({ ...c, policies: [{ ...p, ingress: [{ ...p.ingress[0]!, peers: [{ path: 'spec.ingress[0].from[0]',
    namespaceSelector: { matchLabels: {}, matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['staging'] }] } }] }] }] })
    .filter((d) => d.rule === 'selector-matches-missing-key');
  assert.deepEqual(noVictim.map((d) => [d.severity, d.path]), [['info', 'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0]']]);
});

test('namespace-selector-empty: info on egress', () => {
  const c = positive('namespace-selector-empty');
  const p = c.policies[0]!;
  const egress: Cluster = { ...c, policies: [{ ...p, policyTypes: ['Egress'], ingress: [], egress: [{ path: 'spec.egress[0]', ports: [], peers: [{ path: 'spec.egress[0].to[0]', namespaceSelector: sel({}) }] }] }] };
  assert.deepEqual(lintCluster(egress).map((d) => [d.rule, d.severity]), [['namespace-selector-empty', 'info']]);
});

test('lint points at the exact field: line and path per rule', () => {
  const at = (f: string) => lintCluster(positive(f)).map((d) => `${d.line}:${d.path}`);
  assert.deepEqual(at('peer-or-probably-and'), ['10:spec.ingress[0].from[1]']);
  assert.deepEqual(at('redundant-rule'), ['10:spec.ingress[1]']);
  assert.deepEqual(at('peer-matches-nothing'), ['9:spec.ingress[0].from[0].podSelector', '10:spec.ingress[0].from[1].namespaceSelector']);
  assert.deepEqual(at('policytypes-ignores-rules'), ['10:spec.egress']);
  assert.deepEqual(at('named-port-undeclared'), ['9:spec.ingress[0].ports[0].port']);
  assert.deepEqual(at('empty-list-allows-all'), ['9:spec.ingress[0].from']);
  assert.deepEqual(at('rule-split-in-two'), ['9:spec.ingress[1]']);
  assert.deepEqual(at('selector-matches-missing-key'), ['10:spec.ingress[0].from[0].podSelector.matchExpressions[0]']);
  assert.deepEqual(at('ipv4-any-without-ipv6'), ['9:spec.ingress[0].from[0].ipBlock.cidr']);
  assert.deepEqual(at('endport-depends-on-plugin'), ['9:spec.ingress[0].ports[0].endPort']);
});

test('the built-in example isolates the DB\'s egress without DNS: a true finding', () => {
  const diags = lintCluster(load('examples/db-protection').cluster);
  assert.deepEqual(diags.map((d) => [d.rule, d.file, d.line, d.path]), [['egress-blocks-dns', 'examples/db-protection/db-policy.yaml', 12, 'spec.policyTypes']]);
  assert.match(diags[0]!.message, /prod\/db-0/);
});

test('the one-dash mistake of the broken example is flagged (reference §7.19)', () => {
  const r = load('examples/db-protection/namespaces.yaml', 'examples/db-protection/workloads.yaml', 'examples/db-protection-broken/3-dash-makes-or.yaml');
  const diags = lintCluster(r.cluster);
  assert.deepEqual(diags.map((d) => [d.rule, d.line]), [['peer-or-probably-and', 21]]);
});

test('redundancy accounts for other policies: a namespace-wide allow shadows a narrower one', () => {
  const r = load(BASE, 'test/analysis/fixtures/lint-clean/policies.yaml');
  // Add a policy that allows everything into prod on 3306: the db policy's rule becomes redundant.
  const wide = { ...r.cluster.policies.find((p) => p.name === 'db')!, name: 'wide', podSelector: { matchLabels: {}, matchExpressions: [] },
    ingress: [{ path: 'spec.ingress[0]', peers: [], ports: [{ protocol: 'TCP' as const, port: 3306, path: 'spec.ingress[0].ports[0]' }] }] };
  const diags = lintCluster({ ...r.cluster, policies: [...r.cluster.policies, wide] }).filter((d) => d.rule === 'redundant-rule');
  assert.equal(diags.length, 1);
  assert.equal(diags[0]!.object, 'NetworkPolicy prod/db');
  assert.match(diags[0]!.message, /prod\/wide spec\.ingress\[0\]/);
});

test('--enable runs only the named rules, --disable skips them', () => {
  const c = load('examples/db-protection').cluster;
  assert.deepEqual(lintCluster(c, { disable: ['egress-blocks-dns'] }), []);
  assert.deepEqual(lintCluster(c, { enable: ['redundant-rule'] }), []);
  assert.equal(lintCluster(c, { enable: ['egress-blocks-dns'] }).length, 1);
});
