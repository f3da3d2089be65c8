// CIDR parsing exactly as the API server does it, byte for byte:
// - k8s.io/utils/net ParseCIDRSloppy (a fork of Go 1.16 net.ParseCIDR: decimal octets with any
//   number of leading zeros, IPv6 groups of any length up to 0xffff, prefix with leading zeros);
// - the strict layer of apimachinery validation/ip.go parseCIDR: a value that ParseCIDRSloppy
//   takes but netip.ParsePrefix refuses "must not have leading 0s", then IPv4-mapped IPv6, then
//   bits beyond the prefix - at most one of the three;
// - Go net.IPNet.Contains (an IPv4-mapped network compares as IPv4), used by the except check.
// ipaddr.js is not used for parsing: it accepts `10.1`, octal and hex forms that Go refuses.
// Addresses are formatted for hints by ip.ts (RFC 5952 through ipaddr.js).
import { formatIp } from './ip.js';

const BIG = 0xffffff; // Go net's dtoi/xtoi overflow guard

export interface ParsedIp {
  family: 4 | 6;
  /** 4 bytes for family 4, 16 for family 6. */
  bytes: number[];
  /** An IPv4 octet with a leading zero, or an IPv6 group of more than 4 hex digits. */
  leadingZeros: boolean;
}

export interface GoCidr {
  ip: ParsedIp;
  prefix: number;
  /** Mask length in bits: 32 or 128. */
  bits: number;
  /** ip.Mask(m): the network address. */
  network: number[];
  prefixLeadingZeros: boolean;
}

/** Go 1.16 parseIPv4 with dtoi: leading zeros accepted (and read as decimal). */
export function parseIPv4Sloppy(s: string): ParsedIp | undefined {
  const bytes: number[] = [];
  let pos = 0;
  let leadingZeros = false;
  for (let i = 0; i < 4; i++) {
    if (pos >= s.length) return undefined;
    if (i > 0) {
      if (s[pos] !== '.') return undefined;
      pos++;
    }
    const start = pos;
    let n = 0;
    while (pos < s.length && s[pos]! >= '0' && s[pos]! <= '9') {
      n = n * 10 + (s.charCodeAt(pos) - 48);
      if (n >= BIG) return undefined;
      pos++;
    }
    if (pos === start || n > 0xff) return undefined;
    if (pos - start > 1 && s[start] === '0') leadingZeros = true;
    bytes.push(n);
  }
  if (pos !== s.length) return undefined;
  return { family: 4, bytes, leadingZeros };
}

function hexDigit(c: string | undefined): number {
  if (c === undefined) return -1;
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'f') return c.charCodeAt(0) - 87;
  if (c >= 'A' && c <= 'F') return c.charCodeAt(0) - 55;
  return -1;
}

/** Go 1.16 parseIPv6 (no zone), including a trailing embedded IPv4. */
export function parseIPv6Sloppy(text: string): ParsedIp | undefined {
  const ip = new Array<number>(16).fill(0);
  let s = text;
  let ellipsis = -1;
  let leadingZeros = false;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { family: 6, bytes: ip, leadingZeros };
  }
  let i = 0;
  while (i < 16) {
    let n = 0;
    let c = 0;
    for (; c < s.length && hexDigit(s[c]) >= 0; c++) {
      n = n * 16 + hexDigit(s[c]);
      if (n >= BIG) return undefined;
    }
    if (c === 0 || n > 0xffff) return undefined;
    if (c < s.length && s[c] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4Sloppy(s);
      if (!v4) return undefined;
      leadingZeros ||= v4.leadingZeros;
      ip.splice(i, 4, ...v4.bytes);
      s = '';
      i += 4;
      break;
    }
    if (c > 4) leadingZeros = true;
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(c);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined; // an ellipsis must stand for at least one group
  }
  return { family: 6, bytes: ip, leadingZeros };
}

export function parseIpSloppy(s: string): ParsedIp | undefined {
  return parseIPv4Sloppy(s) ?? parseIPv6Sloppy(s);
}

function maskBytes(prefix: number, bits: number): number[] {
  return Array.from({ length: bits / 8 }, (_, i) => {
    const left = Math.max(0, Math.min(8, prefix - i * 8));
    return (0xff << (8 - left)) & 0xff;
  });
}

/** netutils.ParseCIDRSloppy. */
export function parseCidrSloppy(s: string): GoCidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIpSloppy(s.slice(0, slash));
  const mask = s.slice(slash + 1);
  if (!ip || !/^\d+$/.test(mask)) return undefined;
  let prefix = 0;
  for (const ch of mask) {
    prefix = prefix * 10 + Number(ch);
    if (prefix >= BIG) return undefined; // dtoi overflow guard
  }
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const m = maskBytes(prefix, bits);
  return { ip, prefix, bits, network: ip.bytes.map((b, i) => b & m[i]!), prefixLeadingZeros: mask.length > 1 && mask[0] === '0' };
}

function isIPv4Mapped(b: number[]): boolean {
  return b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** The strict-parsing message for a value ParseCIDRSloppy accepted, or undefined. */
export function strictCidrProblem(c: GoCidr): string | undefined {
  if (c.ip.leadingZeros || c.prefixLeadingZeros) return 'must not have leading 0s in IP or prefix length';
  if (c.ip.family === 6 && isIPv4Mapped(c.ip.bytes)) return 'must not have an IPv4-mapped IPv6 address';
  if (c.network.some((b, i) => b !== c.ip.bytes[i])) return 'must not have bits set beyond the prefix length';
  return undefined;
}

/** Go IP.To4: a 4-byte address, or the IPv4 inside an IPv4-mapped IPv6 one. */
function to4(b: number[]): number[] | undefined {
  if (b.length === 4) return b;
  return isIPv4Mapped(b) ? b.slice(12) : undefined;
}

/** Go (*IPNet).Contains(ip) with networkNumberAndMask's IPv4-mapped handling. */
export function ipNetContains(net: GoCidr, ip: number[]): boolean {
  const nn = to4(net.network) ?? net.network;
  let m = maskBytes(net.prefix, net.bits);
  if (nn.length === 4 && m.length === 16) m = m.slice(12);
  const x = to4(ip) ?? ip;
  if (x.length !== nn.length) return false;
  return x.every((b, i) => (b & m[i]!) === (nn[i]! & m[i]!));
}

/** The family Go's Contains sees: an IPv4-mapped IPv6 network counts as IPv4. */
export function goFamily(c: GoCidr): 4 | 6 {
  return to4(c.network) ? 4 : 6;
}

/** Canonical text of an address given as 4 or 16 bytes (dotted quad, or RFC 5952 for IPv6). */
export function formatIpBytes(bytes: readonly number[]): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return formatIp({ family: bytes.length === 4 ? 4 : 6, value });
}
