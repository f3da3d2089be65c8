// Rules that allow nothing the other rules (of this policy or of others selecting the same pods)
// do not already allow. Decided on representative endpoints: every pod of the input, hypothetical
// pods and namespaces built from the selectors' labels, one address per ipBlock region, and one
// port per region of the port space, so a rule is only called redundant when no such witness exists.
//
// Scale: a witness is (target, party, port), where targets and pod parties are classes of the class
// engine (one pod stands for its class: src/matrix/state.ts). A rule's ports depend only on its
// destination (the target for ingress, the party for egress), so for each probe port its witnesses
// are one rectangle targets × parties. Rules are kept as one rectangle per probe over interned sets
// (targets from the engine's target group, parties from its peer groups), never as the product:
// a rule of B2 whose selectors hold a fifth of the pods each has n²/25 witnesses. Subset, overlap
// and cover are decided on the sets; test/analysis/redundant-scale.test.ts pins the findings to the
// enumerating reading (test/analysis/reference-redundant.ts).
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { matchPeer, matchPort, type Party } from '../../../match/peer.js';
import { Reachability } from '../../../matrix/engine.js';
import { policyId, type Cluster, type Direction, type NetworkPolicy, type Rule } from '../../../model/types.js';
import { representativePorts } from '../../ports.js';
import { collectSelectors, externalRegions, hypotheticals, withHypotheticals } from '../../universe.js';
import type { LintContext, LintRule } from '../context.js';
import { editPolicy, forget, reindex, withRules } from '../fix.js';

/** Per probe port: [target set, party set], or null when the rule allows nothing on that probe. */
type Rect = readonly [number, number] | null;

interface Entry {
  policy: NetworkPolicy;
  rule: Rule;
  direction: Direction;
  order: number;
  rects: Rect[];
  twin: string;
}

export interface RedundantFinding {
  policy: NetworkPolicy;
  rule: Rule;
  direction: Direction;
  /** The one rule that allows everything this one does, if there is one. */
  single?: { policy: NetworkPolicy; rule: Rule };
  /** How the message names what covers the rule. */
  by: string;
}

/** Sorted id sets interned by content, with cached subset and overlap answers. */
class SetPool {
  readonly sets: number[][] = [];
  private readonly ids = new Map<string, number>();
  private readonly has: (Set<number> | undefined)[] = [];
  private readonly subCache = new Map<number, boolean>();
  private readonly interCache = new Map<number, boolean>();

  /** The id of a sorted, duplicate-free list; -1 when empty. */
  intern(list: number[]): number {
    if (list.length === 0) return -1;
    const key = list.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(list);
      this.ids.set(key, id);
    }
    return id;
  }

  contains(id: number, x: number): boolean {
    let s = this.has[id];
    if (!s) this.has[id] = s = new Set(this.sets[id]);
    return s.has(x);
  }

  /** a ⊆ b */
  sub(a: number, b: number): boolean {
    if (a === b) return true;
    const key = a * 4194304 + b;
    let r = this.subCache.get(key);
    if (r === undefined) {
      const A = this.sets[a]!;
      r = A.length <= this.sets[b]!.length && A.every((x) => this.contains(b, x));
      this.subCache.set(key, r);
    }
    return r;
  }

  /** a ∩ b ≠ ∅ */
  inter(a: number, b: number): boolean {
    if (a === b) return true;
    const [s, l] = this.sets[a]!.length <= this.sets[b]!.length ? [a, b] : [b, a];
    const key = s * 4194304 + l;
    let r = this.interCache.get(key);
    if (r === undefined) {
      r = this.sets[s]!.some((x) => this.contains(l, x));
      this.interCache.set(key, r);
    }
    return r;
  }
}

/** Sorted union of sorted lists. */
function union(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 1) return [...lists[0]!];
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}

function entries(cluster: Cluster, pool: SetPool): Entry[] {
  const policies = cluster.policies;
  const world = withHypotheticals(cluster, hypotheticals(cluster, collectSelectors(policies), { maxPods: 300 }));
  const nsByName = new Map(world.namespaces.map((n) => [n.name, n]));
  const engine = new Reachability(world, { ipBlockPods: 'ignore' });
  // One pod stands for each class (unit); addresses get ids after the classes.
  const reps = new Map<number, number>();
  world.pods.forEach((_, i) => { const u = engine.classOfIndex(i); if (!reps.has(u)) reps.set(u, i); });
  const units = [...reps.keys()].sort((a, b) => a - b);
  const U = engine.classes.length;
  const regions = externalRegions(policies);
  const partyOf = (id: number): Party => {
    if (id >= U) return { kind: 'ip', ip: regions[id - U]!.ip };
    const pod = world.pods[reps.get(id)!]!;
    return { kind: 'pod', pod, namespace: nsByName.get(pod.namespace)! };
  };
  const everyParty = [...units, ...regions.map((_, r) => U + r)];
  const probes = representativePorts(policies, world);
  const inUnits = (members: readonly number[]) => members.filter((c) => reps.has(c));

  const regionHits = new Map<string, number[]>();
  const partyCache = new Map<string, number[]>();
  const partiesOf = (rule: Rule, ns: string): number[] => {
    if (rule.peers.length === 0) return everyParty;
    const key = JSON.stringify(rule.peers.map((peer) => [peer.namespaceSelector ?? null, peer.podSelector ?? null, peer.ipBlock ?? null, peer.namespaceSelector ? '' : ns]));
    let hit = partyCache.get(key);
    if (!hit) {
      const lists: number[][] = [];
      for (const peer of rule.peers) {
        if (peer.ipBlock) {
          // Only addresses match an ipBlock here ('ignore'); the regions are few.
          const k = JSON.stringify(peer.ipBlock);
          let r = regionHits.get(k);
          if (!r) regionHits.set(k, (r = regions.flatMap((g, i) => (matchPeer(peer, { kind: 'ip', ip: g.ip }, ns, 'ignore').match === true ? [U + i] : []))));
          lists.push(r);
        } else lists.push(inUnits(engine.groupMembers(engine.peerGroup(ns, peer))));
      }
      partyCache.set(key, (hit = union(lists)));
    }
    return hit;
  };
  const portHits = (rule: Rule, dest: Party): boolean[] =>
    probes.map((q) => !rule.ports.length || rule.ports.some((pp) => matchPort(pp, q.port, q.protocol, dest).match === true));

  const out: Entry[] = [];
  let order = 0;
  for (const policy of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      const targets = inUnits(engine.groupMembers(engine.targetGroup(policy)));
      const T = pool.intern(targets);
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        const parties = partiesOf(rule, policy.namespace);
        const O = pool.intern(parties);
        let rects: Rect[];
        if (T < 0 || O < 0) rects = probes.map(() => null);
        else if (!rule.ports.some((pp) => typeof pp.port === 'string')) {
          // Without named ports the port test is the same for every destination.
          rects = portHits(rule, { kind: 'ip', ip: '0.0.0.0' }).map((ok) => (ok ? [T, O] : null));
        } else {
          // Named ports resolve on the destination: split its side by probe.
          const dests = direction === 'ingress' ? targets : parties;
          const byProbe: number[][] = probes.map(() => []);
          for (const d of dests) portHits(rule, partyOf(d)).forEach((ok, k) => { if (ok) byProbe[k]!.push(d); });
          rects = byProbe.map((list) => {
            const s = pool.intern(list);
            return s < 0 ? null : direction === 'ingress' ? [s, O] : [T, s];
          });
        }
        const twin = `${direction} ${rects.map((r) => (r ? `${r[0]}:${r[1]}` : '-')).join(' ')}`;
        out.push({ policy, rule, direction, order: order++, rects, twin });
      }
    }
  }
  return out;
}

/** The findings of redundant-rule, in rule order. */
export function redundantFindings(cluster: Cluster): RedundantFinding[] {
  const pool = new SetPool();
  const all = entries(cluster, pool).filter((e) => e.rects.some((r) => r));
  // Per direction and probe: the rules by target set; per target: the target sets holding it.
  const byT = new Map<string, Map<number, Entry[]>>();
  const tidsOf = new Map<number, number[]>();
  const seenT = new Set<number>();
  for (const e of all) {
    e.rects.forEach((r, k) => {
      if (!r) return;
      const key = `${e.direction} ${k}`;
      let m = byT.get(key);
      if (!m) byT.set(key, (m = new Map()));
      const l = m.get(r[0]);
      if (l) l.push(e);
      else m.set(r[0], [e]);
      if (seenT.has(r[0])) return;
      seenT.add(r[0]);
      for (const t of pool.sets[r[0]]!) {
        const s = tidsOf.get(t);
        if (s) s.push(r[0]);
        else tidsOf.set(t, [r[0]]);
      }
    });
  }
  const interT = new Map<number, number[]>();
  const overlappingT = (a: number): number[] => {
    let hit = interT.get(a);
    if (!hit) {
      const s = new Set<number>();
      for (const t of pool.sets[a]!) for (const b of tidsOf.get(t)!) s.add(b);
      interT.set(a, (hit = [...s]));
    }
    return hit;
  };

  /** Is targets × parties inside the union of the rectangles? */
  const covers = (A: number, O: number, rects: readonly (readonly [number, number])[]): boolean => {
    const byTid = new Map<number, number[]>();
    rects.forEach(([t], i) => { const l = byTid.get(t); if (l) l.push(i); else byTid.set(t, [i]); });
    const memo = new Map<string, boolean>();
    for (const t of pool.sets[A]!) {
      const J: number[] = [];
      for (const b of tidsOf.get(t)!) for (const i of byTid.get(b) ?? []) J.push(i);
      if (J.length === 0) return false;
      const sig = J.sort((a, b) => a - b).join(',');
      let ok = memo.get(sig);
      if (ok === undefined) {
        ok = pool.sets[O]!.every((o) => J.some((j) => pool.contains(rects[j]![1], o)));
        memo.set(sig, ok);
      }
      if (!ok) return false;
    }
    return true;
  };

  const out: RedundantFinding[] = [];
  for (const e of all) {
    // Others: every rule of the direction allowing something, but this one and its later twins.
    const counts = (x: Entry) => x !== e && !(x.twin === e.twin && x.order > e.order);
    const cands = new Set<Entry>();
    e.rects.forEach((r, k) => {
      if (!r) return;
      const m = byT.get(`${e.direction} ${k}`)!;
      for (const b of overlappingT(r[0])) {
        for (const x of m.get(b) ?? []) if (!cands.has(x) && counts(x) && pool.inter(r[1], x.rects[k]![1])) cands.add(x);
      }
    });
    if (cands.size === 0) continue;
    const others = [...cands].sort((a, b) => a.order - b.order);
    const single = others.find((x) => e.rects.every((r, k) => {
      if (!r) return true;
      const s = x.rects[k];
      return !!s && pool.sub(r[0], s[0]) && pool.sub(r[1], s[1]);
    }));
    const name = (x: Entry) => (x.policy === e.policy ? x.rule.path : `${policyId(x.policy)} ${x.rule.path}`);
    if (single) {
      out.push({ policy: e.policy, rule: e.rule, direction: e.direction, single: { policy: single.policy, rule: single.rule }, by: name(single) });
      continue;
    }
    const covered = e.rects.every((r, k) => !r || covers(r[0], r[1], others.flatMap((x) => {
      const s = x.rects[k];
      return s && pool.inter(r[0], s[0]) && pool.inter(r[1], s[1]) ? [s] : [];
    })));
    if (covered) out.push({ policy: e.policy, rule: e.rule, direction: e.direction, by: `the other ${e.direction} rules together (${others.map(name).join(', ')})` });
  }
  return out;
}

export const redundantRule: LintRule = {
  id: 'redundant-rule',
  summary: 'a rule allows nothing that other rules for the same pods do not already allow',
  severity: 'warning',
  check(ctx: LintContext) {
    if (ctx.cluster.policies.length === 0) return [];
    const out: Diagnostic[] = [];
    for (const { policy, rule, direction, single, by } of redundantFindings(ctx.cluster)) {
      const field = direction === 'ingress' ? 'from' : 'to';
      out.push(ctx.finding(this, policy, rule.path,
        `this ${direction} rule allows nothing that ${by} does not already allow`,
        single && single.policy === policy ? 'delete it, or narrow the broader rule if this one was meant to be the only way in' : 'delete it, or narrow the other rule; policies add up, so the broader one wins',
        { fix: (c) => editPolicy(c, policy, (x) => reindex(forget(withRules(x, direction, x[direction].filter((r) => r.path !== rule.path)),
          `${rule.path}.${field}`, `${rule.path}.ports`))) }));
    }
    return out;
  },
};
