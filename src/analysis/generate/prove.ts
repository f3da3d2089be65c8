// The proof: load the emitted YAML back (the same loader and validation as every command), run
// the expectations on the cluster with it (the `netpol test` code), and compare the whole
// reachability in scope (matrix engine for pod pairs, Evaluator for addresses) with the intent:
// every connection open into a governed ingress or out of a governed egress must be wanted.
import { Evaluator } from '../../evaluate/evaluate.js';
import { loadSources } from '../../load/load.js';
import { computeMatrix } from '../../matrix/matrix.js';
import { declaredProbes, type Probe } from '../../matrix/ports.js';
import { PROTOCOLS, podId, type Cluster, type NetworkPolicy, type Pod } from '../../model/types.js';
import type { Expectation } from '../assert/file.js';
import { cidrAddresses, runExpectations, type AssertionResult, type CheckedConnection } from '../assert/run.js';
import { formatIp, parseCidr, parseIp, rangeContains } from '../../net/ip.js';
import { externalRegions } from '../universe.js';
import { representativePorts } from '../ports.js';
import { connKey, endName, type End, type Intent } from './intent.js';

export interface Extra {
  from: string;
  to: string;
  port: number;
  protocol: Probe['protocol'];
  /**
   * `dns`: the DNS egress rule; `labels`: a pod no selector can tell apart from one that was
   * asked for; `unexpected`: nothing asked for it (the set is refused).
   */
  reason: 'dns' | 'labels' | 'unexpected';
}

export interface Proof {
  assertions: { passed: number; failed: number };
  failures: AssertionResult[];
  extra: Extra[];
  /** Checked connections whose verdict hinges on what the API leaves to the plugin (named, as `netpol test` does). */
  depends: CheckedConnection[];
  /** Errors loading the emitted YAML back (none expected). */
  loadErrors: string[];
  policies: readonly NetworkPolicy[];
  /** --from-policies: connections the semantic diff compared to prove the rewrite equivalent. */
  checked?: number;
}

const isDns = (p: Pod) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns';

export function prove(cluster: Cluster, yaml: string, intent: Intent, expectations: readonly Expectation[]): Proof {
  const loaded = loadSources([{ file: 'generated.yaml', text: yaml }]);
  const loadErrors = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);
  const policies = loaded.cluster.policies;
  const combined: Cluster = { ...cluster, policies };
  const report = runExpectations(combined, expectations, { ipBlockPods: 'match' });
  const wanted = new Set(intent.allows.map((w) => connKey(w.from, w.to, w.port, w.protocol)));
  const probes = new Map<string, Probe>();
  // Every declared and wanted port, and one port per region of the port space the emitted rules
  // cut out, and the port after each asked one (a range wider than asked shows at its edge).
  const edges = PROTOCOLS.flatMap((protocol) => [{ port: 1, protocol }, { port: 53, protocol }]);
  const asked = [...declaredProbes(cluster), ...intent.allows];
  const next = asked.map((p) => ({ port: (p.port as number) + 1, protocol: p.protocol })).filter((p) => p.port <= 65535);
  for (const p of [...asked, ...next, ...representativePorts(policies, cluster), ...edges]) {
    probes.set(`${p.port}/${p.protocol}`, { port: p.port, protocol: p.protocol });
  }
  const probeList = [...probes.values()];
  const extra: Extra[] = [];
  // Wanted ranges (CIDR ends): an address inside one is wanted with the same pod, port, protocol.
  const ranged = intent.allows.filter((w) => w.from.kind === 'cidr' || w.to.kind === 'cidr');
  const inWantedRange = (from: End, to: End, port: number, protocol: Probe['protocol']) => {
    const [pod, addr, outward] = from.kind === 'pod' ? [from, to, true] : [to, from, false];
    if (pod.kind !== 'pod' || addr.kind !== 'ip') return false;
    const a = parseIp(addr.ip);
    return !!a && ranged.some((w) => {
      const [wp, wn] = outward ? [w.from, w.to] : [w.to, w.from];
      if (w.port !== port || w.protocol !== protocol || wp.kind !== 'pod' || wp.pod !== pod.pod || wn.kind !== 'cidr') return false;
      const r = parseCidr(wn.cidr);
      return !!r && rangeContains(r, a);
    });
  };
  const check = (from: End, to: End, port: number, protocol: Probe['protocol']) => {
    const key = connKey(from, to, port, protocol);
    if (inWantedRange(from, to, port, protocol)) return;
    if (wanted.has(key)) {
      if (intent.forced?.has(key)) extra.push({ from: endName(from), to: endName(to), port, protocol, reason: 'labels' });
      return;
    }
    const dns = port === 53 && to.kind === 'pod' && isDns(to.pod) && from.kind === 'pod' && intent.egress.has(from.pod) && !intent.ingress.has(to.pod);
    extra.push({ from: endName(from), to: endName(to), port, protocol, reason: dns ? 'dns' : 'unexpected' });
  };
  const byId = new Map(cluster.pods.map((p) => [podId(p), p]));
  const ev = new Evaluator(combined, { ipBlockPods: 'match' });
  if (combined.clusterPolicies?.length) {
    // The class engine does not model the Admin/Baseline tiers: ask the Evaluator for every pod
    // pair in scope on every probe port (exact; pods × governed pods × probes evaluations).
    for (const b of cluster.pods) {
      for (const a of cluster.pods) {
        if (a === b || !(intent.ingress.has(b) || intent.egress.has(a))) continue;
        for (const { port, protocol } of probeList) {
          if (ev.allowed({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port: port as number, protocol })) check({ kind: 'pod', pod: a }, { kind: 'pod', pod: b }, port as number, protocol);
        }
      }
    }
  }
  const m = combined.clusterPolicies?.length ? undefined : computeMatrix(combined, probeList, { ipBlockPods: 'match' });
  m?.probes.forEach((probe) => {
    probe.rows.forEach((row, i) => {
      const a = byId.get(m.pods[i]!)!;
      for (let j = 0; j < row.length; j++) {
        if (row[j] !== '1' || i === j) continue;
        const b = byId.get(m.pods[j]!)!;
        if (intent.ingress.has(b) || intent.egress.has(a)) check({ kind: 'pod', pod: a }, { kind: 'pod', pod: b }, probe.port as number, probe.protocol);
      }
    });
  });
  // Addresses: every one the intent names, and one per region the generated ipBlocks cut out.
  const ips = new Set<string>();
  for (const w of [...intent.allows, ...intent.denies]) {
    for (const e of [w.from, w.to]) {
      if (e.kind === 'ip') ips.add(e.ip);
      else if (e.kind === 'cidr') {
        for (const a of cidrAddresses(combined, e.cidr)) ips.add(a);
        // …and the addresses just outside it: a wider emitted block shows there.
        const r = parseCidr(e.cidr)!;
        const max = r.family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
        if (r.first > 0n) ips.add(formatIp({ family: r.family, value: r.first - 1n }));
        if (r.last < max) ips.add(formatIp({ family: r.family, value: r.last + 1n }));
      }
    }
  }
  for (const r of externalRegions(policies)) ips.add(r.ip);
  // A pod's verdicts with an address depend on its namespace, labels and declared ports only:
  // ask once per such class, check every member.
  const reps = new Map<string, Pod[]>();
  for (const pod of cluster.pods) {
    const k = JSON.stringify([pod.namespace, Object.entries(pod.labels).sort(), pod.ports, pod.hostNetwork, intent.ingress.has(pod), intent.egress.has(pod)]);
    reps.set(k, [...(reps.get(k) ?? []), pod]);
  }
  for (const ip of [...ips].sort()) {
    const ipEnd: End = { kind: 'ip', ip };
    for (const members of reps.values()) {
      const pod = members[0]!;
      if (!intent.ingress.has(pod) && !intent.egress.has(pod)) continue;
      for (const { port, protocol } of probeList) {
        const n = port as number;
        if (intent.egress.has(pod) && ev.allowed({ from: { kind: 'pod', pod }, to: { kind: 'ip', ip }, port: n, protocol })) for (const m of members) check({ kind: 'pod', pod: m }, ipEnd, n, protocol);
        if (intent.ingress.has(pod) && ev.allowed({ from: { kind: 'ip', ip }, to: { kind: 'pod', pod }, port: n, protocol })) for (const m of members) check(ipEnd, { kind: 'pod', pod: m }, n, protocol);
      }
    }
  }
  return { assertions: { passed: report.passed, failed: report.failed }, failures: report.results.filter((r) => !r.ok), extra, depends: report.results.flatMap((r) => r.depends), loadErrors, policies };
}
