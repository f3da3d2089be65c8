// Name and value formats, with upstream texts. Two generations of helpers coexist upstream:
// k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label/Subdomain, IsValidPortName:
// "must be no more than N characters") and pkg/api/validate/content (IsLabelKey alias
// IsQualifiedName, IsLabelValue, and the subdomain check of a key prefix: "... N bytes").
// Lengths are Go len(), i.e. UTF-8 bytes.
import { byteLength } from './field-errors.js';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_KEY_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** util/validation MaxLenError. */
const maxLenChars = (n: number): string => `must be no more than ${n} characters`;
/** content MaxLenError (current apimachinery). */
const maxLenBytes = (n: number): string => `must be no more than ${n} bytes`;
const EMPTY = 'must be non-empty';

/** RegexError: examples joined with `', ' + ' or '`, hence the double spaces. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

function subdomain(value: string, maxLen: (n: number) => string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLen(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** util/validation IsDNS1123Subdomain. */
export function isDNS1123Subdomain(value: string): string[] {
  return subdomain(value, maxLenChars);
}

/** util/validation IsDNS1123Label (recent: a would-be subdomain gets "must not contain dots"). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenChars(63));
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** util/validation IsDNS1035Label (Service names: they become DNS names and env variable prefixes). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenChars(63));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** api/validation maskTrailingDash: generateName may end in '-' (Go drops two chars, adds "a"). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** api/validation NameIsDNSSubdomain (ValidateNetworkPolicyName). */
export function nameIsDNSSubdomain(name: string, prefix: boolean): string[] {
  return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
}

/** api/validation NameIsDNSLabel (ValidateNamespaceName). */
export function nameIsDNSLabel(name: string, prefix: boolean): string[] {
  return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
}

/** api/validation NameIsDNS1035Label (core/validation ValidateServiceName). */
export function nameIsDNS1035Label(name: string, prefix: boolean): string[] {
  return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
}

/**
 * Keys and values already found valid: the same few label keys and values recur on every object
 * of a large input, and a valid one always answers no messages. Bounded, so a stream of distinct
 * values cannot grow it without limit; only valid texts are kept (errors stay computed each time).
 */
class ValidMemo {
  private readonly seen = new Set<string>();
  has(v: string): boolean {
    return this.seen.has(v);
  }
  add(v: string): void {
    if (this.seen.size >= 50_000) this.seen.clear();
    this.seen.add(v);
  }
}
const NO_ERRORS: readonly string[] = Object.freeze([]);
const validKeys = new ValidMemo();
const validValues = new ValidMemo();

/** content.IsLabelKey (= IsQualifiedName): label keys, selector keys, annotation keys. */
export function isQualifiedName(value: string): readonly string[] {
  if (validKeys.has(value)) return NO_ERRORS;
  const errs = qualifiedNameErrors(value);
  if (errs.length === 0) validKeys.add(value);
  return errs;
}

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY}`);
    else errs.push(...subdomain(prefix, maxLenBytes).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY}`);
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenBytes(63)}`);
  if (!LABEL_KEY_RE.test(name)) errs.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** content.IsLabelValue. */
export function isValidLabelValue(value: string): readonly string[] {
  if (validValues.has(value)) return NO_ERRORS;
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenBytes(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  if (errs.length === 0) validValues.add(value);
  return errs;
}

/** util/validation IsValidPortNum. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** util/validation IsValidPortName (IANA_SVC_NAME); each failed check is its own message. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenChars(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}
