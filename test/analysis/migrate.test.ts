// netpol migrate: the v1alpha1 -> v1alpha2 rewrite (network-policy-api @ 0eec1b0: AdminNetworkPolicy
// -> tier Admin, BaselineAdminNetworkPolicy -> tier Baseline, Allow -> Accept, ports -> protocols),
// its round trip through netpol's own loader, and the engine's equivalence proof, which must be
// able to refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, toClusterNetworkPolicy } from '../../src/analysis/migrate/migrate.js';
import { loadSources } from '../../src/index.js';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { ROOT, load } from './helpers.js';

const FIXTURE = 'test/analysis/fixtures/migrate/v1alpha1.yaml';
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const loadText = (text: string) => {
  const r = loadSources([{ file: 'in.yaml', text }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.cluster;
};

test('the rewrite: kinds, tiers, priorities, Allow -> Accept, each ports form -> protocols', () => {
  const c = load(FIXTURE).cluster;
  const anp = c.clusterPolicies!.find((p) => p.kind === 'AdminNetworkPolicy')!;
  const doc = toClusterNetworkPolicy(anp) as { apiVersion: string; kind: string; spec: { tier: string; priority: number; ingress: { action: string; protocols?: unknown[] }[]; egress: { action: string; protocols?: unknown[] }[] } };
  assert.equal(doc.apiVersion, 'policy.networking.k8s.io/v1alpha2');
  assert.equal(doc.kind, 'ClusterNetworkPolicy');
  assert.equal(doc.spec.tier, 'Admin');
  assert.equal(doc.spec.priority, 10);
  assert.deepEqual(doc.spec.ingress.map((r) => r.action), ['Accept', 'Pass', 'Deny']);
  // namedPort (one model entry per protocol) becomes one destinationNamedPort entry.
  assert.deepEqual(doc.spec.ingress[0]!.protocols, [{ destinationNamedPort: 'http' }, { tcp: { destinationPort: { number: 5432 } } }]);
  assert.deepEqual(doc.spec.egress[0]!.protocols, [{ udp: { destinationPort: { range: { start: 53, end: 54 } } } }]);
  const banp = c.clusterPolicies!.find((p) => p.kind === 'BaselineAdminNetworkPolicy')!;
  const b = toClusterNetworkPolicy(banp, 42) as { spec: { tier: string; priority: number } };
  assert.deepEqual([b.spec.tier, b.spec.priority], ['Baseline', 42]);
});

test('migrate: the output reads back as ClusterNetworkPolicies and every verdict of the universe is unchanged', () => {
  const c = load(FIXTURE).cluster;
  const r = migrate(c);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.policies.map((p) => `${p.from} -> ${p.to}`), ['anp/guard-prod -> cnp/guard-prod', 'banp/default -> cnp/default']);
  assert.ok(r.proof!.connections > 1000, `${r.proof!.connections}`);
  assert.equal(r.proof!.differing, 0);
  // Independently of the proof: the migrated cluster, loaded from the printed YAML, answers as before.
  const text = readFileSync(join(ROOT, FIXTURE), 'utf8').split(/^---$/m).filter((d) => !/kind: (Admin|BaselineAdmin)NetworkPolicy/.test(d)).join('---');
  const after = loadText(`${text}\n---\n${r.policies.map((p) => p.yaml).join('---\n')}`);
  assert.deepEqual(after.clusterPolicies!.map((p) => p.kind), ['ClusterNetworkPolicy', 'ClusterNetworkPolicy']);
  const before = new Evaluator(c);
  const now = new Evaluator(after);
  const pod = (cl: typeof c, n: string) => ({ kind: 'pod' as const, pod: cl.pods.find((p) => `${p.namespace}/${p.name}` === n)! });
  for (const [from, to, port, protocol] of [['staging/web', 'prod/api', 8080, 'TCP'], ['staging/web', 'prod/db', 5432, 'TCP'], ['prod/api', 'staging/web', 80, 'TCP'], ['prod/api', 'prod/db', 5432, 'TCP']] as const) {
    const b = before.evaluate({ from: pod(c, from), to: pod(c, to), port, protocol }).verdict;
    const a = now.evaluate({ from: pod(after, from), to: pod(after, to), port, protocol }).verdict;
    assert.equal(a, b, `${from} -> ${to}:${port}`);
  }
  // And the Admin tier still decides: staging/web reaches prod/api's http by the migrated Accept.
  assert.equal(now.evaluate({ from: pod(after, 'staging/web'), to: pod(after, 'prod/api'), port: 8080, protocol: 'TCP' }).ingress.decidedBy, 'Admin');
});

test('migrate refuses a BaselineAdminNetworkPolicy priority that reorders it among Baseline ClusterNetworkPolicies', () => {
  const extra = `
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: accept-prod}
spec:
  tier: Baseline
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}
  ingress:
  - {action: Accept, from: [{namespaces: {matchLabels: {env: prod}}}]}
`;
  const c = loadText(readFileSync(join(ROOT, FIXTURE), 'utf8') + extra);
  assert.deepEqual(migrate(c, { baselinePriority: 0 }).errors, []);
  const r = migrate(c, { baselinePriority: 10 });
  assert.ok(r.proof!.differing > 0);
  assert.match(r.errors.join('\n'), /changes \d+ verdict/);
  // prod -> web pods: the Baseline Deny came first, now the Baseline Accept does.
  assert.ok(r.proof!.differences.some((d) => d.from.startsWith('prod/') && d.mode === 'match' && d.before === 'deny' && d.after === 'allow'), JSON.stringify(r.proof!.differences.slice(0, 3)));
});

test('migrate refuses name clashes and rewrites that fail v1alpha2 validation (more than 25 rules)', () => {
  const clash = loadText(`
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: x}
spec: {priority: 1, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: x}
spec: {tier: Admin, priority: 2, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
`);
  assert.match(migrate(clash).errors.join('\n'), /anp\/x would become cnp\/x, which already exists/);
  const rules = Array.from({ length: 26 }, (_, i) => `  - {action: Deny, from: [{namespaces: {matchLabels: {n: "${i}"}}}]}`).join('\n');
  const big = loadText(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: big}
spec:
  priority: 1
  subject: {namespaces: {}}
  ingress:
${rules}
`);
  const r = migrate(big);
  assert.match(r.errors.join('\n'), /does not validate as a ClusterNetworkPolicy: spec\.ingress/);
  assert.equal(r.proof, undefined);
});

test('hostile label values stay strings for a YAML 1.1 reader (kubectl), and read back identically', () => {
  const c = loadText(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: odd}
spec:
  priority: 1
  subject: {namespaces: {matchLabels: {"on": "yes", "y": "0x1F", "n": "null"}}}
  ingress:
  - {name: "a: b # c", action: Deny, from: [{namespaces: {matchLabels: {k: "2001-01-01"}}}]}
`);
  const r = migrate(c);
  assert.deepEqual(r.errors, []);
  const y = r.policies[0]!.yaml;
  for (const s of ['"on": "yes"', '"y": "0x1F"', '"n": "null"', 'k: "2001-01-01"', 'name: "a: b # c"']) assert.ok(y.includes(s), `${s} in\n${y}`);
});

test('netpol migrate CLI: YAML on stdout and the proof on stderr; -o DIR; --format json; refusal prints nothing', () => {
  const r = cli(['migrate', FIXTURE]);
  assert.equal(r.code, 0, r.err);
  assert.equal(loadText(r.out).clusterPolicies!.length, 2);
  assert.match(r.err, /anp\/guard-prod -> cnp\/guard-prod \(tier Admin, priority 10\)/);
  assert.match(r.err, /proved equivalent: the same verdict on all \d+ connections/);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-migrate-'));
  const w = cli(['migrate', FIXTURE, '-o', join(dir, 'out')]);
  assert.equal(w.code, 0, w.err);
  assert.equal(w.out, '');
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['default.yaml', 'guard-prod.yaml']);
  // Existing files are not overwritten.
  assert.equal(cli(['migrate', FIXTURE, '-o', join(dir, 'out')]).code, 2);
  const j = JSON.parse(cli(['migrate', FIXTURE, '--format', 'json']).out);
  assert.deepEqual(Object.keys(j), ['equivalent', 'migrated', 'proof', 'errors']);
  assert.equal(j.equivalent, true);
  assert.equal(j.proof.differing, 0);
  assert.deepEqual(j.proof.modes, ['match', 'depends']);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, `${readFileSync(join(ROOT, FIXTURE), 'utf8')}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: accept-prod}
spec:
  tier: Baseline
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}
  ingress:
  - {action: Accept, from: [{namespaces: {matchLabels: {env: prod}}}]}
`);
  const no = cli(['migrate', bad, '--baseline-priority', '10']);
  assert.equal(no.code, 1);
  assert.equal(no.out, '');
  assert.match(no.err, /changes \d+ verdict/);
  assert.match(no.err, /nothing printed/);
  const nj = JSON.parse(cli(['migrate', bad, '--baseline-priority', '10', '--format', 'json']).out);
  assert.equal(nj.equivalent, false);
  assert.ok(nj.migrated.every((m: { yaml?: string }) => m.yaml === undefined));
  assert.equal(cli(['migrate', FIXTURE, '--baseline-priority', '1001']).code, 2);
});
