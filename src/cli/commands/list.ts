// netpol list: the exact connectivity list — every allowed (from, to) pair with its port ranges.
import { listConnections, parseEndFilter, parsePortFilter, type EndFilter, type PortFilter } from '../../index.js';
import { renderListJson, renderListCsv, renderListMarkdown, renderListText, textSafe } from '../../render/list.js';
import { CliError, loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';
import { Option, type Command } from 'commander';
import { collect, loadOptions, type Run } from '../main.js';

export interface ListFlags extends LoadFlags {
  by: string;
  from: string[];
  to: string[];
  port: string[];
  output: string;
  ipblockPods: string;
}

function parseAll<T>(flag: string, texts: readonly string[], parse: (t: string) => T | { error: string }): T[] {
  return texts.map((t) => {
    const r = parse(t);
    if (r && typeof r === 'object' && 'error' in r) throw new CliError(`${flag} ${textSafe(r.error)}`, 2);
    return r as T;
  });
}

export async function listCommand(paths: string[], flags: ListFlags): Promise<number> {
  const output = oneOf(flags.output, ['text', 'json', 'csv', 'md'] as const, '--format');
  const by = oneOf(flags.by, ['workload', 'pod'] as const, '--by');
  const ipBlockPods = oneOf(flags.ipblockPods, ['match', 'ignore', 'depends'] as const, '--ipblock-pods');
  const from = parseAll<EndFilter>('--from', flags.from, parseEndFilter);
  const to = parseAll<EndFilter>('--to', flags.to, parseEndFilter);
  const ports = parseAll<PortFilter>('--port', flags.port, parsePortFilter);
  const result = await loadPaths(paths, flags);
  requireValid(result);
  const list = listConnections(result.cluster, { ipBlockPods, by, from, to, ports });
  if (list.unmatched.length) {
    throw new CliError(`no ${by === 'pod' ? 'pod' : 'workload'}, namespace or external range matches ${list.unmatched.map((u) => `"${textSafe(u)}"`).join(', ')}`, 2);
  }
  for (const w of list.warnings) process.stderr.write(`netpol list: warning: ${textSafe(w)}\n`);
  // `depends` stays empty until the plugin-dependent verdict analysis fills it.
  if (output === 'json') write(renderListJson(list, []));
  else if (output === 'csv') write(renderListCsv(list));
  else if (output === 'md') write(renderListMarkdown(list));
  else write(renderListText(list));
  return 0;
}

export function register(program: Command, run: Run): void {
  loadOptions(program.command('list').argument('<paths...>', 'files or folders of manifests'))
    .description('the exact connectivity list: every allowed pair (workloads, pods, external ranges) with its port ranges')
    .addOption(new Option('--by <view>', 'ends are workloads (pods grouped by owner) or single pods').choices(['workload', 'pod']).default('workload'))
    .option('--from <end>', 'only these sources: ns, ns/name, ns/label=value, an IP or a CIDR (repeatable)', collect, [])
    .option('--to <end>', 'only these destinations: ns, ns/name, ns/label=value, an IP or a CIDR (repeatable)', collect, [])
    .option('-p, --port <port>', 'only these ports: 443, 8000-8080 or a name, optionally /TCP, /UDP or /SCTP; any protocol unless given (repeatable)', collect, [])
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json', 'csv', 'md']).default('text'))
    .addOption(new Option('--ipblock-pods <mode>', 'whether ipBlocks match pod IPs').choices(['match', 'ignore', 'depends']).default('match'))
    .action((paths: string[], o) => run(listCommand(paths, { ...o, output: o.format })));
}
