// Semantic comparison of two policy sets on one world: does the new set allow nothing the old one
// did not (subset), and exactly the same (equivalent)? The world is every pod and namespace of
// either input plus hypothetical ones built from both sets' selector labels, one address per
// ipBlock region and one port per region of the port space, so counter-examples may be pods or
// namespaces that do not exist yet (their names start with "hypothetical-").
import { Evaluator, type Endpoint } from '../../evaluate/evaluate.js';
import type { IpBlockPods } from '../../match/peer.js';
import { formatSelector } from '../../match/selector.js';
import { podId, type Cluster, type Namespace, type Pod, type Protocol } from '../../model/types.js';
import { representativePorts } from '../ports.js';
import { collectSelectors, externalRegions, hypotheticals, isHypothetical } from '../universe.js';

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
  const ipBlockPods = options.ipBlockPods ?? 'match';
  const limit = options.limit ?? 20;
  const base = world(before, after);
  const policies = [...before.policies, ...after.policies];
  const hyp = hypotheticals(base, collectSelectors(policies), { maxPods: 400 });
  const namespaces = [...base.namespaces, ...hyp.namespaces];
  const nsByName = new Map(namespaces.map((n) => [n.name, n]));
  const pods = [...base.pods, ...hyp.pods];
  const evB = new Evaluator({ namespaces, pods, policies: before.policies }, { ipBlockPods });
  const evA = new Evaluator({ namespaces, pods, policies: after.policies }, { ipBlockPods });
  const probes = representativePorts(policies, { namespaces, pods, policies: [] });
  const regions = externalRegions(policies);
  const real = new Set(base.pods);
  // Hypothetical-to-hypothetical pairs only while the world is small; one real end otherwise.
  const allPairs = pods.length * pods.length <= 20000;
  const ends: [Endpoint, Endpoint][] = [];
  const pe = (pod: Pod): Endpoint => ({ kind: 'pod', pod });
  for (const a of pods) {
    for (const b of pods) {
      if (a === b || (!allPairs && !real.has(a) && !real.has(b))) continue;
      ends.push([pe(a), pe(b)]);
    }
    for (const r of regions) {
      ends.push([pe(a), { kind: 'ip', ip: r.ip }], [{ kind: 'ip', ip: r.ip }, pe(a)]);
    }
  }
  const label = new Map(regions.map((r) => [r.ip, r.label]));
  const name = (e: Endpoint) => (e.kind === 'pod' ? podId(e.pod) : label.get(e.ip) ?? e.ip);
  const onlyAfter: CounterExample[] = [];
  const onlyBefore: CounterExample[] = [];
  const counts = { onlyAfter: 0, onlyBefore: 0, checked: 0 };
  for (const [from, to] of ends) {
    for (const q of probes) {
      counts.checked++;
      const conn = { from, to, port: q.port, protocol: q.protocol };
      const was = evB.allowed(conn);
      const now = evA.allowed(conn);
      if (was === now) continue;
      const list = now ? onlyAfter : onlyBefore;
      if (now) counts.onlyAfter++;
      else counts.onlyBefore++;
      // Prefer real endpoints as examples: hypothetical ones come after, within the limit.
      if (list.length >= limit) continue;
      const ex: CounterExample = { from: name(from), to: name(to), port: q.port, protocol: q.protocol };
      const hypo: Record<string, string> = {};
      for (const e of [from, to]) if (e.kind === 'pod' && !real.has(e.pod)) hypo[podId(e.pod)] = describe(e.pod, nsByName);
      if (Object.keys(hypo).length) ex.hypothetical = hypo;
      list.push(ex);
    }
  }
  return { subset: counts.onlyAfter === 0, equivalent: counts.onlyAfter === 0 && counts.onlyBefore === 0, onlyAfter, onlyBefore, counts };
}
