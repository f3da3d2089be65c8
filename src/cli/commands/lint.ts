// netpol lint: valid but likely-wrong policies, with a rule id, file:line and a fix hint.
import { safeJson } from '../../render/escape.js';
import { renderGithubAnnotations, summarize, type Diagnostic } from '../../index.js';
import { renderReportText } from '../../render/diagnostics.js';
import { lintCluster, LINT_RULES, unknownRuleIds } from '../../analysis/lint/index.js';
import { renderSarif } from '../../render/sarif.js';
import { CliError, loadPaths, oneOf, packageVersion, requireValid, write, type LoadFlags } from '../shared.js';
import { skippedHeader, withSkipped, withSkippedSarif } from '../../render/skipped.js';

export interface LintFlags extends LoadFlags {
  format: string;
  failOn: string;
  disable: string[];
  enable: string[];
  ipblockPods: string;
}

/** netpol's version, from package.json (two folders up from both src/cli/commands and dist/cli/commands). */
/** `--disable`/`--enable` take rule ids only: a typo must not silently lint everything. */
function checkRuleIds(ids: readonly string[], flag: string): void {
  const unknown = unknownRuleIds(ids);
  if (unknown.length === 0) return;
  const lines = unknown.map((u) => `${flag}: unknown lint rule "${u.id}"${u.suggestion ? `; did you mean "${u.suggestion}"?` : ''}`);
  throw new CliError(`${lines.join('\n')}\n(rule ids: ${LINT_RULES.map((r) => r.id).join(', ')})`, 2);
}

export async function lintCommand(paths: string[], flags: LintFlags): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json', 'sarif', 'github'] as const, '--format');
  const failOn = oneOf(flags.failOn, ['warning', 'error'] as const, '--fail-on');
  const ipBlockPods = oneOf(flags.ipblockPods ?? 'match', ['match', 'ignore', 'depends'] as const, '--ipblock-pods');
  // Repeatable, and comma-separated lists work too (`--disable a,b`).
  const disable = (flags.disable ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  const enable = (flags.enable ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  checkRuleIds(disable, '--disable');
  checkRuleIds(enable, '--enable');
  const result = await loadPaths(paths, flags);
  // Input errors are part of the answer: a rejected policy is not linted, say why. Under
  // --skip-invalid they go to stderr instead and the output lists what was left out.
  const skipped = flags.skipInvalid ? requireValid(result, true) : undefined;
  const inputErrors = skipped ? [] : result.diagnostics.filter((d) => d.severity === 'error');
  const diags: Diagnostic[] = [...inputErrors, ...lintCluster(result.cluster, { disable, enable, ipBlockPods })];
  if (format === 'json') write(safeJson(withSkipped({ diagnostics: diags }, skipped), 2));
  else if (format === 'sarif') write(safeJson(withSkippedSarif(renderSarif(diags, 'lint', { version: packageVersion(), rules: LINT_RULES }), skipped), 2));
  else if (format === 'github') {
    const header = skipped ? skippedHeader(skipped) : '';
    write(`${header ? `::warning title=netpol --skip-invalid::${header.replace(/%/g, '%25')}\n` : ''}${renderGithubAnnotations(diags)}`);
  }
  else {
    const header = skipped ? skippedHeader(skipped) : '';
    if (header) write(header);
    if (diags.length) write(renderReportText(diags, result.sources));
    const c = result.cluster;
    const ran = LINT_RULES.filter((r) => !disable.includes(r.id) && (!enable.length || enable.includes(r.id))).length;
    const tiers = c.clusterPolicies?.length ? ` and ${c.clusterPolicies.length} tier ${c.clusterPolicies.length === 1 ? 'policy' : 'policies'}` : '';
    write(`${diags.length ? '\n' : ''}linted ${c.policies.length} NetworkPolicies${tiers} against ${c.pods.length} pods in ${c.namespaces.length} namespaces (${ran} rules): ${summarize(diags)}`);
  }
  const fails = diags.some((d) => d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning'));
  return fails ? 1 : 0;
}
