// IP atoms: cut each address family at every ipBlock CIDR and `except` boundary. Every atom is
// then wholly inside or outside each ipBlock, so a pod's IP matters only through its atom, and
// only when that atom is covered by some ipBlock (otherwise pods with different IPs merge).
//
// Atoms are never materialised per block: only the sorted cut points are kept (numbers for IPv4,
// bigints for IPv6), and "does block B hold atom a" is answered by testing the atom's first
// address against B's ranges. 10 policies x 5,000 CIDRs used to cost a 70k-bit set per block.
import { parseIp, type Family, type IpRange } from '../net/ip.js';
import { parseCidrCompact as range, type CompactRange } from '../net/cidr.js';
import type { IPBlock } from '../model/types.js';

type Range = CompactRange;
interface ParsedBlock { cidr?: Range; except: Range[] }

function parseBlock(b: IPBlock): ParsedBlock {
  const cidr = range(b.cidr);
  if (!cidr) return { except: [] };
  const except: Range[] = [];
  for (const e of b.except) {
    const r = range(e);
    // An except of the other family cannot contain an address of this block.
    if (r && r.family === cidr.family) except.push(r);
  }
  return { cidr, except };
}

function cmp(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class IpAtoms {
  private readonly cuts4: Float64Array;
  private readonly cuts6: bigint[];
  /** Atoms covered by at least one ipBlock CIDR (v4 atoms first, then v6). */
  private readonly covered: Uint8Array;
  /**
   * Parsed blocks, one slot per distinct text (cidr and except list, as blockKey tells them
   * apart), found by object identity or by a hash of the text: no string is built per block
   * (50k blockKeys cost more than parsing them). IPv4 blocks are flat (no object per block: 50k
   * of them, kept for the engine's life, made garbage collection most of a build): slot k's
   * CIDR is [lo[k], hi[k]], its excepts exLo/exHi[exFrom[k] .. exFrom[k + 1]). IPv6 blocks keep
   * their ranges in `v6`; an unparseable CIDR has lo = 1 > hi = 0 and holds nothing.
   */
  private readonly slots = new Map<IPBlock, number>();
  private readonly src: IPBlock[] = [];
  private readonly byHash = new Map<number, number>();
  private readonly nextSame: number[] = [];
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private readonly exFrom: number[] = [0];
  private readonly exLo: number[] = [];
  private readonly exHi: number[] = [];
  private readonly v6 = new Map<number, ParsedBlock>();
  /** Slots below this were cut for (`knows`); later ones were only parsed for a test. */
  private readonly cutSlots: number;
  private cutting = true;
  readonly count: number;

  constructor(blocks: readonly IPBlock[]) {
    const c4: number[] = [0];
    const c6: bigint[] = [0n];
    for (const b of blocks) this.slot(b);
    this.cutting = false;
    this.cutSlots = this.lo.length;
    for (let k = 0; k < this.cutSlots; k++) {
      const p = this.wide(k);
      // An unparseable cidr matches nothing (as in ipBlockContains) and needs no cuts.
      if (p) for (const r of [p.cidr!, ...p.except]) c6.push(r.first as bigint, (r.last as bigint) + 1n);
      else if (this.lo[k]! <= this.hi[k]!) c4.push(this.lo[k]!, this.hi[k]! + 1);
    }
    for (let e = 0; e < this.exLo.length; e++) c4.push(this.exLo[e]!, this.exHi[e]! + 1);
    this.cuts4 = sortedUnique4(c4);
    this.cuts6 = [...new Set(c6)].sort(cmp);
    this.count = this.cuts4.length + this.cuts6.length;
    // Coverage by a difference array over atoms: +1 where a CIDR starts, -1 after it ends.
    const diff = new Int32Array(this.count + 1);
    for (let k = 0; k < this.cutSlots; k++) {
      const p = this.wide(k);
      if (p) {
        diff[this.atomOf(6, p.cidr!.first)]!++;
        diff[this.atomOf(6, p.cidr!.last) + 1]!--;
      } else if (this.lo[k]! <= this.hi[k]!) {
        diff[this.atomOf(4, this.lo[k]!)]!++;
        diff[this.atomOf(4, this.hi[k]!) + 1]!--;
      }
    }
    this.covered = new Uint8Array(this.count);
    for (let a = 0, run = 0; a < this.count; a++) this.covered[a] = (run += diff[a]!) > 0 ? 1 : 0;
  }

  /** The IPv6 ranges of slot k (undefined for IPv4 and unparseable blocks). */
  private wide(k: number): ParsedBlock | undefined {
    return this.lo[k]! > this.hi[k]! ? this.v6.get(k) : undefined;
  }

  /** The slot of a block with b's text, or -1. */
  private find(b: IPBlock, h: number): number {
    for (let k = this.byHash.get(h) ?? -1; k >= 0; k = this.nextSame[k]!) if (sameText(this.src[k]!, b)) return k;
    return -1;
  }

  /** The slot of a block: by identity, else by text (another object, same text), else a new one. */
  private slot(b: IPBlock): number {
    let k = this.slots.get(b);
    if (k !== undefined) return k;
    const h = textHash(b);
    k = this.find(b, h);
    if (k < 0) k = this.add(b, h);
    // Objects are remembered only while cutting: later lookups (a watch's new objects) go by text,
    // so a long-lived engine does not keep every block object it was ever asked about.
    if (this.cutting) this.slots.set(b, k);
    return k;
  }

  /** Parses a block of a new text into a new slot. */
  private add(b: IPBlock, h: number): number {
    const k = this.lo.length;
    this.src.push(b);
    this.nextSame.push(this.byHash.get(h) ?? -1);
    this.byHash.set(h, k);
    const cidr = range(b.cidr);
    if (cidr?.family === 4) {
      this.lo.push(cidr.first as number);
      this.hi.push(cidr.last as number);
      for (const e of b.except) {
        const r = range(e);
        // An except of the other family cannot contain an address of this block.
        if (r?.family === 4) { this.exLo.push(r.first as number); this.exHi.push(r.last as number); }
      }
    } else {
      this.lo.push(1);
      this.hi.push(0);
      if (cidr) this.v6.set(k, parseBlock(b));
    }
    this.exFrom.push(this.exLo.length);
    return k;
  }

  private atomOf(f: Family, v: number | bigint): number {
    return f === 4 ? search4(this.cuts4, v as number) : this.cuts4.length + search(this.cuts6, v as bigint);
  }

  /** The addresses of atom a, as an inclusive range (v4 atoms first, then v6); empty (first > last) for a cut past the family's end. */
  atomRange(a: number): IpRange {
    const n4 = this.cuts4.length;
    if (a < n4) return { family: 4, first: BigInt(this.cuts4[a]!), last: BigInt(a + 1 < n4 ? this.cuts4[a + 1]! - 1 : 2 ** 32 - 1) };
    const i = a - n4;
    return { family: 6, first: this.cuts6[i]!, last: i + 1 < this.cuts6.length ? this.cuts6[i + 1]! - 1n : (1n << 128n) - 1n };
  }

  /** Covered atoms of a pod's addresses (sorted, deduplicated); unparseable IPs match nothing. */
  atomsOfIps(ips: readonly string[]): number[] {
    const out = new Set<number>();
    for (const ip of ips) {
      const a = parseIp(ip);
      if (!a) continue;
      const atom = this.atomOf(a.family, a.family === 4 ? Number(a.value) : a.value);
      if (this.covered[atom]) out.add(atom);
    }
    return [...out].sort((x, y) => x - y);
  }

  /** The first address of atom a (a number for IPv4, a bigint for IPv6). */
  private first(a: number): number | bigint {
    const n4 = this.cuts4.length;
    return a < n4 ? this.cuts4[a]! : this.cuts6[a - n4]!;
  }

  /**
   * Does the block in slot k hold atom a? An atom lies wholly inside or outside the block, so
   * testing its first address decides it. The one definition both tests below use.
   */
  private holds(k: number, a: number): boolean {
    if (a >= this.cuts4.length) {
      const p = this.v6.get(k), v = this.cuts6[a - this.cuts4.length]!;
      return !!p && inside(p.cidr!, v) && !p.except.some((e) => inside(e, v));
    }
    const v = this.cuts4[a]!;
    if (v < this.lo[k]! || v > this.hi[k]!) return false;
    for (let e = this.exFrom[k]!; e < this.exFrom[k + 1]!; e++) if (v >= this.exLo[e]! && v <= this.exHi[e]!) return false;
    return true;
  }

  /** A test for one ipBlock: does it hold any of a class's atoms? Look the block up once per group. */
  matcher(b: IPBlock): (atoms: readonly number[]) => boolean {
    const k = this.slot(b);
    return (atoms) => {
      for (const a of atoms) if (this.holds(k, a)) return true;
      return false;
    };
  }

  /**
   * The atoms among `atoms` (ascending, deduplicated) that some block holds: per block, only the
   * atoms inside its CIDR are visited (binary search), so 5,000 blocks cost 5,000 searches rather
   * than a closure call per (block, class).
   */
  heldAtoms(blocks: readonly IPBlock[] | Int32Array, atoms: readonly number[]): Set<number> {
    const held = new Set<number>();
    const n4 = this.cuts4.length;
    // Atoms of each family are contiguous in `atoms`, their first addresses ascending with the index.
    let split = 0;
    while (split < atoms.length && atoms[split]! < n4) split++;
    for (const b of blocks) {
      const k = typeof b === 'number' ? b : this.slot(b), p = this.wide(k);
      const [from, to, first, last] = p ? [split, atoms.length, p.cidr!.first, p.cidr!.last] : [0, split, this.lo[k]!, this.hi[k]!];
      // The first atom whose first address is >= the CIDR's first address.
      let i = from, j = to;
      while (i < j) {
        const mid = (i + j) >>> 1;
        if (this.first(atoms[mid]!) < first) i = mid + 1;
        else j = mid;
      }
      for (; i < to && this.first(atoms[i]!) <= last; i++) if (this.holds(k, atoms[i]!)) held.add(atoms[i]!);
    }
    return held;
  }

  /** A key for a list of blocks, equal exactly when their blockKeys are (groupKey's, from slot numbers). */
  listKey(blocks: readonly IPBlock[] | Int32Array): string {
    const ids = blocks instanceof Int32Array ? blocks : this.slotsOf(blocks);
    return `ip#${ids.join('|')}`;
  }

  /** The slots of some blocks, for listKey and heldAtoms (one lookup per block for both). */
  slotsOf(blocks: readonly IPBlock[]): Int32Array {
    const ids = new Int32Array(blocks.length);
    for (let i = 0; i < blocks.length; i++) ids[i] = this.slot(blocks[i]!);
    return ids;
  }

  /** Was a block with these exact CIDRs among those the atoms were cut for? */
  knows(b: IPBlock): boolean {
    const k = this.slots.get(b) ?? this.find(b, textHash(b));
    return k >= 0 && k < this.cutSlots;
  }
}

/** Same text as blockKey compares it: the cidr, and the except list joined by ','. */
function sameText(a: IPBlock, b: IPBlock): boolean {
  if (a.cidr !== b.cidr) return false;
  if (a.except.length !== b.except.length) return a.except.join(',') === b.except.join(',');
  for (let i = 0; i < a.except.length; i++) if (a.except[i] !== b.except[i]) return false;
  return true;
}

/** FNV-1a over the cidr, a separator, and the excepts joined by ',' (consistent with sameText). */
function textHash(b: IPBlock): number {
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  };
  mix(b.cidr);
  h = Math.imul(h ^ 0x20, 0x01000193);
  b.except.forEach((e, i) => {
    if (i) h = Math.imul(h ^ 0x2c, 0x01000193);
    mix(e);
  });
  return h | 0;
}

/** search on the IPv4 cuts (monomorphic: a Float64Array and numbers only). */
function search4(s: Float64Array, v: number): number {
  let lo = 0, hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the last cut <= v (cuts start at 0, so there is one). */
function search<T extends number | bigint>(s: ArrayLike<T>, v: T): number {
  let lo = 0, hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function inside(r: Range, v: bigint): boolean {
  return r.family === 6 && (r.first as bigint) <= v && v <= (r.last as bigint);
}

/**
 * IPv4 cut points (integers in [0, 2^32]) sorted and deduplicated: an LSD radix sort on two
 * 16-bit digits. 100k CIDR/except pairs give 200k cuts, which a comparison sort took ~15 ms over.
 */
function sortedUnique4(values: readonly number[]): Float64Array {
  const n = values.length;
  let a = new Uint32Array(n), b = new Uint32Array(n);
  let top = 0, m = 0; // 2^32 (the end of 255.255.255.255/x) does not fit 32 bits: counted apart.
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v >= 4294967296) top = 1;
    else a[m++] = v;
  }
  const count = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let i = 0; i < m; i++) count[((a[i]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 1; d <= 65536; d++) count[d]! += count[d - 1]!;
    for (let i = 0; i < m; i++) b[count[(a[i]! >>> shift) & 0xffff]!++] = a[i]!;
    [a, b] = [b, a];
  }
  const out = new Float64Array(m + top);
  let k = 0;
  for (let i = 0; i < m; i++) if (k === 0 || a[i] !== out[k - 1]) out[k++] = a[i]!;
  if (top) out[k++] = 4294967296;
  return out.slice(0, k);
}

export function blockKey(b: IPBlock): string {
  return `${b.cidr} except ${b.except.join(',')}`;
}
