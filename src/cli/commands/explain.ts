// netpol explain: every policy in plain words, or as a table.
import { safeJson } from '../../render/escape.js';
import { explainCluster } from '../../analysis/explain/explain.js';
import { explainClusterPolicies } from '../../analysis/explain/tiers.js';
import { renderExplainTable, renderExplainText, renderTierExplainText } from '../../render/explain.js';
import { loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { prependHeader, withSkipped } from '../../render/skipped.js';

export async function explainCommand(paths: string[], flags: LoadFlags & { format: string }): Promise<number> {
  const format = oneOf(flags.format, ['text', 'table', 'json'] as const, '--format');
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const list = explainCluster(result.cluster);
  // Tier policies only when there are some, so outputs without them stay as they were.
  const tiers = explainClusterPolicies(result.cluster);
  const text = format === 'table' ? renderExplainTable(list) : renderExplainText(list);
  const withTiers = tiers.length ? `${renderTierExplainText(tiers)}\n\n${text}` : text;
  write(format === 'json' ? safeJson(withSkipped(tiers.length ? { policies: list, clusterPolicies: tiers } : { policies: list }, skipped), 2) : prependHeader(withTiers, skipped));
  return 0;
}
