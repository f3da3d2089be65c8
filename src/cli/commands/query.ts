// netpol query: may X reach Y on port P, and why?
import { safeJson, terminalText } from '../../render/escape.js';
import { endpointName, Evaluator, parseProbe, renderVerdictText, resolveEndpoint, resolveProbePort, type Endpoint } from '../../index.js';
import { CliError, loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { prependHeader, withSkipped } from '../../render/skipped.js';
import { evaluateService, parseServiceRef, resolveServiceTarget, SERVICE_AS_SOURCE } from '../../evaluate/service.js';
import { renderServiceVerdictText } from '../../render/service.js';

export interface QueryFlags extends LoadFlags {
  from: string;
  to: string;
  port: string;
  output: string;
  ipblockPods?: string;
}

export async function queryCommand(paths: string[], flags: QueryFlags): Promise<number> {
  const output = oneOf(flags.output, ['text', 'json'] as const, '--format');
  // One default for every command: ipBlocks match pod IPs. Verdicts that hinge on it are named either way.
  const ipBlockPods = oneOf(flags.ipblockPods ?? 'match', ['match', 'ignore', 'depends'] as const, '--ipblock-pods');
  const probe = parseProbe(flags.port);
  if (!probe) throw new CliError(`--port "${flags.port}" is not a port: use a number or a name, optionally /TCP, /UDP or /SCTP`, 2);
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const ns = flags.namespace ?? 'default';
  if (parseServiceRef(flags.from)) throw new CliError(terminalText(`--from ${flags.from}: ${SERVICE_AS_SOURCE}`), 2);
  const svc = resolveServiceTarget(result.cluster, flags.to, flags.port);
  if (svc) {
    // Command-line text is untrusted too: one printable line.
    if ('error' in svc) throw new CliError(terminalText(`--to ${flags.to}: ${svc.error}`), 2);
    const r = resolveEndpoint(result.cluster, flags.from, ns);
    if ('error' in r) throw new CliError(terminalText(`--from ${flags.from}: ${r.error}`), 2);
    const v = evaluateService(new Evaluator(result.cluster, { ipBlockPods }), r.endpoint, svc.service, svc.servicePort);
    if (r.note) v.notes = [r.note, ...(v.notes ?? [])];
    const sp = svc.servicePort;
    const label = `port ${sp.name ? `${sp.name} ` : ''}${sp.port}/${sp.protocol} (targetPort ${sp.targetPort})`;
    write(output === 'json' ? safeJson(withSkipped(v, skipped), 2) : prependHeader(renderServiceVerdictText(endpointName(r.endpoint), v, label), skipped));
    return 0;
  }
  const ends: Endpoint[] = [];
  const notes: string[] = [];
  for (const [flag, text] of [['--from', flags.from], ['--to', flags.to]] as const) {
    const r = resolveEndpoint(result.cluster, text, ns);
    if ('error' in r) throw new CliError(`${flag} ${text}: ${r.error}`, 2);
    ends.push(r.endpoint);
    if (r.note) notes.push(r.note);
  }
  const [from, to] = ends as [Endpoint, Endpoint];
  const port = resolveProbePort(probe, to.kind === 'pod' ? to.pod : undefined);
  if (port === undefined) {
    throw new CliError(`--port ${flags.port}: ${to.kind === 'pod' ? `pod ${to.pod.namespace}/${to.pod.name} declares no ${probe.protocol} port named "${probe.port}"` : 'a named port needs a pod as destination'}`, 2);
  }
  const verdict = new Evaluator(result.cluster, { ipBlockPods }).evaluate({ from, to, port, protocol: probe.protocol });
  verdict.notes.unshift(...notes);
  write(output === 'json' ? safeJson(withSkipped(verdict, skipped), 2) : prependHeader(renderVerdictText(verdict), skipped));
  return 0;
}
