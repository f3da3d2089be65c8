// Browser-safe public API: everything here runs in Node and in the browser.
export * from './diagnostics/diagnostic.js';
export * from './model/types.js';
export { loadSources, type Source, type LoadOptions, type LoadResult, type SkippedObject } from './load/load.js';
export { DEFAULT_LIMITS, type InputLimits } from './load/limits.js';
export { checkNetworkPolicy, checkObject } from './validate/index.js';
export { selectorMatches, formatSelector } from './match/selector.js';
export { type IpBlockPods } from './match/peer.js';
export { Evaluator, endpointName, type Connection, type Endpoint, type Verdict, type DirectionTrace, type PolicyTrace, type RuleTrace } from './evaluate/evaluate.js';
export { resolveEndpoint } from './evaluate/resolve.js';
export { computeMatrix, computeMatrixClasses, type Matrix, type MatrixClasses, type MatrixOptions } from './matrix/matrix.js';
export { declaredProbes, parseProbe, resolveProbePort, type Probe } from './matrix/ports.js';
export { renderDiagnosticsText, renderGithubAnnotations, diagnosticLine, summarize } from './render/diagnostics.js';
export { renderMatrixTable, renderMatrixCsv, renderMatrixMarkdown } from './render/matrix.js';
export { renderVerdictText } from './render/verdict.js';
export { codeFrame } from './render/code-frame.js';
export { terminalText, terminalBlock, csvField, csvRow, markdownCell, safeJson } from './render/escape.js';
export * from './analysis/list/index.js';
