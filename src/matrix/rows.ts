// Class rows and pair queries. A row (one source class s against every destination class, per
// port atom class k) is
//   E(s) AND I(s)
//   E(s) = every class when s is not egress-isolated, else the union over the groups t holding s
//          of egress(t): the peers that policies targeting t allow s to reach;
//   I(s) = base (destinations open to everyone) OR the union over the groups g holding s of
//          ingress(g): the targets of ingress rules naming g as peer.
// egress(t) and ingress(g) do not depend on s, so each is computed once and cached: in Kano's
// random-label shape (B2) thousands of rows share the same few dense `user=...` groups, and
// OR-ing a cached union once per row replaces OR-ing hundreds of rule targets per row.
import { andInto, clearBit, hasBit, isEmpty, orInto, setBit, words, type Bits } from './bitset.js';
import { EVERY } from './groups.js';
import { maskHas, type PortSet } from './port-atoms.js';
import type { RuleState, Tables } from './state.js';
import { tierAllows, type TierTable } from './tiers.js';

/** Per atom class: every class, a bitset, a list of class ids (may repeat), or nothing. */
type Part = 'all' | Bits | Int32Array | undefined;
type Union = Part[] | null;

/** Accumulates one union per atom class; switches a part to a bitset once its list gets long. */
class UnionBuilder {
  private readonly parts: (number[] | Bits | 'all' | undefined)[];
  private readonly w: number;

  constructor(private readonly t: Tables, k: number) {
    this.parts = new Array(k).fill(undefined);
    this.w = words(t.cap);
  }

  add(k: number, c: number): void {
    const p = this.parts[k];
    if (p === 'all') return;
    if (p instanceof Uint32Array) setBit(p, c);
    else if (!p) this.parts[k] = [c];
    else if (p.push(c) > this.w) this.parts[k] = this.dense(k);
  }

  private dense(k: number): Bits {
    const p = this.parts[k];
    if (p instanceof Uint32Array) return p;
    const b = new Uint32Array(this.w);
    if (Array.isArray(p)) for (const c of p) setBit(b, c);
    this.parts[k] = b;
    return b;
  }

  addGroup(k: number, g: number): void {
    if (g === EVERY) { this.parts[k] = 'all'; return; }
    if (this.parts[k] === 'all') return;
    const members = this.t.groups.get(g).members;
    if (members.length * 2 > this.w) orInto(this.dense(k), this.t.groups.bitsOf(g, this.t.cap));
    else for (const c of members) this.add(k, c);
  }

  /** A bitset covering every live class becomes 'all', so rows can stop OR-ing early. */
  finish(): Union {
    if (this.parts.every((p) => p === undefined)) return null;
    return this.parts.map((p) => (Array.isArray(p) ? Int32Array.from(p) : p instanceof Uint32Array && covers(p, this.t.alive) ? 'all' : p));
  }
}

function covers(b: Bits, alive: Bits): boolean {
  for (let i = 0; i < alive.length; i++) if (((b[i]! & alive[i]!) >>> 0) !== alive[i]) return false;
  return true;
}

/**
 * ORs a union into a row; `full[k]` marks parts already holding every live class, which later
 * unions cannot change. Returns true when every part is full (the caller stops early): in B2
 * most rows reach everything after one or two unions.
 */
function applyUnion(rowBits: Bits[], u: Union, alive: Bits, full: Uint8Array): boolean {
  if (!u) return false;
  let done = true;
  for (let k = 0; k < u.length; k++) {
    const p = u[k];
    if (full[k]) continue;
    done = false;
    if (p === undefined) continue;
    if (p === 'all') { rowBits[k]!.set(alive); full[k] = 1; }
    else if (p instanceof Uint32Array) orInto(rowBits[k]!, p);
    else for (let i = 0; i < p.length; i++) setBit(rowBits[k]!, p[i]!);
  }
  return done || full.every((f) => f === 1);
}

/**
 * Sets the members' bits to the tier answer: allowed whatever the NetworkPolicy layer said (set),
 * denied whatever it said (clear), or its opposite (invert). "Keep" is the caller's no-op.
 */
function patch(bits: Bits, members: Bits, ifAllowed: boolean, ifDenied: boolean): void {
  if (ifAllowed && ifDenied) orInto(bits, members);
  else if (!ifAllowed && !ifDenied) for (let w = 0; w < members.length; w++) bits[w] = (bits[w]! & ~members[w]!) >>> 0;
  else for (let w = 0; w < members.length; w++) bits[w] = (bits[w]! ^ members[w]!) >>> 0;
}

export class Rows {
  private readonly egress = new Map<number, Union>();
  private readonly ingress = new Map<number, Union>();
  private base?: Bits[];
  private baseFull = new Uint8Array(0);
  private fullE = new Uint8Array(0);
  private fullI = new Uint8Array(0);
  private lastFull = new Uint8Array(0);
  private tmpE: Bits[] = [];
  private tmpI: Bits[] = [];
  private tmpMask: Uint32Array;
  /** Ingress tier subjects grouped by table and isolation (tierGroups). */
  private groupsOfTiers?: { tab: TierTable; isolated: boolean; members: Bits }[];
  private tierGroupsFor?: readonly number[];
  /** Per egress tier table: the live classes by signature (bySignature); per tier state and classes. */
  private readonly sigGroups = new Map<TierTable, { id: number; members: Bits }[]>();
  private sigGroupsOf?: Tables['tiers'];
  rowsComputed = 0;
  pairQueries = 0;

  constructor(private readonly t: Tables) {
    this.tmpMask = new Uint32Array(t.ports.words);
  }

  /** The set of classes changed (or the bitset width): every cached union may be stale. */
  classesChanged(): void {
    this.egress.clear();
    this.ingress.clear();
    this.base = undefined;
    this.groupsOfTiers = undefined;
    this.sigGroups.clear();
    this.t.tiers?.classesChanged();
  }

  /** A policy was applied or removed: only unions it contributes to are stale. */
  policyChanged(target: number, inRules: readonly RuleState[]): void {
    this.egress.delete(target);
    for (const r of inRules) for (const g of r.groups) this.ingress.delete(g);
    this.base = undefined;
    this.groupsOfTiers = undefined;
  }

  /** Does a rule's port set hold atom class k on destination class d? */
  private portsHold(set: PortSet, d: number, k: number): boolean {
    if (maskHas(set.mask, k)) return true;
    if (!set.named.length) return false;
    const m = this.tmpMask;
    m.fill(0);
    this.t.ports.resolveNamed(set.named, this.t.classes[d]!.named, m);
    return maskHas(m, k);
  }

  /** Adds a rule's peers (or targets) `g` on the atom classes its ports hold; named ports per destination. */
  private addRule(u: UnionBuilder, set: PortSet, g: number): void {
    const K = this.t.ports.count;
    for (let k = 0; k < K; k++) if (maskHas(set.mask, k)) u.addGroup(k, g);
    if (!set.named.length) return;
    const dests = g === EVERY ? this.t.liveClassIds() : this.t.groups.get(g).members;
    for (const d of dests) for (let k = 0; k < K; k++) if (this.portsHold(set, d, k)) u.add(k, d);
  }

  /** Peers that egress-isolating policies targeting group `tg` allow its members to reach. */
  private egressOf(tg: number): Union {
    let u = this.egress.get(tg);
    if (u !== undefined) return u;
    const b = new UnionBuilder(this.t, this.t.ports.count);
    for (const pi of this.t.targetsOf.get(tg) ?? []) {
      const st = this.t.policies[pi]!;
      if (st.alive && st.egIso) for (const r of st.egRules) for (const g of r.groups) this.addRule(b, r.set, g);
    }
    this.egress.set(tg, (u = b.finish()));
    return u;
  }

  /** Destinations whose ingress rules name group `g` as a peer. */
  private ingressOf(g: number): Union {
    let u = this.ingress.get(g);
    if (u !== undefined) return u;
    const b = new UnionBuilder(this.t, this.t.ports.count);
    for (const { pol, rule } of this.t.groups.get(g).namedBy) {
      const st = this.t.policies[pol]!;
      this.addRule(b, st.inRules[rule]!.set, st.target);
    }
    this.ingress.set(g, (u = b.finish()));
    return u;
  }

  /** Per atom class: destinations that accept ingress from everyone (not isolated, or a rule without from). */
  private baseBits(): Bits[] {
    if (!this.base) {
      const W = words(this.t.cap);
      const base = Array.from({ length: this.t.ports.count }, () => new Uint32Array(W));
      for (const c of this.t.classes) if (c.alive && this.t.isolation(c.id, true) === 0) for (const b of base) setBit(b, c.id);
      const full = new Uint8Array(base.length);
      applyUnion(base, this.ingressOf(EVERY), this.t.alive, full);
      this.baseFull = Uint8Array.from(base, (b) => (covers(b, this.t.alive) ? 1 : 0));
      this.base = base;
    }
    return this.base;
  }

  /**
   * One class row: for each atom class k, the destination classes that pods of class s may
   * reach on ports of k. Returns internal buffers, valid until the next call.
   */
  row(s: number): Bits[] {
    this.rowsComputed++;
    const t = this.t;
    const K = t.ports.count;
    const W = words(t.cap);
    if (this.tmpE.length !== K || this.tmpE[0]?.length !== W) {
      this.tmpE = Array.from({ length: K }, () => new Uint32Array(W));
      this.tmpI = Array.from({ length: K }, () => new Uint32Array(W));
      this.fullE = new Uint8Array(K);
      this.fullI = new Uint8Array(K);
      this.lastFull = new Uint8Array(K);
    }
    const E = this.tmpE, I = this.tmpI;
    const memberOf = t.groups.memberOf[s]!;
    this.lastFull.fill(0);
    const egIso = t.isolation(s, false) > 0;
    if (!egIso) {
      for (let k = 0; k < K; k++) E[k]!.set(t.alive);
      this.fullE.fill(1);
    } else {
      for (let k = 0; k < K; k++) E[k]!.fill(0);
      this.fullE.fill(0);
      for (const g of memberOf) if (applyUnion(E, this.egressOf(g), t.alive, this.fullE)) break;
    }
    if (t.tiers?.isSubject(s, 'egress')) this.tierEgress(s, egIso, E);
    if (egIso || t.tiers) {
      let any = false;
      for (let k = 0; k < K && !any; k++) any = !isEmpty(E[k]!);
      if (!any) return E;
    }
    const base = this.baseBits();
    for (let k = 0; k < K; k++) I[k]!.set(base[k]!);
    this.fullI.set(this.baseFull);
    if (!this.fullI.every((f) => f === 1)) for (const g of memberOf) if (applyUnion(I, this.ingressOf(g), t.alive, this.fullI)) break;
    if (t.tiers) this.tierIngress(s, I);
    // A side holding every live class needs no AND; both full, the row is every live class and
    // says so (rowPodPairs then skips its popcount). In B2 every row ends up full.
    for (let k = 0; k < K; k++) {
      const fe = this.fullE[k] === 1 || covers(E[k]!, t.alive);
      const fi = this.fullI[k] === 1 || covers(I[k]!, t.alive);
      if (fe && fi) this.lastFull[k] = 1;
      else if (fe) E[k]!.set(I[k]!);
      else if (!fi) andInto(E[k]!, I[k]!);
    }
    return E;
  }

  /** Is `bits` a part of the last row known to hold every live class? */
  isFullPart(bits: Bits): boolean {
    const k = this.tmpE.indexOf(bits);
    return k >= 0 && this.lastFull[k] === 1;
  }

  /** Does `self`'s policy set allow the connection in one direction (other = the far class, d = destination)? */
  private directionAllows(self: number, other: number, d: number, k: number, ingress: boolean): boolean {
    const t = this.t;
    if (t.isolation(self, ingress) === 0) return true;
    for (const tg of t.groups.memberOf[self]!) {
      for (const pi of t.targetsOf.get(tg) ?? []) {
        const st = t.policies[pi]!;
        if (!st.alive) continue;
        for (const r of ingress ? st.inRules : st.egRules) {
          if (!this.portsHold(r.set, d, k)) continue;
          for (const g of r.groups) if (t.groups.has(g, other)) return true;
        }
      }
    }
    return false;
  }

  /** May a pod of class s open a connection to a pod of class d (not the same pod) on atom class k? */
  classAllowed(s: number, d: number, k: number): boolean {
    this.pairQueries++;
    const tiers = this.t.tiers;
    if (!tiers) return this.directionAllows(s, d, d, k, false) && this.directionAllows(d, s, d, k, true);
    const eg = tiers.allowed('egress', s, d, k, this.t.isolation(s, false) > 0, this.directionAllows(s, d, d, k, false));
    return eg && tiers.allowed('ingress', d, s, k, this.t.isolation(d, true) > 0, this.directionAllows(d, s, d, k, true));
  }

  /**
   * Egress of a tier subject s: each destination's bit becomes the Admin → NP → Baseline answer.
   * Destinations with the same signature in s's table get the same answer bits: patched a word
   * at a time per signature.
   */
  private tierEgress(s: number, isolated: boolean, E: Bits[]): void {
    const tiers = this.t.tiers!, tab = tiers.table('egress', s)!;
    const empty = tiers.emptyWalk();
    for (const { id, members: m } of this.bySignature(tab)) {
      for (let k = 0; k < E.length; k++) {
        const b = id < 0 ? empty : tab.bitsOf(id, k);
        const ifAllowed = tierAllows(b, isolated, true), ifDenied = tierAllows(b, isolated, false);
        if (ifAllowed && !ifDenied) continue;
        patch(E[k]!, m, ifAllowed, ifDenied);
      }
    }
    this.fullE.fill(0);
  }

  /** The live classes by their signature in an egress table (-1: no peer matches them). */
  private bySignature(tab: TierTable): { id: number; members: Bits }[] {
    if (this.sigGroupsOf !== this.t.tiers) this.sigGroups.clear();
    this.sigGroupsOf = this.t.tiers;
    let out = this.sigGroups.get(tab);
    if (!out) {
      const W = words(this.t.cap), byId = new Map<number, Bits>();
      for (const c of this.t.classes) {
        if (!c.alive) continue;
        const id = tab.sigId(c.id);
        let m = byId.get(id);
        if (!m) byId.set(id, (m = new Uint32Array(W)));
        setBit(m, c.id);
      }
      this.sigGroups.set(tab, (out = [...byId].map(([id, members]) => ({ id, members }))));
    }
    return out;
  }

  /**
   * Ingress: for every destination that is a tier subject, its answer for source s. Destinations
   * sharing a tier table and NetworkPolicy isolation get the same answer bits for s, so each such
   * group is patched a word at a time: set, clear, keep or invert its members' bits.
   */
  private tierIngress(s: number, I: Bits[]): void {
    const tiers = this.t.tiers!;
    const subjects = tiers.ingressSubjectClasses();
    if (!subjects.length) return;
    const empty = tiers.emptyWalk();
    for (const g of this.tierGroups(subjects)) {
      const id = g.tab.sigId(s);
      const m = g.members;
      for (let k = 0; k < I.length; k++) {
        const b = id < 0 ? empty : g.tab.bitsOf(id, k);
        const ifAllowed = tierAllows(b, g.isolated, true), ifDenied = tierAllows(b, g.isolated, false);
        if (ifAllowed && !ifDenied) continue;
        patch(I[k]!, m, ifAllowed, ifDenied);
      }
    }
    this.fullI.fill(0);
  }

  /** The ingress tier subjects grouped by (table, isolation), as bitsets; kept per subject list. */
  private tierGroups(subjects: readonly number[]): { tab: TierTable; isolated: boolean; members: Bits }[] {
    // A new tier state (tier policies changed) brings a new list; classesChanged and
    // policyChanged (isolation) drop the groups.
    if (this.tierGroupsFor !== subjects) this.groupsOfTiers = undefined;
    this.tierGroupsFor = subjects;
    if (!this.groupsOfTiers) {
      const t = this.t, tiers = t.tiers!, W = words(t.cap);
      const byKey = new Map<TierTable, { tab: TierTable; isolated: boolean; members: Bits }[]>();
      const out: { tab: TierTable; isolated: boolean; members: Bits }[] = [];
      for (const d of subjects) {
        const tab = tiers.table('ingress', d)!, isolated = t.isolation(d, true) > 0;
        const list = byKey.get(tab) ?? [];
        byKey.set(tab, list);
        let g = list.find((x) => x.isolated === isolated);
        if (!g) list.push((g = { tab, isolated, members: new Uint32Array(W) })), out.push(g);
        setBit(g.members, d);
      }
      this.groupsOfTiers = out;
    }
    return this.groupsOfTiers;
  }
}
