// IP atoms: cut each address family at every ipBlock CIDR and `except` boundary. Every atom is
// then wholly inside or outside each ipBlock, so a pod's IP matters only through its atom, and
// only when that atom is covered by some ipBlock (otherwise pods with different IPs merge).
import { parseCidr, parseIp, type Family } from '../net/ip.js';
import type { IPBlock } from '../model/types.js';

export class IpAtoms {
  private readonly cuts = new Map<Family, bigint[]>();
  private readonly offset = new Map<Family, number>();
  readonly count: number;
  private readonly blocks = new Map<string, Uint32Array>();
  /** Atoms covered by at least one ipBlock CIDR. */
  private readonly covered: Uint32Array;

  constructor(blocks: readonly IPBlock[]) {
    const sets = new Map<Family, Set<bigint>>([[4, new Set([0n])], [6, new Set([0n])]]);
    const ranges = (b: IPBlock) => [b.cidr, ...b.except].map(parseCidr).filter((r) => r !== undefined);
    for (const b of blocks) {
      for (const r of ranges(b)) {
        sets.get(r.family)!.add(r.first);
        sets.get(r.family)!.add(r.last + 1n);
      }
    }
    let total = 0;
    for (const f of [4, 6] as Family[]) {
      const s = [...sets.get(f)!].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.cuts.set(f, s);
      this.offset.set(f, total);
      total += s.length;
    }
    this.count = total;
    this.covered = new Uint32Array((total + 31) >>> 5);
    for (const b of blocks) {
      const key = blockKey(b);
      if (this.blocks.has(key)) continue;
      const bits = new Uint32Array(this.covered.length);
      const [cidr, ...except] = ranges(b);
      if (!cidr || !parseCidr(b.cidr)) { this.blocks.set(key, bits); continue; }
      this.mark(bits, cidr.family, cidr.first, cidr.last, true);
      this.mark(this.covered, cidr.family, cidr.first, cidr.last, true);
      for (const e of except) if (e.family === cidr.family) this.mark(bits, e.family, e.first, e.last, false);
      this.blocks.set(key, bits);
    }
  }

  private mark(bits: Uint32Array, f: Family, first: bigint, last: bigint, on: boolean): void {
    const from = this.atomOf(f, first), to = this.atomOf(f, last);
    for (let a = from; a <= to; a++) {
      if (on) bits[a >>> 5]! |= 1 << (a & 31);
      else bits[a >>> 5]! &= ~(1 << (a & 31));
    }
  }

  private atomOf(f: Family, v: bigint): number {
    const s = this.cuts.get(f)!;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return this.offset.get(f)! + lo;
  }

  /** Covered atoms of a pod's addresses (sorted, deduplicated); unparseable IPs match nothing. */
  atomsOfIps(ips: readonly string[]): number[] {
    const out = new Set<number>();
    for (const ip of ips) {
      const a = parseIp(ip);
      if (!a) continue;
      const atom = this.atomOf(a.family, a.value);
      if ((this.covered[atom >>> 5]! >>> (atom & 31)) & 1) out.add(atom);
    }
    return [...out].sort((x, y) => x - y);
  }

  /** Does the ipBlock contain any of these atoms? */
  blockHasAny(b: IPBlock, atoms: readonly number[]): boolean {
    const bits = this.blocks.get(blockKey(b));
    if (!bits) return false;
    return atoms.some((a) => ((bits[a >>> 5]! >>> (a & 31)) & 1) === 1);
  }

  knows(b: IPBlock): boolean {
    return this.blocks.has(blockKey(b));
  }
}

export function blockKey(b: IPBlock): string {
  return `${b.cidr} except ${b.except.join(',')}`;
}
