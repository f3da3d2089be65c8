// The commands built on the class engine, with Admin/Baseline tier policies: matrix, list, diff
// (pairwise and --subset/--equivalent over the universe), test and coverage, on the web/API/DB
// example plus test/fixtures/tiers-overlay (an Admin Deny overriding db-policy's allow, and a
// Baseline Deny for staging's otherwise open egress); and the per-class shortcuts of coverage and
// the semantic diff pinned to asking per pod on random tier clusters.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coverageOf } from '../../src/analysis/coverage/coverage.js';
import { compareOn } from '../../src/analysis/diff/semantic.js';
import type { Cluster, ClusterPolicy } from '../../src/model/types.js';
import { generateTierCluster } from '../oracle/generate-tiers.js';
import { cli, ROOT } from '../cli/run-cli.js';

const BASE = 'examples/db-protection';
const TIERS = 'test/fixtures/tiers-overlay';
const dir = mkdtempSync(join(tmpdir(), 'netpol-tiermatrix-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const withTiers = join(dir, 'after');
cpSync(join(ROOT, BASE), withTiers, { recursive: true });
cpSync(join(ROOT, TIERS, 'tiers.yaml'), join(withTiers, 'tiers.yaml'));

interface MatrixJson { pods: string[]; probes: { port: number | string; protocol: string; rows: string[] }[]; depends: unknown[] }
const cell = (m: MatrixJson, from: string, to: string, port: number) => {
  const p = m.probes.find((x) => x.port === port)!;
  return p.rows[m.pods.indexOf(from)]![m.pods.indexOf(to)];
};

test('matrix: the Admin Deny overrides the NetworkPolicy allow; the Baseline Deny closes staging -> prod', () => {
  const run = (paths: string[]) => {
    const r = cli(['matrix', ...paths, '-p', '3306', '-p', '80', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as MatrixJson;
  };
  const plain = run([BASE]), tiered = run([BASE, TIERS]);
  assert.equal(cell(plain, 'prod/api-0', 'prod/db-0', 3306), '1');
  assert.equal(cell(tiered, 'prod/api-0', 'prod/db-0', 3306), '0');
  assert.equal(cell(plain, 'staging/api-0', 'prod/web-0', 80), '1');
  assert.equal(cell(tiered, 'staging/api-0', 'prod/web-0', 80), '0');
  // Untouched by either tier policy.
  assert.equal(cell(tiered, 'prod/web-0', 'prod/api-0', 80), '1');
  assert.equal(cell(tiered, 'prod/api-0', 'staging/api-0', 80), '1');
});

test('list: the pairs the tiers close are gone, the others stay', () => {
  const r = cli(['list', BASE, TIERS, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { connections: { from: string; to: string }[] };
  const pairs = new Set(j.connections.map((c) => `${c.from} -> ${c.to}`));
  const plain = new Set((JSON.parse(cli(['list', BASE, '--format', 'json']).stdout) as typeof j).connections.map((c) => `${c.from} -> ${c.to}`));
  assert.ok(plain.has('prod/api[Deployment] -> prod/db[StatefulSet]') && !pairs.has('prod/api[Deployment] -> prod/db[StatefulSet]'), [...pairs].join('\n'));
  assert.ok(plain.has('staging/api[Deployment] -> prod/web[Deployment]') && !pairs.has('staging/api[Deployment] -> prod/web[Deployment]'));
  assert.ok(pairs.has('prod/web[Deployment] -> prod/api[Deployment]'));
  assert.ok(pairs.has('staging/api[Deployment] -> staging/api[Deployment]') === plain.has('staging/api[Deployment] -> staging/api[Deployment]'));
});

test('diff: adding the tier policies closes exactly the connections they deny; --subset holds, --equivalent fails', () => {
  const r = cli(['diff', BASE, withTiers, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { opened: unknown[]; closed: { from: string; to: string; port: number }[] };
  assert.deepEqual(j.opened, []);
  assert.ok(j.closed.some((c) => c.from === 'prod/api-0' && c.to === 'prod/db-0' && c.port === 3306));
  assert.ok(j.closed.every((c) => (c.from === 'prod/api-0' && c.to === 'prod/db-0') || (c.from === 'staging/api-0' && c.to.startsWith('prod/'))), JSON.stringify(j.closed));
  assert.equal(cli(['diff', BASE, withTiers, '--subset']).code, 0);
  const eq = cli(['diff', BASE, withTiers, '--equivalent']);
  assert.equal(eq.code, 1, eq.stdout);
  // Back the other way the tiers' removal is not a subset.
  assert.equal(cli(['diff', withTiers, BASE, '--subset']).code, 1);
});

test('test: expectations see the tiers', () => {
  const file = join(dir, 'expect.yaml');
  writeFileSync(file, 'kind: NetpolExpectations\nexpect:\n  - prod/api -> prod/db:3306 deny\n  - staging/api -> prod/web:80 deny\n  - prod/web -> prod/api:5000 allow\n');
  const ok = cli(['test', BASE, TIERS, '--expect', file]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const without = cli(['test', BASE, '--expect', file]);
  assert.equal(without.code, 1, 'without the tiers the first two expectations fail');
});

test('coverage: runs with tiers, and the tiers change its report', () => {
  const a = cli(['coverage', BASE, TIERS, '--format', 'json']);
  const b = cli(['coverage', BASE, '--format', 'json']);
  assert.equal(a.code, b.code, a.stderr);
  assert.notEqual(a.stdout, b.stdout, 'the tiers change the coverage report');
});

/** The generator leaves some pods unnamed (generateName); loaded pods always have a name. */
const named = (c: Cluster): Cluster => ({ ...c, pods: c.pods.map((p, i) => (p.name ? p : { ...p, name: `gen-${i}` })) });

test('coverage per pod class equals coverage per pod on tier clusters', (t) => {
  let exposures = 0, fromOutside = 0;
  for (let seed = 600; seed < 612; seed++) {
    const c = named(generateTierCluster(seed).cluster);
    for (const ipBlockPods of ['match', 'depends'] as const) {
      const perPod = coverageOf(c, { ipBlockPods }, false);
      assert.deepEqual(coverageOf(c, { ipBlockPods }, true), perPod, `seed ${seed}, ${ipBlockPods}`);
      exposures += perPod.exposure.length;
      fromOutside += perPod.exposure.filter((e) => e.fromExternal.length > 0).length;
    }
  }
  t.diagnostic(`coverage with tiers: ${exposures} pod exposures compared, ${fromOutside} reachable from outside`);
  assert.ok(exposures > 100 && fromOutside > 10 && fromOutside < exposures, `${exposures} exposures, ${fromOutside} from outside`);
});

test('semantic diff per pod class equals per pod pair when tier policies change', (t) => {
  let differing = 0;
  // Small worlds: the per-pair reading asks two Evaluators for every pair of the universe.
  for (let seed = 700; seed < 703; seed++) {
    const before = named(generateTierCluster(seed, { namespaces: 2, podsPerNamespace: 3 }).cluster);
    const cps = before.clusterPolicies!;
    // After: the first tier policy dropped, the last one's actions flipped Deny <-> Accept.
    const flip = (p: ClusterPolicy): ClusterPolicy => ({ ...p, ingress: p.ingress.map((r) => ({ ...r, action: r.action === 'Deny' ? 'Accept' : r.action === 'Accept' ? 'Deny' : r.action })) });
    const afterCps = cps.length > 1 ? [...cps.slice(1, -1), flip(cps.at(-1)!)] : [flip(cps[0]!)];
    const afterC: Cluster = { ...before, clusterPolicies: afterCps };
    for (const ipBlockPods of seed === 700 ? (['match', 'depends'] as const) : (['match'] as const)) {
      const slow = compareOn(before, afterC, { ipBlockPods, limit: 50 }, false);
      assert.deepEqual(compareOn(before, afterC, { ipBlockPods, limit: 50 }, true), slow, `seed ${seed}, ${ipBlockPods}`);
      differing += slow.counts.onlyAfter + slow.counts.onlyBefore;
    }
  }
  t.diagnostic(`semantic diff with tiers: ${differing} differing connections found per class and per pair alike`);
  assert.ok(differing > 50, `only ${differing} differences`);
});
