// Egress isolation without a DNS allowance: name lookups fail and the app breaks in odd ways.
// The DNS servers are the input's DNS pods or, when it has none, stand-ins for the usual forms
// (kubeadm/GKE/EKS kube-dns, the CoreDNS chart, OpenShift DNS), plus NodeLocal DNSCache's
// link-local address when a policy names one. Connections are judged by the Evaluator under the chosen ipBlock mode;
// a DNS pod whose IP the input does not give is tried at one address per ipBlock region (that a
// pod could have), so egress to 0.0.0.0/0 on port 53 reaches DNS wherever the DNS pods live.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { Evaluator, type Endpoint } from '../../../evaluate/evaluate.js';
import { triOr, type Tri } from '../../../match/tri.js';
import { NAMESPACE_NAME_LABEL, podId, type Cluster, type Labels, type Namespace, type NetworkPolicy, type Pod } from '../../../model/types.js';
import { parseCidr, parseIp, rangeContains } from '../../../net/ip.js';
import { externalRegions } from '../../universe.js';
import type { LintContext, LintRule } from '../context.js';
import { editPolicy } from '../fix.js';

/** Labels DNS server pods carry in the usual distributions, with their namespace. */
const DNS_FORMS: readonly { namespace: string; labels: Labels }[] = [
  { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  { namespace: 'kube-system', labels: { 'k8s-app': 'coredns' } },
  { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'coredns' } },
  { namespace: 'openshift-dns', labels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
];
/** NodeLocal DNSCache listens here on every node (a usual `ipBlock: 169.254.20.10/32` rule). */
const NODE_LOCAL_DNS = '169.254.20.10';
const LINK_LOCAL = parseCidr('169.254.0.0/16')!;

const isDnsPod = (p: Pod): boolean =>
  DNS_FORMS.some((f) => Object.entries(f.labels).every(([k, v]) => p.labels[k] === v)) ||
  p.ports.some((c) => c.containerPort === 53 && c.protocol === 'UDP');

/** Ranges no pod IP comes from (so `except: [169.254.169.254/32]` does not make DNS "depend"). */
const NOT_POD_TEXT = ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4', '::/128', '::1/128', 'fe80::/10', 'ff00::/8'];
const NOT_POD = NOT_POD_TEXT.map((c) => parseCidr(c)!);
const podAddress = (ip: string): boolean => {
  const a = parseIp(ip);
  return a !== undefined && !NOT_POD.some((r) => rangeContains(r, a));
};

/**
 * Addresses to try for a DNS pod without a known IP: one per region cut by the policies'
 * ipBlocks and by NOT_POD (so each region is wholly pod-capable or not), pod-capable ones only.
 */
function candidateAddresses(policies: readonly NetworkPolicy[]): string[] {
  // Only the families the ipBlocks use: an IPv4-only input is not asked about IPv6 DNS pods.
  const families = new Set(externalRegions(policies).map((r) => parseIp(r.ip)!.family));
  if (families.size === 0) return [];
  const cuts: NetworkPolicy = { kind: 'NetworkPolicy', name: '', namespace: '', podSelector: { matchLabels: {}, matchExpressions: [] },
    policyTypes: [], policyTypesDefaulted: false, ingress: [], egress: [{ path: '', ports: [],
      peers: NOT_POD_TEXT.filter((c) => families.has(parseCidr(c)!.family)).map((cidr) => ({ path: '', ipBlock: { cidr, except: [] } })) }] };
  return externalRegions([...policies, cuts]).map((r) => r.ip).filter(podAddress);
}

interface DnsWorld {
  cluster: Cluster;
  /** DNS servers of the input, or the stand-ins. */
  servers: Pod[];
  standIn: boolean;
}

function dnsWorld(cluster: Cluster): DnsWorld {
  const servers = cluster.pods.filter(isDnsPod);
  if (servers.length) return { cluster, servers, standIn: false };
  const namespaces = [...cluster.namespaces];
  const pods: Pod[] = [];
  DNS_FORMS.forEach((f, i) => {
    if (!namespaces.some((n) => n.name === f.namespace)) {
      const ns: Namespace = { kind: 'Namespace', name: f.namespace, labels: { [NAMESPACE_NAME_LABEL]: f.namespace }, implicit: true };
      namespaces.push(ns);
    }
    pods.push({ kind: 'Pod', name: i === 0 ? 'coredns' : `dns-${i}`, namespace: f.namespace, labels: f.labels, ips: [], hostNetwork: false,
      ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] });
  });
  return { cluster: { ...cluster, namespaces, pods: [...cluster.pods, ...pods] }, servers: pods, standIn: true };
}

interface Reach {
  allowed: Tri;
  /** Why, when `allowed` is 'depends'. */
  reason?: string;
}

/** Can `pod` send UDP 53 to `server`? Unknown server IPs are tried in every ipBlock region. */
function reach(ev: Evaluator, pod: Pod, server: Pod, regions: readonly string[]): Reach {
  const egress = (to: Endpoint) => ev.evaluate({ from: { kind: 'pod', pod }, to, port: 53, protocol: 'UDP' }).egress;
  const direct = egress({ kind: 'pod', pod: server });
  if (direct.allowed === true || server.ips.length > 0 || regions.length === 0) {
    return direct.allowed === 'depends' ? { allowed: 'depends', reason: direct.reason } : { allowed: direct.allowed };
  }
  // No IP in the input: the verdict may hinge on where the server's IP falls.
  const tries = regions.map((ip) => ({ ip, t: egress({ kind: 'pod', pod: { ...server, ips: [ip] } }) }));
  const ok = tries.filter((x) => x.t.allowed !== false);
  if (ok.length === 0) return { allowed: false };
  if (ok.length === tries.length && ok.every((x) => x.t.allowed === true)) return { allowed: true };
  const maybe = ok.find((x) => x.t.allowed === 'depends');
  return {
    allowed: 'depends',
    reason: ok.length === tries.length && maybe ? maybe.t.reason
      : `the input gives no IP for ${podId(server)}, and egress on UDP 53 is allowed to some addresses only (e.g. ${ok[0]!.ip}, not ${tries.find((x) => x.t.allowed === false)!.ip})`,
  };
}

/** The rule the hint suggests, added to the policy: to the input's DNS pods, or to kube-dns. */
function dnsRuleFix(p: NetworkPolicy, world: DnsWorld) {
  const server = world.servers[0]!;
  const key = Object.keys(server.labels).find((k) => DNS_FORMS.some((f) => k in f.labels)) ?? Object.keys(server.labels)[0];
  const podSelector = { matchLabels: key ? { [key]: server.labels[key]! } : {}, matchExpressions: [] };
  const text = `namespaceSelector ${NAMESPACE_NAME_LABEL}=${server.namespace} + podSelector ${key ? `${key}=${server.labels[key]}` : '{}'}`;
  const fix = (c: Cluster) => editPolicy(c, p, (x) => {
    const path = `spec.egress[${x.egress.length}]`;
    return {
      ...x,
      egress: [...x.egress, {
        path,
        peers: [{ path: `${path}.to[0]`, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: server.namespace }, matchExpressions: [] }, podSelector }],
        ports: [{ protocol: 'UDP', port: 53, path: `${path}.ports[0]` }, { protocol: 'TCP', port: 53, path: `${path}.ports[1]` }],
      }],
    };
  });
  return { text, fix };
}

export const egressBlocksDns: LintRule = {
  id: 'egress-blocks-dns',
  summary: 'egress isolation leaves selected pods no way to reach DNS (UDP 53); decided under --ipblock-pods, info when it depends',
  severity: 'warning',
  check(ctx: LintContext) {
    const out: Diagnostic[] = [];
    const world = dnsWorld(ctx.cluster);
    const regions = candidateAddresses(ctx.cluster.policies);
    const verdicts = new Map<Pod, Reach>();
    // NodeLocal DNSCache counts only when a policy names a link-local block: 0.0.0.0/0 also covers
    // 169.254.20.10, but says nothing about whether the cluster runs NodeLocal DNS.
    const nodeLocal = [...ctx.peers()].some(({ peer }) => {
      const r = peer.ipBlock && parseCidr(peer.ipBlock.cidr);
      return r !== undefined && rangeContains(LINK_LOCAL, { family: r.family, value: r.first }) && rangeContains(LINK_LOCAL, { family: r.family, value: r.last });
    });
    // Only egress verdicts are read, and they depend only on the policies isolating the pod's
    // egress and on the namespaces of the two ends: an Evaluator of those policies answers as
    // the whole cluster's would, without scanning every policy of the namespace per question.
    const nsByName = new Map(world.cluster.namespaces.map((n) => [n.name, n]));
    const serverNs = [...new Set(world.servers.map((s) => s.namespace))];
    const evaluatorOf = (pod: Pod, isolating: NetworkPolicy[]) => new Evaluator({ ...world.cluster, pods: [], policies: isolating,
      namespaces: [...new Set([pod.namespace, ...serverNs])].flatMap((n) => nsByName.get(n) ?? []) }, { ipBlockPods: ctx.ipBlockPods });
    const dnsReach = (pod: Pod, isolating: NetworkPolicy[]): Reach => {
      const ev = evaluatorOf(pod, isolating);
      const tries = world.servers.map((s) => reach(ev, pod, s, regions));
      if (nodeLocal) {
        const local = ev.evaluate({ from: { kind: 'pod', pod }, to: { kind: 'ip', ip: NODE_LOCAL_DNS }, port: 53, protocol: 'UDP' }).egress;
        tries.push(local.allowed === 'depends' ? { allowed: 'depends', reason: local.reason } : { allowed: local.allowed });
      }
      return { allowed: tries.reduce<Tri>((a, t) => triOr(a, t.allowed), false), reason: tries.find((t) => t.allowed === 'depends')?.reason };
    };
    // A pod's egress verdicts depend only on the policies isolating it: evaluate once per set.
    const policyIndex = new Map(ctx.cluster.policies.map((p, i) => [p, i]));
    const bySet = new Map<string, Tri>();
    const isolatingOf = new Map<Pod, NetworkPolicy[]>();
    const servers0 = new Set(world.servers);
    for (const [index, pod] of ctx.cluster.pods.entries()) {
      if (servers0.has(pod)) continue;
      const isolating = ctx.isolating(index, 'egress');
      if (isolating.length === 0) continue;
      const key = isolating.map((p) => policyIndex.get(p)).join(',');
      let allowed = bySet.get(key);
      if (allowed === undefined) bySet.set(key, (allowed = dnsReach(pod, isolating).allowed));
      if (allowed !== true) {
        verdicts.set(pod, { allowed });
        isolatingOf.set(pod, isolating);
      }
    }
    // Stand-ins are named by the first (kube-system/coredns, k8s-app=kube-dns); docs/ANALYSIS.md lists the others.
    const servers = world.servers.slice(0, world.standIn ? 1 : 3).map(podId).join(', ') + (!world.standIn && world.servers.length > 3 ? ', …' : '');
    const mode = ctx.ipBlockPods === 'match' ? '' : ` (with --ipblock-pods ${ctx.ipBlockPods})`;
    for (const p of ctx.cluster.policies) {
      if (!p.policyTypes.includes('Egress')) continue;
      const pods = ctx.selected(p).filter((x) => verdicts.has(x));
      if (pods.length === 0) continue;
      const { text, fix } = dnsRuleFix(p, world);
      const hint = `add an egress rule to ${text} on UDP 53 and TCP 53 (in this policy or a namespace-wide one)`;
      const path = p.policyTypesDefaulted ? 'spec.egress' : 'spec.policyTypes';
      const blocked = pods.filter((x) => verdicts.get(x)!.allowed === false);
      if (blocked.length) {
        out.push(ctx.finding(this, p, path,
          `isolates egress of ${blocked.map(podId).join(', ')}, and no policy lets ${blocked.length === 1 ? 'it' : 'them'} reach DNS (${servers}${nodeLocal ? `, or NodeLocal DNS ${NODE_LOCAL_DNS}` : ''} on UDP 53)${mode}: name lookups will fail`,
          hint, { fix }));
      }
      const unsure = pods.filter((x) => verdicts.get(x)!.allowed === 'depends');
      if (unsure.length) {
        out.push(ctx.finding(this, p, path,
          `isolates egress of ${unsure.map(podId).join(', ')}; whether ${unsure.length === 1 ? 'it' : 'they'} can reach DNS (${servers}) on UDP 53 depends${mode}: ${dnsReach(unsure[0]!, isolatingOf.get(unsure[0]!)!).reason}`,
          hint, { severity: 'info', fix }));
      }
    }
    return out;
  },
};
