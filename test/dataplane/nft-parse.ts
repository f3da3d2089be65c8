// A strict reader of the rulesets compileNftables writes, for tests: every line must be a
// comment or one of the statements the compiler is meant to produce (a token whitelist), so a
// name that leaked into the ruleset as syntax shows up in `unknown`.

export interface ParsedSet {
  type: string;
  flags: string[];
  elements: string[];
}

export interface Parsed {
  table: string;
  sets: Map<string, ParsedSet>;
  /** Rules per chain in order, comments stripped. */
  chains: Map<string, string[]>;
  /** Every comment body (after `#`). */
  comments: string[];
  /** Lines that are neither comments nor expected syntax. */
  unknown: string[];
}

const IDENT = /^[a-z][a-z0-9_]*$/;
const KEYWORDS = new Set([
  'ip', 'saddr', 'daddr', 'meta', 'l4proto', 'th', 'dport', 'tcp', 'udp', 'sctp', 'accept', 'drop', 'return', 'goto', 'jump', 'ct', 'state',
  'established,related', 'invalid', '.', '!=', '{', '}', ',',
]);
const TOKEN = (t: string) =>
  KEYWORDS.has(t) || /^@[a-z][a-z0-9_]*$/.test(t) || /^\d{1,5}(-\d{1,5})?,?$/.test(t) || /^(ingress|egress|pol_\d+_(in|eg)|(np|admin|baseline)_(in|eg))$/.test(t);

/** Split a line into code and comment; `#` only ever starts a comment in our output. */
function split(line: string): { code: string; comment?: string } {
  const i = line.indexOf('#');
  return i < 0 ? { code: line.trim() } : { code: line.slice(0, i).trim(), comment: line.slice(i + 1) };
}

export function parseRuleset(text: string): Parsed {
  const out: Parsed = { table: '', sets: new Map(), chains: new Map(), comments: [], unknown: [] };
  let set: ParsedSet | undefined;
  let chain: string[] | undefined;
  let inTable = false;
  for (const raw of text.split('\n')) {
    const { code, comment } = split(raw);
    if (comment !== undefined) out.comments.push(comment.replace(/^ /, ''));
    if (!code) continue;
    let m: RegExpExecArray | null;
    if (!inTable) {
      if ((m = /^table inet ([a-z][a-z0-9_]*) \{\}$/.exec(code)) || (m = /^delete table inet ([a-z][a-z0-9_]*)$/.exec(code))) out.table = m[1]!;
      else if ((m = /^table inet ([a-z][a-z0-9_]*) \{$/.exec(code))) inTable = true;
      else out.unknown.push(raw);
      continue;
    }
    if (set) {
      if (code === '}') set = undefined;
      else if ((m = /^type (ipv4_addr( \. inet_proto \. inet_service)?)$/.exec(code))) set.type = m[1]!;
      else if (code === 'flags interval') set.flags.push('interval');
      else if ((m = /^elements = \{ (.*) \}$/.exec(code)) && m[1]!.split(', ').every((e) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?( \. (tcp|udp|sctp) \. \d+)?$/.test(e))) {
        set.elements = m[1]!.split(', ');
      } else out.unknown.push(raw);
      continue;
    }
    if (chain) {
      if (code === '}') chain = undefined;
      else if (code === 'type filter hook forward priority filter; policy drop;') chain.push(code);
      else if (code.split(' ').every(TOKEN)) chain.push(code);
      else out.unknown.push(raw);
      continue;
    }
    if ((m = /^set ([a-z][a-z0-9_]*) \{$/.exec(code)) && IDENT.test(m[1]!)) out.sets.set(m[1]!, (set = { type: '', flags: [], elements: [] }));
    else if ((m = /^chain ([a-z][a-z0-9_]*) \{$/.exec(code))) out.chains.set(m[1]!, (chain = []));
    else if (code === '}') inTable = false;
    else out.unknown.push(raw);
  }
  return out;
}
