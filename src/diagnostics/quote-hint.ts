// Hints for YAML 1.1 traps quote what the user wrote (`app: n`), never a rewritten value.

/** `kubectl reads \`app: n\` as the boolean false; quote it: app: "n"`. */
export function quoteHint(key: string, written: string, readAs: string): string {
  const quoted = `"${written.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `kubectl reads \`${key}: ${written}\` as ${readAs}; quote it: ${key}: ${quoted}`;
}

/** How kubectl reads a value, for hints: `the boolean false`, `the number 15`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `the string ${JSON.stringify(value)}`;
}
