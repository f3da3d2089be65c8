// `netpol coverage` before issue 13's third round (src/analysis/coverage/coverage.ts): every
// wider-reach question (made-up source -> pod) asked of a small Evaluator and traced in full,
// whether or not it is allowed. Kept as the reference the fast form is tested against
// (coverage-differential.test.ts); byClass false is the per-pod reading.
import { Evaluator, type Endpoint } from '../../src/evaluate/evaluate.js';
import type { IpBlockPods } from '../../src/match/peer.js';
import { Reachability } from '../../src/matrix/engine.js';
import { podId, policyId, type Cluster, type Namespace, type NetworkPolicy, type Peer, type Pod, type Protocol } from '../../src/model/types.js';
import { describePeer } from '../../src/analysis/explain/describe.js';
import { serviceExposure } from '../../src/analysis/service-exposure.js';
import type { CoverageReport, PodExposure, WiderReach } from '../../src/analysis/coverage/coverage.js';
import { representativePorts } from '../../src/analysis/ports.js';
import { collectSelectors, externalRegions, hypotheticals, isHypothetical, HYPOTHETICAL, tierAddressBlocks, withTierSelectors } from '../../src/analysis/universe.js';

export function referenceComputeCoverage(cluster: Cluster, options: { ipBlockPods?: IpBlockPods } = {}): CoverageReport {
  const report = referenceCoverageOf(cluster, options, true);
  const published = serviceExposure(cluster, options);
  return published.length ? { ...report, services: published.map(({ portIndex: _, ...e }) => e) } : report;
}

/**
 * `byClass` answers once per pod class of the class engine (IP atoms included) and kind of pod
 * (declared ports, known IP, hostNetwork): every question below reads only those, so the other
 * pods of the class get a copy. false asks for every pod, the reading the test pins it to.
 */
export function referenceCoverageOf(cluster: Cluster, options: { ipBlockPods?: IpBlockPods }, byClass: boolean): CoverageReport {
  const hyp = hypotheticals(cluster, withTierSelectors(collectSelectors(cluster.policies), cluster.clusterPolicies), { maxPods: 400 });
  // Always have an unlabelled pod in an unlabelled new namespace, for "anyone in the cluster".
  const blankNs = { kind: 'Namespace' as const, name: `${HYPOTHETICAL}ns-blank`, labels: { 'kubernetes.io/metadata.name': `${HYPOTHETICAL}ns-blank` }, implicit: true };
  const blank = (ns: string): Pod => ({ kind: 'Pod', name: `${HYPOTHETICAL}pod-blank`, namespace: ns, labels: {}, ips: [], ports: [], hostNetwork: false });
  const namespaces = [...cluster.namespaces, ...hyp.namespaces, blankNs];
  const blanks = new Map<string, Pod>(namespaces.map((n) => [n.name, blank(n.name)]));
  const world: Cluster = { namespaces, pods: [...cluster.pods, ...hyp.pods.filter((p) => Object.keys(p.labels).length > 0), ...blanks.values()], policies: cluster.policies, clusterPolicies: cluster.clusterPolicies, nodes: cluster.nodes };
  const everyPolicy = new Evaluator(world, { ipBlockPods: options.ipBlockPods ?? 'match' });
  const regions = externalRegions(cluster.policies, tierAddressBlocks(cluster.clusterPolicies, cluster.nodes));
  if (!regions.some((r) => r.region === 'outside every ipBlock')) regions.push({ ip: '1.1.1.1', region: 'outside every ipBlock', label: 'the internet' });
  const fallback = representativePorts([...cluster.policies, ...(cluster.clusterPolicies ?? [])], cluster);
  const policies = new Map(cluster.policies.map((p) => [policyId(p), p]));
  const isolation = {
    ingress: { isolated: [] as string[], notIsolated: [] as string[] },
    egress: { isolated: [] as string[], notIsolated: [] as string[] },
  };
  const exposure: PodExposure[] = [];
  const engine = byClass ? new Reachability(cluster, { ipBlockPods: 'match' }) : undefined;
  const memo = new Map<string, PodExposure>();
  const scoped = byClass ? new ScopedQuestions(world, cluster.pods.length, (src) => sourceOfWider(src), options.ipBlockPods ?? 'match') : undefined;
  function sourceOfWider(src: Pod): boolean {
    if (!isHypothetical(src.name) && !isHypothetical(src.namespace)) return false;
    return !(Object.keys(src.labels).length === 0 && blanks.get(src.namespace) === src && !isHypothetical(src.namespace));
  }
  for (const [index, pod] of cluster.pods.entries()) {
    const key = engine && `${engine.classOfIndex(index)} ${pod.ips.length > 0} ${pod.hostNetwork} ${JSON.stringify(pod.ports.map((c) => [c.containerPort, c.protocol]))}`;
    const seen = key === undefined ? undefined : memo.get(key);
    if (seen) {
      for (const d of ['ingress', 'egress'] as const) isolation[d][seen.isolated[d] ? 'isolated' : 'notIsolated'].push(podId(pod));
      exposure.push({ ...seen, pod: podId(pod), isolated: { ...seen.isolated }, ports: [...seen.ports], fromExternal: [...seen.fromExternal], wider: seen.wider.map((w) => ({ ...w })) });
      continue;
    }
    // Per question, only the policies that select an end and could admit the other take part.
    const sources = scoped ? scoped.sources(index) : world.pods;
    const ev = (from: Endpoint) => (scoped ? scoped.evaluator(from, index) : everyPolicy);
    const iso = scoped ? scoped.isolated(index) : { ingress: everyPolicy.isolatingPolicies(pod, 'ingress').length > 0, egress: everyPolicy.isolatingPolicies(pod, 'egress').length > 0 };
    for (const d of ['ingress', 'egress'] as const) isolation[d][iso[d] ? 'isolated' : 'notIsolated'].push(podId(pod));
    const probes = pod.ports.length ? pod.ports.map((c) => ({ port: c.containerPort, protocol: c.protocol })) : fallback;
    const to: Endpoint = { kind: 'pod', pod };
    const can = (from: Endpoint) => {
      const e = ev(from);
      return e && probes.find((q) => e.allowed({ from, to, port: q.port, protocol: q.protocol }));
    };
    const e: PodExposure = {
      pod: podId(pod),
      isolated: iso,
      ports: probes.map((q) => `${q.port}/${q.protocol}`),
      fromAnyNamespace: can({ kind: 'pod', pod: blanks.get(blankNs.name)! }) !== undefined,
      fromAnyPodInNamespace: can({ kind: 'pod', pod: blanks.get(pod.namespace)! }) !== undefined,
      fromExternal: regions.filter((r) => can({ kind: 'ip', ip: r.ip })).map((r) => (r.region === 'outside every ipBlock' ? 'the internet' : r.label)),
      wider: [],
    };
    if (iso.ingress) {
      const seen = new Set<string>();
      for (const src of sources) {
        if (!sourceOfWider(src)) continue;
        const from: Endpoint = { kind: 'pod', pod: src };
        const asker = ev(from);
        if (!asker) continue;
        for (const q of probes) {
          const v = asker.evaluate({ from, to, port: q.port, protocol: q.protocol });
          if (!v.allowed) continue;
          const pt = v.ingress.policies.find((x) => x.allowed === true);
          const rt = pt?.rules.find((r) => r.matched === true);
          if (!pt || !rt || rt.peer === undefined) continue;
          const policy = policies.get(pt.policy)!;
          const peer = policy.ingress[rt.index]!.peers[rt.peer]!;
          if (seen.has(peer.path + pt.policy)) continue;
          seen.add(peer.path + pt.policy);
          const ns = namespaces.find((n) => n.name === src.namespace)!;
          const labels = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)';
          const w: WiderReach = {
            example: `${isHypothetical(src.namespace) ? 'a new namespace' : `namespace ${src.namespace}`} labelled ${labels(ns.labels)}, pod labelled ${labels(src.labels)}`,
            port: q.port, protocol: q.protocol, policy: pt.policy, peer: peer.path, selector: describePeer(peer, policy.namespace),
          };
          if (pt.file) w.file = pt.file;
          if (policy.origin) w.line = policy.origin.locate(peer.path).line;
          e.wider.push(w);
          break;
        }
      }
    }
    exposure.push(e);
    if (key !== undefined) memo.set(key, e);
  }
  return { isolation, exposure };
}

interface Selecting { policy: NetworkPolicy; always: boolean; groups: number[] }

/**
 * Questions about a pod of the input (`index`), asked of the class engine (world, 'ignore': only
 * its classes, groups and selections are read) so that the readable Evaluator sees few policies.
 * An Evaluator reads only the policies that select a question's ends; of those, a policy whose
 * rules all name peer groups not holding the far end allows nothing to it, so dropping it changes
 * no verdict and no trace's first allowing policy, unless it was the last one isolating its end:
 * then the question is denied outright (`evaluator` returns undefined). Rules without peers, and
 * ipBlock peers, count as possibly admitting anything. Without this, B2's pods are each selected
 * by n/50 policies and every question traced them all (quadratic in pods).
 */
class ScopedQuestions {
  private readonly engine: Reachability;
  private readonly asked: number[] = [];
  private readonly askedClasses: Set<number>;
  private readonly sourceList: number[] = [];
  private readonly indexOf: Map<Pod, number>;
  private readonly order: Map<NetworkPolicy, number>;
  private readonly nsByName: Map<string, Namespace>;
  private readonly inGroup = new Map<number, number[]>();
  private readonly selectingMemo = new Map<string, Selecting[]>();
  private readonly widerMemo = new Map<number, Pod[]>();
  private readonly inMemo = new Map<number, Map<number, NetworkPolicy[]>>();
  private readonly outMemo = new Map<number, Map<number, NetworkPolicy[]>>();
  /** Tier policies can allow what namespaced policies deny: then nothing is denied outright. */
  private readonly mayShortCut: boolean;
  private everything: Evaluator | undefined;

  constructor(private readonly world: Cluster, realPods: number, isSource: (p: Pod) => boolean, private readonly ipBlockPods: IpBlockPods) {
    this.engine = new Reachability(world, { ipBlockPods: 'ignore' });
    for (let i = realPods; i < world.pods.length; i++) {
      this.asked.push(i);
      if (isSource(world.pods[i]!)) this.sourceList.push(i);
    }
    this.askedClasses = new Set(this.asked.map((i) => this.engine.classOfIndex(i)));
    this.indexOf = new Map(world.pods.map((p, i) => [p, i]));
    this.order = new Map(world.policies.map((p, i) => [p, i]));
    this.nsByName = new Map(world.namespaces.map((n) => [n.name, n]));
    this.mayShortCut = !(world.clusterPolicies?.length);
    this.everything = undefined;
  }

  /** The made-up pods of a peer group (classes). */
  private askedIn(g: number): number[] {
    let m = this.inGroup.get(g);
    if (!m) this.inGroup.set(g, (m = this.engine.groupMembers(g).filter((c) => this.askedClasses.has(c))));
    return m;
  }

  /** Policies selecting class `cls` that isolate `direction`, with their rules' peer groups. */
  private selecting(cls: number, direction: 'ingress' | 'egress'): Selecting[] {
    const key = `${cls} ${direction}`;
    let hit = this.selectingMemo.get(key);
    if (!hit) {
      const type = direction === 'ingress' ? 'Ingress' : 'Egress';
      const memo = this.perPolicy[direction];
      hit = this.engine.policiesSelecting(cls).filter((p) => p.policyTypes.includes(type)).map((policy) => {
        let sel = memo.get(policy);
        if (!sel) {
          const rules = policy[direction];
          const always = rules.some((r) => r.peers.length === 0 || r.peers.some((x) => x.ipBlock));
          const groups = rules.flatMap((r) => r.peers.flatMap((x) => (x.ipBlock ? [] : [this.peerGroup(policy, x)])));
          memo.set(policy, (sel = { policy, always, groups }));
        }
        return sel;
      });
      this.selectingMemo.set(key, hit);
    }
    return hit;
  }

  private readonly perPolicy = { ingress: new Map<NetworkPolicy, Selecting>(), egress: new Map<NetworkPolicy, Selecting>() };
  private readonly groupOf = new Map<Peer, number>();
  private peerGroup(policy: NetworkPolicy, peer: Peer): number {
    let g = this.groupOf.get(peer);
    if (g === undefined) this.groupOf.set(peer, (g = this.engine.peerGroup(policy.namespace, peer)));
    return g;
  }

  isolated(index: number): { ingress: boolean; egress: boolean } {
    const c = this.engine.classOfIndex(index);
    return { ingress: this.selecting(c, 'ingress').length > 0, egress: this.selecting(c, 'egress').length > 0 };
  }

  /** The made-up sources that may be reported as wider reach: in a peer group of an ingress rule of a policy selecting the pod (world order). */
  sources(index: number): Pod[] {
    const cls = this.engine.classOfIndex(index);
    let hit = this.widerMemo.get(cls);
    if (!hit) {
      const wanted = new Set<number>();
      for (const s of this.selecting(cls, 'ingress')) for (const g of s.groups) for (const c of this.askedIn(g)) wanted.add(c);
      hit = this.sourceList.filter((i) => wanted.has(this.engine.classOfIndex(i))).map((i) => this.world.pods[i]!);
      this.widerMemo.set(cls, hit);
    }
    return hit;
  }

  /** Per destination class: made-up source class -> the ingress policies whose peer groups hold it. */
  private admitting(dst: number): Map<number, NetworkPolicy[]> {
    let m = this.inMemo.get(dst);
    if (!m) {
      m = new Map();
      for (const s of this.selecting(dst, 'ingress')) {
        for (const c of new Set(s.groups.flatMap((g) => this.askedIn(g)))) {
          const l = m.get(c);
          if (l) l.push(s.policy);
          else m.set(c, [s.policy]);
        }
      }
      this.inMemo.set(dst, m);
    }
    return m;
  }

  /** Per made-up source class: destination class -> the egress policies whose peer groups hold it. */
  private reaching(src: number): Map<number, NetworkPolicy[]> {
    let m = this.outMemo.get(src);
    if (!m) {
      m = new Map();
      for (const s of this.selecting(src, 'egress')) {
        for (const c of new Set(s.groups.flatMap((g) => this.engine.groupMembers(g)))) {
          const l = m.get(c);
          if (l) l.push(s.policy);
          else m.set(c, [s.policy]);
        }
      }
      this.outMemo.set(src, m);
    }
    return m;
  }

  /** An Evaluator that answers `from` -> pod `index` as the whole world's would; undefined when the answer is no on every port. */
  evaluator(from: Endpoint, index: number): Evaluator | undefined {
    // Tier policies decide above and below the NetworkPolicies, over every pod and address (a
    // `networks` peer can hold a pod IP, a `nodes` peer a hostNetwork pod): no narrowing then.
    if (!this.mayShortCut) return (this.everything ??= new Evaluator(this.world, { ipBlockPods: this.ipBlockPods }));
    const dst = this.engine.classOfIndex(index);
    const ins = this.selecting(dst, 'ingress');
    const policies: NetworkPolicy[] = ins.filter((s) => s.always).map((s) => s.policy);
    const ends: Pod[] = [this.world.pods[index]!];
    if (from.kind === 'pod') {
      ends.push(from.pod);
      const src = this.engine.classOfIndex(this.indexOf.get(from.pod)!);
      policies.push(...(this.admitting(dst).get(src) ?? []));
      if (this.mayShortCut && ins.length > 0 && policies.length === 0) return undefined;
      const outs = this.selecting(src, 'egress');
      const out = [...outs.filter((s) => s.always).map((s) => s.policy), ...(this.reaching(src).get(dst) ?? [])];
      if (this.mayShortCut && outs.length > 0 && out.length === 0) return undefined;
      policies.push(...out);
    } else if (this.mayShortCut && ins.length > 0 && policies.length === 0) return undefined;
    const namespaces = [...new Set(ends.map((p) => p.namespace))].flatMap((n) => this.nsByName.get(n) ?? []);
    const sorted = [...new Set(policies)].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    // Tier policies and nodes as they are: only the namespaced policies are narrowed.
    return new Evaluator({ ...this.world, namespaces, pods: [], policies: sorted }, { ipBlockPods: this.ipBlockPods });
  }
}
