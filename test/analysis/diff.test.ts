import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMatrix, declaredProbes, type Cluster } from '../../src/index.js';
import { diffClusters, type DiffConnection } from '../../src/analysis/diff/diff.js';
import { compareSemantics } from '../../src/analysis/diff/semantic.js';
import { load } from './helpers.js';

const xyz = (side: string) => load('test/analysis/fixtures/xyz/model.yaml', `test/analysis/fixtures/xyz/${side}/policy.yaml`).cluster;

/** Independent oracle: compare two matrices cell by cell. */
function changedCells(a: Cluster, b: Cluster): { opened: string[]; closed: string[] } {
  const probes = declaredProbes(b);
  const ma = computeMatrix(a, probes);
  const mb = computeMatrix(b, probes);
  const opened: string[] = [];
  const closed: string[] = [];
  mb.probes.forEach((p, k) => mb.pods.forEach((from, i) => mb.pods.forEach((to, j) => {
    const was = ma.probes[k]!.rows[ma.pods.indexOf(from)]![ma.pods.indexOf(to)];
    const now = p.rows[i]![j];
    if (was !== now) (now === '1' ? opened : closed).push(`${from} ${to} ${p.port}/${p.protocol}`);
  })));
  return { opened: opened.sort(), closed: closed.sort() };
}

const key = (c: DiffConnection) => `${c.from} ${c.to} ${c.port}/${c.protocol}`;
// External ends are named by their exact CIDR set (`a.b.c.d/n` or `x/n except y/m`), never by a lone address.
const isIp = (s: string) => /^[0-9a-f:.]+\/\d+( except |$)/i.test(s);
const podsOnly = (l: DiffConnection[]) => l.filter((c) => !isIp(c.from) && !isIp(c.to)).map(key).sort();

test('diff reports exactly the pod connections whose matrix verdict changed (x/y/z model)', () => {
  const before = xyz('before');
  const after = xyz('after');
  const d = diffClusters(before, after, declaredProbes(after));
  const oracle = changedCells(before, after);
  assert.deepEqual(podsOnly(d.opened), oracle.opened);
  assert.deepEqual(podsOnly(d.closed), oracle.closed);
  // Upstream-style expectations: z/* gains TCP 80 into x/a; y/* loses 81/TCP and 80/UDP.
  assert.deepEqual(oracle.opened, ['z/a x/a 80/TCP', 'z/b x/a 80/TCP', 'z/c x/a 80/TCP']);
  assert.equal(oracle.closed.length, 6);
  assert.deepEqual(d.policies, { added: [], removed: [], changed: ['x/allow-ns-y'] });
  assert.deepEqual(diffClusters(before, before, declaredProbes(before)), { opened: [], closed: [], policies: { added: [], removed: [], changed: [] } });
});

test('diff includes external peers, one address per ipBlock region, and renamed policies', () => {
  const good = load('examples/db-protection').cluster;
  const dash = load('examples/db-protection/namespaces.yaml', 'examples/db-protection/workloads.yaml', 'examples/db-protection-broken/3-dash-makes-or.yaml').cluster;
  const d = diffClusters(good, dash, declaredProbes(good));
  const oracle = changedCells(good, dash);
  assert.deepEqual(podsOnly(d.opened), oracle.opened);
  assert.deepEqual(podsOnly(d.closed), oracle.closed);
  // Every pod of prod now reaches the DB on 3306; the ipBlock peer is gone, so the backup host loses 3306.
  assert.ok(oracle.opened.includes('prod/web-0 prod/db-0 3306/TCP'));
  assert.ok(d.closed.some((c) => c.from === '192.168.5.10/32' && c.to === 'prod/db-0' && c.port === 3306));
  // Without egress isolation the DB may call any address: opened toward the region outside every
  // block, named exactly as that region.
  assert.ok(d.opened.some((c) => c.from === 'prod/db-0' && c.to === '0.0.0.0/0 except 192.168.5.10/32' && c.port === 80));
  // Before, web -> db on 3306 hinged on the ipBlock (web has no IP): the change is named with why.
  const web = d.opened.find((c) => c.from === 'prod/web-0' && c.to === 'prod/db-0' && c.port === 3306)!;
  assert.match(web.depends ?? '', /^ingress at prod\/db-0: prod\/db-policy spec\.ingress\[0\]: peer 1: pod prod\/web-0 has no IP/);
  assert.equal(d.opened.find((c) => c.from === 'prod/db-0' && c.to === 'prod/api-0' && c.port === 3306)!.depends, undefined);
  for (const c of [...d.opened, ...d.closed]) {
    for (const end of [c.from, c.to]) assert.ok(/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(end) || isIp(end), `endpoint named exactly: ${end}`);
  }
  assert.deepEqual(d.policies, { added: ['prod/db-policy-or'], removed: ['prod/db-policy'], changed: [] });
});

test('--subset / --equivalent find counter-examples, including namespaces that do not exist yet', () => {
  const before = xyz('before');
  const after = xyz('after');
  const s = compareSemantics(before, after);
  assert.equal(s.subset, false);
  assert.equal(s.equivalent, false);
  assert.ok(s.onlyAfter.some((c) => c.from === 'z/a' && c.to === 'x/a' && c.port === 80 && c.protocol === 'TCP'));
  assert.ok(s.onlyBefore.some((c) => c.from === 'y/a' && c.to === 'x/a' && c.port === 81));
  // A selector-only widening that today's pods cannot show: ns in (y, w) where no namespace w exists.
  const widened = { ...before, policies: before.policies.map((p) => ({ ...p, ingress: [{ ...p.ingress[0]!, peers: [{ path: 'spec.ingress[0].from[0]', namespaceSelector: { matchLabels: {}, matchExpressions: [{ key: 'ns', operator: 'In' as const, values: ['y', 'w'] }] } }] }] })) };
  const d = diffClusters(before, widened, declaredProbes(before));
  assert.deepEqual([d.opened, d.closed], [[], []], 'the matrix cannot see it');
  const w = compareSemantics(before, widened);
  assert.equal(w.subset, false);
  const ex = w.onlyAfter[0]!;
  assert.equal(ex.to, 'x/a');
  assert.ok(ex.hypothetical && Object.values(ex.hypothetical).some((t) => /new namespace .* labelled .*ns=w/.test(t)), JSON.stringify(ex));
  // The reverse direction is a subset, and a set is equivalent to itself.
  assert.equal(compareSemantics(widened, before).subset, true);
  assert.equal(compareSemantics(after, after).equivalent, true);
});

test('diff on the multi-team example: the scrape policy matters, the default-deny does not', () => {
  const before = load('examples/multi-team').cluster;
  const without = (ns: string, name: string) => ({ ...before, policies: before.policies.filter((p) => !(p.namespace === ns && p.name === name)) });
  // allow-dns (Egress) and allow-prometheus (Ingress) already select every pod of orders, so the
  // default-deny adds no isolation: removing it changes no connection.
  const noDeny = diffClusters(before, without('orders', 'default-deny'), declaredProbes(before));
  assert.deepEqual([noDeny.opened, noDeny.closed, noDeny.policies.removed], [[], [], ['orders/default-deny']]);
  const after = without('orders', 'allow-prometheus');
  const d = diffClusters(before, after, declaredProbes(before));
  const oracle = changedCells(before, after);
  assert.deepEqual(podsOnly(d.closed), oracle.closed);
  assert.deepEqual(oracle.closed, ['monitoring/prometheus-0 orders/orders-api-0 9090/TCP', 'monitoring/prometheus-0 orders/orders-worker-0 9090/TCP']);
  assert.deepEqual(d.opened, []);
});
