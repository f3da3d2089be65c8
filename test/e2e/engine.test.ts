// The page's engine (src/web/engine.ts): the example and the generated 500-pod cluster must
// analyze with the expected verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, explain, sampleAddress } from '../../src/web/engine.js';
import { generateCluster } from '../../src/web/generate.js';

const dir = 'examples/db-protection';
const example = readdirSync(dir).sort().map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));

test('the example: prod/api reaches prod/db on 3306, staging/api does not, and the trace names the rule line', () => {
  const a = analyze(example);
  const all = ['prod/api-0', 'prod/db-0', 'prod/web-0', 'staging/api-0'];
  assert.deepEqual(a.pods.map((p) => p.id), all);
  const m = a.matrix.probes.find((p) => p.port === 3306)!;
  const i = (id: string) => a.matrix.pods.indexOf(id);
  assert.equal(m.rows[i('prod/api-0')]![i('prod/db-0')], '1');
  assert.equal(m.rows[i('staging/api-0')]![i('prod/db-0')], '0');
  assert.deepEqual(a.blocks.map((b) => b.id), ['192.168.5.10/32']);
  // db may send to the backup host on 80 (egress rule), the backup host may reach db on 3306.
  const p80 = a.probes.findIndex((p) => p.port === 80);
  const p3306 = a.probes.findIndex((p) => p.port === 3306);
  // (the other pods are not egress-isolated, so they reach it too; on 3306 only db is isolated and allows it)
  assert.deepEqual(a.blocks[0]!.out[p80]!.map((k) => a.pods[k]!.id), all);
  assert.deepEqual(a.blocks[0]!.in[p3306]!.map((k) => a.pods[k]!.id), all);
  const p5000 = a.probes.findIndex((p) => p.port === 5000);
  assert.deepEqual(a.blocks[0]!.out[p5000]!.map((k) => a.pods[k]!.id), ['prod/api-0', 'prod/web-0', 'staging/api-0'], 'db egress allows only port 80');
  const e = explain('staging/api', 'prod/db', '3306');
  assert.ok('verdict' in e);
  assert.equal(e.verdict.verdict, 'deny');
  assert.equal(e.verdict.ingress.policies[0]!.policy, 'prod/db-policy');
  assert.equal(e.verdict.ingress.policies[0]!.rules[0]!.line, 16);
  assert.match(e.text, /INGRESS at prod\/db-0: denied/);
  assert.deepEqual(explain('prod/api', 'prod/nope', '3306'), { error: 'to prod/nope: no pod or workload "nope" in namespace "prod" (pods there: api-0, db-0, web-0)' });
});

test('sampleAddress skips excepted ranges', () => {
  assert.equal(sampleAddress('10.0.0.0/8', ['10.0.0.0/16']), '10.1.0.0');
  assert.equal(sampleAddress('192.168.5.10/32', []), '192.168.5.10');
  assert.equal(sampleAddress('0.0.0.0/0', ['0.0.0.0/8', '1.0.0.0/8']), '2.0.0.0');
  assert.equal(sampleAddress('fd00::/8', []), 'fd00::');
});

test('generated 500-pod cluster: 500 pods, 5 probes, tier rules hold', () => {
  const a = analyze(generateCluster());
  assert.equal(a.pods.length, 500);
  assert.equal(a.diagnostics.filter((d) => d.severity !== 'info').length, 0);
  assert.deepEqual(a.probes.map((p) => p.port), [80, 3306, 5000, 6379, 9000]);
  const i = (id: string) => a.matrix.pods.indexOf(id);
  const at = (port: number, from: string, to: string) => a.matrix.probes.find((p) => p.port === port)!.rows[i(from)]![i(to)];
  assert.equal(at(3306, 'team-00/api-3', 'team-00/db-7'), '1');
  assert.equal(at(3306, 'team-00/front-0', 'team-00/db-0'), '0');
  assert.equal(at(3306, 'team-01/api-0', 'team-00/db-0'), '0');
  assert.equal(at(80, 'team-05/api-0', 'team-00/front-9'), '1');
  assert.equal(at(80, 'team-05/db-0', 'team-00/front-9'), '0', 'db egress is limited to its 10.x block');
  assert.equal(at(6379, 'team-02/worker-0', 'team-00/cache-0'), '1', 'both prod (even) namespaces');
  assert.equal(at(6379, 'team-01/worker-0', 'team-00/cache-0'), '0', 'staging to prod');
  console.log(`# 500-pod analysis took ${a.ms} ms (5 probes, ${a.matrix.pods.length ** 2 * 5} cells)`);
});
