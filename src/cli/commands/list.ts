// netpol list: the exact connectivity list — every allowed (from, to) pair with its port ranges.
import { listConnections, parseEndFilter, parsePortFilter, serviceFilters, type EndFilter, type PortFilter } from '../../index.js';
import { certainOnly, listDepends } from '../../analysis/list/depends.js';
import { renderListJson, renderListCsv, renderListMarkdown, renderListText, withServiceLabels } from '../../render/list.js';
import { servicesByPod } from '../../evaluate/service.js';
import type { ListEnd } from '../../analysis/list/list.js';
import { terminalText } from '../../render/escape.js';
import { graphInput, listGraph, renderListDot, renderListMermaid } from '../../render/list-graph.js';
import { listClassesCommand } from './list-classes.js';
import { CliError, loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';

export interface ListFlags extends LoadFlags {
  by: string;
  from: string[];
  to: string[];
  port: string[];
  output: string;
  ipblockPods: string;
  services?: boolean;
}

function parseAll<T>(flag: string, texts: readonly string[], parse: (t: string) => T | { error: string }): T[] {
  return texts.map((t) => {
    const r = parse(t);
    if (r && typeof r === 'object' && 'error' in r) throw new CliError(`${flag} ${terminalText(r.error)}`, 2);
    return r as T;
  });
}

export async function listCommand(paths: string[], flags: ListFlags): Promise<number> {
  const output = oneOf(flags.output, ['text', 'json', 'csv', 'md', 'dot', 'mermaid', 'svg'] as const, '--format');
  const level = oneOf(flags.by, ['workload', 'pod', 'namespace', 'class'] as const, '--by');
  const graph = output === 'dot' || output === 'mermaid' || output === 'svg';
  if (level === 'class' && graph) throw new CliError('--by class has no graph form: use it with --format text, json, csv or md (or draw --by workload)', 2);
  if (level === 'namespace' && !graph) throw new CliError('--by namespace draws a graph: use it with --format dot, mermaid or svg', 2);
  const by = level === 'namespace' || level === 'class' ? 'workload' : level;
  const ipBlockPods = oneOf(flags.ipblockPods, ['match', 'ignore', 'depends'] as const, '--ipblock-pods');
  const from = parseAll<EndFilter>('--from', flags.from, parseEndFilter);
  const given = parseAll<EndFilter>('--to', flags.to, parseEndFilter);
  const portFilters = parseAll<PortFilter>('--port', flags.port, parsePortFilter);
  const result = await loadPaths(paths, flags);
  requireValid(result);
  // svc:ns/name destinations: the Service's backing pods, on its target ports unless --port is given.
  const sf = serviceFilters(result.cluster, from, given, portFilters);
  if ('error' in sf) throw new CliError(terminalText(sf.error), 2);
  const { to, ports } = sf;
  for (const n of sf.notes) process.stderr.write(`netpol list: note: ${terminalText(n)}\n`);
  if (level === 'class') return listClassesCommand(result.cluster, output as 'text' | 'json' | 'csv' | 'md', { ipBlockPods, from, to, ports, services: !!flags.services });
  const list = listConnections(result.cluster, { ipBlockPods, by, from, to, ports });
  if (list.unmatched.length) {
    throw new CliError(`no ${by === 'pod' ? 'pod' : 'workload'}, namespace or external range matches ${list.unmatched.map((u) => `"${terminalText(u)}"`).join(', ')}`, 2);
  }
  for (const w of list.warnings) process.stderr.write(`netpol list: warning: ${terminalText(w)}\n`);
  const depends = listDepends(result.cluster, list, { by, from, to, ports });
  // Under 'depends' the list keeps only certain allows.
  let shown = ipBlockPods === 'depends' ? certainOnly(list, depends) : list;
  let services: Record<string, string[]> | undefined;
  if (flags.services) {
    // Which Services front each end: the union over its pods.
    const byPod = servicesByPod(result.cluster);
    const of = (e: ListEnd) => [...new Set(e.pods.flatMap((p) => byPod.get(p) ?? []))].sort();
    services = {};
    for (const e of shown.ends) if (typeof e.id === 'string' && of(e).length) services[e.id] = of(e);
    shown = withServiceLabels(shown, of);
  }
  if (graph) {
    const g = listGraph(graphInput(shown, depends), { level: level === 'namespace' ? 'namespace' : 'end' });
    // The SVG's layout library loads only when asked for.
    write(output === 'dot' ? renderListDot(g) : output === 'mermaid' ? renderListMermaid(g) : (await import('../../render/list-graph-svg.js')).renderListSvg(g));
  } else if (output === 'json') write(renderListJson(shown, depends, services));
  else if (output === 'csv') write(renderListCsv(shown, depends));
  else if (output === 'md') write(renderListMarkdown(shown, depends));
  else write(renderListText(shown, depends));
  return 0;
}
