// netpol lint: valid but likely-wrong policies. Every rule has a stable id (docs/ANALYSIS.md).
import { sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Cluster } from '../../model/types.js';
import { LintContext, type LintRule } from './context.js';
import { egressBlocksDns } from './rules/egress-blocks-dns.js';
import { ipBlockCoversPods, ipBlockWholeInternet } from './rules/ipblock.js';
import { namespaceSelectorNamesApp } from './rules/namespace-selector-app.js';
import { peerAndProbablyOr, peerOrProbablyAnd } from './rules/peer-and-or.js';
import { policyTypesIgnoresRules } from './rules/policytypes-ignores-rules.js';
import { namedPortUndeclared, portOfWrongSide } from './rules/ports.js';
import { redundantRule } from './rules/redundant-rule.js';
import { peerMatchesNothing, policyNamespaceEmpty, policySelectsNothing } from './rules/selects-nothing.js';

export type { LintRule } from './context.js';

export const LINT_RULES: readonly LintRule[] = [
  peerAndProbablyOr,
  peerOrProbablyAnd,
  policySelectsNothing,
  peerMatchesNothing,
  policyNamespaceEmpty,
  egressBlocksDns,
  namespaceSelectorNamesApp,
  ipBlockCoversPods,
  ipBlockWholeInternet,
  redundantRule,
  namedPortUndeclared,
  portOfWrongSide,
  policyTypesIgnoresRules,
];

export interface LintOptions {
  /** Rule ids to skip. */
  disable?: readonly string[];
}

export function lintCluster(cluster: Cluster, options: LintOptions = {}): Diagnostic[] {
  const ctx = new LintContext(cluster);
  const out: Diagnostic[] = [];
  for (const rule of LINT_RULES) {
    if (options.disable?.includes(rule.id)) continue;
    out.push(...rule.check(ctx));
  }
  // Within a document, by line, so output reads top to bottom.
  return sortDiagnostics(out.sort((a, b) => a.line - b.line || a.column - b.column));
}
