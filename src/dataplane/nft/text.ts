// What may reach an nftables file from a manifest: nothing as syntax. Names only ever appear
// inside `#` comments, and only after this: one line of printable ASCII, no quotes or
// backslashes, bounded in length. Set and chain names are generated (compile.ts), never derived.

export const COMMENT_MAX = 160;

/** A comment body safe on an nft `#` line. */
export function nftComment(text: string, max = COMMENT_MAX): string {
  const clean = [...text].map((c) => (/^[\x20-\x7e]$/.test(c) && !/["'`\\]/.test(c) ? c : '?')).join('');
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

/** An integer in [lo, hi], or undefined: numbers reach the ruleset only through here. */
export function intIn(x: unknown, lo: number, hi: number): number | undefined {
  return typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi ? x : undefined;
}

/** nft identifiers the compiler accepts from its caller (the table name). */
export const NFT_IDENT = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;
