// What the page's modules share: the loaded files, the latest analysis and what the views show,
// in one object (`page`) so every module reads and changes the same values; and the editor.
import type { Diagnostic, GraphInput, Matrix, Source } from '../index';
import type { Analysis, PolicyLayer } from './engine';
import type { ListDiff } from './diff';
import type { GraphState } from './graph';
import { $ } from './dom';
import { LazyEditor } from './lazy-editor';

/** localStorage key of the last session's files. */
export const STORE = 'netpol.files.v1';
/** `depends` marks are on by default up to this many pods (they cost two pod-level passes). */
export const DEPENDS_AUTO_PODS = 600;

export const page = {
  files: [] as Source[],
  analysis: undefined as Analysis | undefined,
  baseline: undefined as GraphInput | undefined,
  /** Take the next analysis as the baseline. */
  baselineNext: true,
  diff: undefined as ListDiff | undefined,
  lintFindings: [] as Diagnostic[],
  /** The newest analysis asked for; an answer for an older one is dropped. */
  seq: 0,
  gs: { level: 'namespace' } as GraphState,
  layer: undefined as { policy: string; layer: PolicyLayer } | undefined,
  hits: new Set<number>(),
  podMatrix: undefined as { namespace: string; matrix: Matrix } | undefined,
  autoDependsNext: false,
  /** A view changed while hidden: redraw it when shown. */
  graphStale: false,
  matrixStale: false,
};

export const editor = new LazyEditor($('editor'));

export const unsupportedNote = (why: string) => `Graph, matrix and changes are not available for this cluster: ${why}. Use Query (or the Policies tab) meanwhile.`;
