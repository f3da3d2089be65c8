// A generated cluster for the "500 pods" button and the performance test: namespaces of
// front/api/db/worker/cache tiers, a default-deny per namespace and allow rules between tiers.
import type { Source } from '../index.js';

const TIERS = [
  { app: 'front', port: 80 },
  { app: 'api', port: 5000 },
  { app: 'db', port: 3306 },
  { app: 'worker', port: 9000 },
  { app: 'cache', port: 6379 },
] as const;

export function generateCluster(namespaces = 10, replicas = 10): Source[] {
  const workloads: string[] = [];
  const policies: string[] = [];
  const nss: string[] = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    nss.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {team: "${n}", env: ${n % 2 ? 'staging' : 'prod'}}`);
    for (const t of TIERS) {
      workloads.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${t.app}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${t.app}}}
  template:
    metadata: {labels: {app: ${t.app}}}
    spec:
      containers:
      - {name: main, image: example/${t.app}, ports: [{containerPort: ${t.port}}]}`);
    }
    policies.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ${ns}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-from-anywhere, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {app: front}}
  ingress:
  - ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-front, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: front}}}]
    ports: [{port: 5000}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
    - podSelector: {matchLabels: {app: worker}}
    ports: [{port: 3306}]
  egress:
  - to: [{ipBlock: {cidr: 10.${n}.0.0/16}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cache-from-team, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {app: cache}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {env: ${n % 2 ? 'staging' : 'prod'}}}}]`);
  }
  return [
    { file: 'generated/namespaces.yaml', text: nss.join('\n---\n') + '\n' },
    { file: 'generated/workloads.yaml', text: workloads.join('\n---\n') + '\n' },
    { file: 'generated/policies.yaml', text: policies.join('\n---\n') + '\n' },
  ];
}
