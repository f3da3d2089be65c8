// netpol lint through the real CLI (rule-id flags, --ipblock-pods, SARIF), and the docs against the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINT_RULES, unknownRuleIds } from '../../src/analysis/lint/index.js';
import { ROOT } from './helpers.js';

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const ids = new Set(LINT_RULES.map((r) => r.id));
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

test('--disable and --enable reject unknown rule ids with a did-you-mean, exit 2', () => {
  const r = cli(['lint', 'examples/db-protection', '--disable', 'egress-blocks-dn']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /--disable: unknown lint rule "egress-blocks-dn"; did you mean "egress-blocks-dns"\?/);
  const e = cli(['lint', 'examples/db-protection', '--enable', 'selects-nothing', '--enable', 'redundant-rule']);
  assert.equal(e.code, 2);
  assert.match(e.err, /--enable: unknown lint rule "selects-nothing"; did you mean "policy-selects-nothing"\?/);
  assert.doesNotMatch(e.err, /"redundant-rule"/);
  assert.deepEqual(unknownRuleIds(['zzzz', 'redundant-rule']), [{ id: 'zzzz' }]);
  // Known ids work: disabling the one finding leaves none.
  const ok = cli(['lint', 'examples/db-protection', '--disable', 'egress-blocks-dns', '--fail-on', 'warning', '-o', 'json']);
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.out), { diagnostics: [] });
  assert.equal(cli(['lint', 'examples/db-protection', '--ipblock-pods', 'bogus']).code, 2);
  // A comma-separated list is split, and each id is checked.
  assert.equal(cli(['lint', 'examples/db-protection', '--disable', 'redundant-rule,egress-blocks-dns', '--fail-on', 'warning']).code, 0);
  assert.match(cli(['lint', 'examples/db-protection', '--disable', 'redundant-rule,egres-blocks-dns']).err, /did you mean "egress-blocks-dns"/);
});

test('lint --ipblock-pods decides the DNS rule when egress is open to 0.0.0.0/0 on port 53', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lint-'));
  writeFileSync(join(dir, 'p.yaml'), `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: prod, labels: {app: api}}
spec: {containers: [{name: c, image: api}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: prod}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`);
  const dns = (mode?: string) => {
    const r = cli(['lint', join(dir, 'p.yaml'), '-o', 'json', ...(mode ? ['--ipblock-pods', mode] : [])]);
    return (JSON.parse(r.out).diagnostics as { rule: string; severity: string; message: string }[]).filter((d) => d.rule === 'egress-blocks-dns');
  };
  assert.deepEqual(dns(), []);
  assert.deepEqual(dns('ignore').map((d) => d.severity), ['warning']);
  const dep = dns('depends');
  assert.deepEqual(dep.map((d) => d.severity), ['info']);
  assert.match(dep[0]!.message, /depends/);
});

test('lint SARIF carries the tool version from package.json and the other tools\' ids', () => {
  const version = JSON.parse(read('package.json')).version;
  const r = cli(['lint', 'test/analysis/fixtures/lint/_base.yaml', 'test/analysis/fixtures/lint/policy-selects-nothing.yaml', '-o', 'sarif']);
  const run = JSON.parse(r.out).runs[0];
  assert.equal(run.tool.driver.version, version);
  const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'policy-selects-nothing');
  assert.deepEqual(rule.properties.aliases, ['kube-linter:dangling-networkpolicy', 'kube-score:networkpolicy-targets-pod']);
  assert.equal(run.results[0].ruleId, 'policy-selects-nothing');
  assert.equal(run.tool.driver.rules[run.results[0].ruleIndex].id, 'policy-selects-nothing');
});

/** Rule ids as docs write them: `[id]` in sample output, and (in a lint section) `| \`id\` |` table cells. */
function mentioned(text: string, tables = true): string[] {
  const out = [...text.matchAll(/(?:warning|info|error) \[([a-z0-9-]+)\]/g)].map((m) => m[1]!);
  if (tables) out.push(...[...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!));
  return out;
}

test('every rule id named in README.md and docs/ANALYSIS.md exists; every rule is documented', () => {
  const readme = read('README.md');
  const stable = /Rules \(stable ids\):([\s\S]*?)\(see docs\/ANALYSIS\.md/.exec(readme);
  assert.ok(stable, 'README has its "Rules (stable ids)" paragraph');
  const listed = [...stable[1]!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
  assert.deepEqual([...listed].sort(), [...ids].sort(), 'README lists exactly the registered rules');
  // Other README tables (e.g. the --ipblock-pods modes) are not about rules: only sample output counts there.
  for (const id of mentioned(readme, false)) assert.ok(ids.has(id), `README.md names unknown rule ${id}`);
  const lintSection = readme.slice(readme.indexOf('### `netpol lint`'), readme.indexOf('### `netpol diff`'));
  assert.ok(lintSection.length > 100, 'README has its lint section');
  for (const id of mentioned(lintSection)) assert.ok(ids.has(id), `README.md names unknown rule ${id}`);
  const doc = read('docs/ANALYSIS.md');
  const lint = doc.slice(doc.indexOf('## netpol lint'), doc.indexOf('## netpol diff'));
  const inDoc = mentioned(lint);
  for (const id of inDoc) assert.ok(ids.has(id), `docs/ANALYSIS.md names unknown rule ${id}`);
  for (const id of ids) assert.ok(lint.includes(`| \`${id}\` | `), `docs/ANALYSIS.md does not document ${id}`);
});

test('the alias table of docs/ANALYSIS.md and the rules\' SARIF aliases agree', () => {
  const doc = read('docs/ANALYSIS.md');
  const table = doc.slice(doc.indexOf('| netpol rule | kube-linter'), doc.indexOf('The other netpol rules'));
  const tools = ['kube-linter', 'kube-score', 'kubescape', 'polaris'];
  for (const row of table.split('\n').filter((l) => /^\| `/.test(l))) {
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    const id = /^`([a-z0-9-]+)`$/.exec(cells[0]!)![1]!;
    const fromDoc = cells.slice(1).flatMap((c, i) => [...c.matchAll(/`([A-Za-z0-9-]+)`/g)].map((m) => `${tools[i]}:${m[1]}`));
    assert.deepEqual([...(LINT_RULES.find((r) => r.id === id)?.aliases ?? [])].sort(), fromDoc.sort(), id);
  }
  for (const r of LINT_RULES) if (r.aliases?.length) assert.ok(table.includes(`| \`${r.id}\` |`), `${r.id} has aliases but no row`);
});
