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
  /** Parsed blocks by object identity: string keys for 50k blocks cost more than parsing them. */
  private readonly blocks = new Map<IPBlock, ParsedBlock>();
  private keys?: Set<string>;
  readonly count: number;

  constructor(blocks: readonly IPBlock[]) {
    const c4: number[] = [0];
    const c6: bigint[] = [0n];
    const cut = (r: Range) => {
      if (r.family === 4) c4.push(r.first as number, (r.last as number) + 1);
      else c6.push(r.first as bigint, (r.last as bigint) + 1n);
    };
    for (const b of blocks) {
      if (this.blocks.has(b)) continue;
      const p = parseBlock(b);
      // An unparseable cidr matches nothing (as in ipBlockContains) and needs no cuts.
      if (p.cidr) cut(p.cidr);
      for (const e of p.except) cut(e);
      this.blocks.set(b, p);
    }
    this.cuts4 = uniqueSorted(Float64Array.from(c4).sort());
    this.cuts6 = [...new Set(c6)].sort(cmp);
    this.count = this.cuts4.length + this.cuts6.length;
    // Coverage by a difference array over atoms: +1 where a CIDR starts, -1 after it ends.
    const diff = new Int32Array(this.count + 1);
    for (const b of this.blocks.values()) {
      if (!b.cidr) continue;
      diff[this.atomOf(b.cidr.family, b.cidr.first)]!++;
      diff[this.atomOf(b.cidr.family, b.cidr.last) + 1]!--;
    }
    this.covered = new Uint8Array(this.count);
    for (let a = 0, run = 0; a < this.count; a++) this.covered[a] = (run += diff[a]!) > 0 ? 1 : 0;
  }

  private atomOf(f: Family, v: number | bigint): number {
    return f === 4 ? search(this.cuts4, v as number) : this.cuts4.length + search(this.cuts6, v as bigint);
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

  /**
   * A test for one ipBlock: does it contain any of a class's atoms? An atom lies wholly inside or
   * outside the block, so testing its first address decides it. Look the block up once per group.
   */
  matcher(b: IPBlock): (atoms: readonly number[]) => boolean {
    // A block equal to a known one (same key) but another object parses to the same ranges.
    const p = this.blocks.get(b) ?? parseBlock(b);
    const cidr = p.cidr;
    if (!cidr) return () => false;
    const n4 = this.cuts4.length;
    const inside = (r: Range, f: Family, v: number | bigint) => r.family === f && r.first <= v && v <= r.last;
    return (atoms) => {
      for (const a of atoms) {
        const f: Family = a < n4 ? 4 : 6;
        const v = a < n4 ? this.cuts4[a]! : this.cuts6[a - n4]!;
        if (!inside(cidr, f, v)) continue;
        let excluded = false;
        for (const e of p.except) if (inside(e, f, v)) { excluded = true; break; }
        if (!excluded) return true;
      }
      return false;
    };
  }

  /** Was a block with these exact CIDRs among those the atoms were cut for? */
  knows(b: IPBlock): boolean {
    if (this.blocks.has(b)) return true;
    this.keys ??= new Set([...this.blocks.keys()].map(blockKey));
    return this.keys.has(blockKey(b));
  }
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

/** Drops repeats from a sorted array (cheaper than a Set of 100k numbers). */
function uniqueSorted(a: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[n - 1]) a[n++] = a[i]!;
  return a.slice(0, n);
}

export function blockKey(b: IPBlock): string {
  return `${b.cidr} except ${b.except.join(',')}`;
}
