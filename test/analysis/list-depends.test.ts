// netpol list's `depends`: the port ranges whose verdict hinges on the plugin (or an unknown IP),
// held to the readable Evaluator's Verdict.depends on every pod pair and port edge, and written
// by hand for db-protection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator } from '../../src/evaluate/evaluate.js';
import { listConnections, listDepends, type PortRanges } from '../../src/index.js';
import { PROTOCOLS, type Cluster } from '../../src/model/types.js';
import { replicaCluster } from '../matrix/helpers.js';
import { load } from './helpers.js';

const tcp = (...r: [number, number][]): PortRanges => ({ TCP: r, UDP: [], SCTP: [] });
const inRanges = (rs: readonly [number, number][], p: number) => rs.some(([a, b]) => a <= p && p <= b);

test('db-protection: the ipBlock 192.168.5.10/32 against pods without IPs, written by hand', () => {
  const c = load('examples/db-protection').cluster;
  const list = listConnections(c);
  const d = listDepends(c, list);
  // The DB's egress to any pod on TCP 80 (a pod could be the backup host), and every pod but
  // prod's API (admitted by its selectors, certainly) toward the DB on 3306.
  assert.deepEqual(d.map((x) => [x.from, x.to, x.ports]), [
    ['prod/db[StatefulSet]', 'prod/api[Deployment]', tcp([80, 80])],
    ['prod/db[StatefulSet]', 'prod/web[Deployment]', tcp([80, 80])],
    ['prod/db[StatefulSet]', 'staging/api[Deployment]', tcp([80, 80])],
    ['prod/web[Deployment]', 'prod/db[StatefulSet]', tcp([3306, 3306])],
    ['staging/api[Deployment]', 'prod/db[StatefulSet]', tcp([3306, 3306])],
  ]);
  assert.match(d[0]!.reason, /no IP is known for prod\/api-0, and an ipBlock of prod\/db-0's egress rules could cover it/);
  assert.match(d[3]!.reason, /no IP is known for prod\/web-0, and an ipBlock of prod\/db-0's ingress rules could cover it/);
});

test('generated clusters (hostNetwork, pods with and without IPs): depends ranges = the Evaluator\'s depends, pod by pod', () => {
  let hinging = 0, checked = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const cluster: Cluster = replicaCluster(seed);
    const list = listConnections(cluster, { by: 'pod' });
    const deps = listDepends(cluster, list, { by: 'pod' });
    const byPair = new Map(deps.map((d) => [`${d.from}>${d.to}`, d.ports]));
    const ev = new Evaluator(cluster);
    // Every port a rule can name, and its neighbours: the answer is constant between them.
    const ports = [1, 52, 53, 54, 79, 80, 81, 85, 86, 100, 101, 440, 443, 445, 446, 540, 541, 8000, 8080, 8090, 8100, 8101, 9090, 65535];
    for (const a of cluster.pods) {
      for (const b of cluster.pods) {
        if (a === b) continue;
        const dep = byPair.get(`${a.namespace}/${a.name}>${b.namespace}/${b.name}`);
        for (const protocol of PROTOCOLS) {
          for (const port of ports) {
            const v = ev.evaluate({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port, protocol });
            const want = v.depends.length > 0;
            const got = !!dep && inRanges(dep[protocol], port);
            checked++;
            if (want) hinging++;
            assert.equal(got, want, `seed ${seed} ${a.namespace}/${a.name} -> ${b.namespace}/${b.name} ${port}/${protocol}: list ${got}, evaluator ${v.depends.map((x) => x.reason).join('; ') || 'certain'}`);
          }
        }
      }
    }
  }
  assert.ok(checked > 100_000, `checked ${checked}`);
  assert.ok(hinging > 1000 && hinging < checked / 2, `hinging ${hinging} of ${checked}`);
});
