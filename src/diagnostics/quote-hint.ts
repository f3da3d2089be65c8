// Hints for YAML 1.1 traps quote what the user wrote (`app: n`), never a rewritten value.

/** `kubectl reads \`app: n\` as the boolean false; quote it: app: "n"`. */
export function quoteHint(key: string, written: string, readAs: string): string {
  const quoted = `"${written.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `kubectl reads \`${key}: ${written}\` as ${readAs}; quote it: ${key}: ${quoted}`;
}
