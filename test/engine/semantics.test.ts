// Table-driven semantics, one row per rule of issue 2 "Semantics". Sources:
// D = https://kubernetes.io/docs/concepts/services-networking/network-policies/ (section named),
// T = k8s.io/api networking/v1 types.go field comments, L = labels concept page
// (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#set-based-requirement).
// Every row is checked on the Evaluator, on computeMatrix (pod pairs) and on the naive reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, type Endpoint } from '../../src/evaluate/evaluate.js';
import { loadSources } from '../../src/load/load.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import type { Cluster, Protocol } from '../../src/model/types.js';
import { referenceAllowed } from '../oracle/reference.js';

// x/a: dual-stack, http 80/TCP, dns 53/UDP, dns-tcp 53/TCP, serve 81/SCTP. x/b: http is 8080.
// x/c: no labels, no IP. y/a, y/b in namespace y. z/a: IPv6 only, namespace z is never declared.
const BASE = `
apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: "y", labels: {env: dev, team: blue}}  # quoted: YAML 1.1 reads a bare y as true
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a, tier: web}}
spec:
  containers:
  - name: c
    ports:
    - {name: http, containerPort: 80}
    - {name: dns, containerPort: 53, protocol: UDP}
    - {name: dns-tcp, containerPort: 53, protocol: TCP}
    - {name: serve, containerPort: 81, protocol: SCTP}
status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: x}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: "y", labels: {app: a}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 80}, {name: dns, containerPort: 53, protocol: UDP}]}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: "y", labels: {app: b, tier: db}}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: z, labels: {app: a, tier: db}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}
status: {podIP: "fd00::3"}
`;

function load(policies: string): Cluster {
  const r = loadSources([{ file: 'semantics.yaml', text: `${BASE}---\n${policies}` }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`), []);
  return r.cluster;
}

let serial = 0;
const np = (ns: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${++serial}, namespace: "${ns}"}\nspec:\n${spec.replace(/^\n/, '').replace(/^/gm, '  ')}\n---\n`;

type Row = [from: string, to: string, port: number, protocol: Protocol, allowed: boolean];
interface Case { name: string; policies: string; rows: Row[]; ipBlockPods?: 'match' | 'ignore' }

function endpoint(c: Cluster, s: string): Endpoint {
  if (!s.includes('/')) return { kind: 'ip', ip: s };
  const pod = c.pods.find((p) => `${p.namespace}/${p.name}` === s);
  assert.ok(pod, s);
  return { kind: 'pod', pod };
}

function check(k: Case): void {
  const c = load(k.policies);
  const mode = k.ipBlockPods ?? 'match';
  const ev = new Evaluator(c, { ipBlockPods: mode });
  for (const [from, to, port, protocol, want] of k.rows) {
    const f = endpoint(c, from);
    const t = endpoint(c, to);
    const label = `${from} -> ${to} ${port}/${protocol}`;
    assert.equal(ev.allowed({ from: f, to: t, port, protocol }), want, `Evaluator ${label}`);
    const ref = (e: Endpoint) => (e.kind === 'pod' ? e.pod : { ip: e.ip });
    assert.equal(referenceAllowed(c, ref(f), ref(t), port, protocol, { ipBlockPods: mode }), want, `reference ${label}`);
    if (f.kind === 'pod' && t.kind === 'pod') {
      const m = computeMatrix(c, [{ port, protocol }], { ipBlockPods: mode });
      const cell = m.probes[0]!.rows[m.pods.indexOf(from)]![m.pods.indexOf(to)];
      assert.equal(cell, want ? '1' : '0', `computeMatrix ${label}`);
    }
  }
}

const CASES: Case[] = [
  // --- Isolation ---
  { name: 'D "The two sorts of pod isolation": no policy, everything allowed (pods and external)', policies: '',
    rows: [['x/a', 'y/a', 80, 'TCP', true], ['8.8.8.8', 'x/a', 9, 'UDP', true], ['x/c', '8.8.8.8', 443, 'SCTP', true]] },
  { name: 'D isolation is per direction: an Ingress-only deny-all leaves egress open', policies: np('x', 'podSelector: {}\npolicyTypes: [Ingress]'),
    rows: [['y/a', 'x/a', 80, 'TCP', false], ['x/a', 'y/a', 80, 'TCP', true], ['x/a', '8.8.8.8', 53, 'UDP', true]] },
  { name: 'D isolation is per namespace: podSelector {} in x never selects pods of y', policies: np('x', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
    rows: [['y/b', 'y/a', 80, 'TCP', true], ['y/a', 'x/a', 80, 'TCP', false], ['x/b', 'y/a', 80, 'TCP', false]] },
  { name: 'T spec: {} defaults policyTypes to [Ingress] = default-deny ingress (D "Default deny all ingress traffic")', policies: np('x', 'podSelector: {}'),
    rows: [['x/b', 'x/a', 80, 'TCP', false], ['x/a', 'x/b', 8080, 'TCP', false], ['x/a', 'y/a', 80, 'TCP', true]] },
  { name: 'T policyTypes defaulting: egress rules present -> Egress too; explicit [Egress] makes ingress rules dead', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\negress:\n- to: [{podSelector: {}}]') +
      np('y', 'podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\ningress: [{}]'),
    rows: [['x/a', 'y/a', 80, 'TCP', false], ['x/a', 'x/b', 8080, 'TCP', true], ['x/b', 'x/a', 80, 'TCP', false],
      ['y/b', 'y/a', 80, 'TCP', true], ['y/a', 'y/b', 80, 'TCP', false]] },
  { name: 'D "Default deny all egress traffic": policyTypes [Egress] without rules', policies: np('x', 'podSelector: {}\npolicyTypes: [Egress]'),
    rows: [['x/a', 'x/b', 8080, 'TCP', false], ['x/a', '8.8.8.8', 53, 'UDP', false], ['y/a', 'x/a', 80, 'TCP', true]] },
  { name: 'D policies are additive: two policies selecting x/a each add an allow', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress:\n- from: [{podSelector: {matchLabels: {app: b}}}]\n  ports: [{port: 80}]') +
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {env: dev}}}]\n  ports: [{port: 53, protocol: UDP}]'),
    rows: [['x/b', 'x/a', 80, 'TCP', true], ['y/a', 'x/a', 53, 'UDP', true], ['y/a', 'x/a', 80, 'TCP', false], ['x/b', 'x/a', 53, 'UDP', false]] },
  { name: 'D egress at the source AND ingress at the destination are both required', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress: [{to: [{namespaceSelector: {}}]}]') +
      np('y', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{podSelector: {}}]}]'),
    rows: [['x/a', 'y/a', 80, 'TCP', false], ['y/b', 'y/a', 80, 'TCP', true], ['x/a', 'y/b', 80, 'TCP', true], ['x/a', '8.8.8.8', 80, 'TCP', false]] },
  { name: 'D overview: a pod can always reach itself, even under deny-all', policies: np('x', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
    rows: [['x/a', 'x/a', 80, 'TCP', true], ['x/c', 'x/c', 1, 'UDP', true]] },
  // --- Empty vs absent ---
  { name: 'T ingress absent/[] = no rules (deny); `- {}` = one rule allowing everything, external IPs too', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{}]') + np('x', 'podSelector: {matchLabels: {app: b}}\ningress: []'),
    rows: [['8.8.8.8', 'x/a', 1234, 'SCTP', true], ['y/a', 'x/a', 80, 'TCP', true], ['x/a', 'x/b', 8080, 'TCP', false], ['8.8.8.8', 'x/b', 8080, 'TCP', false]] },
  { name: 'T from: [] and absent from both match all sources, including external IPs', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [], ports: [{port: 80}]}]') +
      np('x', 'podSelector: {matchLabels: {app: b}}\ningress: [{ports: [{port: 8080}]}]'),
    rows: [['192.0.2.1', 'x/a', 80, 'TCP', true], ['z/a', 'x/a', 80, 'TCP', true], ['x/a', 'x/b', 8080, 'TCP', true], ['192.0.2.1', 'x/b', 8080, 'TCP', true], ['y/a', 'x/a', 81, 'TCP', false]] },
  { name: 'T ports: [] and absent ports both match every port and protocol', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{podSelector: {}}], ports: []}]') +
      np('x', 'podSelector: {matchLabels: {app: b}}\ningress: [{from: [{podSelector: {}}]}]'),
    rows: [['x/b', 'x/a', 65535, 'SCTP', true], ['x/c', 'x/a', 53, 'UDP', true], ['x/a', 'x/b', 1, 'TCP', true], ['y/a', 'x/b', 1, 'TCP', false]] },
  { name: 'T to: [] in egress matches every destination, external included', policies: np('x', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [], ports: [{port: 443}]}]'),
    rows: [['x/a', '8.8.8.8', 443, 'TCP', true], ['x/a', 'y/a', 443, 'TCP', true], ['x/a', '8.8.8.8', 80, 'TCP', false]] },
  // --- Selectors ---
  { name: 'D podSelector {} peer = every pod of the policy namespace only (not other namespaces, not external)', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{podSelector: {}}]}]'),
    rows: [['x/b', 'x/a', 80, 'TCP', true], ['x/c', 'x/a', 80, 'TCP', true], ['y/a', 'x/a', 80, 'TCP', false], ['10.0.0.2', 'x/a', 80, 'TCP', false]] },
  { name: 'T namespaceSelector {} = every pod in every namespace (implicit z too) but not external IPs', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {}}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['z/a', 'x/a', 80, 'TCP', true], ['x/b', 'x/a', 80, 'TCP', true], ['8.8.8.8', 'x/a', 80, 'TCP', false]] },
  { name: 'D podSelector {} + namespaceSelector {} in one peer = all pods everywhere, still no external IPs', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {}}]}]'),
    rows: [['z/a', 'x/a', 80, 'TCP', true], ['y/b', 'x/a', 80, 'TCP', true], ['192.0.2.9', 'x/a', 80, 'TCP', false]] },
  { name: 'D "Behavior of to and from selectors": namespaceSelector AND podSelector in one peer', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}, podSelector: {matchLabels: {app: a}}}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['y/b', 'x/a', 80, 'TCP', false], ['z/a', 'x/a', 80, 'TCP', false], ['x/b', 'x/a', 80, 'TCP', false]] },
  { name: 'D "Behavior of to and from selectors": the same selectors as two peers are ORed', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}}, {podSelector: {matchLabels: {app: a}}}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['y/b', 'x/a', 80, 'TCP', true], ['z/a', 'x/a', 80, 'TCP', false], ['x/b', 'x/a', 80, 'TCP', false]] },
  { name: 'D "Targeting a Namespace by its name": kubernetes.io/metadata.name exists on declared and implicit namespaces', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}}]}]'),
    rows: [['z/a', 'x/a', 80, 'TCP', true], ['y/a', 'x/a', 80, 'TCP', false]] },
  { name: 'L matchExpressions In', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: tier, operator: In, values: [db, cache]}]}}]}]'),
    rows: [['y/b', 'x/a', 80, 'TCP', true], ['z/a', 'x/a', 80, 'TCP', true], ['y/a', 'x/a', 80, 'TCP', false]] },
  { name: 'L matchExpressions NotIn matches pods without the key', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['x/c', 'x/a', 80, 'TCP', true], ['y/b', 'x/a', 80, 'TCP', false], ['z/a', 'x/a', 80, 'TCP', false]] },
  { name: 'L matchExpressions Exists', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['x/b', 'x/a', 80, 'TCP', false], ['z/a', 'x/a', 80, 'TCP', false]] },
  { name: 'L matchExpressions DoesNotExist (namespaces without the key, implicit ones included)', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}}]}]'),
    rows: [['x/b', 'x/a', 80, 'TCP', true], ['z/a', 'x/a', 80, 'TCP', true], ['y/a', 'x/a', 80, 'TCP', false]] },
  { name: 'L matchLabels and matchExpressions are ANDed; spec.podSelector with expressions', policies:
      np('x', 'podSelector: {matchLabels: {app: a}, matchExpressions: [{key: tier, operator: In, values: [web]}]}\ningress: []'),
    rows: [['x/b', 'x/a', 80, 'TCP', false], ['x/a', 'x/b', 8080, 'TCP', true]] },
  // --- ipBlock ---
  { name: 'D "ipBlock": except carves holes, for external IPs', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{ipBlock: {cidr: 172.16.0.0/16, except: [172.16.1.0/24]}}]}]'),
    rows: [['172.16.0.5', 'x/a', 80, 'TCP', true], ['172.16.1.5', 'x/a', 80, 'TCP', false], ['172.17.0.1', 'x/a', 80, 'TCP', false]] },
  { name: 'D "ipBlock" IPv6 with except; 0.0.0.0/0 does not cover IPv6 addresses', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}}, {ipBlock: {cidr: 0.0.0.0/0}}]}]'),
    rows: [['2001:db8::1', 'x/a', 80, 'TCP', true], ['2001:db8:1::1', 'x/a', 80, 'TCP', false], ['2001:db9::1', 'x/a', 80, 'TCP', false], ['203.0.113.7', 'x/a', 80, 'TCP', true]] },
  { name: 'E "should allow egress access to server in CIDR block": ipBlock matches pod IPs (match mode); except excludes them', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.2/32]}}, {ipBlock: {cidr: "fd00::/64"}}]}]'),
    rows: [['x/a', 'y/a', 80, 'TCP', true], ['x/a', 'y/b', 80, 'TCP', false], ['x/a', 'x/b', 8080, 'TCP', true], ['x/a', 'z/a', 80, 'TCP', true], ['x/a', 'x/c', 80, 'TCP', false], ['x/a', '10.0.200.1', 80, 'TCP', true]] },
  { name: 'D ipBlock vs pod IPs is plugin-defined: in ignore mode ipBlocks match external IPs only', ipBlockPods: 'ignore', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]'),
    rows: [['x/a', 'y/a', 80, 'TCP', false], ['x/a', '10.9.9.9', 80, 'TCP', true]] },
  { name: 'ipBlock on a dual-stack pod: either of its IPs may match (ingress from x/a via its IPv6 address)', policies:
      np('y', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{ipBlock: {cidr: "fd00::1/128"}}]}]'),
    rows: [['x/a', 'y/a', 80, 'TCP', true], ['x/b', 'y/a', 80, 'TCP', false]] },
  // --- Ports ---
  { name: 'T numeric port matches only that port; protocol defaults to TCP (defaults.go)', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{ports: [{port: 53}]}]'),
    rows: [['y/a', 'x/a', 53, 'TCP', true], ['y/a', 'x/a', 53, 'UDP', false], ['y/a', 'x/a', 54, 'TCP', false]] },
  { name: 'T a port entry with only a protocol matches every port of that protocol', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{ports: [{protocol: UDP}]}]'),
    rows: [['y/a', 'x/a', 1, 'UDP', true], ['y/a', 'x/a', 65535, 'UDP', true], ['y/a', 'x/a', 53, 'TCP', false], ['y/a', 'x/a', 81, 'SCTP', false]] },
  { name: 'D "Targeting a range of ports": endPort is inclusive, per protocol', policies: np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{ports: [{protocol: SCTP, port: 32000, endPort: 32768}]}]'),
    rows: [['y/a', 'x/a', 32000, 'SCTP', true], ['y/a', 'x/a', 32768, 'SCTP', true], ['y/a', 'x/a', 32769, 'SCTP', false], ['y/a', 'x/a', 31999, 'SCTP', false], ['y/a', 'x/a', 32000, 'TCP', false]] },
  { name: 'T named port on ingress resolves on the selected (destination) pod, per protocol', policies:
      np('x', 'podSelector: {}\ningress: [{ports: [{port: http}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['y/a', 'x/b', 8080, 'TCP', true], ['y/a', 'x/b', 80, 'TCP', false], ['y/a', 'x/a', 8080, 'TCP', false], ['y/a', 'x/c', 80, 'TCP', false]] },
  { name: 'named port "dns" defaults to TCP, and x/a names UDP 53 "dns": TCP 53 is "dns-tcp", so nothing matches', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{ports: [{port: dns}]}]'),
    rows: [['y/a', 'x/a', 53, 'UDP', false], ['y/a', 'x/a', 53, 'TCP', false]] },
  { name: 'named port with the right protocol matches (dns/UDP); same name on another protocol does not', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{ports: [{port: dns, protocol: UDP}, {port: serve, protocol: SCTP}]}]'),
    rows: [['y/a', 'x/a', 53, 'UDP', true], ['y/a', 'x/a', 81, 'SCTP', true], ['y/a', 'x/a', 81, 'TCP', false], ['y/a', 'x/a', 53, 'TCP', false]] },
  { name: 'T named port on egress resolves on the destination pod; an external IP has no named ports', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress: [{ports: [{port: http}, {port: dns, protocol: UDP}]}]'),
    rows: [['x/a', 'y/a', 80, 'TCP', true], ['x/a', 'x/b', 8080, 'TCP', true], ['x/a', 'x/b', 80, 'TCP', false], ['x/a', 'y/a', 53, 'UDP', true], ['x/a', '8.8.8.8', 53, 'UDP', false], ['x/a', '8.8.8.8', 80, 'TCP', false]] },
  { name: 'T a rule needs its ports AND its peers: peer matches but port does not', policies:
      np('x', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}}], ports: [{port: 80}]}, {from: [{podSelector: {}}], ports: [{port: 81, protocol: SCTP}]}]'),
    rows: [['y/a', 'x/a', 80, 'TCP', true], ['y/a', 'x/a', 81, 'SCTP', false], ['x/b', 'x/a', 81, 'SCTP', true], ['x/b', 'x/a', 80, 'TCP', false]] },
];

for (const k of CASES) test(k.name, () => check(k));

test('the table covers every semantic bullet with both outcomes', () => {
  const rows = CASES.flatMap((k) => k.rows);
  assert.ok(CASES.length >= 30);
  assert.ok(rows.filter((r) => r[4]).length > 40 && rows.filter((r) => !r[4]).length > 40);
});

// --- Traces: what the query explains -----------------------------------------------------------

test('a pod without an IP against an ipBlock: match mode says no and explains; depends mode says depends', () => {
  const c = load(np('y', 'podSelector: {matchLabels: {app: a}}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]'));
  const xc = c.pods.find((p) => p.namespace === 'x' && p.name === 'c')!;
  const ya = c.pods.find((p) => p.namespace === 'y' && p.name === 'a')!;
  const conn = { from: { kind: 'pod' as const, pod: xc }, to: { kind: 'pod' as const, pod: ya }, port: 80, protocol: 'TCP' as const };
  const match = new Evaluator(c, { ipBlockPods: 'match' }).evaluate(conn);
  assert.equal(match.verdict, 'deny');
  assert.match(match.ingress.policies[0]!.rules[0]!.why, /x\/c has no IP in the manifests, so ipBlock 10\.0\.0\.0\/8 cannot match it/);
  // The match verdict is not certain, and says why.
  assert.equal(match.depends.length, 1);
  assert.match(match.depends[0]!.reason, /^ingress at y\/a: y\/p\d+ spec\.ingress\[0\]: peer 0: pod x\/c has no IP in the manifests/);
  const depends = new Evaluator(c, { ipBlockPods: 'depends' }).evaluate(conn);
  assert.equal(depends.verdict, 'depends');
  assert.equal(depends.allowed, 'depends');
  assert.deepEqual(depends.depends, match.depends);
  assert.match(depends.ingress.reason, /it depends: .*has no IP/);
  // A pod with an IP in the block: depends mode still says depends (plugins differ), match says allow.
  const xa = c.pods.find((p) => p.namespace === 'x' && p.name === 'a')!;
  const c2 = { ...conn, from: { kind: 'pod' as const, pod: xa } };
  assert.equal(new Evaluator(c, { ipBlockPods: 'match' }).evaluate(c2).verdict, 'allow');
  assert.equal(new Evaluator(c, { ipBlockPods: 'depends' }).evaluate(c2).verdict, 'depends');
});

test('hostNetwork on either end is never a certain verdict (D "hostNetwork pods": behaviour undefined)', () => {
  const c = load('');
  const xa = c.pods.find((p) => p.namespace === 'x' && p.name === 'a')!;
  const ya = c.pods.find((p) => p.namespace === 'y' && p.name === 'a')!;
  const host = { ...xa, hostNetwork: true };
  const cluster = { ...c, pods: c.pods.map((p) => (p === xa ? host : p)) };
  for (const [from, to] of [[ya, host], [host, ya]] as const) {
    const conn = { from: { kind: 'pod' as const, pod: from }, to: { kind: 'pod' as const, pod: to }, port: 80, protocol: 'TCP' as const };
    // Nothing is isolated: by labels it is an allow, but never a certain one.
    const m = new Evaluator(cluster).evaluate(conn);
    assert.deepEqual([m.allowed, m.verdict], [true, 'allow']);
    assert.equal(m.depends.length, 1);
    assert.match(m.depends[0]!.reason, /x\/a uses hostNetwork: NetworkPolicy behaviour for hostNetwork pods is undefined/);
    const d = new Evaluator(cluster, { ipBlockPods: 'depends' }).evaluate(conn);
    assert.deepEqual([d.allowed, d.verdict], ['depends', 'depends']);
  }
  // A hostNetwork pod to itself is still itself.
  const self = new Evaluator(cluster, { ipBlockPods: 'depends' }).evaluate({ from: { kind: 'pod', pod: host }, to: { kind: 'pod', pod: host }, port: 80, protocol: 'TCP' });
  assert.deepEqual([self.verdict, self.depends], ['allow', []]);
  // The matrix lists the same cells, and under 'depends' its rows drop them.
  const probe = [{ port: 80, protocol: 'TCP' as const }];
  const m = computeMatrix(cluster, probe);
  const i = m.pods.indexOf('x/a');
  const cells = m.depends.map((x) => `${x.from}>${x.to}`).sort();
  assert.deepEqual(cells, m.pods.filter((p) => p !== 'x/a').flatMap((p) => [`x/a>${p}`, `${p}>x/a`]).sort());
  assert.equal(m.probes[0]!.rows[i], '1'.repeat(m.pods.length));
  const dm = computeMatrix(cluster, probe, { ipBlockPods: 'depends' });
  assert.equal(dm.probes[0]!.rows[i], m.pods.map((_, j) => (j === i ? '1' : '0')).join(''));
});

test('trace: the allowing policy, rule path, peer and port entry are reported', () => {
  const c = load(np('x', 'podSelector: {matchLabels: {app: a}}\ningress:\n- from: [{podSelector: {matchLabels: {app: zz}}}, {namespaceSelector: {matchLabels: {env: dev}}}]\n  ports: [{port: 81, protocol: SCTP}, {port: 80}]'));
  const ya = c.pods.find((p) => p.namespace === 'y' && p.name === 'a')!;
  const xa = c.pods.find((p) => p.namespace === 'x' && p.name === 'a')!;
  const v = new Evaluator(c).evaluate({ from: { kind: 'pod', pod: ya }, to: { kind: 'pod', pod: xa }, port: 80, protocol: 'TCP' });
  assert.equal(v.verdict, 'allow');
  assert.equal(v.egress.isolated, false);
  assert.equal(v.ingress.isolated, true);
  const rule = v.ingress.policies[0]!.rules[0]!;
  assert.equal(rule.path, 'spec.ingress[0]');
  assert.equal(rule.peer, 1);
  assert.equal(rule.portEntry, 1);
  assert.ok(rule.line && rule.line > 50, `line ${rule.line}`);
  assert.equal(v.ingress.policies[0]!.file, 'semantics.yaml');
});
