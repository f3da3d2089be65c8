// coverage asks the class engine's rows before tracing a wider-reach question with the Evaluator
// (src/analysis/coverage/coverage.ts); pinned here to the reading before that change, which
// traced every question (reference-coverage.ts), on random clusters in every ipBlock mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCoverage } from '../../src/analysis/coverage/coverage.js';
import type { Cluster, ContainerPort, NetworkPolicy, Peer, PolicyPort, Rule } from '../../src/model/types.js';
import { b2 } from '../../bench/workloads.js';
import { generateCluster, rng } from '../oracle/generate.js';
import { generateTierCluster } from '../oracle/generate-tiers.js';
import { replicaCluster } from '../matrix/helpers.js';
import { referenceComputeCoverage } from './reference-coverage.js';

/** The generator leaves some pods unnamed (generateName); loaded pods always have a name. */
const named = (c: Cluster): Cluster => ({ ...c, pods: c.pods.map((p, i) => (p.name ? p : { ...p, name: `gen-${i}` })) });

const CONTAINER_PORTS: ContainerPort[] = [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { name: 'alt', containerPort: 81, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }];
const PORT_LISTS: Omit<PolicyPort, 'path'>[][] = [[], [{ protocol: 'TCP', port: 80 }], [{ protocol: 'TCP', port: 'http' }], [{ protocol: 'TCP', port: 80, endPort: 81 }], [{ protocol: 'UDP' }], [{ protocol: 'TCP', port: 'alt' }, { protocol: 'UDP', port: 53 }]];

/**
 * B2 (one selector per peer, many policies per pod: the shape the engine's attribution serves)
 * with declared and named ports, several rules and peers per ingress policy, and real field paths
 * (the report keys a peer by path and policy), so the first allowing policy, rule and peer differ
 * by port.
 */
function portedB2(n: number, seed: number): Cluster {
  const r = rng(seed);
  const c = b2(n, seed);
  const peers: Peer[] = c.policies.flatMap((p) => [...p.ingress, ...p.egress].flatMap((x) => x.peers));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const rule = (path: string, ps: Peer[]): Rule => ({
    // Half the peers keep only the user label: wide peers, holding many made-up pods.
    path, peers: ps.map((x, j) => ({ ...x, path: `${path}.from[${j}]`, ...(x.podSelector && r() < 0.5 ? { podSelector: { ...x.podSelector, matchLabels: { user: x.podSelector.matchLabels.user! } } } : {}) })),
    ports: pick(PORT_LISTS).map((x, j) => ({ ...x, path: `${path}.ports[${j}]` })),
  });
  const pods = c.pods.map((p) => ({ ...p, ports: CONTAINER_PORTS.filter(() => r() < 0.5) }));
  const policies = c.policies.map((p): NetworkPolicy => {
    if (!p.policyTypes.includes('Ingress')) return p;
    const rules = [rule('spec.ingress[0]', [...p.ingress[0]!.peers])];
    if (r() < 0.6) rules.push(rule('spec.ingress[1]', [pick(peers), ...(r() < 0.5 ? [pick(peers)] : [])]));
    // Half the targets wide too, so a pod has several ingress policies admitting the same made-up pods.
    return { ...p, ingress: rules, ...(r() < 0.5 ? { podSelector: { ...p.podSelector, matchLabels: { user: p.podSelector.matchLabels.user! } } } : {}) };
  });
  return { ...c, pods, policies };
}

test('coverage with the engine rows equals the reference that traces every question, in every ipBlock mode', () => {
  const clusters: [string, Cluster][] = [['b2 300', b2(300)]];
  for (let seed = 1; seed <= 4; seed++) clusters.push([`ported b2 ${seed}`, portedB2(150, seed)]);
  for (let seed = 1; seed <= 15; seed++) {
    clusters.push([`replica ${seed}`, replicaCluster(seed)]);
    clusters.push([`generated ${seed}`, named(generateCluster(seed, { podsPerNamespace: 8, policiesPerNamespace: 5 }).cluster)]);
  }
  for (let seed = 1; seed <= 6; seed++) clusters.push([`tiers ${seed}`, named(generateTierCluster(seed, { podsPerNamespace: 6 }).cluster)]);
  let wider = 0, hostNetworkWider = 0, notWider = 0;
  for (const [name, c] of clusters) {
    for (const ipBlockPods of ['match', 'ignore', 'depends'] as const) {
      const want = referenceComputeCoverage(c, { ipBlockPods });
      assert.deepEqual(computeCoverage(c, { ipBlockPods }), want, `${name}, ${ipBlockPods}`);
      const hostNetwork = new Set(c.pods.filter((p) => p.hostNetwork).map((p) => `${p.namespace}/${p.name}`));
      for (const e of want.exposure) {
        wider += e.wider.length;
        if (hostNetwork.has(e.pod)) hostNetworkWider += e.wider.length;
        // Isolated pods with made-up sources the rows turn away: the filter's case.
        if (e.isolated.ingress && e.wider.length === 0) notWider++;
      }
    }
  }
  // Meaningful only if there are reports to get wrong and questions to skip.
  assert.ok(wider > 200 && hostNetworkWider > 0 && notWider > 100, `wider ${wider}, hostNetwork ${hostNetworkWider}, not wider ${notWider}`);
});
