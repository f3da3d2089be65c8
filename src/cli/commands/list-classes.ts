// `netpol list --by class`: the list with ends grouped by class (analysis/list/class-list.ts).
// Chosen as a `--by` value, not a new `--format`: `--by` already says what an end is (workload,
// pod, namespace), and a class is one more kind of end; text, json, csv and md all apply, and
// --from/--to/--port/--ipblock-pods/--services keep their meaning. Graphs are refused (its ends
// are numbered groups, which a drawing would not make readable; `--by workload` draws).
import { listClasses } from '../../analysis/list/class-list.js';
import type { EndFilter, PortFilter } from '../../analysis/list/filter.js';
import { servicesByPod } from '../../evaluate/service.js';
import type { IpBlockPods } from '../../match/peer.js';
import type { Cluster } from '../../model/types.js';
import { renderClassListCsv, renderClassListJson, renderClassListMarkdown, renderClassListText } from '../../render/class-list.js';
import { terminalText } from '../../render/escape.js';
import { CliError, write } from '../shared.js';

export function listClassesCommand(cluster: Cluster, output: 'text' | 'json' | 'csv' | 'md',
  o: { ipBlockPods: IpBlockPods; from: EndFilter[]; to: EndFilter[]; ports: PortFilter[]; services: boolean }): number {
  const byPod = o.services ? servicesByPod(cluster) : undefined;
  const list = listClasses(cluster, { ipBlockPods: o.ipBlockPods, from: o.from, to: o.to, ports: o.ports, servicesOf: byPod && ((p) => [...(byPod.get(p) ?? [])].sort()) });
  if (list.unmatched.length) throw new CliError(`no pod, namespace or external range matches ${list.unmatched.map((u) => `"${terminalText(u)}"`).join(', ')}`, 2);
  write(output === 'json' ? renderClassListJson(list) : output === 'csv' ? renderClassListCsv(list) : output === 'md' ? renderClassListMarkdown(list) : renderClassListText(list));
  return 0;
}
