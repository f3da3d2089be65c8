// Run expectations against a cluster: each assertion expands to connections (every source pod
// x every destination pod x each port), all of which must have the expected verdict.
import { Evaluator, type Endpoint, type Verdict } from '../../evaluate/evaluate.js';
import type { IpBlockPods } from '../../match/peer.js';
import { podWithIp } from '../../evaluate/resolve.js';
import { endEndpoint, findService, findServicePort, servicePortTargets } from '../../evaluate/service.js';
import { selectorMatches } from '../../match/selector.js';
import { ipBlocksOf, podId, type Cluster, type Pod, type Protocol } from '../../model/types.js';
import { formatIp, parseCidr } from '../../net/ip.js';
import type { EndpointSpec, Part } from './grammar.js';
import type { Expectation } from './file.js';

export interface CheckedConnection {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  verdict: Verdict['verdict'];
  /** Why this connection's verdict hinges on plugin-defined behaviour (set only when it does). */
  depends?: string[];
}

export interface AssertionResult {
  assertion: string;
  name?: string;
  ok: boolean;
  file: string;
  line: number;
  /** Connections checked. */
  checked: number;
  failures: CheckedConnection[];
  /**
   * Checked connections whose verdict hinges on what the API leaves to the plugin. They fail the
   * assertion only under ipBlockPods 'depends' (their verdict is then 'depends'); always named.
   */
  depends: CheckedConnection[];
  /** The first failing connection's full trace (or the first checked one's when all passed). */
  trace?: Verdict;
  /** Why the assertion could not be checked (e.g. a selector that matches no pod). */
  error?: string;
}

export interface TestReport {
  passed: number;
  failed: number;
  results: AssertionResult[];
}

function partMatches(p: Part, name: string, labels: Record<string, string>, workload?: string): boolean {
  if (p.kind === 'any') return true;
  if (p.kind === 'labels') return selectorMatches({ matchLabels: p.labels, matchExpressions: [] }, labels);
  return p.name === name || p.name === workload;
}

/** A Service destination: every backing endpoint on its target port of the asserted Service port(s) (shared with `netpol generate`). */
export function serviceTargets(cluster: Cluster, spec: Expectation['spec'], ref: { namespace: string; name: string }): { to: Endpoint; port: number; protocol: Protocol }[] | string {
  const svc = findService(cluster, ref);
  if ('error' in svc) return svc.error;
  const sps = spec.port === undefined ? svc.ports.filter((p) => !spec.protocol || p.protocol === spec.protocol) : [findServicePort(svc, spec.port, spec.protocol)];
  const out: { to: Endpoint; port: number; protocol: Protocol }[] = [];
  const why: string[] = [];
  for (const sp of sps) {
    if ('error' in sp) return sp.error;
    const t = servicePortTargets(cluster, svc, sp);
    if (t.unknown) return t.unknown;
    for (const x of t.targets) {
      if (x.port === undefined) continue;
      out.push({ to: endEndpoint(x.end), port: x.port, protocol: sp.protocol });
    }
    if (t.targets.length === 0) why.push(`svc:${svc.namespace}/${svc.name} has no backing pod in the input`);
    else if (!t.targets.some((x) => x.port !== undefined)) why.push(`no backing pod of svc:${svc.namespace}/${svc.name} serves port ${sp.port}/${sp.protocol} (targetPort ${sp.targetPort})`);
  }
  return out.length || why.length === 0 ? out : why.join('; ');
}

/** The endpoints an assertion side names (shared with `netpol generate`). */
export function resolve(cluster: Cluster, e: EndpointSpec): Endpoint[] | string {
  if (e.kind === 'service') return `svc:${e.namespace}/${e.name} can only be a destination`;
  if (e.kind === 'ip') {
    const pod = podWithIp(cluster, e.ip);
    return [pod ? { kind: 'pod', pod } : { kind: 'ip', ip: e.ip }];
  }
  if (e.kind === 'cidr') return cidrAddresses(cluster, e.cidr).map((ip) => ({ kind: 'ip', ip }));
  const nss = cluster.namespaces.filter((n) => partMatches(e.namespace, n.name, n.labels));
  if (nss.length === 0) return `no namespace matches "${show(e.namespace)}" (namespaces: ${cluster.namespaces.map((n) => n.name).join(', ')})`;
  const names = new Set(nss.map((n) => n.name));
  const pods = cluster.pods.filter((p) => names.has(p.namespace) && partMatches(e.pod, p.name, p.labels, p.workload?.name));
  if (pods.length === 0) {
    const there = cluster.pods.filter((p) => names.has(p.namespace)).map(podId);
    return `no pod matches "${show(e.namespace)}/${show(e.pod)}"${there.length ? ` (pods there: ${there.slice(0, 8).join(', ')}${there.length > 8 ? ', …' : ''})` : ' (no pods in those namespaces)'}`;
  }
  return pods.map((pod) => ({ kind: 'pod', pod }));
}

/**
 * A range stands for every address in it; verdicts change only where an ipBlock cidr or except
 * starts or ends, so its first address and each such boundary inside it represent them all.
 */
export function cidrAddresses(cluster: Cluster, cidr: string): string[] {
  const r = parseCidr(cidr)!;
  const points = new Set<bigint>([r.first]);
  for (const b of ipBlocksOf(cluster.policies)) {
    for (const text of [b.cidr, ...b.except]) {
      const x = parseCidr(text);
      if (!x || x.family !== r.family) continue;
      for (const v of [x.first, x.last + 1n]) if (v > r.first && v <= r.last) points.add(v);
    }
  }
  return [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((value) => formatIp({ family: r.family, value }));
}

function show(p: Part): string {
  return p.kind === 'any' ? '*' : p.kind === 'name' ? p.name : Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The (port, protocol) pairs an assertion checks on one destination (shared with `netpol generate`). */
export function ports(spec: Expectation['spec'], dest: Endpoint): { port: number; protocol: Protocol }[] {
  const pod: Pod | undefined = dest.kind === 'pod' ? dest.pod : undefined;
  if (spec.port === undefined) {
    return (pod?.ports ?? []).filter((c) => !spec.protocol || c.protocol === spec.protocol).map((c) => ({ port: c.containerPort, protocol: c.protocol }));
  }
  const protocol = spec.protocol ?? 'TCP';
  if (typeof spec.port === 'number') return [{ port: spec.port, protocol }];
  return (pod?.ports ?? []).filter((c) => c.name === spec.port && c.protocol === protocol).map((c) => ({ port: c.containerPort, protocol }));
}

export function runExpectations(cluster: Cluster, expectations: readonly Expectation[], options: { ipBlockPods?: IpBlockPods } = {}): TestReport {
  const ev = new Evaluator(cluster, { ipBlockPods: options.ipBlockPods ?? 'match' });
  const results = expectations.map((x): AssertionResult => {
    const base: AssertionResult = { assertion: x.spec.text, ok: false, file: x.file, line: x.line, checked: 0, failures: [], depends: [] };
    if (x.name) base.name = x.name;
    const froms = resolve(cluster, x.spec.from);
    const to = x.spec.to;
    // Destinations with their ports: pods (ports per pod), or a Service's endpoints on their target ports.
    const tos = to.kind === 'service' ? serviceTargets(cluster, x.spec, to)
      : ((r) => (typeof r === 'string' ? r : r.map((d) => ({ to: d, list: ports(x.spec, d) }))))(resolve(cluster, to));
    if (typeof froms === 'string' || typeof tos === 'string') return { ...base, error: typeof froms === 'string' ? `from: ${froms}` : `to: ${tos}` };
    const dests = tos.map((d) => ('list' in d ? d : { to: d.to, list: [{ port: d.port, protocol: d.protocol }] }));
    let first: Verdict | undefined;
    let firstFail: Verdict | undefined;
    for (const { to, list } of dests) {
      for (const from of froms) {
        if (from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod) continue;
        for (const { port, protocol } of list) {
          const v = ev.evaluate({ from, to, port, protocol });
          base.checked++;
          first ??= v;
          const conn: CheckedConnection = { from: v.from, to: v.to, port, protocol, verdict: v.verdict };
          if (v.depends.length) base.depends.push({ ...conn, depends: v.depends.map((d) => d.reason) });
          if (v.verdict !== x.spec.expect) {
            firstFail ??= v;
            base.failures.push(conn);
          }
        }
      }
    }
    if (base.checked === 0) {
      if (to.kind === 'service') return { ...base, error: `svc:${to.namespace}/${to.name}: no connection to check (no Service port${x.spec.protocol ? ` of protocol ${x.spec.protocol}` : ''}, or the source is its only backing pod)` };
      return { ...base, error: x.spec.port === undefined ? 'the destination declares no ports to check (:* needs containerPorts)' : `no destination pod declares a port named "${x.spec.port}"` };
    }
    const trace = firstFail ?? first;
    return { ...base, ok: base.failures.length === 0, ...(trace ? { trace } : {}) };
  });
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
