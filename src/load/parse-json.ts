// JSON input through JSON.parse instead of the YAML parser (a `kubectl get -o json` List of
// 100,000 pods parses in a fraction of the time). kubectl reads JSON as YAML (sigs.k8s.io/yaml),
// so this path is taken only when JSON.parse gives exactly the value parse-yaml.ts would, and
// gives up (undefined: the caller parses as YAML) whenever it might not:
// - duplicate keys: YAML reports them, JSON.parse keeps the last silently;
// - numbers YAML reads differently: -0 (go-yaml's int 0) and overflow (1e400 stays text in
//   YAML, Infinity here);
// - nesting deeper than the limit (the YAML path names it), tabs (the YAML path may refuse them
//   as indentation), and anything JSON.parse refuses (comments, several documents, NaN, …).
// Browser-safe, like the rest of the loader.

/** Where the fast path may apply: JSON starts with `{` or `[` after spaces and newlines. */
export function looksLikeJson(text: string): boolean {
  return /^[ \r\n]*[{[]/.test(text);
}

/** The value of a JSON text, or undefined when the YAML path must decide. */
export function parseJsonFaithful(text: string, maxDepth: number): { value: unknown } | undefined {
  // A tab is whitespace to JSON but may be refused as indentation by YAML; `\u003a` is a ':'
  // the duplicate-key count below would not see in the text.
  if (text.includes('\t') || /\\u003[aA]/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const count = { keys: 0, colons: 0 };
  if (!faithful(value, 0, maxDepth, count)) return undefined;
  // Duplicate keys without a tokenizer: every ':' outside a string separates one key from its
  // value, so the text's colons minus those inside the parsed strings are the keys written. A
  // duplicate drops at least one key (and its value) from the parsed object: fewer keys.
  let colons = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) colons++;
  if (colons - count.colons !== count.keys) return undefined;
  return { value };
}

function colonsIn(s: string, count: { colons: number }): void {
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) count.colons++;
}

function faithful(v: unknown, depth: number, maxDepth: number, count: { keys: number; colons: number }): boolean {
  if (depth >= maxDepth) return false;
  if (typeof v === 'string') { colonsIn(v, count); return true; }
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) {
    for (const x of v) if (!faithful(x, depth + 1, maxDepth, count)) return false;
    return true;
  }
  for (const k in v) {
    count.keys++;
    colonsIn(k, count);
    if (!faithful((v as Record<string, unknown>)[k], depth + 1, maxDepth, count)) return false;
  }
  return true;
}
