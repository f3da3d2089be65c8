// Egress isolation without a DNS allowance: name lookups fail and the app breaks in odd ways.
// The DNS server is the input's kube-dns pod (k8s-app=kube-dns) or, when the input has none, a
// stand-in kube-system/coredns with the labels kubeadm and most distributions use.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { Evaluator } from '../../../evaluate/evaluate.js';
import { NAMESPACE_NAME_LABEL, podId, type Cluster, type Namespace, type Pod } from '../../../model/types.js';
import type { LintRule } from '../context.js';

function dnsWorld(cluster: Cluster): { cluster: Cluster; dns: Pod[] } {
  const dns = cluster.pods.filter((p) => p.labels['k8s-app'] === 'kube-dns');
  if (dns.length) return { cluster, dns };
  const ns: Namespace = cluster.namespaces.find((n) => n.name === 'kube-system')
    ?? { kind: 'Namespace', name: 'kube-system', labels: { [NAMESPACE_NAME_LABEL]: 'kube-system' }, implicit: true };
  const pod: Pod = { kind: 'Pod', name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ips: [], hostNetwork: false,
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] };
  const namespaces = cluster.namespaces.some((n) => n.name === 'kube-system') ? cluster.namespaces : [...cluster.namespaces, ns];
  return { cluster: { ...cluster, namespaces, pods: [...cluster.pods, pod] }, dns: [pod] };
}

export const egressBlocksDns: LintRule = {
  id: 'egress-blocks-dns',
  summary: 'egress isolation leaves selected pods no way to reach DNS (UDP 53)',
  check(ctx) {
    const out: Diagnostic[] = [];
    const world = dnsWorld(ctx.cluster);
    const ev = new Evaluator(world.cluster, { ipBlockPods: 'ignore' });
    const blocked = new Set<Pod>();
    for (const pod of ctx.cluster.pods) {
      if (pod.labels['k8s-app'] === 'kube-dns' || ev.isolatingPolicies(pod, 'egress').length === 0) continue;
      const ok = world.dns.some((dns) => ev.evaluate({ from: { kind: 'pod', pod }, to: { kind: 'pod', pod: dns }, port: 53, protocol: 'UDP' }).egress.allowed !== false);
      if (!ok) blocked.add(pod);
    }
    for (const p of ctx.cluster.policies) {
      if (!p.policyTypes.includes('Egress')) continue;
      const pods = ctx.selected(p).filter((x) => blocked.has(x));
      if (pods.length === 0) continue;
      out.push(ctx.finding(this.id, p, p.policyTypesDefaulted ? 'spec.egress' : 'spec.policyTypes',
        `isolates egress of ${pods.map(podId).join(', ')}, and no policy lets ${pods.length === 1 ? 'it' : 'them'} reach DNS (${world.dns.map(podId).join(', ')} on UDP 53): name lookups will fail`,
        'add an egress rule to namespaceSelector kubernetes.io/metadata.name=kube-system + podSelector k8s-app=kube-dns on UDP 53 and TCP 53 (in this policy or a namespace-wide one)'));
    }
    return out;
  },
};
