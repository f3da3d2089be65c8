// ipBlock checks: kubernetes pkg/apis/networking/validation ValidateIPBlock with
// IsValidCIDRForLegacyField under StrictIPCIDRValidation (beta and on by default in 1.36).
import { child, index } from '../diagnostics/field-path.js';
import { invalid, required, withHint, type FieldError } from './field-errors.js';
import { formatIpBytes as formatIp, goFamily, ipNetContains, parseCidrSloppy, parseIpSloppy, strictCidrProblem, type GoCidr } from '../net/go-cidr.js';
import type { DIPBlock } from './decoded.js';

const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function canonical(c: GoCidr): string {
  return `${formatIp(c.ip.bytes)}/${c.prefix}`;
}

function unparseableHint(value: string): string | undefined {
  if (value.trim() !== value) return 'remove the spaces around the CIDR';
  const ip = parseIpSloppy(value);
  if (ip) {
    const host = ip.family === 4 ? 32 : 128;
    return `add a prefix length: "${formatIp(ip.bytes)}/${host}" for this one address`;
  }
  const slash = value.indexOf('/');
  if (slash >= 0 && parseIpSloppy(value.slice(0, slash))) return 'the prefix length must be 0-32 for IPv4, 0-128 for IPv6';
  if (/^[\d.]+(\/\d+)?$/.test(value)) return 'an IPv4 address needs four numbers 0-255 separated by dots, e.g. 10.0.0.0/8';
  return undefined;
}

function strictHint(problem: string, c: GoCidr): string | undefined {
  if (problem.includes('leading 0s')) return `write it without leading zeros (Go reads them as decimal): "${canonical(c)}"`;
  if (problem.includes('IPv4-mapped')) {
    const v4 = c.ip.bytes.slice(12);
    return c.prefix >= 96 ? `use the plain IPv4 form "${formatIp(v4)}/${c.prefix - 96}"` : 'use a plain IPv4 or IPv6 CIDR';
  }
  const host = c.ip.family === 4 ? 32 : 128;
  return `did you mean "${formatIp(c.network)}/${c.prefix}" (the whole block) or "${formatIp(c.ip.bytes)}/${host}" (one address)?`;
}

/** IsValidCIDRForLegacyField in strict mode: parse error, or at most one strict error. */
function checkCidr(value: string, path: string): { parsed?: GoCidr; errors: FieldError[] } {
  const parsed = parseCidrSloppy(value);
  if (!parsed) return { errors: [withHint(invalid(path, value, INVALID_CIDR), unparseableHint(value))] };
  const problem = strictCidrProblem(parsed);
  return { parsed, errors: problem ? [withHint(invalid(path, value, problem), strictHint(problem, parsed))] : [] };
}

function subsetHint(cidrText: string, cidr: GoCidr, except: GoCidr): string {
  if (goFamily(cidr) !== goFamily(except)) return 'except entries must be the same IP family as `cidr`';
  if (except.prefix === cidr.prefix && ipNetContains(cidr, except.network)) {
    return 'an except equal to `cidr` leaves nothing; drop this peer instead';
  }
  if (except.prefix <= cidr.prefix) return 'an except must be a smaller block inside `cidr` (a longer prefix)';
  return `this block is not inside ${cidrText}`;
}

/**
 * ValidateIPBlock: empty cidr stops; an unparseable cidr stops; each except is checked and,
 * when it parses (sloppily - even a value that failed a strict check), must be a strict subset:
 * its network address inside cidr and a longer prefix. Excepts are not compared to each other.
 */
export function validateIPBlock(b: DIPBlock, path: string): FieldError[] {
  const cidrPath = child(path, 'cidr');
  if (b.cidr === '') return [withHint(required(cidrPath), 'set `cidr`, e.g. `cidr: 10.0.0.0/8`')];
  const { parsed: cidr, errors } = checkCidr(b.cidr, cidrPath);
  if (!cidr) return errors;
  b.except.forEach((value, j) => {
    const p = index(child(path, 'except'), j);
    const checked = checkCidr(value, p);
    errors.push(...checked.errors);
    const ex = checked.parsed;
    if (!ex) return;
    if (!ipNetContains(cidr, ex.network) || cidr.prefix >= ex.prefix) {
      errors.push(withHint(invalid(p, value, 'must be a strict subset of `cidr`'), subsetHint(b.cidr, cidr, ex)));
    }
  });
  return errors;
}
