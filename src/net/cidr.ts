// Range arithmetic over CIDRs: subtract, back to CIDR notation, an ipBlock's exact ranges, a
// sample address, and the numeric IPv4 fast path the class engine cuts atoms with.
// Pure and browser-safe: the one place for CIDR math besides parsing (ip.ts) and Go's
// acceptance rules (go-cidr.ts).
import { formatIp, parseCidr, type Family, type IpRange } from './ip.js';

/** The fewest CIDRs that exactly cover a range. */
export function rangeToCidrs(r: IpRange): string[] {
  const bits = r.family === 4 ? 32 : 128;
  const out: string[] = [];
  let first = r.first;
  while (first <= r.last) {
    // Largest aligned block starting at `first` that does not pass `last`.
    let size = 0;
    while (size < bits) {
      const next = size + 1;
      const mask = (1n << BigInt(next)) - 1n;
      if ((first & mask) !== 0n || first + mask > r.last) break;
      size = next;
    }
    out.push(`${formatIp({ family: r.family, value: first })}/${bits - size}`);
    first += 1n << BigInt(size);
  }
  return out;
}

/** `ranges` minus `cut` (same family assumed by the caller); order kept. */
export function subtractRange(ranges: readonly IpRange[], cut: IpRange): IpRange[] {
  return ranges.flatMap((r) => {
    if (r.family !== cut.family || cut.last < r.first || cut.first > r.last) return [r];
    const out: IpRange[] = [];
    if (cut.first > r.first) out.push({ family: r.family, first: r.first, last: cut.first - 1n });
    if (cut.last < r.last) out.push({ family: r.family, first: cut.last + 1n, last: r.last });
    return out;
  });
}

/**
 * The address ranges of `cidr` minus every `except`, disjoint and sorted (nftables interval sets
 * reject overlaps). None when a CIDR does not parse or an except is of the other family:
 * validation rejects those, and should one get here the block fails closed.
 */
export function blockRanges(cidr: string, except: readonly string[]): IpRange[] {
  const base = parseCidr(cidr);
  if (!base) return [];
  let ranges: IpRange[] = [base];
  for (const e of except) {
    const cut = parseCidr(e);
    if (!cut || cut.family !== base.family) return [];
    ranges = subtractRange(ranges, cut);
  }
  return ranges.sort((a, b) => (a.first < b.first ? -1 : 1));
}

/** The lowest address of `r` in none of `holes` (any order, may overlap), or undefined when they cover it. */
export function firstFreeAddress(r: IpRange, holes: readonly IpRange[]): bigint | undefined {
  const sorted = holes.filter((h) => h.family === r.family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let v = r.first;
  for (const h of sorted) if (v >= h.first && v <= h.last) v = h.last + 1n;
  return v <= r.last ? v : undefined;
}

/**
 * An address inside `cidr` and outside its excepts, for the page's ipBlock nodes: the lowest one
 * (or the block's last address when the excepts cover it all). A CIDR that does not parse gives
 * its text before the slash.
 */
export function sampleAddress(cidr: string, except: readonly string[]): string {
  const r = parseCidr(cidr);
  if (!r) return cidr.split('/')[0]!;
  const holes = except.map((e) => parseCidr(e)).filter((x): x is IpRange => x !== undefined);
  return formatIp({ family: r.family, value: firstFreeAddress(r, holes) ?? r.last });
}

/** An inclusive range with IPv4 as numbers (exact below 2^53) and IPv6 as bigints: cheap to compare in bulk. */
export interface CompactRange { family: Family; first: number | bigint; last: number | bigint }

/**
 * Plain dotted-quad IPv4 CIDR ("10.1.2.0/24", no leading zeros) as numbers, else undefined.
 * A hand-rolled scan: 100k CIDRs through ipaddr.js or a regex cost more than the rest of a build.
 */
function fastV4(text: string): CompactRange | undefined {
  let value = 0, part = 0, digits = 0, dots = 0, i = 0;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      if (digits === 1 && part === 0) return undefined; // leading zero: leave it to parseCidr
      part = part * 10 + (ch - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (ch === 46 || ch === 47) {
      if (!digits) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      if (ch === 47) break;
      if (++dots > 3) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || i >= text.length) return undefined;
  // The prefix: one or two digits, at most 32 (scanned in place: no slice or regex per CIDR).
  const n = text.length - i - 1;
  if (n < 1 || n > 2) return undefined;
  let bits = 0;
  for (let j = i + 1; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (ch < 48 || ch > 57) return undefined;
    bits = bits * 10 + (ch - 48);
  }
  if (bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const first = Math.floor(value / size) * size;
  return { family: 4, first, last: first + size - 1 };
}

/** parseCidr as a CompactRange, with a fast path for plain dotted-quad IPv4 (the common case by far). */
export function parseCidrCompact(text: string): CompactRange | undefined {
  const fast = fastV4(text);
  if (fast) return fast;
  const r = parseCidr(text);
  if (!r) return undefined;
  return r.family === 4 ? { family: 4, first: Number(r.first), last: Number(r.last) } : r;
}
