// The redundant-rule reading before issue 13's product form (src/analysis/lint/rules/redundant-rule.ts):
// every witness (target, party, port) enumerated. Kept as the reference the fast form is tested against.
// Rules that allow nothing the other rules (of this policy or of others selecting the same pods)
// do not already allow. Decided on representative endpoints: every pod of the input, hypothetical
// pods and namespaces built from the selectors' labels, one address per ipBlock region, and one
// port per region of the port space, so a rule is only called redundant when no such witness exists.
//
// Scale: pods that the class engine puts in one class (src/matrix/state.ts: same namespace,
// selector-relevant labels and referenced named ports) answer every peer and port match alike, so
// a rule's witnesses are (target class, party, port) triples with one pod standing for its class;
// subset and equality between rules are unchanged. Peers are matched once per distinct peer
// (big inputs repeat them), and coverage is counted per witness instead of comparing rule pairs.
import { matchPeer, matchPort, type Party } from '../../src/match/peer.js';
import { selectorMatches } from '../../src/match/selector.js';
import { Reachability } from '../../src/matrix/engine.js';
import { policyId, type Cluster, type Direction, type NetworkPolicy, type Peer, type Rule } from '../../src/model/types.js';
import { representativePorts } from '../../src/analysis/ports.js';
import { collectSelectors, externalRegions, hypotheticals, withHypotheticals } from '../../src/analysis/universe.js';

interface Entry {
  policy: NetworkPolicy;
  rule: Rule;
  direction: Direction;
  order: number;
  hits: Set<number>;
}

/**
 * Every rule of an isolating direction with its witnesses. `byClass` false keeps one witness per
 * pod, the plain reading the class form is tested against (test/analysis/redundant-scale.test.ts).
 */
export function redundantEntries(cluster: Cluster, byClass = true): Entry[] {
  const policies = cluster.policies;
  const world = withHypotheticals(cluster, hypotheticals(cluster, collectSelectors(policies), { maxPods: 300 }));
  const nsByName = new Map(world.namespaces.map((n) => [n.name, n]));
  // Pod i stands for unit unitOf[i]; units are classes, or pods themselves.
  const engine = byClass ? new Reachability(world, { ipBlockPods: 'ignore' }) : undefined;
  const unitOf = world.pods.map((_, i) => (engine ? engine.classOfIndex(i) : i));
  const reps = new Map<number, number>();
  unitOf.forEach((u, i) => { if (!reps.has(u)) reps.set(u, i); });
  const podParty = (i: number): Party => ({ kind: 'pod', pod: world.pods[i]!, namespace: nsByName.get(world.pods[i]!.namespace)! });
  const parties: { party: Party; id: number }[] = [...reps].map(([u, i]) => ({ party: podParty(i), id: u }));
  const U = world.pods.length;
  for (const [r, region] of externalRegions(policies).entries()) parties.push({ party: { kind: 'ip', ip: region.ip }, id: U + r });
  const probes = representativePorts(policies, world);
  const P = U + parties.length;
  const Q = probes.length;

  // Parties a peer matches, once per distinct peer (and policy namespace, which scopes podSelectors).
  const peerCache = new Map<string, number[]>();
  const peerHits = (peer: Peer, ns: string): number[] => {
    const key = JSON.stringify([peer.namespaceSelector ?? null, peer.podSelector ?? null, peer.ipBlock ?? null, peer.namespaceSelector ? '' : ns]);
    let hit = peerCache.get(key);
    if (!hit) {
      hit = [];
      for (let o = 0; o < parties.length; o++) if (matchPeer(peer, parties[o]!.party, ns, 'ignore').match === true) hit.push(o);
      peerCache.set(key, hit);
    }
    return hit;
  };
  const portHits = (rule: Rule, dest: Party): number[] => {
    const out: number[] = [];
    probes.forEach((q, k) => {
      if (!rule.ports.length || rule.ports.some((pp) => matchPort(pp, q.port, q.protocol, dest).match === true)) out.push(k);
    });
    return out;
  };

  const entries: Entry[] = [];
  let order = 0;
  for (const policy of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      const targets: number[] = [];
      for (const [u, i] of reps) {
        const x = world.pods[i]!;
        if (x.namespace === policy.namespace && selectorMatches(policy.podSelector, x.labels)) targets.push(u);
      }
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        const hits = new Set<number>();
        let others: number[];
        if (rule.peers.length === 0) others = parties.map((_, o) => o);
        else {
          const s = new Set<number>();
          for (const peer of rule.peers) for (const o of peerHits(peer, policy.namespace)) s.add(o);
          others = [...s].sort((a, b) => a - b);
        }
        // Named ports resolve on the destination; without them the port test is the same for all.
        const named = rule.ports.some((pp) => typeof pp.port === 'string');
        const plain = named ? undefined : portHits(rule, { kind: 'ip', ip: '0.0.0.0' });
        for (const t of targets) {
          const self = podParty(reps.get(t)!);
          const ingressPorts = direction === 'ingress' ? plain ?? portHits(rule, self) : undefined;
          for (const o of others) {
            const ks = ingressPorts ?? plain ?? portHits(rule, parties[o]!.party);
            const base = (t * P + parties[o]!.id) * Q;
            for (const k of ks) hits.add(base + k);
          }
        }
        entries.push({ policy, rule, direction, order: order++, hits });
      }
    }
  }
  return entries;
}

/** The findings, as messages with their entries; shared by the rule and the scale test. */
export function redundantFindings(entries: readonly Entry[]): { e: Entry; single?: Entry; by: string }[] {
  // How many rules of each direction allow each witness, and twin groups (identical witness sets).
  const count = { ingress: new Map<number, number>(), egress: new Map<number, number>() };
  const twins = new Map<string, Entry[]>();
  const keys = new Map<Entry, string>();
  const twinKey = (e: Entry) => {
    let k = keys.get(e);
    if (k === undefined) keys.set(e, (k = `${e.direction} ${[...e.hits].sort((a, b) => a - b).join(',')}`));
    return k;
  };
  for (const e of entries) {
    if (e.hits.size === 0) continue;
    const m = count[e.direction];
    for (const h of e.hits) m.set(h, (m.get(h) ?? 0) + 1);
    const k = twinKey(e);
    const l = twins.get(k);
    if (l) l.push(e);
    else twins.set(k, [e]);
  }
  const out: { e: Entry; single?: Entry; by: string }[] = [];
  for (const e of entries) {
    if (e.hits.size === 0) continue;
    // Others: every rule of the direction but this one and its later twins (only the later twin is reported).
    const group = twins.get(twinKey(e))!;
    const excluded = new Set(group.filter((x) => x.order >= e.order));
    const m = count[e.direction];
    let covered = true;
    for (const h of e.hits) if (m.get(h)! - excluded.size < 1) { covered = false; break; }
    if (!covered) continue;
    const others = entries.filter((x) => !excluded.has(x) && x.direction === e.direction && x.hits.size > 0);
    const single = others.find((x) => [...e.hits].every((h) => x.hits.has(h)));
    const name = (x: Entry) => (x.policy === e.policy ? x.rule.path : `${policyId(x.policy)} ${x.rule.path}`);
    const by = single ? name(single) : `the other ${e.direction} rules together (${others.filter((x) => [...e.hits].some((h) => x.hits.has(h))).map(name).join(', ')})`;
    out.push(single ? { e, single, by } : { e, by });
  }
  return out;
}
