// `list --to svc:ns/name`: the Service's backing pods as destinations and, unless --port says
// otherwise, its target ports (a named targetPort stays a name, resolved on each destination's
// pods as Kubernetes resolves it per pod).
import { backingOf, findService, SERVICE_AS_SOURCE } from '../../evaluate/service.js';
import type { Cluster, Pod } from '../../model/types.js';
import type { EndFilter, PortFilter } from './filter.js';

export function serviceFilters(cluster: Cluster, from: readonly EndFilter[], to: readonly EndFilter[], ports: readonly PortFilter[]):
  { to: EndFilter[]; ports: PortFilter[]; notes: string[] } | { error: string } {
  const source = from.find((f) => f.kind === 'service');
  if (source) return { error: `--from ${source.text}: ${SERVICE_AS_SOURCE}` };
  const notes: string[] = [];
  const derived: PortFilter[] = [];
  const out: EndFilter[] = [];
  for (const f of to) {
    if (f.kind !== 'service') {
      out.push(f);
      continue;
    }
    const svc = findService(cluster, f);
    if ('error' in svc) return { error: `--to ${f.text}: ${svc.error}` };
    const b = backingOf(cluster, svc);
    notes.push(...b.notes);
    const pods = new Set<Pod>(b.ends.flatMap((e) => (e.kind === 'pod' ? [e.pod] : [])));
    if (pods.size === 0) return { error: `--to ${f.text}: ${b.unknown ?? 'no pod of the input backs it (its selector matches none)'}` };
    out.push({ kind: 'pods', text: f.text, pods });
    for (const sp of svc.ports) {
      derived.push(typeof sp.targetPort === 'number'
        ? { kind: 'range', text: `${sp.targetPort}/${sp.protocol}`, first: sp.targetPort, last: sp.targetPort, protocol: sp.protocol }
        : { kind: 'name', text: `${sp.targetPort}/${sp.protocol}`, name: sp.targetPort, protocol: sp.protocol });
    }
  }
  // Only when every destination is a Service: mixing in other ends keeps every port for them.
  const onlyServices = to.length > 0 && to.every((f) => f.kind === 'service');
  return { to: out, ports: ports.length || !onlyServices ? [...ports] : derived, notes };
}
