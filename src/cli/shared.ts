// What every command shares: loading paths into a cluster, and refusing to present a partial
// result when some input was rejected.
import { DEFAULT_LIMITS, hasErrors, loadSources, renderDiagnosticsText, summarize, type LoadResult, type SkippedObject } from '../index.js';
import { readSources } from '../node/read-sources.js';
import { CliError } from './errors.js';

export interface LoadFlags {
  namespace?: string;
  maxBytes?: string;
  /** --skip-invalid: analyse the valid objects, leave out (and list) the invalid ones. */
  skipInvalid?: boolean;
}

export { CliError, packageVersion } from './errors.js';

/** `--max-bytes`, or the default input size limit every command applies (serve included). */
export function maxBytesOption(value: string | undefined): number {
  const maxBytes = value ? Number(value) : DEFAULT_LIMITS.maxBytes;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new CliError(`--max-bytes must be a positive number`, 2);
  return maxBytes;
}

export async function loadPaths(paths: string[], flags: LoadFlags): Promise<LoadResult> {
  const maxBytes = maxBytesOption(flags.maxBytes);
  const sources = await readSources(paths, maxBytes);
  return loadSources(sources, { namespace: flags.namespace, limits: { ...DEFAULT_LIMITS, maxBytes } });
}

/**
 * For commands that compute on the cluster: invalid input must not yield a half answer, unless
 * --skip-invalid asked for one. Then the errors go to stderr and the objects left out are
 * returned, for the output to list (undefined without the flag).
 */
export function requireValid(result: LoadResult, skipInvalid?: boolean): SkippedObject[] | undefined {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (skipInvalid) {
    if (errors.length) {
      const n = result.skipped.length;
      process.stderr.write(`${renderDiagnosticsText(errors, result.sources)}\n\nnetpol: --skip-invalid: ${summarize(errors)}; left out ${n} object${n === 1 ? '' : 's'}, analysing the rest\n`);
    }
    return result.skipped;
  }
  if (!hasErrors(result.diagnostics)) return undefined;
  throw new CliError(
    `${renderDiagnosticsText(errors, result.sources)}\n\nnetpol: the input has ${summarize(errors)}; fix them (see \`netpol check\`) before asking for reachability`,
    1,
  );
}

export function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`, 2);
  return value as T;
}
