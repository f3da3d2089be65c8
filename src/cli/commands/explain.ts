// netpol explain: every policy in plain words, or as a table.
import { safeJson } from '../../render/escape.js';
import { explainCluster } from '../../analysis/explain/explain.js';
import { renderExplainTable, renderExplainText } from '../../render/explain.js';
import { loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { prependHeader, withSkipped } from '../../render/skipped.js';

export async function explainCommand(paths: string[], flags: LoadFlags & { format: string }): Promise<number> {
  const format = oneOf(flags.format, ['text', 'table', 'json'] as const, '--format');
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const list = explainCluster(result.cluster);
  write(format === 'json' ? safeJson(withSkipped({ policies: list }, skipped), 2) : prependHeader(format === 'table' ? renderExplainTable(list) : renderExplainText(list), skipped));
  return 0;
}
