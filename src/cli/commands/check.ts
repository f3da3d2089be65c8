// netpol check: are these manifests valid, as the API server would judge them?
import { safeJson } from '../../render/escape.js';
import { hasErrors, renderGithubAnnotations, summarize } from '../../index.js';
import { renderReportText } from '../../render/diagnostics.js';
import { loadPaths, oneOf, packageVersion, write, type LoadFlags } from '../shared.js';
import { renderSarif } from '../../render/sarif.js';
import { skippedHeader, withSkipped, withSkippedSarif } from '../../render/skipped.js';
import { tierCounts, tierJson, tierListText } from '../../render/tier-summary.js';

export interface CheckFlags extends LoadFlags {
  format: string;
}

export async function checkCommand(paths: string[], flags: CheckFlags): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json', 'sarif', 'github'] as const, '--format');
  const result = await loadPaths(paths, flags);
  const diags = result.diagnostics;
  // --skip-invalid does not make invalid input valid (exit 1 stays); it lists what the other
  // commands would leave out.
  const skipped = flags.skipInvalid ? result.skipped : undefined;
  if (format === 'json') write(safeJson(withSkipped({ diagnostics: diags, ...tierJson(result.cluster, result.rejectedClusterPolicies) }, skipped), 2));
  else if (format === 'sarif') write(safeJson(withSkippedSarif(renderSarif(diags, 'check', { version: packageVersion() }), skipped), 2));
  else if (format === 'github') {
    const header = skipped ? skippedHeader(skipped) : '';
    write(`${header ? `::warning title=netpol --skip-invalid::${header.replace(/%/g, '%25')}\n` : ''}${renderGithubAnnotations(diags)}`);
  }
  else {
    const c = result.cluster;
    const header = skipped ? skippedHeader(skipped) : '';
    if (header) write(header);
    if (diags.length) write(renderReportText(diags, result.sources));
    const tiers = tierListText(c);
    if (tiers) write(`${diags.length ? '\n' : ''}${tiers}`);
    write(`${diags.length || tiers ? '\n' : ''}checked ${c.policies.length + result.rejectedPolicies} NetworkPolicies, ${c.pods.length} pods, ${c.namespaces.length} namespaces${tierCounts(c, result.rejectedClusterPolicies)}: ${summarize(diags)}`);
  }
  return hasErrors(diags) ? 1 : 0;
}
