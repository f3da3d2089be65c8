// Services -> the connections they stand for. A connection to a Service port is, after
// kube-proxy's (or the plugin's) DNAT, a connection to one backing pod on that pod's target
// port, and NetworkPolicy sees only that: the verdict is per backing pod on its resolved port.
// Backing pods: the EndpointSlices when read from a cluster, else the selector over the pods of
// the Service's namespace (the EndpointSlice controller's rule). A named targetPort resolves per
// pod (podutil.FindPort: a container port with that name and the Service port's protocol); a
// pod without it is no endpoint for that port, and is reported, never guessed.
import { parseIp } from '../net/ip.js';
import { selectorMatches } from '../match/selector.js';
import { serviceId, type Cluster, type Pod, type Protocol, type Service, type ServicePort } from '../model/types.js';
import type { Endpoint, Evaluator, Verdict } from './evaluate.js';
import { podWithIp } from './resolve.js';

export const SERVICE_PREFIX = 'svc:';

/** `svc:<namespace>/<name>` -> its parts; undefined when the text is not in that syntax. */
export function parseServiceRef(text: string): { namespace: string; name: string } | { error: string } | undefined {
  const t = text.trim();
  if (!t.startsWith(SERVICE_PREFIX)) return undefined;
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(t.slice(SERVICE_PREFIX.length));
  if (!m) return { error: `"${t}" is not a Service: write svc:<namespace>/<name>` };
  return { namespace: m[1]!, name: m[3]! };
}

export function findService(cluster: Cluster, ref: { namespace: string; name: string }): Service | { error: string } {
  const svc = cluster.services?.find((s) => s.namespace === ref.namespace && s.name === ref.name);
  if (svc) return svc;
  const there = (cluster.services ?? []).filter((s) => s.namespace === ref.namespace).map((s) => s.name);
  return {
    error: `no Service "${ref.name}" in namespace "${ref.namespace}"` +
      (there.length ? ` (Services there: ${there.slice(0, 10).join(', ')}${there.length > 10 ? ', …' : ''})` : cluster.services?.length ? ' (no Services in that namespace)' : ' (the input has no Service)'),
  };
}

/** What a Service is made of, for evaluation: its backing endpoints, or why it has none we can see. */
export interface Backing {
  /** Pods (or, for EndpointSlice addresses that are no known pod, addresses) behind the Service. */
  ends: BackingEnd[];
  /** What is and is not evaluated for this Service (ExternalName, no selector, headless). */
  notes: string[];
  /**
   * Set when the input cannot say which endpoints exist: ExternalName (DNS decides) or a
   * Service without a selector whose EndpointSlices are not in the input.
   */
  unknown?: string;
}

export type BackingEnd =
  | { kind: 'pod'; pod: Pod; /** EndpointSlice ports, when read from a cluster. */ slicePorts?: SlicePorts }
  | { kind: 'ip'; ip: string; slicePorts: SlicePorts };

type SlicePorts = readonly { readonly name?: string; readonly port: number; readonly protocol: Protocol }[];

export function backingOf(cluster: Cluster, svc: Service): Backing {
  const notes: string[] = [];
  if (svc.type === 'ExternalName') {
    const unknown = `${serviceId(svc)} is an ExternalName Service (${svc.externalName ?? 'no externalName'}): DNS answers with a CNAME and no proxy or endpoint is involved, so what a client reaches is whatever that name resolves to; not evaluated`;
    return { ends: [], notes: [unknown], unknown };
  }
  if (svc.clusterIP === 'None') {
    notes.push(`${serviceId(svc)} is headless (clusterIP: None): there is no virtual IP and no port mapping; DNS returns the pod IPs and clients dial them directly, so the verdicts below are for the target ports the endpoints publish`);
  }
  if (svc.endpoints) {
    const ends: BackingEnd[] = [];
    for (const e of svc.endpoints) {
      const byRef = e.pod ? cluster.pods.find((p) => `${p.namespace}/${p.name}` === e.pod) : undefined;
      const byIp = byRef ?? e.addresses.map((a) => podWithIp(cluster, a)).find((p) => p !== undefined);
      if (byIp) ends.push({ kind: 'pod', pod: byIp, slicePorts: e.ports });
      else for (const a of e.addresses) if (parseIp(a)) ends.push({ kind: 'ip', ip: a, slicePorts: e.ports });
    }
    notes.push(`backing endpoints of ${serviceId(svc)} are its EndpointSlices (${ends.length} endpoint${ends.length === 1 ? '' : 's'})`);
    return { ends, notes };
  }
  if (!svc.selector) {
    const unknown = `${serviceId(svc)} has no selector: its endpoints are managed by hand (EndpointSlices) and are not in the input; not evaluated`;
    return { ends: [], notes: [...notes, unknown], unknown };
  }
  const sel = { matchLabels: svc.selector, matchExpressions: [] };
  const pods = cluster.pods.filter((p) => p.namespace === svc.namespace && selectorMatches(sel, p.labels));
  return { ends: pods.map((pod) => ({ kind: 'pod', pod })), notes };
}

/** The Service port a `--port` text names: a number (`80`) or a name (`http`), with a protocol when given. */
export function findServicePort(svc: Service, port: number | string, protocol?: Protocol): ServicePort | { error: string } {
  const hits = svc.ports.filter((p) => (typeof port === 'number' ? p.port === port : p.name === port) && (!protocol || p.protocol === protocol));
  // 53/TCP and 53/UDP: without a protocol, TCP as everywhere else.
  const hit = hits.find((p) => p.protocol === 'TCP') ?? hits[0];
  if (hit) return hit;
  const list = svc.ports.map(describeServicePort).join(', ');
  return { error: `${serviceId(svc)} has no port ${port}${protocol ? `/${protocol}` : ''} (its ports: ${list || 'none'})` };
}

export function describeServicePort(p: ServicePort): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol} → ${p.targetPort}`;
}

/** One backing endpoint of a Service port: the pod (or address) and its resolved target port. */
export type Target =
  | { end: BackingEnd; port: number }
  | { end: BackingEnd; port?: undefined; problem: string };

export function endName(e: BackingEnd): string {
  return e.kind === 'pod' ? `${e.pod.namespace}/${e.pod.name}` : e.ip;
}

export function endEndpoint(e: BackingEnd): Endpoint {
  return e.kind === 'pod' ? { kind: 'pod', pod: e.pod } : { kind: 'ip', ip: e.ip };
}

/** The target port of `sp` on one backing end (per pod for a named targetPort). */
export function targetOn(sp: ServicePort, end: BackingEnd): Target {
  if (end.slicePorts) {
    // EndpointSlice ports carry the Service port's name and the already resolved number.
    const hit = end.slicePorts.find((p) => (p.name ?? '') === (sp.name ?? '') && p.protocol === sp.protocol);
    return hit ? { end, port: hit.port } : { end, problem: `its EndpointSlice lists no ${sp.protocol} port "${sp.name ?? ''}"` };
  }
  if (typeof sp.targetPort === 'number') return { end, port: sp.targetPort };
  const pod = (end as { pod: Pod }).pod;
  const c = pod.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol);
  return c ? { end, port: c.containerPort }
    : { end, problem: `declares no ${sp.protocol} container port named "${sp.targetPort}", so it is no endpoint of this Service port` };
}

export interface ServicePortTargets {
  service: Service;
  servicePort: ServicePort;
  targets: Target[];
  notes: string[];
  unknown?: string;
}

/** Every backing end of one Service port, with its target port or why it has none. */
export function servicePortTargets(cluster: Cluster, svc: Service, sp: ServicePort, backing = backingOf(cluster, svc)): ServicePortTargets {
  const out: ServicePortTargets = { service: svc, servicePort: sp, targets: backing.ends.map((e) => targetOn(sp, e)), notes: [...backing.notes] };
  if (backing.unknown) out.unknown = backing.unknown;
  return out;
}

/**
 * The Services (by id) that front each pod, for labelling pods in list and matrix: the pod backs
 * the Service and serves at least one of its ports (a pod lacking every named targetPort does not).
 */
export function servicesByPod(cluster: Cluster): Map<Pod, string[]> {
  const out = new Map<Pod, string[]>();
  for (const svc of cluster.services ?? []) {
    for (const e of backingOf(cluster, svc).ends) {
      if (e.kind !== 'pod') continue;
      if (svc.ports.length && !svc.ports.some((sp) => targetOn(sp, e).port !== undefined)) continue;
      const l = out.get(e.pod);
      if (!l) out.set(e.pod, [serviceId(svc)]);
      else if (!l.includes(serviceId(svc))) l.push(serviceId(svc));
    }
  }
  return out;
}

/** Per-endpoint verdicts -> the Service's: see docs/ANALYSIS.md "Services". */
export type ServiceAllowed = boolean | 'partial' | 'depends';

export function combineVerdicts(verdicts: readonly (boolean | 'depends')[]): ServiceAllowed | undefined {
  if (verdicts.length === 0) return undefined;
  const yes = verdicts.includes(true), no = verdicts.includes(false);
  if (yes && no) return 'partial';
  if (verdicts.includes('depends')) return 'depends';
  return yes;
}

export interface ServiceEndpointVerdict {
  /** `namespace/name` of the backing pod (absent for an EndpointSlice address that is no known pod). */
  pod?: string;
  address?: string;
  port: number;
  allowed: boolean | 'depends';
  trace: Verdict;
}

/** The answer of `query --to svc:ns/name`: the JSON contract (README "Services"). */
export interface ServiceVerdict {
  service: string;
  port: number;
  protocol: Protocol;
  allowed: ServiceAllowed;
  endpoints: ServiceEndpointVerdict[];
  /** Backing pods that are no endpoint of this port (a named targetPort they do not declare). */
  unresolved?: { pod: string; reason: string }[];
  /** What is and is not evaluated (ExternalName, no selector, headless, no backing pod). */
  notes?: string[];
}

/**
 * May `from` reach the Service port `sp`: one verdict per backing endpoint on its target port,
 * combined by combineVerdicts. Without any endpoint the answer is `depends` when the input cannot
 * say which endpoints exist, else `false` (a Service without endpoints refuses connections).
 */
export function evaluateService(ev: Evaluator, from: Endpoint, svc: Service, sp: ServicePort): ServiceVerdict {
  const t = servicePortTargets(ev.cluster, svc, sp);
  const endpoints: ServiceEndpointVerdict[] = [];
  const unresolved: { pod: string; reason: string }[] = [];
  for (const target of t.targets) {
    if (target.port === undefined) {
      unresolved.push({ pod: endName(target.end), reason: `${endName(target.end)} ${target.problem}` });
      continue;
    }
    const trace = ev.evaluate({ from, to: endEndpoint(target.end), port: target.port, protocol: sp.protocol });
    const e: ServiceEndpointVerdict = target.end.kind === 'pod'
      ? { pod: endName(target.end), port: target.port, allowed: trace.allowed, trace }
      : { address: target.end.ip, port: target.port, allowed: trace.allowed, trace };
    endpoints.push(e);
  }
  const notes = [...t.notes];
  let allowed = combineVerdicts(endpoints.map((e) => e.allowed));
  if (allowed === undefined) {
    if (t.unknown) allowed = 'depends';
    else {
      allowed = false;
      notes.push(t.targets.length
        ? `no backing pod of ${serviceId(svc)} serves port ${sp.port}/${sp.protocol}: connections to it are refused, before any NetworkPolicy`
        : `${serviceId(svc)} has no backing pod in the input (its selector matches no pod): connections to it are refused, before any NetworkPolicy`);
    }
  }
  const out: ServiceVerdict = { service: serviceId(svc), port: sp.port, protocol: sp.protocol, allowed, endpoints };
  if (unresolved.length) out.unresolved = unresolved;
  if (notes.length) out.notes = notes;
  return out;
}

/** Why `svc:` is refused as a source: connections leave pods, never Services. */
export const SERVICE_AS_SOURCE = 'a Service is not a source: connections come from pods (a Service only receives them); give the pod or workload, e.g. ns/name, and use svc:<namespace>/<name> as the destination';

/**
 * `--to svc:ns/name` with `--port 80|http[/PROTO]` -> the Service and its port; undefined when
 * `text` is not in the svc: syntax (the caller resolves it as a pod or address).
 */
export function resolveServiceTarget(cluster: Cluster, text: string, portText: string): { service: Service; servicePort: ServicePort } | { error: string } | undefined {
  const ref = parseServiceRef(text);
  if (!ref || 'error' in ref) return ref;
  const service = findService(cluster, ref);
  if ('error' in service) return service;
  const m = /^([A-Za-z0-9-]+)(?:\/(TCP|UDP|SCTP))?$/i.exec(portText.trim());
  if (!m) return { error: `port "${portText}" is not a Service port: use its number or name, optionally /TCP, /UDP or /SCTP` };
  const port = /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!;
  const servicePort = findServicePort(service, port, m[2] ? (m[2].toUpperCase() as Protocol) : undefined);
  if ('error' in servicePort) return servicePort;
  return { service, servicePort };
}
