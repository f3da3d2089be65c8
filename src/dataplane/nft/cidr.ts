// ipBlock arithmetic for nftables sets: `cidr` minus every `except`, as a list of disjoint
// CIDRs (interval sets reject overlapping elements). Pure.
import { parseCidr, type IpRange } from '../../net/ip.js';

/** The address ranges an ipBlock covers, disjoint and sorted; none when a CIDR does not parse. */
export function blockRanges(cidr: string, except: readonly string[]): IpRange[] {
  const base = parseCidr(cidr);
  if (!base) return [];
  let ranges: IpRange[] = [base];
  for (const e of except) {
    const cut = parseCidr(e);
    // Validation rejects these; should one get here, the block matches nothing (fails closed).
    if (!cut || cut.family !== base.family) return [];
    ranges = ranges.flatMap((r) => {
      if (cut.last < r.first || cut.first > r.last) return [r];
      const out: IpRange[] = [];
      if (cut.first > r.first) out.push({ family: r.family, first: r.first, last: cut.first - 1n });
      if (cut.last < r.last) out.push({ family: r.family, first: cut.last + 1n, last: r.last });
      return out;
    });
  }
  return ranges.sort((a, b) => (a.first < b.first ? -1 : 1));
}

// Moved to src/net/cidr.ts (browser-safe, also used by `netpol list`).
export { rangeToCidrs } from '../../net/cidr.js';
