// Bounds for hostile input. Every limit produces a clear diagnostic, never a crash or a hang.
export interface InputLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Deepest accepted nesting of mappings and sequences. */
  maxDepth: number;
  /** Most alias dereferences per document (bounds "billion laughs" expansion). */
  maxAliases: number;
  /** Most documents per file. */
  maxDocuments: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 100,
  maxAliases: 1000,
  maxDocuments: 500_000,
};
