// netpol generate --from-flows: the three inputs (CSV, Hubble JSON lines, the lab's probe JSON)
// give policies that allow exactly the observed flows (plus DNS), checked with the reference
// evaluator over every pod pair and declared port; flows no pod explains are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateFromFlows, readFlows } from '../../src/analysis/generate/from-flows.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import { declaredProbes } from '../../src/matrix/ports.js';
import { podId, type Cluster } from '../../src/model/types.js';
import { referenceAllowed } from '../oracle/reference.js';
import { load } from './helpers.js';

const bare = (): Cluster => ({ ...load('examples/db-protection').cluster, policies: [] });

/** Every pod pair and declared port open in `cluster` with these policies, as `a>b:port/proto`. */
function open(cluster: Cluster): Set<string> {
  const out = new Set<string>();
  for (const a of cluster.pods) for (const b of cluster.pods) {
    if (a === b) continue;
    for (const { port, protocol } of [...declaredProbes(cluster), { port: 53, protocol: 'UDP' as const }]) {
      if (referenceAllowed(cluster, a, b, port as number, protocol)) out.add(`${podId(a)}>${podId(b)}:${port}/${protocol}`);
    }
  }
  return out;
}

test('CSV flows: exactly the observed pod pairs stay open among the pods seen; unattributable flows are reported', () => {
  const csv = `source,destination,port,protocol
prod/api-0,prod/db-0,3306,TCP
prod/web-0,prod/api-0,5000,TCP
192.168.5.10,prod/db-0,3306,TCP
prod/db-0,192.168.5.10,80,TCP
10.9.9.1,10.9.9.2,80,TCP
prod/ghost,prod/db-0,3306,TCP
`;
  const flows = readFlows('f.csv', csv);
  assert.deepEqual(flows.errors, []);
  assert.equal(flows.flows.length, 6);
  const cluster = bare();
  const r = generateFromFlows(cluster, flows.flows, { dns: false });
  assert.deepEqual(r.unattributed.map((u) => u.line), [6, 7]);
  assert.ok(r.result.ok, JSON.stringify(!r.result.ok && r.result.problems));
  const withPolicies = { ...cluster, policies: r.result.proof.policies };
  const seen = new Set(['prod/api-0', 'prod/db-0', 'prod/web-0']);
  const opened = open(withPolicies);
  for (const k of opened) {
    const [a, rest] = k.split('>') as [string, string];
    const b = rest.split(':')[0]!;
    if (seen.has(a) || seen.has(b)) assert.ok(['prod/api-0>prod/db-0:3306/TCP', 'prod/web-0>prod/api-0:5000/TCP'].includes(k), `opened ${k}`);
  }
  assert.ok(opened.has('prod/api-0>prod/db-0:3306/TCP') && opened.has('prod/web-0>prod/api-0:5000/TCP'));
  // Unseen pods keep their traffic: staging/api-0 still reaches nothing it did not (it is not governed),
  // but prod pods are closed to it.
  assert.ok(!opened.has('staging/api-0>prod/db-0:3306/TCP'));
  const db = cluster.pods.find((p) => podId(p) === 'prod/db-0')!;
  assert.equal(referenceAllowed(withPolicies, { ip: '192.168.5.10' }, db, 3306, 'TCP'), true);
  assert.equal(referenceAllowed(withPolicies, db, { ip: '192.168.5.10' }, 80, 'TCP'), true);
  assert.equal(referenceAllowed(withPolicies, db, { ip: '192.168.5.11' }, 80, 'TCP'), false);
});

test('Hubble flow lines: real pod names map to their workload, replies and drops are skipped, DNS kept', () => {
  const line = (src: string, dst: string, port: number, extra: Record<string, unknown> = {}) => JSON.stringify({
    flow: {
      verdict: 'FORWARDED', source: { namespace: 'prod', pod_name: src, labels: ['k8s:app=x'] }, destination: { namespace: 'prod', pod_name: dst },
      IP: { source: '10.0.0.1', destination: '10.0.0.2' }, l4: { TCP: { source_port: 40000, destination_port: port } }, ...extra,
    },
  });
  const text = [
    line('api-7d9f8b6c5-x2x4z', 'db-0', 3306),
    line('db-0', 'api-7d9f8b6c5-x2x4z', 40000, { is_reply: true }),
    line('web-5c4f-abcde', 'db-0', 3306, { verdict: 'DROPPED' }),
    line('web-5c4f-abcde', 'api-7d9f8b6c5-x2x4z', 5000),
    JSON.stringify({ flow: { verdict: 'FORWARDED', source: { namespace: 'prod', pod_name: 'web-5c4f-abcde' }, IP: { source: '10.0.0.3', destination: '1.1.1.1' }, l4: { ICMPv4: { type: 8 } } } }),
    line('unknown-1', 'db-0', 3306),
  ].join('\n');
  const flows = readFlows('h.json', text);
  assert.deepEqual(flows.errors, []);
  assert.deepEqual(flows.ignored, { reply: 1, 'verdict DROPPED': 1, 'no TCP/UDP/SCTP destination port': 1 });
  const cluster = bare();
  const r = generateFromFlows(cluster, flows.flows);
  assert.deepEqual(r.unattributed.map((u) => u.line), [6]);
  assert.ok(r.result.ok, JSON.stringify(!r.result.ok && r.result.problems));
  assert.match(r.result.yaml, /k8s-app: kube-dns/);
  const withPolicies = { ...cluster, policies: r.result.proof.policies };
  const m = computeMatrix(withPolicies, [{ port: 3306, protocol: 'TCP' }, { port: 5000, protocol: 'TCP' }]);
  const cell = (a: string, b: string, k: number) => m.probes[k]!.rows[m.pods.indexOf(a)]![m.pods.indexOf(b)];
  assert.equal(cell('prod/api-0', 'prod/db-0', 0), '1');
  assert.equal(cell('prod/web-0', 'prod/db-0', 0), '0', 'a dropped flow is not allowed');
  assert.equal(cell('prod/web-0', 'prod/api-0', 1), '1');
  assert.equal(cell('staging/api-0', 'prod/api-0', 1), '0');
});

test("the lab's probe JSON: every established cell is a flow", () => {
  const cluster = bare();
  const pods = cluster.pods.map(podId);
  const rows = pods.map((a) => pods.map((b) => (a === b || (a === 'prod/api-0' && b === 'prod/db-0') ? '1' : '0')).join(''));
  const flows = readFlows('p.json', JSON.stringify({ pods, probes: [{ port: 'mysql', protocol: 'TCP', rows }], depends: [] }));
  assert.equal(flows.flows.length, 1);
  const r = generateFromFlows(cluster, flows.flows, { dns: false });
  assert.ok(r.result.ok);
  assert.match(r.result.yaml, /port: 3306/);
  const opened = open({ ...cluster, policies: r.result.proof.policies });
  assert.ok(opened.has('prod/api-0>prod/db-0:3306/TCP'));
  for (const k of opened) if (k.includes('prod/api-0') || k.includes('prod/db-0')) assert.equal(k, 'prod/api-0>prod/db-0:3306/TCP');
});

test('bad flow files are errors with line numbers, never exceptions', () => {
  assert.deepEqual(readFlows('x.csv', 'a,b,c\nprod/api-0,prod/db-0,99999,TCP\n').errors.map((e) => e.line), [1, 2]);
  assert.deepEqual(readFlows('x.json', '{"flow": {}}\n{not json\n').errors.map((e) => e.line), [2]);
});
