// Port atoms: per protocol, cut 0-65535 at every boundary any rule uses (numeric ports, endPort
// ranges, and the container ports that referenced port names resolve to), then merge atoms that
// every rule treats alike into one atom class, across protocols. Rows are computed per atom class.
import { PROTOCOLS, type ContainerPort, type PolicyPort, type Protocol } from '../model/types.js';

/** A rule's `ports` list split into its static atom classes and its named entries. */
export interface PortSet {
  /** Bit k set: atom class k is allowed whatever the destination. */
  readonly mask: Uint32Array;
  /** Named entries, resolved on the destination class. */
  readonly named: readonly { name: string; protocol: Protocol }[];
}

const MAX_PORT = 65535;

function portListKey(ports: readonly PolicyPort[]): string {
  return ports.map((p) => `${p.protocol}:${p.port ?? '*'}:${p.endPort ?? ''}`).join(',');
}

export class PortAtoms {
  /** Per protocol: sorted first port of each atom. */
  private readonly starts = new Map<Protocol, number[]>();
  /** Per protocol: atom index -> atom class. */
  private readonly classOfAtom = new Map<Protocol, Int32Array>();
  private readonly masks = new Map<string, PortSet>();
  private readonly targets = new Set<string>();
  /** Atom classes; `rawAtoms` before merging. */
  readonly count: number;
  readonly rawAtoms: number;
  readonly words: number;

  /**
   * `lists`: every rule's ports list; `namedTargets`: container ports whose name some rule
   * references (each becomes an atom of its own, so a resolved name is an exact atom class).
   */
  constructor(lists: readonly (readonly PolicyPort[])[], namedTargets: readonly ContainerPort[]) {
    const distinct = new Map<string, readonly PolicyPort[]>();
    for (const l of lists) if (l.length) distinct.set(portListKey(l), l);
    const cuts = new Map<Protocol, Set<number>>(PROTOCOLS.map((p) => [p, new Set([0])]));
    const cut = (proto: Protocol, lo: number, hi: number) => {
      cuts.get(proto)!.add(lo);
      if (hi + 1 <= MAX_PORT) cuts.get(proto)!.add(hi + 1);
    };
    for (const l of distinct.values()) for (const p of l) if (typeof p.port === 'number') cut(p.protocol, p.port, p.endPort ?? p.port);
    for (const t of namedTargets) {
      cut(t.protocol, t.containerPort, t.containerPort);
      this.targets.add(`${t.protocol}/${t.containerPort}`);
    }
    let raw = 0;
    const sigs = new Map<Protocol, string[][]>();
    for (const proto of PROTOCOLS) {
      const s = [...cuts.get(proto)!].sort((a, b) => a - b);
      this.starts.set(proto, s);
      sigs.set(proto, s.map(() => []));
      raw += s.length;
    }
    this.rawAtoms = raw;
    // Signature of an atom: which distinct lists contain it, plus a token for named targets.
    let li = 0;
    const listIds = new Map<string, number>();
    for (const [key, l] of distinct) {
      const id = li++;
      listIds.set(key, id);
      for (const p of l) {
        if (typeof p.port === 'string') continue;
        const lo = p.port ?? 0;
        const hi = p.port === undefined ? MAX_PORT : (p.endPort ?? p.port);
        const sig = sigs.get(p.protocol)!;
        for (let a = this.atomIndex(p.protocol, lo); a < sig.length && this.starts.get(p.protocol)![a]! <= hi; a++) {
          const arr = sig[a]!;
          if (arr[arr.length - 1] !== `${id}`) arr.push(`${id}`);
        }
      }
    }
    for (const t of namedTargets) sigs.get(t.protocol)![this.atomIndex(t.protocol, t.containerPort)]!.push(`n${t.protocol}${t.containerPort}`);
    const classIds = new Map<string, number>();
    const memberLists: Set<number>[] = [];
    for (const proto of PROTOCOLS) {
      const sig = sigs.get(proto)!;
      const cls = new Int32Array(sig.length);
      sig.forEach((s, a) => {
        const key = s.join('|');
        let c = classIds.get(key);
        if (c === undefined) {
          c = classIds.size;
          classIds.set(key, c);
          memberLists.push(new Set(s.filter((x) => !x.startsWith('n')).map(Number)));
        }
        cls[a] = c;
      });
      this.classOfAtom.set(proto, cls);
    }
    this.count = classIds.size;
    this.words = (this.count + 31) >>> 5;
    // Static mask of each distinct list: the classes whose signature holds it.
    for (const [key, l] of distinct) {
      const id = listIds.get(key)!;
      const mask = new Uint32Array(this.words);
      memberLists.forEach((m, c) => { if (m.has(id)) mask[c >>> 5]! |= 1 << (c & 31); });
      const named = l.filter((p) => typeof p.port === 'string').map((p) => ({ name: p.port as string, protocol: p.protocol }));
      this.masks.set(key, { mask, named });
    }
  }

  private atomIndex(proto: Protocol, port: number): number {
    const s = this.starts.get(proto)!;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= port) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The atoms of one protocol in port order: `[first, last]` and the atom class (for exact port lists). */
  atoms(proto: Protocol): { first: number; last: number; cls: number }[] {
    const s = this.starts.get(proto)!, cls = this.classOfAtom.get(proto)!;
    return s.map((first, a) => ({ first, last: a + 1 < s.length ? s[a + 1]! - 1 : MAX_PORT, cls: cls[a]! }));
  }

  isNamedTarget(proto: Protocol, port: number): boolean {
    return this.targets.has(`${proto}/${port}`);
  }

  /** The atom class a concrete port falls in. */
  classOf(proto: Protocol, port: number): number {
    return this.classOfAtom.get(proto)![this.atomIndex(proto, port)]!;
  }

  /** Port set of a rule's `ports` list; an empty list is every port and protocol. */
  setOf(ports: readonly PolicyPort[]): PortSet | undefined {
    if (ports.length === 0) {
      const mask = new Uint32Array(this.words);
      for (let c = 0; c < this.count; c++) mask[c >>> 5]! |= 1 << (c & 31);
      return { mask, named: [] };
    }
    return this.masks.get(portListKey(ports));
  }

  /** Atom classes a set of named entries resolves to on a pod with these declared ports. */
  resolveNamed(named: PortSet['named'], declared: readonly ContainerPort[], into: Uint32Array): void {
    for (const n of named) {
      for (const d of declared) {
        if (d.name === n.name && d.protocol === n.protocol) {
          const c = this.classOf(d.protocol, d.containerPort);
          into[c >>> 5]! |= 1 << (c & 31);
        }
      }
    }
  }
}

export function maskHas(mask: Uint32Array, k: number): boolean {
  return ((mask[k >>> 5]! >>> (k & 31)) & 1) === 1;
}
