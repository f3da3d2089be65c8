// What every command shares: loading paths into a cluster, and refusing to present a partial
// result when some input was rejected.
import { DEFAULT_LIMITS, hasErrors, loadSources, overriddenBy, renderDiagnosticsText, summarize, type LoadResult, type SkippedObject } from '../index.js';
import { readSources } from '../node/read-sources.js';
import { CliError } from './errors.js';

export interface LoadFlags {
  namespace?: string;
  maxBytes?: string;
  /** --skip-invalid: analyse the valid objects, leave out (and list) the invalid ones. */
  skipInvalid?: boolean;
  /** --cluster, --kubeconfig, --context: read the live cluster (paths override its objects). */
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  /** Namespaces to read with --cluster when not from -n (matrix: its --namespace filter). */
  clusterNamespaces?: string[];
}

export { CliError, packageVersion } from './errors.js';

/** `--max-bytes`, or the default input size limit every command applies (serve included). */
export function maxBytesOption(value: string | undefined): number {
  const maxBytes = value ? Number(value) : DEFAULT_LIMITS.maxBytes;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new CliError(`--max-bytes must be a positive number`, 2);
  return maxBytes;
}

/** What --cluster read (once per command), for loadPaths. */
export type LiveRead = Awaited<ReturnType<typeof import('../node/cluster/live.js')['readLive']>>;

const namespacesOf = (flags: LoadFlags) => flags.namespace?.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** Reads the live cluster for --cluster; the module (and @kubernetes/client-node) loads only then. */
export async function readLiveFor(flags: LoadFlags): Promise<LiveRead> {
  const { readLive } = await import('../node/cluster/live.js');
  return readLive({ kubeconfig: flags.kubeconfig, context: flags.context, namespaces: flags.clusterNamespaces?.length ? flags.clusterNamespaces : namespacesOf(flags) });
}

/**
 * Paths into a cluster. With --cluster, the live objects come first and the paths override those
 * of the same kind/namespace/name (the preview); `live` passes a read already made.
 */
export async function loadPaths(paths: string[], flags: LoadFlags, live?: LiveRead): Promise<LoadResult> {
  const maxBytes = maxBytesOption(flags.maxBytes);
  const limits = { ...DEFAULT_LIMITS, maxBytes };
  const namespaces = namespacesOf(flags);
  if (!flags.cluster) {
    if (flags.kubeconfig || flags.context) throw new CliError('netpol: --kubeconfig and --context need --cluster', 2);
    if (paths.length === 0) throw new CliError('netpol: give files or folders of manifests, or --cluster to read the live cluster', 2);
    if (namespaces && namespaces.length > 1) throw new CliError('netpol: several namespaces in -n need --cluster (without it, -n is the namespace for objects that name none)', 2);
    return loadSources(await readSources(paths, maxBytes), { namespace: flags.namespace, limits });
  }
  live ??= await readLiveFor(flags);
  // Objects that name no namespace go where kubectl would put them: -n (one), else the context's.
  const namespace = namespaces?.length === 1 ? namespaces[0] : live.connection.namespace;
  const sources = await readSources(paths, maxBytes);
  const { kept } = overriddenBy(live.objects, sources, namespace ?? 'default', limits);
  return loadSources(sources, { namespace, limits, objects: kept });
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
