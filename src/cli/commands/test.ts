// netpol test: reachability expectations kept in the repo; exit 1 when one fails.
import { safeJson } from '../../render/escape.js';
import { readFile } from 'node:fs/promises';
import { renderDiagnosticsText } from '../../index.js';
import { parseExpectations } from '../../analysis/assert/file.js';
import { runExpectations } from '../../analysis/assert/run.js';
import { renderJunit, renderTestGithub, renderTestText } from '../../render/test-report.js';
import { renderGithubAnnotations } from '../../render/diagnostics.js';
import { CliError, loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { oneLine, prependHeader, skippedHeader, withSkipped } from '../../render/skipped.js';

export interface TestFlags extends LoadFlags {
  expect: string;
  format: string;
  ipblockPods?: string;
}

export async function testCommand(paths: string[], flags: TestFlags): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json', 'junit', 'github'] as const, '--format');
  let text: string;
  try {
    text = await readFile(flags.expect, 'utf8');
  } catch {
    throw new CliError(`netpol: cannot read --expect ${flags.expect}`, 2);
  }
  const file = parseExpectations(flags.expect, text);
  if (file.diagnostics.some((d) => d.severity === 'error')) {
    const errors = file.diagnostics.filter((d) => d.severity === 'error');
    if (format === 'github') write(renderGithubAnnotations(errors));
    throw new CliError(`${renderDiagnosticsText(errors, new Map([[flags.expect, text]]))}\n\nnetpol: ${flags.expect} has ${errors.length} error(s); no assertion was run`, 2);
  }
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const ipBlockPods = flags.ipblockPods ? oneOf(flags.ipblockPods, ['match', 'ignore', 'depends'] as const, '--ipblock-pods') : file.ipBlockPods;
  const report = runExpectations(result.cluster, file.expectations, { ipBlockPods });
  const header = skipped ? skippedHeader(skipped) : '';
  if (format === 'json') write(safeJson(withSkipped(report, skipped), 2));
  // An XML comment after the declaration; `--` may not appear inside one.
  else if (format === 'junit') write(header ? renderJunit(report).replace('?>\n', `?>\n<!-- ${header.replace('--skip-invalid', 'skip-invalid').replace(/--/g, '- -').replace(/[<>&]/g, '?')} -->\n`) : renderJunit(report));
  else if (format === 'github') write(`${header ? `::warning title=netpol --skip-invalid::${oneLine(header).replace(/%/g, '%25')}\n` : ''}${renderTestGithub(report) || `${report.passed} passed`}`);
  else write(prependHeader(renderTestText(report), skipped));
  return report.failed > 0 ? 1 : 0;
}
