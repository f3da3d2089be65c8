// Semantic comparison of two policy sets on one world: does the new set allow nothing the old one
// did not (subset), and exactly the same (equivalent)? The world is every pod and namespace of
// either input plus hypothetical ones built from both sets' selector labels, one address per
// ipBlock region and one port per region of the port space, so counter-examples may be pods or
// namespaces that do not exist yet (their names start with "hypothetical-").
import { Evaluator, type Endpoint } from '../../evaluate/evaluate.js';
import type { IpBlockPods } from '../../match/peer.js';
import { Reachability } from '../../matrix/engine.js';
import { formatSelector } from '../../match/selector.js';
import { podId, type Cluster, type Namespace, type Pod, type Protocol } from '../../model/types.js';
import { representativePorts } from '../ports.js';
import { collectSelectors, externalRegions, hypotheticals, isHypothetical, tierAddressBlocks, withTierSelectors } from '../universe.js';

export interface CounterExample {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  /** Endpoints that do not exist in either input, with the labels that make them differ. */
  hypothetical?: Record<string, string>;
}

export interface SemanticResult {
  /** After allows nothing that before did not. */
  subset: boolean;
  equivalent: boolean;
  /** Allowed after, not before (a few; `counts` has the totals). */
  onlyAfter: CounterExample[];
  /** Allowed before, not after. */
  onlyBefore: CounterExample[];
  counts: { onlyAfter: number; onlyBefore: number; checked: number };
}

function world(before: Cluster, after: Cluster): Cluster {
  const ns = new Map<string, Namespace>();
  for (const n of [...before.namespaces, ...after.namespaces]) ns.set(n.name, n);
  const pods = new Map<string, Pod>();
  for (const p of [...before.pods, ...after.pods]) pods.set(podId(p), p);
  return { namespaces: [...ns.values()], pods: [...pods.values()], policies: [] };
}

function describe(pod: Pod, nsByName: Map<string, Namespace>): string {
  const ns = nsByName.get(pod.namespace)!;
  const podLabels = formatSelector({ matchLabels: pod.labels, matchExpressions: [] });
  const nsLabels = formatSelector({ matchLabels: ns.labels, matchExpressions: [] });
  return `a pod labelled ${podLabels === '(all)' ? '(none)' : podLabels} in ${isHypothetical(ns.name) ? 'a new namespace' : 'namespace'} ${ns.name} labelled ${nsLabels}`;
}

export function compareSemantics(before: Cluster, after: Cluster, options: { ipBlockPods?: IpBlockPods; limit?: number } = {}): SemanticResult {
  return compareOn(before, after, options, true);
}

/**
 * `byClass` asks both Evaluators once per (pod class, pod class or address, port) and reads the
 * answer for every pod pair of those classes, in the same order, so counts and examples are those
 * of asking per pod pair (false, the reading the test pins it to). Classes are the class engine's
 * on the world with both policy sets (labels any selector reads, referenced named ports, IP
 * atoms), split by hostNetwork: everything either Evaluator reads of a pod.
 */
export function compareOn(before: Cluster, after: Cluster, options: { ipBlockPods?: IpBlockPods; limit?: number }, byClass: boolean): SemanticResult {
  const ipBlockPods = options.ipBlockPods ?? 'match';
  const limit = options.limit ?? 20;
  const base = world(before, after);
  const policies = [...before.policies, ...after.policies];
  const cps = [...(before.clusterPolicies ?? []), ...(after.clusterPolicies ?? [])];
  const nodes = after.nodes ?? before.nodes;
  const hyp = hypotheticals(base, withTierSelectors(collectSelectors(policies), cps), { maxPods: 400 });
  const namespaces = [...base.namespaces, ...hyp.namespaces];
  const nsByName = new Map(namespaces.map((n) => [n.name, n]));
  const pods = [...base.pods, ...hyp.pods];
  // Tier policies are part of each side; the nodes (addresses, labels) are the world's.
  const side = (c: Cluster): Cluster => ({ namespaces, pods, policies: c.policies, clusterPolicies: c.clusterPolicies, nodes });
  const evB = new Evaluator(side(before), { ipBlockPods });
  const evA = new Evaluator(side(after), { ipBlockPods });
  const probes = representativePorts([...policies, ...cps], { namespaces, pods, policies: [] });
  const regions = externalRegions(policies, tierAddressBlocks(cps, nodes));
  const real = new Set(base.pods);
  // Hypothetical-to-hypothetical pairs only while the world is small; one real end otherwise.
  const allPairs = pods.length * pods.length <= 20000;
  const label = new Map(regions.map((r) => [r.ip, r.label]));
  const name = (e: Endpoint) => (e.kind === 'pod' ? podId(e.pod) : label.get(e.ip) ?? e.ip);
  const onlyAfter: CounterExample[] = [];
  const onlyBefore: CounterExample[] = [];
  const counts = { onlyAfter: 0, onlyBefore: 0, checked: 0 };

  // Unit of each pod: its class (below), or the pod itself. Pods are numbered 0..n-1, regions n...
  const n = pods.length;
  const unit = new Int32Array(n);
  if (byClass) {
    const engine = new Reachability({ namespaces, pods, policies, clusterPolicies: cps, nodes }, { ipBlockPods: 'match' });
    const ids = new Map<string, number>();
    pods.forEach((p, i) => {
      const k = `${engine.classOfIndex(i)} ${p.hostNetwork}`;
      let u = ids.get(k);
      if (u === undefined) ids.set(k, (u = ids.size));
      unit[i] = u;
    });
  } else pods.forEach((_, i) => { unit[i] = i; });
  // Per (unit, unit) or (unit, region) pair: on which probes before and after differ, and the
  // answer after. Unit pairs are keyed by number (distinct pods of one unit by -1 - unit).
  const memo = new Map<number | string, { any: boolean; diff: boolean[]; now: boolean[] }>();
  // Pod pairs in the match and ignore modes: the engine's class rows, whose boolean answer is
  // the Evaluator's (test/matrix holds it to that); 'depends' verdicts need the Evaluator.
  const engines = byClass && ipBlockPods !== 'depends'
    ? [before, after].map((c) => {
      const e = new Reachability(side(c), { ipBlockPods });
      return { e, atoms: probes.map((q) => e.atomOf(q.protocol, q.port)) };
    })
    : undefined;
  const index = new Map(pods.map((p, i) => [p, i]));
  const pairAllowed = (which: number, a: Pod, b: Pod, k: number): boolean => {
    const { e, atoms } = engines![which]!;
    return e.classAllowed(e.classOfIndex(index.get(a)!), e.classOfIndex(index.get(b)!), atoms[k]!);
  };
  const verdicts = (ka: number | string, from: Endpoint, to: Endpoint) => {
    let v = memo.get(ka);
    if (!v) {
      v = { any: false, diff: [], now: [] };
      const fast = engines && from.kind === 'pod' && to.kind === 'pod';
      for (const [k, q] of probes.entries()) {
        const conn = { from, to, port: q.port, protocol: q.protocol };
        const was = fast ? pairAllowed(0, from.pod, to.pod, k) : evB.allowed(conn);
        const now = fast ? pairAllowed(1, from.pod, to.pod, k) : evA.allowed(conn);
        v.diff.push(was !== now);
        v.now.push(now);
        if (was !== now) v.any = true;
      }
      memo.set(ka, v);
    }
    return v;
  };
  const pe = (pod: Pod): Endpoint => ({ kind: 'pod', pod });
  const visit = (key: number | string, from: Endpoint, to: Endpoint) => {
    const v = verdicts(key, from, to);
    if (!v.any) {
      counts.checked += probes.length;
      return;
    }
    probes.forEach((q, k) => {
      counts.checked++;
      if (!v.diff[k]) return;
      const now = v.now[k]!;
      const list = now ? onlyAfter : onlyBefore;
      if (now) counts.onlyAfter++;
      else counts.onlyBefore++;
      // Prefer real endpoints as examples: hypothetical ones come after, within the limit.
      if (list.length >= limit) return;
      const ex: CounterExample = { from: name(from), to: name(to), port: q.port, protocol: q.protocol };
      const hypo: Record<string, string> = {};
      for (const e of [from, to]) if (e.kind === 'pod' && !real.has(e.pod)) hypo[podId(e.pod)] = describe(e.pod, nsByName);
      if (Object.keys(hypo).length) ex.hypothetical = hypo;
      list.push(ex);
    });
  };
  const eps = pods.map(pe);
  const isReal = pods.map((p) => real.has(p));
  const ips = regions.map((r): Endpoint => ({ kind: 'ip', ip: r.ip }));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || (!allPairs && !isReal[i] && !isReal[j])) continue;
      // Same unit, distinct pods: its own key (a pod reaching itself is always allowed).
      visit(unit[i] === unit[j] ? -1 - unit[i]! : unit[i]! * n + unit[j]!, eps[i]!, eps[j]!);
    }
    regions.forEach((r, x) => {
      visit(`${unit[i]} >${r.ip}`, eps[i]!, ips[x]!);
      visit(`${unit[i]} <${r.ip}`, ips[x]!, eps[i]!);
    });
  }
  return { subset: counts.onlyAfter === 0, equivalent: counts.onlyAfter === 0 && counts.onlyBefore === 0, onlyAfter, onlyBefore, counts };
}
