// netpol lint: valid but likely-wrong policies. Every rule has a stable id (docs/ANALYSIS.md).
import { sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IpBlockPods } from '../../match/peer.js';
import type { Cluster } from '../../model/types.js';
import { closest } from '../../validate/suggest.js';
import { LintContext, type LintFix, type LintRule } from './context.js';
import { egressBlocksDns } from './rules/egress-blocks-dns.js';
import { emptyListMeansAll, emptyPolicyTypes, emptyRulesList } from './rules/empty-lists.js';
import { ipBlockCoversPods, ipBlockWholeInternet, ipv4AnyWithoutIpv6 } from './rules/ipblock.js';
import { namespaceSelectorEmpty } from './rules/namespace-selector-empty.js';
import { namespaceSelectorNamesApp } from './rules/namespace-selector-app.js';
import { peerAndProbablyOr, peerOrProbablyAnd } from './rules/peer-and-or.js';
import { endPortDependsOnPlugin, hostNetworkPodSelected, sctpDependsOnPlugin } from './rules/plugin-dependent.js';
import { podSelectorOmitted } from './rules/podselector-omitted.js';
import { policyTypesIgnoresRules } from './rules/policytypes-ignores-rules.js';
import { namedPortUndeclared, portOfWrongSide } from './rules/ports.js';
import { redundantRule } from './rules/redundant-rule.js';
import { ruleSplitInTwo } from './rules/rule-split-in-two.js';
import { selectorMatchesMissingKey } from './rules/selector-missing-key.js';
import { peerMatchesNothing, policyNamespaceEmpty, policySelectsNothing } from './rules/selects-nothing.js';
import { serviceExposed, servicePortNotTargetPort, serviceSelectsNothing } from './rules/services.js';

export type { LintFix, LintRule } from './context.js';

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
  emptyListMeansAll,
  emptyRulesList,
  emptyPolicyTypes,
  ruleSplitInTwo,
  selectorMatchesMissingKey,
  namespaceSelectorEmpty,
  podSelectorOmitted,
  ipv4AnyWithoutIpv6,
  sctpDependsOnPlugin,
  endPortDependsOnPlugin,
  hostNetworkPodSelected,
  servicePortNotTargetPort,
  serviceSelectsNothing,
  serviceExposed,
];

export interface LintOptions {
  /** Rule ids to skip. */
  disable?: readonly string[];
  /** When non-empty, run only these rule ids. */
  enable?: readonly string[];
  /** How ipBlocks treat pod IPs where a rule evaluates connections (default `match`). */
  ipBlockPods?: IpBlockPods;
}

/** Unknown ids among `ids`, each with a "did you mean" when a rule id is close. */
export function unknownRuleIds(ids: readonly string[]): { id: string; suggestion?: string }[] {
  const known = LINT_RULES.map((r) => r.id);
  return ids.filter((id) => !known.includes(id)).map((id) => {
    // A typo, or a shortened id (`selects-nothing` for `policy-selects-nothing`).
    const suggestion = closest(id, known) ?? known.find((k) => k.endsWith(`-${id}`) || k.startsWith(`${id}-`));
    return suggestion === undefined ? { id } : { id, suggestion };
  });
}

/** Findings with the fixes their hints suggest, where a rule gives a concrete one. */
export function lintWithFixes(cluster: Cluster, options: LintOptions = {}): { diagnostic: Diagnostic; fix?: LintFix }[] {
  const ctx = new LintContext(cluster, { ipBlockPods: options.ipBlockPods });
  const out: Diagnostic[] = [];
  for (const rule of LINT_RULES) {
    if (options.disable?.includes(rule.id)) continue;
    if (options.enable?.length && !options.enable.includes(rule.id)) continue;
    out.push(...rule.check(ctx));
  }
  // Within a document, by line, so output reads top to bottom.
  return sortDiagnostics(out.sort((a, b) => a.line - b.line || a.column - b.column)).map((d) => {
    const fix = ctx.fixes.get(d);
    return fix ? { diagnostic: d, fix } : { diagnostic: d };
  });
}

export function lintCluster(cluster: Cluster, options: LintOptions = {}): Diagnostic[] {
  return lintWithFixes(cluster, options).map((x) => x.diagnostic);
}
