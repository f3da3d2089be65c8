// Differential tests: the engine (Evaluator in both ipBlock modes, and computeMatrix) against the
// naive reference on hundreds of generated clusters, every ordered pair, several ports and all
// three protocols. Zero mismatches allowed. Also proves the comparison is not vacuous.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, type Endpoint } from '../../src/evaluate/evaluate.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import type { Cluster, Pod, Protocol } from '../../src/model/types.js';
import { generateCluster, PROTOCOL_LIST, type Generated } from './generate.js';
import { referenceAllowed, referenceRows, type ReferenceEndpoint } from './reference.js';

const CLUSTERS = 300;
const PORTS = [53, 80, 81, 8080, 9000];
const MODES = ['match', 'ignore'] as const;

function clusters(n: number, offset = 0): Generated[] {
  return Array.from({ length: n }, (_, i) => generateCluster(1000 + offset + i));
}

function ep(e: ReferenceEndpoint): Endpoint {
  return 'kind' in e ? { kind: 'pod', pod: e } : { kind: 'ip', ip: e.ip };
}

function name(e: ReferenceEndpoint): string {
  return 'kind' in e ? `${e.namespace}/${e.name}` : e.ip;
}

/** `mismatches` keeps the first 20 for the message; `mismatched` counts them all. */
interface Tally { checked: number; allowed: number; mismatched: number; mismatches: string[] }

/** Compare an evaluator built on `engineCluster` to the reference on `truth` (the same cluster unless mutated). */
function compare(g: Generated, engineCluster: Cluster = g.cluster, tally: Tally = { checked: 0, allowed: 0, mismatched: 0, mismatches: [] }): Tally {
  const truth = g.cluster;
  const pods = truth.pods;
  const enginePods = engineCluster.pods;
  const externals = g.externalIps.map((ip) => ({ ip }));
  for (const mode of MODES) {
    const ev = new Evaluator(engineCluster, { ipBlockPods: mode });
    const pairs: [ReferenceEndpoint, ReferenceEndpoint, Endpoint, Endpoint][] = [];
    pods.forEach((a, i) => pods.forEach((b, j) => pairs.push([a, b, ep(enginePods[i]!), ep(enginePods[j]!)])));
    pods.forEach((a, i) => externals.forEach((x) => {
      pairs.push([a, x, ep(enginePods[i]!), ep(x)]);
      pairs.push([x, a, ep(x), ep(enginePods[i]!)]);
    }));
    for (const [from, to, efrom, eto] of pairs) {
      for (const port of PORTS) {
        for (const protocol of PROTOCOL_LIST) {
          const want = referenceAllowed(truth, from, to, port, protocol, { ipBlockPods: mode });
          const got = ev.allowed({ from: efrom, to: eto, port, protocol });
          tally.checked++;
          if (want) tally.allowed++;
          if (want === got) continue;
          tally.mismatched++;
          if (tally.mismatches.length < 20) tally.mismatches.push(`seed ${g.seed} ${mode}: ${name(from)} -> ${name(to)} ${port}/${protocol}: reference ${want}, engine ${got}`);
        }
      }
    }
  }
  return tally;
}

test(`Evaluator agrees with the reference on ${CLUSTERS} generated clusters (pods and external IPs, ipBlockPods match and ignore)`, () => {
  const tally: Tally = { checked: 0, allowed: 0, mismatched: 0, mismatches: [] };
  for (const g of clusters(CLUSTERS)) compare(g, g.cluster, tally);
  console.log(`differential Evaluator: ${tally.checked} connections checked, ${tally.allowed} allowed, ${tally.mismatched} mismatches`);
  assert.equal(tally.mismatched, 0);
  assert.deepEqual(tally.mismatches, []);
  assert.ok(tally.checked > 500_000, `only ${tally.checked} checked`);
  // A healthy mix: neither side dominates, so a constant engine cannot pass.
  const share = tally.allowed / tally.checked;
  assert.ok(share > 0.2 && share < 0.8, `allowed share ${share.toFixed(2)}`);
});

test(`computeMatrix agrees with the reference on ${CLUSTERS} generated clusters`, () => {
  let cells = 0;
  let ones = 0;
  const mismatches: string[] = [];
  for (const g of clusters(CLUSTERS)) {
    for (const mode of MODES) {
      const probes = PORTS.flatMap((port) => PROTOCOL_LIST.map((protocol) => ({ port, protocol })));
      const m = computeMatrix(g.cluster, probes, { ipBlockPods: mode });
      assert.deepEqual(m.pods, g.cluster.pods.map((p) => `${p.namespace}/${p.name}`));
      m.probes.forEach((probe, k) => {
        assert.equal(probe.port, probes[k]!.port);
        assert.equal(probe.protocol, probes[k]!.protocol);
        const want = referenceRows(g.cluster, g.cluster.pods, probe.port as number, probe.protocol, { ipBlockPods: mode });
        for (const [i, row] of want.entries()) {
          cells += row.length;
          ones += [...row].filter((c) => c === '1').length;
          if (probe.rows[i] !== row && mismatches.length < 20) mismatches.push(`seed ${g.seed} ${mode} ${probe.port}/${probe.protocol} row ${m.pods[i]}: engine ${probe.rows[i]} reference ${row}`);
        }
      });
    }
  }
  console.log(`differential computeMatrix: ${cells} cells checked, ${ones} allowed, ${mismatches.length} mismatches`);
  assert.deepEqual(mismatches, []);
  assert.ok(cells > 100_000);
});

test('computeMatrix resolves named-port probes on each destination like the reference', () => {
  let cells = 0;
  const mismatches: string[] = [];
  for (const g of clusters(100, 5000)) {
    for (const protocol of PROTOCOL_LIST) {
      for (const portName of ['http', 'dns', 'serve-81']) {
        const m = computeMatrix(g.cluster, [{ port: portName, protocol }]);
        const pods = g.cluster.pods;
        pods.forEach((src, i) => pods.forEach((dst, j) => {
          const decl = dst.ports.filter((c) => c.name === portName && c.protocol === protocol).map((c) => c.containerPort);
          // The probe targets the number the destination gives that name; undeclared → no connection.
          const want = src === dst || (decl.length > 0 && referenceAllowed(g.cluster, src, dst, decl[0]!, protocol));
          cells++;
          if ((m.probes[0]!.rows[i]![j] === '1') !== want && mismatches.length < 20) mismatches.push(`seed ${g.seed} ${portName}/${protocol} ${i}->${j}`);
        }));
      }
    }
  }
  console.log(`differential named-port matrix: ${cells} cells checked, ${mismatches.length} mismatches`);
  assert.deepEqual(mismatches, []);
});

// --- The comparison is not vacuous -----------------------------------------------------------
// Each mutant is the engine run on a cluster altered the way a plausible bug would alter it.
// The generated clusters must be rich enough that the reference catches every one of them.

type Mutant = (c: Cluster) => Cluster;
const mapPolicies = (c: Cluster, f: (p: Cluster['policies'][number]) => Cluster['policies'][number]): Cluster => ({ ...c, policies: c.policies.map(f) });
const mapRules = (c: Cluster, f: (r: Cluster['policies'][number]['ingress'][number]) => Cluster['policies'][number]['ingress'][number]) =>
  mapPolicies(c, (p) => ({ ...p, ingress: p.ingress.map(f), egress: p.egress.map(f) }));

const MUTANTS: Record<string, Mutant> = {
  'ignores every policy': (c) => ({ ...c, policies: [] }),
  'ignores explicit policyTypes (treats every policy as Ingress+Egress)': (c) => mapPolicies(c, (p) => ({ ...p, policyTypes: ['Ingress', 'Egress'] })),
  'ignores ipBlock except': (c) => mapRules(c, (r) => ({ ...r, peers: r.peers.map((p) => (p.ipBlock ? { ...p, ipBlock: { ...p.ipBlock, except: [] } } : p)) })),
  'ORs namespaceSelector and podSelector of one peer': (c) => mapRules(c, (r) => ({
    ...r, peers: r.peers.flatMap((p) => (p.podSelector && p.namespaceSelector ? [{ path: p.path, podSelector: p.podSelector, namespaceSelector: { matchLabels: {}, matchExpressions: [] } }, { path: p.path, namespaceSelector: p.namespaceSelector }] : [p])),
  })),
  'ignores endPort': (c) => mapRules(c, (r) => ({ ...r, ports: r.ports.map((pp) => ({ protocol: pp.protocol, path: pp.path, ...(pp.port !== undefined ? { port: pp.port } : {}) })) })),
  'ignores the protocol of port entries': (c) => mapRules(c, (r) => ({ ...r, ports: r.ports.map((pp) => ({ ...pp, protocol: 'TCP' as Protocol })) })),
  'treats NotIn like In': (c) => mapPolicies(c, (p) => ({
    ...p, podSelector: { ...p.podSelector, matchExpressions: p.podSelector.matchExpressions.map((e) => (e.operator === 'NotIn' ? { ...e, operator: 'In' as const } : e)) },
  })),
  'treats empty from/to as matching nothing': (c) => mapRules(c, (r) => (r.peers.length === 0 ? { ...r, peers: [{ path: r.path, ipBlock: { cidr: '203.0.113.0/32', except: [] } }] } : r)),
  'treats named ports as matching any port': (c) => mapRules(c, (r) => ({ ...r, ports: r.ports.map((pp) => (typeof pp.port === 'string' ? { protocol: pp.protocol, path: pp.path } : pp)) })),
  'lets podSelector-only peers match every namespace': (c) => mapRules(c, (r) => ({ ...r, peers: r.peers.map((p) => (p.podSelector && !p.namespaceSelector ? { ...p, namespaceSelector: { matchLabels: {}, matchExpressions: [] } } : p)) })),
};

test('every plausible engine bug (mutant) is caught by the generated clusters', () => {
  const sample = clusters(CLUSTERS, 9000);
  const caught: Record<string, number> = {};
  for (const [label, mutate] of Object.entries(MUTANTS)) {
    let mismatches = 0;
    for (const g of sample) {
      const mutated = mutate(g.cluster);
      // Keep the same pod objects so endpoints line up.
      const t = compare(g, { ...mutated, pods: g.cluster.pods });
      mismatches += t.mismatched;
      if (mismatches > 0) break;
    }
    caught[label] = mismatches;
  }
  console.log(`mutants caught: ${JSON.stringify(caught)}`);
  for (const [label, n] of Object.entries(caught)) assert.ok(n > 0, `mutant "${label}" went unnoticed`);
});

test('generated clusters use every feature', () => {
  const all = clusters(CLUSTERS);
  const policies = all.flatMap((g) => g.cluster.policies);
  const rules = policies.flatMap((p) => [...p.ingress, ...p.egress]);
  const peers = rules.flatMap((r) => r.peers);
  const ports = rules.flatMap((r) => r.ports);
  const ops = new Set(peers.flatMap((p) => [...(p.podSelector?.matchExpressions ?? []), ...(p.namespaceSelector?.matchExpressions ?? [])]).map((e) => e.operator));
  const counts = {
    emptyPeers: rules.filter((r) => r.peers.length === 0).length,
    emptyPorts: rules.filter((r) => r.ports.length === 0).length,
    multiPeer: rules.filter((r) => r.peers.length > 1).length,
    andPeer: peers.filter((p) => p.podSelector && p.namespaceSelector).length,
    nsAll: peers.filter((p) => p.namespaceSelector && Object.keys(p.namespaceSelector.matchLabels).length === 0 && p.namespaceSelector.matchExpressions.length === 0).length,
    ipv4Except: peers.filter((p) => p.ipBlock?.except.some((e) => e.includes('.'))).length,
    ipv6Except: peers.filter((p) => p.ipBlock?.except.some((e) => e.includes(':'))).length,
    endPort: ports.filter((p) => p.endPort !== undefined).length,
    named: ports.filter((p) => typeof p.port === 'string').length,
    sctp: ports.filter((p) => p.protocol === 'SCTP').length,
    egressOnly: policies.filter((p) => p.policyTypes.join() === 'Egress').length,
    defaulted: policies.filter((p) => p.policyTypesDefaulted).length,
    dualStackPods: all.flatMap((g) => g.cluster.pods).filter((p) => p.ips.length === 2).length,
    podsWithoutIp: all.flatMap((g) => g.cluster.pods).filter((p) => p.ips.length === 0).length,
    implicitNamespaces: all.flatMap((g) => g.cluster.namespaces).filter((n) => n.implicit).length,
  };
  console.log(`feature counts over ${CLUSTERS} clusters: ${JSON.stringify(counts)}, operators ${[...ops].join(',')}`);
  for (const [k, v] of Object.entries(counts)) assert.ok(v >= 20, `${k}: only ${v}`);
  assert.deepEqual([...ops].sort(), ['DoesNotExist', 'Exists', 'In', 'NotIn']);
});

export type { Pod };
