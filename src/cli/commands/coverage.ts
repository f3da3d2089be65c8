// netpol coverage: pods no policy isolates, and who may reach each pod.
import { safeJson } from '../../render/escape.js';
import { computeCoverage } from '../../analysis/coverage/coverage.js';
import { renderCoverageText } from '../../render/coverage.js';
import { loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { prependHeader, withSkipped } from '../../render/skipped.js';
import { Option, type Command } from 'commander';
import { loadOptions, type Run } from '../main.js';

export async function coverageCommand(paths: string[], flags: LoadFlags & { format: string; ipblockPods: string }): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json'] as const, '--format');
  const ipBlockPods = oneOf(flags.ipblockPods, ['match', 'ignore'] as const, '--ipblock-pods');
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const report = computeCoverage(result.cluster, { ipBlockPods });
  write(format === 'json' ? safeJson(withSkipped(report, skipped), 2) : prependHeader(renderCoverageText(report), skipped));
  return 0;
}

export function register(program: Command, run: Run): void {
  loadOptions(program.command('coverage').argument('<paths...>', 'files or folders of manifests'))
    .description('pods no policy isolates, and who may reach each pod (incl. pods/namespaces not deployed yet)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs').choices(['match', 'ignore']).default('match'))
    .action((paths: string[], o) => run(coverageCommand(paths, o)));
}
