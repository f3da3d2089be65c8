// netpol coverage: pods no policy isolates, and who may reach each pod.
import { safeJson } from '../../render/escape.js';
import { computeCoverage } from '../../analysis/coverage/coverage.js';
import { renderCoverageText } from '../../render/coverage.js';
import { loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { prependHeader, withSkipped } from '../../render/skipped.js';

export async function coverageCommand(paths: string[], flags: LoadFlags & { format: string; ipblockPods: string }): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json'] as const, '--format');
  const ipBlockPods = oneOf(flags.ipblockPods, ['match', 'ignore'] as const, '--ipblock-pods');
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const report = computeCoverage(result.cluster, { ipBlockPods });
  write(format === 'json' ? safeJson(withSkipped(report, skipped), 2) : prependHeader(renderCoverageText(report), skipped));
  return 0;
}
