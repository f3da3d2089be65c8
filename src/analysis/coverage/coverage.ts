// netpol coverage: which pods no policy isolates (per direction), and who may reach each pod:
// anyone in the cluster, the internet, and pods or namespaces that do not exist yet but would be
// admitted because a selector is wider than what is deployed (named by the peer that admits them).
import { Evaluator, type DirectionTrace, type Endpoint } from '../../evaluate/evaluate.js';
import { matchPort, type IpBlockPods, type Party } from '../../match/peer.js';
import { hasBit, type Bits } from '../../matrix/bitset.js';
import { Reachability } from '../../matrix/engine.js';
import { podId, policyId, type Cluster, type Direction, type Namespace, type NetworkPolicy, type Peer, type Pod, type Protocol } from '../../model/types.js';
import { describePeer } from '../explain/describe.js';
import { serviceExposure, type ServiceExposure } from '../service-exposure.js';
import { representativePorts } from '../ports.js';
import { collectSelectors, externalRegions, hypotheticals, isHypothetical, HYPOTHETICAL, tierAddressBlocks, withTierSelectors } from '../universe.js';

export interface WiderReach {
  /** An example of a source that does not exist yet. */
  example: string;
  port: number;
  protocol: Protocol;
  policy: string;
  /** The peer that admits it, e.g. spec.ingress[0].from[0], and its meaning. */
  peer: string;
  selector: string;
  file?: string;
  line?: number;
}

export interface PodExposure {
  pod: string;
  isolated: { ingress: boolean; egress: boolean };
  ports: string[];
  /** A pod with no labels in a new, unlabelled namespace may connect. */
  fromAnyNamespace: boolean;
  /** A pod with no labels in the pod's own namespace may connect. */
  fromAnyPodInNamespace: boolean;
  /** External address regions that may connect ("outside every ipBlock" stands for the internet). */
  fromExternal: string[];
  wider: WiderReach[];
}

export interface CoverageReport {
  isolation: Record<Direction, { isolated: string[]; notIsolated: string[] }>;
  exposure: PodExposure[];
  /** NodePort/LoadBalancer Service ports and what reaches their backing pods from outside (present when the input has such Services). */
  services?: Omit<ServiceExposure, 'portIndex'>[];
}

export function computeCoverage(cluster: Cluster, options: { ipBlockPods?: IpBlockPods } = {}): CoverageReport {
  const report = coverageOf(cluster, options, true);
  const published = serviceExposure(cluster, options);
  return published.length ? { ...report, services: published.map(({ portIndex: _, ...e }) => e) } : report;
}

/**
 * `byClass` answers once per pod class of the world's class engine (IP atoms included unless
 * --ipblock-pods ignore, where pod IPs decide nothing) and kind of pod
 * (declared ports, known IP, hostNetwork): every question below reads only those, so the other
 * pods of the class get a copy. false asks for every pod, the reading the test pins it to.
 */
export function coverageOf(cluster: Cluster, options: { ipBlockPods?: IpBlockPods }, byClass: boolean): CoverageReport {
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
  const memo = new Map<string, PodExposure>();
  const probed = [...fallback, ...cluster.pods.flatMap((p) => p.ports.map((c) => ({ port: c.containerPort, protocol: c.protocol })))];
  const scoped = byClass ? new ScopedQuestions(world, cluster.pods.length, (src) => sourceOfWider(src), options.ipBlockPods ?? 'match', probed) : undefined;
  function sourceOfWider(src: Pod): boolean {
    if (!isHypothetical(src.name) && !isHypothetical(src.namespace)) return false;
    return !(Object.keys(src.labels).length === 0 && blanks.get(src.namespace) === src && !isHypothetical(src.namespace));
  }
  for (const [index, pod] of cluster.pods.entries()) {
    const key = scoped && `${scoped.classOf(index)} ${pod.ips.length > 0} ${pod.hostNetwork} ${JSON.stringify(pod.ports.map((c) => [c.containerPort, c.protocol]))}`;
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
      const open = scoped && from.kind === 'pod' ? probes.filter((q) => scoped.mayAllow(from.pod, index, pod, q)) : probes;
      const e = open.length ? ev(from) : undefined;
      return e && open.find((q) => e.allowed({ from, to, port: q.port, protocol: q.protocol }));
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
        let full: Evaluator | undefined | null = null, inbound: Evaluator | undefined;
        for (const q of probes) {
          // The class engine tells denied questions, and allowed ones whose peer is already
          // reported, without a trace: only questions that may be reported are traced.
          const known = scoped?.attribution(src, index, pod, q);
          if (known === null || (known !== undefined && seen.has(known))) continue;
          // An attributed question is allowed, egress included (the row says so): the report reads
          // only its ingress trace, so its Evaluator holds only the ingress policies (whose egress
          // answer, from a partial set of egress policies, is not read).
          const asker = known !== undefined ? (inbound ??= scoped!.evaluator(from, index, true)) : full === null ? (full = ev(from)) : full;
          if (!asker) break;
          const c = { from, to, port: q.port, protocol: q.protocol };
          let ingress: DirectionTrace;
          if (known !== undefined) ingress = asker.trace(c, 'ingress');
          else {
            const v = asker.evaluate(c);
            if (!v.allowed) continue;
            ingress = v.ingress;
          }
          const pt = ingress.policies.find((x) => x.allowed === true);
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
 * Questions about a pod of the input (`index`), asked of the class engine over the world (input
 * and made-up pods, in the command's ipBlock mode): its rows say which questions are allowed and
 * its groups which policy allows them (`attribution`), so that the readable Evaluator is asked
 * few questions, each with few policies.
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

  /** The port atoms of every probe coverage asks (declared ports and the fallback ones): the row parts kept. */
  private readonly probeAtoms: number[];

  constructor(private readonly world: Cluster, realPods: number, isSource: (p: Pod) => boolean, private readonly ipBlockPods: IpBlockPods, probes: { port: number; protocol: Protocol }[]) {
    // 'depends': the run where every ipBlock that could cover a pod does, an upper bound of any
    // plugin's allows (NetworkPolicy verdicts are monotone in peer matches; tiers are not).
    this.engine = new Reachability(world, ipBlockPods === 'ignore' ? { ipBlockPods: 'ignore' } : { ipBlockPods: 'match', podsWithoutIpMatchBlocks: ipBlockPods === 'depends' });
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
    this.probeAtoms = [...new Set(probes.map((q) => this.engine.atomOf(q.protocol, q.port)))];
  }

  /** Per source class: per atom class of a probe, the destination classes its row allows (copied: row() reuses its buffers). */
  private readonly rowMemo = new Map<number, Map<number, Bits>>();

  /**
   * false only when the Evaluator would not allow `from` (a pod of the world) -> pod `index` on
   * port q: the class engine's row of from's class, in the Evaluator's ipBlock mode, is the same
   * boolean (test/matrix pins the two), or its upper bound under 'depends'. Without tier
   * policies only, and not for a hostNetwork destination under 'depends' (where the Evaluator's
   * verdict is 'depends' whatever the policies say, and the report reads its ingress trace).
   */
  mayAllow(from: Pod, index: number, to: Pod, q: { port: number; protocol: Protocol }): boolean {
    if (!this.mayShortCut || (this.ipBlockPods === 'depends' && to.hostNetwork)) return true;
    const s = this.engine.classOfIndex(this.indexOf.get(from)!);
    const k = this.engine.atomOf(q.protocol, q.port);
    let parts = this.rowMemo.get(s);
    if (!parts) this.rowMemo.set(s, (parts = new Map()));
    let bits = parts.get(k);
    if (!bits) {
      const row = this.engine.row(s);
      // Copy the parts of every probe's atom at once: the next probe of another port needs no second row.
      for (const a of this.probeAtoms) parts.set(a, row[a]!.slice());
      if (!parts.has(k)) parts.set(k, row[k]!.slice());
      bits = parts.get(k)!;
    }
    return hasBit(bits, this.engine.classOfIndex(index));
  }

  private readonly members = new Map<number, Set<number>>();
  private readonly openToAll = new Map<number, boolean>();

  /**
   * What the ingress trace of `from` (a made-up pod) -> pod `index` on port q would name as the
   * allowing peer, keyed as coverageOf keys it (peer path + policy), read off the engine: null
   * when the question is denied, undefined when only the Evaluator can tell. The trace names the
   * first policy (world order) selecting the pod for ingress with a rule whose ports hold q
   * (`matchPort`) and one of whose peers holds from's class (the engine's peer groups), and the
   * first such peer. Only policies naming from's class can allow it, unless a policy has a rule
   * without peers or with an ipBlock peer (`always`): then, and with tiers or under 'depends'
   * (verdicts the rows do not give exactly), undefined.
   */
  attribution(from: Pod, index: number, to: Pod, q: { port: number; protocol: Protocol }): string | null | undefined {
    if (!this.mayAllow(from, index, to, q)) return null;
    if (!this.mayShortCut || this.ipBlockPods === 'depends') return undefined;
    const dst = this.engine.classOfIndex(index);
    let open = this.openToAll.get(dst);
    if (open === undefined) this.openToAll.set(dst, (open = this.incoming(dst).some((x) => x.always)));
    if (open) return undefined;
    const src = this.engine.classOfIndex(this.indexOf.get(from)!);
    // matchPort reads only the destination pod's declared ports.
    const dest: Party = { kind: 'pod', pod: to, namespace: this.nsByName.get(to.namespace) ?? { kind: 'Namespace', name: to.namespace, labels: {}, implicit: true } };
    for (const policy of this.admitting(dst).get(src) ?? []) {
      for (const r of policy.ingress) {
        if (r.ports.length > 0 && !r.ports.some((pp) => matchPort(pp, q.port, q.protocol, dest).match === true)) continue;
        const peer = r.peers.find((x) => this.holds(this.peerGroup(policy, x), src));
        if (peer) return peer.path + policyId(policy);
      }
    }
    return undefined;
  }

  private holds(g: number, cls: number): boolean {
    let m = this.members.get(g);
    if (!m) this.members.set(g, (m = new Set(this.engine.groupMembers(g))));
    return m.has(cls);
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
      hit = this.engine.policiesSelecting(cls).filter((p) => p.policyTypes.includes(type)).map((policy) => this.summary(policy, direction));
      this.selectingMemo.set(key, hit);
    }
    return hit;
  }

  /** A policy's rules for one direction: does one admit anything (no peers, an ipBlock peer), and their peer groups. */
  private summary(policy: NetworkPolicy, direction: 'ingress' | 'egress'): Selecting {
    const memo = this.perPolicy[direction];
    let sel = memo.get(policy);
    if (!sel) {
      const rules = policy[direction];
      const always = rules.some((r) => r.peers.length === 0 || r.peers.some((x) => x.ipBlock));
      const groups = rules.flatMap((r) => r.peers.flatMap((x) => (x.ipBlock ? [] : [this.peerGroup(policy, x)])));
      memo.set(policy, (sel = { policy, always, groups }));
    }
    return sel;
  }

  private incomingOf?: Map<number, Selecting[]>;

  /**
   * The ingress-isolating policies selecting class `dst` that may admit a made-up pod or an
   * address: a peer group holding a made-up class, or a rule admitting anything. The others
   * allow none of the questions asked here, so they never enter a question's Evaluator. Built
   * once from each such policy's targets: the policies selecting each class, for every class,
   * are n × n/50 in B2.
   */
  private incoming(dst: number): readonly Selecting[] {
    if (!this.incomingOf) {
      const m = (this.incomingOf = new Map());
      for (const policy of this.world.policies) {
        if (!policy.policyTypes.includes('Ingress')) continue;
        const sel = this.summary(policy, 'ingress');
        if (!sel.always && !sel.groups.some((g) => this.askedIn(g).length > 0)) continue;
        for (const c of this.engine.groupMembers(this.engine.targetGroup(policy))) {
          const l = m.get(c);
          if (l) l.push(sel);
          else m.set(c, [sel]);
        }
      }
    }
    return this.incomingOf.get(dst) ?? [];
  }

  private readonly perPolicy = { ingress: new Map<NetworkPolicy, Selecting>(), egress: new Map<NetworkPolicy, Selecting>() };
  private readonly groupOf = new Map<Peer, number>();
  private peerGroup(policy: NetworkPolicy, peer: Peer): number {
    let g = this.groupOf.get(peer);
    if (g === undefined) this.groupOf.set(peer, (g = this.engine.peerGroup(policy.namespace, peer)));
    return g;
  }

  /** The class of pod `index` in this engine (the world's, in the command's ipBlock mode). */
  classOf(index: number): number {
    return this.engine.classOfIndex(index);
  }

  isolated(index: number): { ingress: boolean; egress: boolean } {
    const c = this.engine.classOfIndex(index);
    return this.engine.isolated(c);
  }

  /** The made-up sources that may be reported as wider reach: in a peer group of an ingress rule of a policy selecting the pod (world order). */
  sources(index: number): Pod[] {
    const cls = this.engine.classOfIndex(index);
    let hit = this.widerMemo.get(cls);
    if (!hit) {
      const wanted = new Set<number>();
      for (const s of this.incoming(cls)) for (const g of s.groups) for (const c of this.askedIn(g)) wanted.add(c);
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
      for (const s of this.incoming(dst)) {
        for (const c of new Set(s.groups.flatMap((g) => this.askedIn(g)))) {
          const l = m.get(c);
          if (l) l.push(s.policy);
          else m.set(c, [s.policy]);
        }
      }
      for (const l of m.values()) l.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
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

  /**
   * An Evaluator that answers `from` -> pod `index` as the whole world's would; undefined when the
   * answer is no on every port. `ingressOnly`: only the ingress trace will be read (its egress
   * policies are left out).
   */
  evaluator(from: Endpoint, index: number, ingressOnly = false): Evaluator | undefined {
    // Tier policies decide above and below the NetworkPolicies, over every pod and address (a
    // `networks` peer can hold a pod IP, a `nodes` peer a hostNetwork pod): no narrowing then.
    if (!this.mayShortCut) return (this.everything ??= new Evaluator(this.world, { ipBlockPods: this.ipBlockPods }));
    const dst = this.engine.classOfIndex(index);
    const ins = this.incoming(dst);
    const isolated = this.engine.isolated(dst).ingress;
    const policies: NetworkPolicy[] = ins.filter((s) => s.always).map((s) => s.policy);
    const ends: Pod[] = [this.world.pods[index]!];
    if (from.kind === 'pod') {
      ends.push(from.pod);
      const src = this.engine.classOfIndex(this.indexOf.get(from.pod)!);
      policies.push(...(this.admitting(dst).get(src) ?? []));
      if (this.mayShortCut && isolated && policies.length === 0) return undefined;
      if (!ingressOnly) {
        const outs = this.selecting(src, 'egress');
        const out = [...outs.filter((s) => s.always).map((s) => s.policy), ...(this.reaching(src).get(dst) ?? [])];
        if (this.mayShortCut && outs.length > 0 && out.length === 0) return undefined;
        policies.push(...out);
      }
    } else if (this.mayShortCut && isolated && policies.length === 0) return undefined;
    const namespaces = [...new Set(ends.map((p) => p.namespace))].flatMap((n) => this.nsByName.get(n) ?? []);
    const sorted = [...new Set(policies)].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    // Tier policies and nodes as they are: only the namespaced policies are narrowed.
    return new Evaluator({ ...this.world, namespaces, pods: [], policies: sorted }, { ipBlockPods: this.ipBlockPods });
  }
}
