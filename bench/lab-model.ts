// The synthetic model of bench/lab.ts: 5 namespaces, N pods, 15 policies of the usual kinds.
const NS = 5;

/** NS namespaces, PODS pods (app=a..e, tier=front|back), policies of the usual kinds. */
export function labManifests(PODS: number, policySet: 'first' | 'second'): string {
  const docs: string[] = [];
  for (let n = 0; n < NS; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns${n}, labels: {team: t${n % 2}}}`);
  for (let i = 0; i < PODS; i++) {
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ns${i % NS}, labels: {app: ${'abcde'[i % 5]}, tier: ${i % 3 ? 'back' : 'front'}}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 80}, {name: dns, containerPort: 53, protocol: UDP}]}]}`);
  }
  for (let n = 0; n < NS; n++) {
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ns${n}}\nspec: {podSelector: {}, policyTypes: [Ingress]}`);
    const peer = policySet === 'first'
      ? `[{namespaceSelector: {matchLabels: {team: t${n % 2}}}, podSelector: {matchLabels: {tier: front}}}, {podSelector: {matchLabels: {app: a}}}]`
      : `[{namespaceSelector: {}, podSelector: {matchLabels: {app: b}}}, {ipBlock: {cidr: 10.123.0.0/16, except: [10.123.0.0/28]}}]`;
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow, namespace: ns${n}}
spec: {podSelector: {matchLabels: {tier: back}}, ingress: [{from: ${peer}, ports: [{port: http}, {protocol: UDP, port: 53}]}]}`);
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: egress, namespace: ns${n}}
spec: {podSelector: {matchLabels: {app: c}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {team: t0}}}], ports: [{port: 80, endPort: 90}]}]}`);
  }
  return docs.join('\n---\n');
}

