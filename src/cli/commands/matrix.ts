// netpol matrix: allowed or not, for every ordered pod pair and port.
import { safeJson } from '../../render/escape.js';
import { computeMatrix, computeMatrixClasses, declaredProbes, parseProbe, renderMatrixCsv, renderMatrixMarkdown, renderMatrixTable, type Probe } from '../../index.js';
import { CliError, loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { servicesByPod } from '../../evaluate/service.js';
import { podId } from '../../model/types.js';
import { prependHeader, skippedComment, skippedMarkdown, withSkipped } from '../../render/skipped.js';

export interface MatrixFlags extends LoadFlags {
  port: string[];
  namespace?: string;
  filterNamespace: string[];
  output: string;
  ipblockPods: string;
  services?: boolean;
}

export function parseProbes(texts: readonly string[]): Probe[] {
  return texts.map((t) => {
    const p = parseProbe(t);
    if (!p) throw new CliError(`--port "${t}" is not a port: use a number 1-65535 or a port name, optionally /TCP, /UDP or /SCTP`, 2);
    return p;
  });
}

export async function matrixCommand(paths: string[], flags: MatrixFlags): Promise<number> {
  const output = oneOf(flags.output, ['table', 'json', 'csv', 'md', 'classes-json'] as const, '--format');
  const ipBlockPods = oneOf(flags.ipblockPods, ['match', 'ignore', 'depends'] as const, '--ipblock-pods');
  const result = await loadPaths(paths, { maxBytes: flags.maxBytes, namespace: flags.namespace, cluster: flags.cluster, kubeconfig: flags.kubeconfig, context: flags.context, clusterNamespaces: flags.filterNamespace });
  const skipped = requireValid(result, flags.skipInvalid);
  const probes = flags.port.length ? parseProbes(flags.port) : declaredProbes(result.cluster);
  if (probes.length === 0) probes.push({ port: 80, protocol: 'TCP' });
  // --services: pod -> the Services whose backing pods include it (only pods of the matrix some Service fronts).
  const servicesOf = (pods: readonly string[]): Record<string, string[]> | undefined => {
    if (!flags.services) return undefined;
    const services: Record<string, string[]> = {};
    const shown = new Set(pods);
    for (const [pod, ids] of servicesByPod(result.cluster)) if (shown.has(podId(pod))) services[podId(pod)] = ids;
    return services;
  };
  if (output === 'classes-json') {
    // The matrix compressed by class (no pods² rows); the json format's other fields.
    const c = computeMatrixClasses(result.cluster, probes, { ipBlockPods, namespaces: flags.filterNamespace });
    const services = servicesOf(c.pods);
    write(safeJson(withSkipped(services ? { ...c, services } : c, skipped)));
    return 0;
  }
  const m = computeMatrix(result.cluster, probes, { ipBlockPods, namespaces: flags.filterNamespace });
  const services = servicesOf(m.pods);
  if (output === 'json') write(safeJson(withSkipped(services ? { ...m, services } : m, skipped)));
  else if (output === 'csv') write(prependHeader(renderMatrixCsv(m), skipped, skippedComment));
  else if (output === 'md') write(prependHeader(renderMatrixMarkdown(m, services), skipped, (s) => skippedMarkdown(s) && `${skippedMarkdown(s)}\n`));
  else write(prependHeader(renderMatrixTable(m, services), skipped));
  return 0;
}
