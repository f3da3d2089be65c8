// A small model for the nftables tests, built directly as a model (no YAML on the way).
import type { Cluster, LabelSelector } from '../../src/index.js';

const sel = (matchLabels: Record<string, string> = {}): LabelSelector => ({ matchLabels, matchExpressions: [] });
const ns = (name: string) => ({ kind: 'Namespace' as const, name, labels: { 'kubernetes.io/metadata.name': name }, implicit: false });

/** app/web -> app/db on 5432; 10.0.0.0/8 except 10.1.0.0/16 and 10.2.0.0/24 -> db on 5432-5440; web egress DNS + named port. */
export const SMALL: Cluster = {
  namespaces: [ns('app'), ns('ops')],
  pods: [
    { kind: 'Pod', name: 'web', namespace: 'app', labels: { role: 'web' }, ips: ['10.1.0.1'], ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], hostNetwork: false },
    { kind: 'Pod', name: 'db', namespace: 'app', labels: { role: 'db' }, ips: ['10.1.0.2'], ports: [{ containerPort: 5432, protocol: 'TCP' }], hostNetwork: false },
    { kind: 'Pod', name: 'mon', namespace: 'ops', labels: { role: 'mon' }, ips: ['10.2.0.1'], ports: [], hostNetwork: false },
  ],
  policies: [
    {
      kind: 'NetworkPolicy', name: 'db-in', namespace: 'app', podSelector: sel({ role: 'db' }), policyTypes: ['Ingress'], policyTypesDefaulted: true, egress: [],
      ingress: [
        { path: 'spec.ingress[0]', peers: [{ path: 'spec.ingress[0].from[0]', podSelector: sel({ role: 'web' }) }], ports: [{ protocol: 'TCP', port: 5432, path: 'spec.ingress[0].ports[0]' }] },
        {
          path: 'spec.ingress[1]',
          peers: [{ path: 'spec.ingress[1].from[0]', ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/24'] } }],
          ports: [{ protocol: 'TCP', port: 5432, endPort: 5440, path: 'spec.ingress[1].ports[0]' }],
        },
      ],
    },
    {
      kind: 'NetworkPolicy', name: 'web-eg', namespace: 'app', podSelector: sel({ role: 'web' }), policyTypes: ['Egress'], policyTypesDefaulted: false, ingress: [],
      egress: [
        { path: 'spec.egress[0]', peers: [{ path: 'spec.egress[0].to[0]', namespaceSelector: sel() }], ports: [{ protocol: 'UDP', port: 53, path: 'spec.egress[0].ports[0]' }] },
        { path: 'spec.egress[1]', peers: [], ports: [{ protocol: 'TCP', port: 'http', path: 'spec.egress[1].ports[0]' }] },
      ],
    },
  ],
};
