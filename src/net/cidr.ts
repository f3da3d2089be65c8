// Address ranges back to CIDR notation. Pure: shared by the nftables compiler and `netpol list`.
import { formatIp, type IpRange } from './ip.js';

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
