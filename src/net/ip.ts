// IP addresses and CIDR blocks as numeric intervals, on top of ipaddr.js for parsing.
// Pure and browser-safe: no Kubernetes knowledge here.
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface IpAddr {
  family: Family;
  value: bigint;
}

/** An inclusive interval of addresses of one family. */
export interface IpRange {
  family: Family;
  first: bigint;
  last: bigint;
}

function toBigInt(bytes: number[]): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * A plain dotted quad ("10.1.2.3": four decimal parts of 1-3 digits, no leading zero, each at
 * most 255) as a number, else undefined. Such text means the same to ipaddr.js and to the
 * check below, so parseIp answers it without them (every pod IP of a large List passes here).
 */
function plainDottedQuad(text: string): number | undefined {
  let value = 0, part = 0, digits = 0, dots = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      if (digits === 1 && part === 0) return undefined; // leading zero: ipaddr.js reads octal
      part = part * 10 + (ch - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (ch === 46) {
      if (!digits || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  return dots === 3 && digits ? value * 256 + part : undefined;
}

/** Parse an address; IPv4-mapped IPv6 stays IPv6 (Kubernetes treats families apart). */
export function parseIp(text: string): IpAddr | undefined {
  const quad = plainDottedQuad(text);
  if (quad !== undefined) return { family: 4, value: BigInt(quad) };
  return parseIpGeneral(text);
}

/** parseIp through ipaddr.js, for every text (exported so a test can hold the fast path to it). */
export function parseIpGeneral(text: string): IpAddr | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  if (text.includes(':')) {
    const a = ipaddr.IPv6.parse(text);
    return { family: 6, value: toBigInt(a.toByteArray()) };
  }
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined; // reject 10.1, hex, octal shorthands
  return { family: 4, value: toBigInt(ipaddr.IPv4.parse(text).toByteArray()) };
}

export function parseCidr(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const bits = addr.family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (addr.value >> hostBits) << hostBits;
  return { family: addr.family, first, last: first + (1n << hostBits) - 1n };
}

export function rangeContains(r: IpRange, ip: IpAddr): boolean {
  return r.family === ip.family && ip.value >= r.first && ip.value <= r.last;
}

/** Every address of a family: 0.0.0.0/0 or ::/0. */
export function familyRange(family: Family): IpRange {
  return { family, first: 0n, last: family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n };
}

/** Is `inner` wholly inside `outer` (equal counts)? */
export function rangeWithin(inner: IpRange, outer: IpRange): boolean {
  return inner.family === outer.family && outer.first <= inner.first && inner.last <= outer.last;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function formatIp(ip: IpAddr): string {
  const bytes: number[] = [];
  let v = ip.value;
  for (let i = 0; i < (ip.family === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return ip.family === 4 ? bytes.join('.') : ipaddr.fromByteArray(bytes).toString();
}
