// Peer and target groups: each distinct (scope namespace, namespaceSelector, podSelector) or
// ipBlock of all policies, resolved once to the pod classes it holds. Members are kept as a
// sorted id list (classes are created in increasing id order, so appends keep it sorted) rather
// than a Set per group: B2 at 100k pods has ~100k groups, and Sets cost far more memory and time.
import { hasBit, newBits, setBit, type Bits } from './bitset.js';
import type { GroupSpec } from './select.js';
import { groupKey } from './select.js';

/** Group 0 stands for "every peer" (a rule without from/to): every class is implicitly in it. */
export const EVERY = 0;

export interface Group {
  readonly id: number;
  readonly spec: GroupSpec;
  /** Member class ids, ascending. */
  members: number[];
  /** Member bitset, built on demand for dense use (ORs into rows). */
  bits?: Bits;
  /** Ingress rules naming this group as peer: (policy, rule index). Destinations are the policy's targets. */
  namedBy: { pol: number; rule: number }[];
}

export class Groups {
  readonly list: Group[] = [{ id: EVERY, spec: {}, members: [], namedBy: [] }];
  /** Groups each class belongs to (EVERY implied, not listed). */
  readonly memberOf: number[][] = [];
  private readonly byKey = new Map<string, number>();
  private readonly scoped = new Map<string, number[]>();
  private readonly global: number[] = [];

  get(g: number): Group {
    return this.list[g]!;
  }

  get size(): number {
    return this.list.length;
  }

  /** The group of a spec (by `key`, groupKey's or one as exact), created (members from `candidates` that pass `matches`) when new. */
  resolve(spec: GroupSpec, candidates: () => Iterable<number>, matches: (c: number) => boolean, key = groupKey(spec)): number {
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    const id = this.list.length;
    const members: number[] = [];
    for (const c of candidates()) if (matches(c)) members.push(c);
    // Candidates from one posting list are ascending already; sort only when they are not.
    for (let i = 1; i < members.length; i++) {
      if (members[i]! < members[i - 1]!) {
        members.sort((a, b) => a - b);
        break;
      }
    }
    // Candidates may repeat a class (`In` with a value listed twice): keep each once.
    let w = 0;
    for (let i = 0; i < members.length; i++) if (i === 0 || members[i] !== members[i - 1]) members[w++] = members[i]!;
    members.length = w;
    this.list.push({ id, spec, members, namedBy: [] });
    this.byKey.set(key, id);
    for (const c of members) this.memberOf[c]!.push(id);
    if (spec.scopeNs !== undefined) {
      const l = this.scoped.get(spec.scopeNs);
      if (l) l.push(id);
      else this.scoped.set(spec.scopeNs, [id]);
    } else this.global.push(id);
    return id;
  }

  /** A new class (the highest id so far) joins every existing group it matches. */
  addClass(cls: number, namespace: string, matches: (spec: GroupSpec) => boolean): void {
    this.memberOf[cls] = [];
    for (const list of [this.scoped.get(namespace) ?? [], this.global]) {
      for (const g of list) {
        const group = this.list[g]!;
        if (!matches(group.spec)) continue;
        group.members.push(cls);
        group.bits = undefined;
        this.memberOf[cls]!.push(g);
      }
    }
  }

  removeClass(cls: number): void {
    for (const g of this.memberOf[cls] ?? []) {
      const group = this.list[g]!;
      group.members = group.members.filter((x) => x !== cls);
      group.bits = undefined;
    }
    this.memberOf[cls] = [];
  }

  /** Is class c in group g? Bitset when built, else binary search of the sorted members. */
  has(g: number, c: number): boolean {
    if (g === EVERY) return true;
    const group = this.list[g]!;
    if (group.bits) return c < group.bits.length * 32 && hasBit(group.bits, c);
    const m = group.members;
    let lo = 0, hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (m[mid] === c) return true;
      if (m[mid]! < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  bitsOf(g: number, cap: number): Bits {
    const group = this.list[g]!;
    if (!group.bits || group.bits.length * 32 < cap) {
      group.bits = newBits(cap);
      for (const c of group.members) setBit(group.bits, c);
    }
    return group.bits;
  }

  /** Capacity grew: member bitsets are rebuilt at the new width when next needed. */
  dropBits(): void {
    for (const g of this.list) g.bits = undefined;
  }
}
