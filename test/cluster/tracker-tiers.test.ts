// `netpol watch` follows tier policies and Nodes too: each event reports exactly the pod pairs
// whose verdict (per the naive tier reference, test/oracle/reference-tiers.ts) flipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveReachability, type Flips } from '../../src/analysis/watch/tracker.js';
import type { Cluster, Pod } from '../../src/model/types.js';
import { referenceTierVerdict } from '../oracle/reference-tiers.js';
import { cluster, cnp, cport, node, nodes, ns, nsSel, pod, rule, sel, subjectNamespaces, tcp, namespaces } from '../engine/tier-builders.js';

const NS = [ns('prod', { env: 'prod' }), ns('dev', { env: 'dev' })];
const PODS: Pod[] = [
  pod('prod', 'db', { app: 'db' }, ['10.0.0.1'], { ports: [cport('sql', 5432)], nodeName: 'n1' }),
  pod('prod', 'api', { app: 'api' }, ['10.0.0.2'], { ports: [cport('http', 8080)], nodeName: 'n1' }),
  pod('dev', 'api', { app: 'api' }, ['10.0.1.2'], { ports: [cport('http', 8080)], nodeName: 'n2' }),
  pod('dev', 'agent', { app: 'agent' }, ['192.168.0.12'], { hostNetwork: true, nodeName: 'n2' }),
];
const PROBES = [{ port: 5432, protocol: 'TCP' as const }, { port: 8080, protocol: 'TCP' as const }];

/** Every ordered pair of distinct pods and probe, with the reference's verdict. */
function verdicts(c: Cluster): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const a of c.pods) for (const b of c.pods) {
    if (a === b) continue;
    for (const p of PROBES) {
      const v = referenceTierVerdict(c, a, b, p.port, p.protocol).verdict;
      out.set(`${a.namespace}/${a.name}>${b.namespace}/${b.name} ${p.port}/TCP`, v === 'allow');
    }
  }
  return out;
}

function flipped(f: Flips): { opened: Set<string>; closed: Set<string> } {
  const expand = (cs: Flips['opened']) => new Set(cs.flatMap((c) => c.from.flatMap((a) => c.to.filter((b) => b !== a).map((b) => `${a}>${b} ${c.port}/${c.protocol}`))));
  return { opened: expand(f.opened), closed: expand(f.closed) };
}

function expectFlips(before: Cluster, after: Cluster, got: Flips): number {
  const b = verdicts(before), a = verdicts(after);
  const opened = new Set([...a].filter(([k, v]) => v && b.get(k) === false).map(([k]) => k));
  const closed = new Set([...a].filter(([k, v]) => !v && b.get(k) === true).map(([k]) => k));
  const g = flipped(got);
  assert.deepEqual([...g.opened].sort(), [...opened].sort(), 'opened');
  assert.deepEqual([...g.closed].sort(), [...closed].sort(), 'closed');
  return opened.size + closed.size;
}

test('tier-policy and Node events report exactly the pairs the tier reference sees flip', () => {
  const n1 = node('n1', { zone: 'a' }, ['172.18.0.1']);
  const n2 = node('n2', { zone: 'b' }, ['192.168.0.12']);
  let state = cluster({ namespaces: NS, pods: PODS, nodes: [n1, n2] });
  const live = new LiveReachability(state, PROBES);
  const step = (next: Cluster, f: Flips) => { const n = expectFlips(state, next, f); state = next; return n; };

  // An Admin Deny from dev into prod closes dev → prod pairs.
  const deny = cnp({ name: 'no-dev-to-prod', priority: 10, subject: subjectNamespaces(sel({ env: 'prod' })), ingress: [rule('Deny', [namespaces(sel({ env: 'dev' }))])] });
  let next = cluster({ namespaces: NS, pods: PODS, nodes: [n1, n2], clusterPolicies: [deny] });
  assert.ok(step(next, live.clusterPolicy('ClusterNetworkPolicy', 'no-dev-to-prod', deny)) > 0, 'the Deny must close something');

  // A higher-priority Accept for 5432 from nodes in zone b reopens the hostNetwork agent → db.
  const accept = cnp({ name: 'zone-b-sql', priority: 5, subject: subjectNamespaces(nsSel('prod')), ingress: [rule('Accept', [nodes(sel({ zone: 'b' }))], [tcp(5432)])] });
  next = cluster({ namespaces: NS, pods: PODS, nodes: [n1, n2], clusterPolicies: [deny, accept] });
  step(next, live.clusterPolicy('ClusterNetworkPolicy', 'zone-b-sql', accept));

  // The node changes zone: the nodes peer no longer selects it.
  const n2a = node('n2', { zone: 'c' }, ['192.168.0.12']);
  next = cluster({ namespaces: NS, pods: PODS, nodes: [n1, n2a], clusterPolicies: [deny, accept] });
  step(next, live.node('n2', n2a));

  // Deleting the Deny reopens everything it closed.
  next = cluster({ namespaces: NS, pods: PODS, nodes: [n1, n2a], clusterPolicies: [accept] });
  assert.ok(step(next, live.clusterPolicy('ClusterNetworkPolicy', 'no-dev-to-prod', undefined)) > 0);
  assert.deepEqual(live.size.clusterPolicies, 1);
});
