// Plain-scalar resolution exactly as kubectl reads YAML: sigs.k8s.io/yaml over go-yaml v2.
// A transcription of go-yaml v2 `resolve()` (resolve.go, Apache-2.0, Copyright (c) 2011-2019
// Canonical Ltd) for untagged plain scalars decoded into interface{}, followed by the JSON
// conversion of sigs.k8s.io/yaml (`convertToJSONableObject`). Quoted and block scalars are
// always strings and never come here.
//
// What kubectl gets:
// - the bool words y Y yes Yes YES true True TRUE on On ON (true), n N no No NO false False FALSE
//   off Off OFF (false); null for "", ~, null, Null, NULL;
// - ints through Go's strconv.ParseInt(s, 0, 64) after removing every `_` (so 0x.., 0o.., 0b..
//   and leading-zero octal), then ParseUint, then floats of go-yaml's float form only;
// - .inf/.nan forms are floats, which encoding/json refuses as values (`unsupported value`);
// - timestamps (2024-01-01) stay strings: go-yaml v2 keeps them as text in interface{};
// - no base 60 (`12:30` is a string), and everything else is a string.

export type Resolved =
  | { tag: 'null'; value: null }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: number }
  | { tag: 'float'; value: number }
  | { tag: 'str'; value: string }
  | { tag: 'merge'; value: '<<' };

const WORDS = new Map<string, Resolved>();
const put = (r: Resolved, words: string[]) => { for (const w of words) WORDS.set(w, r); };
put({ tag: 'bool', value: true }, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
put({ tag: 'bool', value: false }, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
put({ tag: 'null', value: null }, ['', '~', 'null', 'Null', 'NULL']);
put({ tag: 'float', value: NaN }, ['.nan', '.NaN', '.NAN']);
put({ tag: 'float', value: Infinity }, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
put({ tag: 'float', value: -Infinity }, ['-.inf', '-.Inf', '-.INF']);
put({ tag: 'merge', value: '<<' }, ['<<']);

/** go-yaml's `yamlStyleFloat`. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's strconv.ParseFloat accepts of a string that starts with '.' (decimal form). */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Go's strconv.ParseInt(s, 0, 64) (signed) or ParseUint(s, 0, 64) (unsigned) on a string
 * without underscores: optional sign (ParseInt only), base prefix 0x/0o/0b (any case) or a
 * leading 0 for octal, at least one digit, range checked. Undefined when Go returns an error.
 */
export function goParseInt(s: string, signed: boolean): bigint | undefined {
  let i = 0;
  let neg = false;
  if (signed && (s[0] === '+' || s[0] === '-')) { neg = s[0] === '-'; i = 1; }
  let base = 10;
  const p = s.slice(i, i + 2).toLowerCase();
  if (p === '0x') { base = 16; i += 2; } else if (p === '0o') { base = 8; i += 2; } else if (p === '0b') { base = 2; i += 2; } else if (s[i] === '0' && s.length > i + 1) { base = 8; i += 1; }
  const digits = s.slice(i);
  if (digits === '') return undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let v = BigInt(prefix + digits);
  if (neg) v = -v;
  if (signed ? v < INT64_MIN || v > INT64_MAX : v > UINT64_MAX) return undefined;
  return v;
}

/** Go's ParseFloat on a string already known to be in decimal form; overflow is an error. */
function goParseDecimalFloat(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** go-yaml v2 `resolve("", in)` for a plain scalar, as the value kubectl's JSON carries. */
export function resolvePlain(input: string): Resolved {
  const word = WORDS.get(input);
  if (word) return word;
  const c = input[0];
  if (c === '.') {
    if (DOT_FLOAT.test(input)) {
      const f = goParseDecimalFloat(input);
      if (f !== undefined) return { tag: 'float', value: f };
    }
  } else if (c === '+' || c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
    // go-yaml tries timestamps (YYYY-...) first and keeps them as text in interface{}
    // (decode.go); such text can never parse as a number below, so it ends as a string anyway.
    const plain = input.replaceAll('_', '');
    const int = goParseInt(plain, true) ?? goParseInt(plain, false);
    if (int !== undefined) return { tag: 'int', value: Number(int) };
    if (YAML_FLOAT.test(plain)) {
      const f = goParseDecimalFloat(plain);
      if (f !== undefined) return { tag: 'float', value: f };
    }
    // go-yaml's own 0b/-0b branch is covered by ParseInt since Go 1.13.
  }
  return { tag: 'str', value: input };
}

/**
 * A mapping key as sigs.k8s.io/yaml turns it into a JSON object key: strings as they are, ints
 * in decimal, bools as true/false, floats through strconv.FormatFloat(f, 'g', -1, 32) with
 * .inf/-.inf/.nan. Null keys and keys beyond int64 are refused (`unsupported map key`).
 */
export function jsonKey(r: Resolved, raw: string): { key: string } | { error: string } {
  switch (r.tag) {
    case 'str': return { key: r.value };
    case 'merge': return { key: '<<' };
    case 'bool': return { key: r.value ? 'true' : 'false' };
    case 'null': return { error: `unsupported map key of type: <nil>, key: <nil>` };
    case 'int': {
      const plain = raw.replaceAll('_', '');
      const big = goParseInt(plain, true);
      if (big === undefined) return { error: `unsupported map key of type: uint64, key: 0x${(goParseInt(plain, false) ?? 0n).toString(16)}` };
      return { key: big.toString() };
    }
    case 'float': return { key: formatFloat32g(r.value) };
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's names for the non-finite values. */
export function formatFloat32g(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const f32 = Math.fround(f);
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  // Shortest decimal that reads back as the same float32.
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f32).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(f32)) {
      const [m, e] = s.split('e');
      digits = m!.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const neg = f32 < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${neg}${mant}e${exp < 0 ? '-' : '+'}${es}`;
  }
  const dp = exp + 1; // digits before the decimal point
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${neg}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${neg}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}
