// Egress isolation without a DNS allowance: name lookups fail and the app breaks in odd ways.
// The DNS servers are the input's DNS pods or, when it has none, stand-ins for the usual forms
// (kubeadm/GKE/EKS kube-dns, the CoreDNS chart, OpenShift DNS), plus NodeLocal DNSCache's
// link-local address when a policy names one. Connections are judged by the Evaluator under the chosen ipBlock mode;
// a DNS pod whose IP the input does not give is tried at one address per ipBlock region, so an
// egress rule to 0.0.0.0/0 on port 53 counts as reaching DNS wherever the DNS pods live.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { Evaluator, type Endpoint } from '../../../evaluate/evaluate.js';
import { triOr, type Tri } from '../../../match/tri.js';
import { NAMESPACE_NAME_LABEL, podId, type Cluster, type Labels, type Namespace, type NetworkPolicy, type Pod } from '../../../model/types.js';
import { parseCidr, rangeContains } from '../../../net/ip.js';
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
    const ev = new Evaluator(world.cluster, { ipBlockPods: ctx.ipBlockPods });
    const regions = externalRegions(ctx.cluster.policies).map((r) => r.ip);
    const verdicts = new Map<Pod, Reach>();
    // NodeLocal DNSCache counts only when a policy names a link-local block: 0.0.0.0/0 also covers
    // 169.254.20.10, but says nothing about whether the cluster runs NodeLocal DNS.
    const nodeLocal = [...ctx.peers()].some(({ peer }) => {
      const r = peer.ipBlock && parseCidr(peer.ipBlock.cidr);
      return r !== undefined && rangeContains(LINK_LOCAL, { family: r.family, value: r.first }) && rangeContains(LINK_LOCAL, { family: r.family, value: r.last });
    });
    for (const pod of ctx.cluster.pods) {
      if (world.servers.includes(pod) || ev.isolatingPolicies(pod, 'egress').length === 0) continue;
      const tries = world.servers.map((s) => reach(ev, pod, s, regions));
      if (nodeLocal) {
        const local = ev.evaluate({ from: { kind: 'pod', pod }, to: { kind: 'ip', ip: NODE_LOCAL_DNS }, port: 53, protocol: 'UDP' }).egress;
        tries.push(local.allowed === 'depends' ? { allowed: 'depends', reason: local.reason } : { allowed: local.allowed });
      }
      const allowed = tries.reduce<Tri>((a, t) => triOr(a, t.allowed), false);
      if (allowed !== true) verdicts.set(pod, { allowed, reason: tries.find((t) => t.allowed === 'depends')?.reason });
    }
    const servers = world.servers.slice(0, world.standIn ? 1 : 3).map(podId).join(', ') + (world.standIn ? ', a stand-in: the input has no DNS pod' : '');
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
          `isolates egress of ${blocked.map(podId).join(', ')}, and no policy lets ${blocked.length === 1 ? 'it' : 'them'} reach DNS (${servers}${nodeLocal ? `, or NodeLocal DNS ${NODE_LOCAL_DNS}` : ''}, on UDP 53)${mode}: name lookups will fail`,
          hint, { fix }));
      }
      const unsure = pods.filter((x) => verdicts.get(x)!.allowed === 'depends');
      if (unsure.length) {
        out.push(ctx.finding(this, p, path,
          `isolates egress of ${unsure.map(podId).join(', ')}; whether ${unsure.length === 1 ? 'it' : 'they'} can reach DNS (${servers}) on UDP 53 depends${mode}: ${verdicts.get(unsure[0]!)!.reason}`,
          hint, { severity: 'info', fix }));
      }
    }
    return out;
  },
};
