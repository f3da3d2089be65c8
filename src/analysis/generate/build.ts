// Intent → NetworkPolicies (as plain objects, one per policy, with the assertions each rule serves).
//   1. Label classes: pods with the same namespace and labels can only be selected together, so
//      every pod of a class must be wanted alike, as source and as destination; otherwise the
//      build refuses and names the pods (no silent widening).
//   2. Per governed pod and direction: peer (class or IP) → set of port/protocol.
//   3. Subjects: per namespace, governed pods with the same profile form a group; one policy per
//      group (selector from select.ts), a namespace default-deny when every pod of it is
//      governed in a direction, or a single `podSelector: {}` policy when one group is the namespace.
//   4. Rules: peers with the same port set share a rule; peers become namespaceSelector (+
//      podSelector) pairs, namespaces with the same pod selector sharing one peer; IPs become the
//      fewest CIDRs; ports become ranges.
import { rangeToCidrs } from '../../net/cidr.js';
import { parseCidr, type IpRange } from '../../net/ip.js';
import { NAMESPACE_NAME_LABEL, podId, type Cluster, type LabelSelector, type Pod, type Protocol } from '../../model/types.js';
import type { Intent, Want } from './intent.js';
import { exactSelectors, keyOrder, selectorKey, selectorYaml } from './select.js';

export interface GenRule {
  /** Empty: every peer. */
  peers: Record<string, unknown>[];
  /** Empty: every port. A string port is a named port (only from --from-policies). */
  ports: { protocol: Protocol; port?: number | string; endPort?: number }[];
  /** The assertions (flows, or `DNS`) this rule serves. */
  serves: string[];
}

export interface GenPolicy {
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: GenRule[];
  egress: GenRule[];
  /** Why this policy exists, in one line. */
  comment: string;
}

export interface Inseparable {
  pods: [string, string];
  message: string;
  hint: string;
}

export interface BuildOptions {
  dns?: boolean;
}

export type BuildResult = { ok: true; policies: GenPolicy[] } | { ok: false; problems: Inseparable[] };

export const DNS_SERVES = 'DNS to kube-system k8s-app=kube-dns (leave out with --no-dns)';
const DIRS = ['ingress', 'egress'] as const;
const typeOf = (d: 'ingress' | 'egress') => (d === 'ingress' ? 'Ingress' : 'Egress') as 'Ingress' | 'Egress';
const PROTO_ORDER: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

const classOf = (p: Pod) => `${p.namespace}\0${JSON.stringify(Object.entries(p.labels).sort())}`;

interface Entry {
  ports: Set<string>;
  serves: Set<string>;
}

/** Per pod: peer key (pod id or ip) → wanted ports, for one direction. */
function sides(wants: readonly Want[], dir: 'ingress' | 'egress'): Map<Pod, Map<string, Entry>> {
  const out = new Map<Pod, Map<string, Entry>>();
  for (const w of wants) {
    const self = dir === 'ingress' ? w.to : w.from;
    const peer = dir === 'ingress' ? w.from : w.to;
    if (self.kind !== 'pod') continue;
    let m = out.get(self.pod);
    if (!m) out.set(self.pod, (m = new Map()));
    const key = peer.kind === 'pod' ? `pod:${podId(peer.pod)}` : `ip:${peer.kind === 'ip' ? peer.ip : peer.cidr}`;
    let e = m.get(key);
    if (!e) m.set(key, (e = { ports: new Set(), serves: new Set() }));
    e.ports.add(`${w.protocol}/${w.port}`);
    e.serves.add(w.serves);
  }
  return out;
}

const portsText = (e: Entry | undefined) => (e ? [...e.ports].sort().join(',') : '');

function hint(a: Pod, b: Pod): string {
  if (a.workload && b.workload && a.workload.kind === b.workload.kind && a.workload.name === b.workload.name) {
    return `they are replicas of ${a.workload.kind} ${a.namespace}/${a.workload.name}, which no selector can tell apart: assert on the workload (${a.namespace}/${a.workload.name}), not on one of its pods`;
  }
  const name = (p: Pod) => p.workload?.name ?? p.name;
  return `no label tells them apart: add one to ${a.workload ? `the pod template of ${a.workload.kind} ${a.namespace}/${a.workload.name}` : `pod ${podId(a)}`}, e.g. app.kubernetes.io/name=${name(a)}${name(a) === name(b) ? '' : ` (and app.kubernetes.io/name=${name(b)} on ${podId(b)})`}`;
}

export function buildPolicies(cluster: Cluster, intent: Intent, options: BuildOptions = {}): BuildResult {
  const dns = options.dns ?? true;
  const maps = { ingress: sides(intent.allows, 'ingress'), egress: sides(intent.allows, 'egress') };
  const governed = { ingress: intent.ingress, egress: intent.egress };
  const byId = new Map(cluster.pods.map((p) => [`pod:${podId(p)}`, p]));
  const classes = new Map<string, Pod[]>();
  for (const p of cluster.pods) {
    const k = classOf(p);
    classes.set(k, [...(classes.get(k) ?? []), p]);
  }
  // A pod always reaches itself. When every other pod of its namespace is a peer on the same
  // ports, counting the pod in lets the rule name the whole namespace (as `ns/*` would) instead
  // of "every pod but this one" (only for a pod no other shares labels with: its class is itself).
  for (const dir of ['ingress', 'egress'] as const) {
    for (const [self, m] of maps[dir]) {
      if (classes.get(classOf(self))!.length !== 1) continue;
      const others = cluster.pods.filter((p) => p.namespace === self.namespace && p !== self);
      const first = others[0] && m.get(`pod:${podId(others[0])}`);
      if (!first || !others.every((p) => portsText(m.get(`pod:${podId(p)}`)) === portsText(first))) continue;
      m.set(`pod:${podId(self)}`, { ports: new Set(first.ports), serves: new Set() });
    }
  }
  const problems: Inseparable[] = [];
  const seenProblem = new Set<string>();
  const problem = (a: Pod, b: Pod, message: string) => {
    const key = [podId(a), podId(b)].sort().join(' ');
    if (seenProblem.has(key)) return;
    seenProblem.add(key);
    problems.push({ pods: [podId(a), podId(b)], message, hint: hint(a, b) });
  };
  // Profiles at class granularity; every member of a class must agree, as peer and as subject.
  const profile = new Map<Pod, string>();
  for (const dir of ['ingress', 'egress'] as const) {
    for (const [self, m] of maps[dir]) {
      // Only classes with a member among the peers can disagree.
      const touched = new Set([...m.keys()].map((k) => byId.get(k)).filter((p): p is Pod => !!p).map(classOf));
      for (const members of [...touched].map((c) => classes.get(c)!)) {
        const others = members.filter((p) => p !== self);
        const first = others[0];
        if (!first) continue;
        const want = portsText(m.get(`pod:${podId(first)}`));
        for (const p of others.slice(1)) {
          if (portsText(m.get(`pod:${podId(p)}`)) !== want) {
            const [yes, no] = want ? [first, p] : [p, first];
            problem(yes, no, `${podId(yes)} and ${podId(no)} have the same labels, but the expectations let ${podId(yes)} ${dir === 'ingress' ? 'reach' : 'be reached from'} ${podId(self)} (${portsText(m.get(`pod:${podId(yes)}`))}) and not ${podId(no)}${portsText(m.get(`pod:${podId(no)}`)) ? ` on the same ports` : ''}`);
          }
        }
      }
    }
  }
  for (const p of cluster.pods) {
    const side = (dir: 'ingress' | 'egress') => {
      if (!governed[dir].has(p)) return 'open';
      const m = maps[dir].get(p) ?? new Map<string, Entry>();
      const byPeer = new Map<string, string>();
      for (const [k, e] of m) {
        const pod = byId.get(k);
        byPeer.set(pod ? `class:${classOf(pod)}` : k, portsText(e));
      }
      return JSON.stringify([...byPeer].sort());
    };
    profile.set(p, `${side('ingress')}|${side('egress')}`);
  }
  for (const members of classes.values()) {
    for (const p of members.slice(1)) {
      if (profile.get(p) !== profile.get(members[0]!)) {
        problem(members[0]!, p, `${podId(members[0]!)} and ${podId(p)} have the same labels, but the expectations treat them differently as ${profile.get(p)!.split('|')[0] !== profile.get(members[0]!)!.split('|')[0] ? 'destinations' : 'sources'}`);
      }
    }
  }
  if (problems.length) return { ok: false, problems };

  const policies: GenPolicy[] = [];
  const namespaces = [...new Set([...intent.ingress, ...intent.egress].map((p) => p.namespace))].sort();
  for (const ns of namespaces) {
    const pods = cluster.pods.filter((p) => p.namespace === ns);
    const groups = new Map<string, Pod[]>();
    for (const p of pods) {
      if (!governed.ingress.has(p) && !governed.egress.has(p)) continue;
      const k = profile.get(p)!;
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    const all = { ingress: pods.every((p) => governed.ingress.has(p)), egress: pods.every((p) => governed.egress.has(p)) };
    const dnsRule = (): GenRule => ({ peers: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }], serves: [DNS_SERVES] });
    const names = new Set<string>();
    const unique = (base: string) => {
      let name = base;
      for (let i = 2; names.has(name); i++) name = `${base.slice(0, 60)}-${i}`;
      names.add(name);
      return name;
    };
    // With a namespace default-deny (for the directions every pod is governed in) or without:
    // whichever gives fewer policies, then fewer rules; a tie keeps the default-deny.
    const plan = (withDefault: boolean): GenPolicy[] => {
      const out: GenPolicy[] = [];
      const covered = withDefault ? DIRS.filter((d) => all[d]) : [];
      if (covered.length) {
        out.push({
          name: 'default-deny', namespace: ns, podSelector: { matchLabels: {}, matchExpressions: [] },
          policyTypes: covered.map(typeOf), ingress: [], egress: covered.includes('egress') && dns ? [dnsRule()] : [],
          comment: `every pod of namespace ${ns} is in scope: deny ${covered.join(' and ')} unless a policy below allows it`,
        });
      }
      const built: GenPolicy[] = [];
      for (const group of groups.values()) {
        const rep = group[0]!;
        const rules = {
          ingress: governed.ingress.has(rep) ? rulesFor(cluster, byId, maps.ingress.get(rep)) : [],
          egress: governed.egress.has(rep) ? rulesFor(cluster, byId, maps.egress.get(rep)) : [],
        };
        if (governed.egress.has(rep) && dns && !covered.includes('egress')) rules.egress.push(dnsRule());
        const types = DIRS.filter((d) => governed[d].has(rep) && (rules[d].length > 0 || !covered.includes(d)));
        if (types.length === 0) continue;
        const whole = group.length === pods.length;
        for (const podSelector of exactSelectors(pods, group)) {
          built.push({
            name: `${whole ? 'all-pods' : workloadsName(group)}-policy`, namespace: ns, podSelector,
            policyTypes: types.map(typeOf),
            ingress: types.includes('ingress') ? rules.ingress : [],
            egress: types.includes('egress') ? rules.egress : [],
            comment: `${whole ? `every pod of namespace ${ns}` : workloadsText(group)}: ${types.map((d) => `${d} only as allowed below`).join('; ')}`,
          });
        }
      }
      built.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : selectorKey(a.podSelector) < selectorKey(b.podSelector) ? -1 : 1));
      return [...out, ...built];
    };
    const size = (ps: GenPolicy[]) => ps.length * 1e6 + ps.reduce((n, p) => n + p.ingress.length + p.egress.length, 0);
    const withDefault = plan(true);
    const without = plan(false);
    const nsPolicies = (size(without) < size(withDefault) ? without : withDefault).map((p) => ({ ...p, name: unique(p.name) }));
    policies.push(...nsPolicies);
  }
  return { ok: true, policies };
}

function workloadNames(group: readonly Pod[]): string[] {
  return [...new Set(group.map((p) => p.workload?.name ?? p.name))].sort();
}

function workloadsName(group: readonly Pod[]): string {
  const names = workloadNames(group);
  const base = names.length <= 3 ? names.join('-') : `${names[0]}-and-${names.length - 1}-more`;
  // Names come from valid object names; keep the result a valid DNS label-ish name of bounded length.
  return base.length > 50 ? base.slice(0, 50).replace(/[-.]+$/, '') : base;
}

function workloadsText(group: readonly Pod[]): string {
  const names = workloadNames(group);
  return `${names.length === 1 ? 'workload' : 'workloads'} ${names.join(', ')}`;
}

function rulesFor(cluster: Cluster, byId: ReadonlyMap<string, Pod>, m: Map<string, Entry> | undefined): GenRule[] {
  if (!m) return [];
  const byPorts = new Map<string, { pods: Pod[]; ips: string[]; serves: Set<string>; ports: Set<string> }>();
  for (const [k, e] of m) {
    const pk = portsText(e);
    let g = byPorts.get(pk);
    if (!g) byPorts.set(pk, (g = { pods: [], ips: [], serves: new Set(), ports: e.ports }));
    const pod = byId.get(k);
    if (pod) g.pods.push(pod);
    else g.ips.push(k.slice(3));
    for (const s of e.serves) g.serves.add(s);
  }
  const rules: GenRule[] = [];
  for (const [, g] of [...byPorts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Every pod of a wanted class is a wanted peer (checked by the build), so select whole classes.
    const classes = new Set(g.pods.map(classOf));
    const peerPods = cluster.pods.filter((p) => classes.has(classOf(p)));
    rules.push({ peers: [...podPeers(cluster, peerPods), ...ipPeers(g.ips)], ports: portList(g.ports), serves: [...g.serves] });
  }
  return rules;
}

export function podPeers(cluster: Cluster, pods: readonly Pod[]): Record<string, unknown>[] {
  const byNs = new Map<string, Pod[]>();
  for (const p of pods) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
  // pod selector (as key) → namespaces it is exact in
  const bySelector = new Map<string, { selector: LabelSelector; namespaces: string[] }>();
  for (const [ns, target] of [...byNs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const universe = cluster.pods.filter((p) => p.namespace === ns);
    for (const s of exactSelectors(universe, target)) {
      const k = selectorKey(s);
      const e = bySelector.get(k) ?? { selector: s, namespaces: [] };
      e.namespaces.push(ns);
      bySelector.set(k, e);
    }
  }
  const peers: Record<string, unknown>[] = [];
  for (const { selector, namespaces } of [...bySelector.values()].sort((a, b) => (selectorKey(a.selector) < selectorKey(b.selector) ? -1 : 1))) {
    const nsTargets = cluster.namespaces.filter((n) => namespaces.includes(n.name));
    // Namespaces are always named explicitly (never `{}`): a namespace created later is not let in.
    for (const nsSel of exactNamespaceSelectors(cluster, nsTargets)) {
      const peer: Record<string, unknown> = { namespaceSelector: selectorYaml(nsSel) };
      if (Object.keys(selector.matchLabels).length || selector.matchExpressions.length) peer.podSelector = selectorYaml(selector);
      peers.push(peer);
    }
  }
  return peers;
}

export function exactNamespaceSelectors(cluster: Cluster, targets: Cluster['namespaces']): LabelSelector[] {
  const s = exactSelectors(cluster.namespaces, targets);
  if (s.length === 1 && (Object.keys(s[0]!.matchLabels).length || s[0]!.matchExpressions.length)) return s;
  // Every namespace is a target (never `{}`), or no single selector fits: list them by a label
  // they all carry, the user's first, `kubernetes.io/metadata.name` last.
  const names = targets.map((n) => n.name).sort();
  if (s.length === 1) {
    const keys = [...new Set(targets.flatMap((n) => Object.keys(n.labels)))].filter((k) => targets.every((n) => k in n.labels)).sort(keyOrder);
    for (const key of keys) {
      const values = [...new Set(targets.map((n) => n.labels[key]!))].sort();
      if (values.length === targets.length) return [{ matchLabels: {}, matchExpressions: [{ key, operator: 'In', values }] }];
    }
  }
  return [names.length === 1 ? { matchLabels: { [NAMESPACE_NAME_LABEL]: names[0]! }, matchExpressions: [] } : { matchLabels: {}, matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: names }] }];
}

/** Addresses and CIDRs → the fewest CIDRs covering exactly their union. */
export function ipPeers(texts: readonly string[]): Record<string, unknown>[] {
  const ranges: IpRange[] = [];
  for (const t of texts) {
    const r = t.includes('/') ? parseCidr(t) : parseCidr(`${t}/${t.includes(':') ? 128 : 32}`);
    if (r) ranges.push(r);
  }
  ranges.sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const merged: IpRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && last.family === r.family && r.first <= last.last + 1n) last.last = r.last > last.last ? r.last : last.last;
    else merged.push({ ...r });
  }
  return merged.flatMap((r) => rangeToCidrs(r).map((cidr) => ({ ipBlock: { cidr } })));
}

export function portList(ports: ReadonlySet<string>): GenRule['ports'] {
  const byProto = new Map<Protocol, number[]>();
  for (const t of ports) {
    const [proto, n] = t.split('/') as [Protocol, string];
    byProto.set(proto, [...(byProto.get(proto) ?? []), Number(n)]);
  }
  const out: GenRule['ports'] = [];
  for (const proto of [...byProto.keys()].sort((a, b) => PROTO_ORDER[a] - PROTO_ORDER[b])) {
    const ns = [...new Set(byProto.get(proto)!)].sort((a, b) => a - b);
    let i = 0;
    while (i < ns.length) {
      let j = i;
      while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
      out.push(j > i ? { protocol: proto, port: ns[i]!, endPort: ns[j]! } : { protocol: proto, port: ns[i]! });
      i = j + 1;
    }
  }
  return out;
}
