// Deterministic benchmark workloads (issue 4), built as model objects. Shapes follow the public
// anchors (docs/PERFORMANCE.md): Kano's random-label ladder, Antrea's controller scale tests,
// ClusterLoader2 at the upstream limits, and NCA's ipBlock-heavy diff.
import type { Cluster, ClusterPolicy, LabelSelector, Namespace, NetworkPolicy, Peer, Pod, PolicyPort, Protocol, Rule, TierRule } from '../src/model/types.js';
import { rng } from '../test/oracle/generate.js';

const sel = (matchLabels: Record<string, string> = {}): LabelSelector => ({ matchLabels, matchExpressions: [] });
const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ kind: 'Namespace', name, labels: { ...labels, 'kubernetes.io/metadata.name': name }, implicit: false });
const pod = (namespace: string, name: string, labels: Record<string, string>, ips: string[] = []): Pod => ({ kind: 'Pod', name, namespace, labels, ips, ports: [], hostNetwork: false });
const rule = (peers: Peer[], ports: PolicyPort[] = []): Rule => ({ peers, ports, path: 'spec' });
const policy = (namespace: string, name: string, podSelector: LabelSelector, types: ('Ingress' | 'Egress')[], ingress: Rule[] = [], egress: Rule[] = []): NetworkPolicy =>
  ({ kind: 'NetworkPolicy', name, namespace, podSelector, policyTypes: types, policyTypesDefaulted: false, ingress, egress });
const port = (protocol: Protocol, p: number): PolicyPort => ({ protocol, port: p, path: 'spec' });

/** B2, after Kano's generator: N pods in one namespace, N/2 policies, half ingress-only, half egress-only. */
export function b2(n: number, seed = 2): Cluster {
  const r = rng(seed);
  const keys = Math.max(1, Math.floor(n / 10));
  const pods: Pod[] = [];
  for (let i = 0; i < n; i++) {
    const labels: Record<string, string> = { user: `u${Math.floor(r() * 5)}` };
    for (let k = Math.floor(r() * 5); k > 0; k--) labels[`k${Math.floor(r() * keys)}`] = `v${Math.floor(r() * 10)}`;
    pods.push(pod('b2', `p${i}`, labels));
  }
  // The user label plus up to 3 other labels of one random pod.
  const selectorOf = (p: Pod): LabelSelector => {
    const m: Record<string, string> = { user: p.labels.user! };
    const others = Object.keys(p.labels).filter((k) => k !== 'user');
    for (let k = Math.floor(r() * Math.min(3, others.length) + 1); k > 0 && others.length; k--) {
      const key = others.splice(Math.floor(r() * others.length), 1)[0]!;
      m[key] = p.labels[key]!;
    }
    return sel(m);
  };
  const policies: NetworkPolicy[] = [];
  for (let i = 0; i < n / 2; i++) {
    const target = selectorOf(pods[Math.floor(r() * n)]!);
    const peer: Peer = { podSelector: selectorOf(pods[Math.floor(r() * n)]!), path: 'spec' };
    policies.push(i % 2 === 0
      ? policy('b2', `np${i}`, target, ['Ingress'], [rule([peer])])
      : policy('b2', `np${i}`, target, ['Egress'], [], [rule([peer])]));
  }
  return { namespaces: [ns('b2')], pods, policies };
}

/** B3a, after Antrea's TestInitXLargeScaleWithSmallNamespaces: 25k namespaces x 4 pods x 3 policies. */
export function b3a(namespaces = 25_000): Cluster {
  const nss: Namespace[] = [], pods: Pod[] = [], policies: NetworkPolicy[] = [];
  for (let i = 0; i < namespaces; i++) {
    const name = `ns-${i}`;
    nss.push(ns(name, { app: name }));
    for (let k = 0; k < 4; k++) pods.push(pod(name, `pod-${k}`, k < 2 ? { 'app-1': 'scale-1' } : { 'app-2': 'scale-2' }));
    const both: ('Ingress' | 'Egress')[] = ['Ingress', 'Egress'];
    policies.push(policy(name, 'default-deny-all', sel(), both));
    policies.push(policy(name, 'np-1', sel({ 'app-1': 'scale-1' }), both, [rule([{ podSelector: sel({ 'app-1': 'scale-1' }), path: 'spec' }])]));
    policies.push(policy(name, 'np-2', sel({ 'app-2': 'scale-2' }), both, [rule([{ podSelector: sel({ 'app-2': 'scale-2' }), path: 'spec' }])]));
  }
  return { namespaces: nss, pods, policies };
}

/** B3b, after Antrea's TestInitXLargeScaleWithOneNamespace: 10k pods, 10k policies selecting all, ingress from all. */
export function b3b(n = 10_000): Cluster {
  const pods = Array.from({ length: n }, (_, i) => pod('one', `pod-${i}`, { 'app-1': 'scale-1' }));
  const policies = Array.from({ length: n }, (_, i) => policy('one', `np-${i}`, sel(), ['Ingress'], [rule([{ podSelector: sel(), path: 'spec' }])]));
  return { namespaces: [ns('one')], pods, policies };
}

const TIERS = ['web', 'web', 'api', 'api', 'db'] as const; // 40/40/20

/** B3d, ClusterLoader2 at 5k nodes: 50 namespaces x 3,000 pods from 328 Deployments each. */
export function b3d(namespaces = 50, seed = 4): Cluster {
  const r = rng(seed);
  const nss: Namespace[] = [ns('monitoring'), ns('kube-system')];
  const pods: Pod[] = [pod('monitoring', 'prometheus-0', { app: 'prometheus' }), pod('kube-system', 'coredns-0', { 'k8s-app': 'kube-dns' })];
  const policies: NetworkPolicy[] = [];
  const sizes = [...Array(3).fill(250), ...Array(25).fill(30), ...Array(300).fill(5)] as number[];
  for (let n = 0; n < namespaces; n++) {
    const name = `load-${n}`;
    nss.push(ns(name, { team: `team-${n % 20}` }));
    policies.push(policy(name, 'default-deny', sel(), ['Ingress', 'Egress']));
    sizes.forEach((replicas, d) => {
      const app = `deploy-${d}`;
      const tier = TIERS[Math.floor(r() * TIERS.length)]!;
      const team = `team-${Math.floor(r() * 20)}`;
      const hash = Math.floor(r() * 1e9).toString(36);
      for (let k = 0; k < replicas; k++) pods.push(pod(name, `${app}-${hash}-${k}`, { app, tier, team, 'pod-template-hash': hash }));
      policies.push(policy(name, app, sel({ app }), ['Ingress', 'Egress'],
        [rule([{ podSelector: sel({ tier }), path: 'spec' }]),
          rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'monitoring' }), path: 'spec' }], [port('TCP', 9090)])],
        [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }), path: 'spec' }], [port('UDP', 53), port('TCP', 53)]),
          rule([{ podSelector: sel({ tier: 'db' }), path: 'spec' }], [port('TCP', 5432)])]));
    });
  }
  return { namespaces: nss, pods, policies };
}

/** B4a, after NCA's semanticDiff-IpBlocks-different-topologies: 29 pods / 8 namespaces, four configs. */
export function b4aConfigs(): Cluster[] {
  const nss = Array.from({ length: 8 }, (_, i) => ns(`ns${i}`, { zone: i < 4 ? 'a' : 'b' }));
  const pods: Pod[] = [];
  for (let i = 0; i < 29; i++) pods.push(pod(`ns${i % 8}`, `pod${i}`, { app: `app${i % 6}`, role: i % 3 ? 'backend' : 'frontend' }, [`10.${i % 8}.0.${i * 2 + 1}`]));
  // 638 alternating /32s (every other address) plus a /8: defeats range merging.
  const alternating: Peer[] = Array.from({ length: 637 }, (_, i) => ({ ipBlock: { cidr: `10.${Math.floor(i / 100) % 8}.${Math.floor((i % 100) / 64)}.${((i % 100) % 64) * 2 + 1}/32`, except: [] }, path: 'spec' }));
  alternating.push({ ipBlock: { cidr: '172.0.0.0/8', except: ['172.16.0.0/12'] }, path: 'spec' });
  const base = [
    policy('ns0', 'frontends', sel({ role: 'frontend' }), ['Ingress'], [rule([{ namespaceSelector: sel(), path: 'spec' }], [port('TCP', 8080)])]),
    policy('ns1', 'backends', sel({ role: 'backend' }), ['Ingress', 'Egress'], [rule([{ namespaceSelector: sel({ zone: 'a' }), podSelector: sel({ role: 'frontend' }), path: 'spec' }])], [rule([])]),
  ];
  const heavy = policy('ns2', 'ipblock-heavy', sel(), ['Egress'], [], [rule(alternating, [port('TCP', 443), port('TCP', 8080)])]);
  const heavyIn = policy('ns3', 'ipblock-heavy-in', sel({ role: 'backend' }), ['Ingress'], [rule(alternating.filter((_, i) => i % 2 === 0))]);
  return [
    { namespaces: nss, pods, policies: base },
    { namespaces: nss, pods, policies: [...base, heavy] },
    { namespaces: nss, pods, policies: [...base, heavy, heavyIn] },
    { namespaces: nss, pods: pods.map((p, i) => (i % 5 === 0 ? { ...p, ips: [`10.${i % 8}.0.${i * 2 + 2}`] } : p)), policies: [...base, heavy, heavyIn] },
  ];
}

/** B4a scaled up: 10 policies x 5,000 CIDRs, each with an except list. */
export function b4aLarge(seed = 5): Cluster {
  const r = rng(seed);
  const [cfg] = b4aConfigs();
  const policies = [...cfg!.policies];
  for (let p = 0; p < 10; p++) {
    const peers: Peer[] = Array.from({ length: 5000 }, () => {
      const a = Math.floor(r() * 256), b = Math.floor(r() * 256);
      return { ipBlock: { cidr: `10.${a % 8}.${b}.0/24`, except: [`10.${a % 8}.${b}.${Math.floor(r() * 64) * 4}/30`] }, path: 'spec' };
    });
    policies.push(policy(`ns${p % 8}`, `cidrs-${p}`, sel({ app: `app${p % 6}` }), p % 2 ? ['Egress'] : ['Ingress'], p % 2 ? [] : [rule(peers, [port('TCP', 443)])], p % 2 ? [rule(peers, [port('TCP', 443)])] : []));
  }
  return { ...cfg!, policies };
}

/**
 * B3T (issue 11): B3d's shape at 10,000 pods (10 namespaces x 40 Deployments x 25 replicas, 410
 * NetworkPolicies), optionally with 1,000 ClusterNetworkPolicies: per Deployment an Admin policy
 * (ingress Deny from other teams on 5432, Pass from web pods; egress Accept to DNS) and a
 * Baseline policy (ingress Accept from api pods; egress Deny to one other team), and 200
 * namespace-wide Admin policies (Deny from one team on 9090). Priorities are distinct per tier.
 */
export function b3t(withTiers: boolean, seed = 11): Cluster {
  const r = rng(seed);
  const nss: Namespace[] = [ns('monitoring'), ns('kube-system')];
  const pods: Pod[] = [pod('monitoring', 'prometheus-0', { app: 'prometheus' }), pod('kube-system', 'coredns-0', { 'k8s-app': 'kube-dns' })];
  const policies: NetworkPolicy[] = [];
  const cps: ClusterPolicy[] = [];
  const cnp = (name: string, tier: 'Admin' | 'Baseline', priority: number, subject: ClusterPolicy['subject'], ingress: TierRule[], egress: TierRule[]): ClusterPolicy =>
    ({ kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', name, tier, priority, subject, ingress, egress });
  const trule = (action: TierRule['action'], peers: TierRule['peers'], ports: PolicyPort[] = []): TierRule => ({ action, actionWritten: action, peers, ports, path: 'spec' });
  const nsSel = (name: string) => sel({ 'kubernetes.io/metadata.name': name });
  let admin = 0, baseline = 0;
  for (let n = 0; n < 10; n++) {
    const name = `load-${n}`, team = `team-${n % 5}`;
    nss.push(ns(name, { team }));
    policies.push(policy(name, 'default-deny', sel(), ['Ingress', 'Egress']));
    for (let d = 0; d < 40; d++) {
      const app = `deploy-${d}`;
      const tier = TIERS[Math.floor(r() * TIERS.length)]!;
      const hash = Math.floor(r() * 1e9).toString(36);
      for (let k = 0; k < 25; k++) pods.push(pod(name, `${app}-${hash}-${k}`, { app, tier, team, 'pod-template-hash': hash }));
      policies.push(policy(name, app, sel({ app }), ['Ingress', 'Egress'],
        [rule([{ podSelector: sel({ tier }), path: 'spec' }]),
          rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'monitoring' }), path: 'spec' }], [port('TCP', 9090)])],
        [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }), path: 'spec' }], [port('UDP', 53), port('TCP', 53)]),
          rule([{ podSelector: sel({ tier: 'db' }), path: 'spec' }], [port('TCP', 5432)])]));
      if (!withTiers) continue;
      const subject = { pods: { namespaceSelector: nsSel(name), podSelector: sel({ app }) } };
      const other = `team-${(n + 1 + Math.floor(r() * 4)) % 5}`;
      cps.push(cnp(`${name}-${app}-admin`, 'Admin', admin++, subject,
        [trule('Deny', [{ kind: 'namespaces', namespaceSelector: sel({ team: other }), path: 'spec' }], [port('TCP', 5432)]),
          trule('Pass', [{ kind: 'pods', namespaceSelector: nsSel(name), podSelector: sel({ tier: 'web' }), path: 'spec' }])],
        [trule('Accept', [{ kind: 'pods', namespaceSelector: nsSel('kube-system'), podSelector: sel({ 'k8s-app': 'kube-dns' }), path: 'spec' }], [port('UDP', 53)])]));
      cps.push(cnp(`${name}-${app}-baseline`, 'Baseline', baseline++, subject,
        [trule('Accept', [{ kind: 'pods', namespaceSelector: sel(), podSelector: sel({ tier: 'api' }), path: 'spec' }])],
        [trule('Deny', [{ kind: 'namespaces', namespaceSelector: sel({ team: other }), path: 'spec' }])]));
    }
    if (withTiers) for (let k = 0; k < 20; k++) {
      cps.push(cnp(`${name}-guard-${k}`, 'Admin', admin++, { namespaces: nsSel(name) },
        [trule('Deny', [{ kind: 'pods', namespaceSelector: sel({ team: `team-${k % 5}` }), podSelector: sel({ tier: TIERS[k % TIERS.length]! }), path: 'spec' }], [port('TCP', 9090)])], []));
    }
  }
  return withTiers ? { namespaces: nss, pods, policies, clusterPolicies: cps } : { namespaces: nss, pods, policies };
}
