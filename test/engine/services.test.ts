// Services: loading with API-server defaulting, backing pods, Service port -> target port per
// backing pod (named ports may differ between pods; a pod without the name is reported), the
// combined verdict (true/false/partial/depends), and what is not evaluated (ExternalName, no
// selector, headless).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, type Endpoint } from '../../src/evaluate/evaluate.js';
import {
  backingOf, combineVerdicts, evaluateService, findServicePort, resolveServiceTarget, servicePortTargets, servicesByPod,
} from '../../src/evaluate/service.js';
import { loadSources } from '../../src/load/load.js';
import type { Cluster, Pod, Service } from '../../src/model/types.js';

const WORLD = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
---
apiVersion: v1
kind: Pod
metadata: {name: db-a, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: c, ports: [{name: sql, containerPort: 5432}, {name: metrics, containerPort: 9187}]}]
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: db-b, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: c, ports: [{name: sql, containerPort: 6432}]}]
status: {podIP: 10.0.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: db-c, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: c, ports: [{containerPort: 5432}, {name: sql, containerPort: 5432, protocol: UDP}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db-elsewhere, namespace: other, labels: {app: db}}
spec:
  containers: [{name: c, ports: [{name: sql, containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports:
  - {name: pg, port: 5432, targetPort: sql}
  - {name: metrics, port: 80, targetPort: 9187}
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: shop}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432, targetPort: sql}]
---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: shop}
spec:
  selector: {}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: shop}
spec:
  type: ExternalName
  externalName: billing.example.com
---
apiVersion: v1
kind: Service
metadata: {name: nobody, namespace: shop}
spec:
  selector: {app: gone}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: public, namespace: shop}
spec:
  type: NodePort
  selector: {app: db}
  ports: [{port: 5432, protocol: UDP, targetPort: sql}]
`;

// Only db-a (5432) is allowed in; everything else stays shut.
const POLICY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 5432}]
`;

function world(extra = ''): Cluster {
  const r = loadSources([{ file: 'w.yaml', text: WORLD + (extra ? `---\n${extra}` : '') }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.cluster;
}
const svc = (c: Cluster, name: string): Service => c.services!.find((s) => s.name === name)!;
const pod = (c: Cluster, name: string): Pod => c.pods.find((p) => p.name === name)!;
const client = (c: Cluster): Endpoint => ({ kind: 'pod', pod: pod(c, 'client') });
const ports = (c: Cluster, name: string, port: number | string) => {
  const s = svc(c, name);
  const sp = findServicePort(s, port);
  assert.ok(!('error' in sp));
  return servicePortTargets(c, s, sp).targets.map((t) => [t.end.kind === 'pod' ? t.end.pod.name : t.end.ip, t.port ?? (t as { problem: string }).problem]);
};

test('loading applies the API defaults: ClusterIP, TCP, targetPort = port, empty selector = none, NodePort -> Cluster policy', () => {
  const c = world();
  assert.deepEqual(c.services!.map((s) => `${s.namespace}/${s.name}`), ['shop/billing', 'shop/db', 'shop/headless', 'shop/manual', 'shop/nobody', 'shop/plain', 'shop/public']);
  const plain = svc(c, 'plain');
  assert.equal(plain.type, 'ClusterIP');
  assert.deepEqual(plain.ports, [{ port: 5432, targetPort: 5432, protocol: 'TCP' }]);
  assert.equal(svc(c, 'manual').selector, undefined);
  assert.equal(svc(c, 'headless').clusterIP, 'None');
  assert.equal(svc(c, 'public').externalTrafficPolicy, 'Cluster');
  assert.equal(svc(c, 'db').externalTrafficPolicy, undefined);
  assert.equal(svc(c, 'billing').externalName, 'billing.example.com');
});

test('backing pods: the selector over the pods of the Service namespace only', () => {
  const c = world();
  assert.deepEqual(backingOf(c, svc(c, 'db')).ends.map((e) => (e.kind === 'pod' ? e.pod.name : e.ip)), ['db-a', 'db-b', 'db-c']);
  assert.deepEqual(backingOf(c, svc(c, 'nobody')).ends, []);
});

test('a named targetPort resolves per pod and may differ; a pod without the name (for that protocol) is reported, not guessed', () => {
  const c = world();
  assert.deepEqual(ports(c, 'db', 'pg'), [
    ['db-a', 5432], ['db-b', 6432],
    ['db-c', 'declares no TCP container port named "sql", so it is no endpoint of this Service port'],
  ]);
  // The UDP Service port resolves db-c's UDP "sql" and not the TCP ones.
  assert.deepEqual(ports(c, 'public', 5432).map(([n, p]) => [n, typeof p === 'number' ? p : 'unresolved']), [['db-a', 'unresolved'], ['db-b', 'unresolved'], ['db-c', 5432]]);
});

test('a numbered targetPort is the same on every pod; Service port by number or name', () => {
  const c = world();
  assert.deepEqual(ports(c, 'db', 80), [['db-a', 9187], ['db-b', 9187], ['db-c', 9187]]);
  assert.deepEqual(ports(c, 'db', 'metrics'), ports(c, 'db', 80));
  assert.match((findServicePort(svc(c, 'db'), 81) as { error: string }).error, /has no port 81 \(its ports: pg 5432\/TCP → sql, metrics 80\/TCP → 9187\)/);
});

test('EndpointSlices (cluster input) decide the backing pods and numbers, which may differ per pod', () => {
  const c = world();
  const withSlices: Service = {
    ...svc(c, 'plain'),
    endpoints: [
      { pod: 'shop/db-a', addresses: ['10.0.0.2'], ports: [{ port: 5432, protocol: 'TCP' }] },
      { addresses: ['10.0.0.3'], ports: [{ port: 7000, protocol: 'TCP' }] }, // no targetRef: found by IP
      { addresses: ['192.0.2.9'], ports: [{ port: 5432, protocol: 'TCP' }] }, // outside: an address
    ],
  };
  const cc: Cluster = { ...c, services: c.services!.map((s) => (s.name === 'plain' ? withSlices : s)) };
  const t = servicePortTargets(cc, withSlices, withSlices.ports[0]!).targets;
  assert.deepEqual(t.map((x) => [x.end.kind === 'pod' ? x.end.pod.name : x.end.ip, x.port]), [['db-a', 5432], ['db-b', 7000], ['192.0.2.9', 5432]]);
  const v = evaluateService(new Evaluator(cc, { ipBlockPods: 'match' }), { kind: 'pod', pod: pod(c, 'client') }, withSlices, withSlices.ports[0]!);
  assert.deepEqual(v.endpoints.map((e) => [e.pod ?? e.address, e.port, e.allowed]), [['shop/db-a', 5432, true], ['shop/db-b', 7000, true], ['192.0.2.9', 5432, true]]);
});

test('the verdict is per backing pod on its resolved port: partial when some allow and some deny', () => {
  const c = world(POLICY);
  const s = svc(c, 'db');
  const v = evaluateService(new Evaluator(c), client(c), s, s.ports[0]!);
  assert.equal(v.service, 'svc:shop/db');
  assert.equal(v.allowed, 'partial');
  assert.deepEqual(v.endpoints.map((e) => [e.pod, e.port, e.allowed, e.trace.to, e.trace.port]), [
    ['shop/db-a', 5432, true, 'shop/db-a', 5432],
    ['shop/db-b', 6432, false, 'shop/db-b', 6432],
  ]);
  assert.deepEqual(v.unresolved?.map((u) => u.pod), ['shop/db-c']);
  // The same Service port without the policy: every endpoint allowed.
  const open = world();
  assert.equal(evaluateService(new Evaluator(open), client(open), svc(open, 'db'), svc(open, 'db').ports[0]!).allowed, true);
  // The metrics port: 9187 on every pod, which the policy does not open.
  assert.equal(evaluateService(new Evaluator(c), client(c), s, s.ports[1]!).allowed, false);
});

test('combineVerdicts: partial beats depends; depends when nothing decides otherwise; none = undefined', () => {
  assert.equal(combineVerdicts([true, true]), true);
  assert.equal(combineVerdicts([false]), false);
  assert.equal(combineVerdicts([true, false]), 'partial');
  assert.equal(combineVerdicts([true, 'depends', false]), 'partial');
  assert.equal(combineVerdicts([true, 'depends']), 'depends');
  assert.equal(combineVerdicts([false, 'depends']), 'depends');
  assert.equal(combineVerdicts([]), undefined);
});

test('depends: an endpoint whose verdict hinges on ipBlock vs pod IP (under --ipblock-pods depends)', () => {
  const ipblock = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: by-ip, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
`;
  const c = world(ipblock);
  const s = svc(c, 'plain');
  // client has no IP: whether 10.0.0.0/8 covers it is unknown, for every endpoint.
  const v = evaluateService(new Evaluator(c, { ipBlockPods: 'depends' }), client(c), s, s.ports[0]!);
  assert.equal(v.allowed, 'depends');
  assert.ok(v.endpoints.every((e) => e.allowed === 'depends' && e.trace.depends.length > 0));
  // Under match the same question is decided (pods without IP are not in the block).
  assert.equal(evaluateService(new Evaluator(c, { ipBlockPods: 'match' }), client(c), s, s.ports[0]!).allowed, false);
});

test('ExternalName and selector-less Services are not evaluated (depends, with why); no backing pod = refused (false)', () => {
  const c = world(POLICY);
  const ev = new Evaluator(c);
  const ext = svc(c, 'billing');
  const sp = { port: 443, targetPort: 443, protocol: 'TCP' as const };
  const e = evaluateService(ev, client(c), ext, sp);
  assert.equal(e.allowed, 'depends');
  assert.deepEqual(e.endpoints, []);
  assert.match(e.notes!.join(' '), /ExternalName Service \(billing\.example\.com\).*not evaluated/);
  const manual = evaluateService(ev, client(c), svc(c, 'manual'), svc(c, 'manual').ports[0]!);
  assert.equal(manual.allowed, 'depends');
  assert.match(manual.notes!.join(' '), /has no selector: its endpoints are managed by hand/);
  const nobody = evaluateService(ev, client(c), svc(c, 'nobody'), svc(c, 'nobody').ports[0]!);
  assert.equal(nobody.allowed, false);
  assert.match(nobody.notes!.join(' '), /no backing pod in the input .*refused/);
});

test('headless: evaluated on the target ports the endpoints publish, with a note that clients dial pods directly', () => {
  const c = world(POLICY);
  const h = svc(c, 'headless');
  const v = evaluateService(new Evaluator(c), client(c), h, h.ports[0]!);
  assert.equal(v.allowed, 'partial');
  assert.match(v.notes!.join(' '), /headless \(clusterIP: None\).*no port mapping/);
});

test('resolveServiceTarget: the svc: syntax, unknown Services and ports, protocol suffix', () => {
  const c = world();
  assert.equal(resolveServiceTarget(c, 'shop/db', '80'), undefined);
  assert.match((resolveServiceTarget(c, 'svc:shop', '80') as { error: string }).error, /write svc:<namespace>\/<name>/);
  assert.match((resolveServiceTarget(c, 'svc:shop/nope', '80') as { error: string }).error, /no Service "nope" in namespace "shop" \(Services there: billing, db/);
  assert.match((resolveServiceTarget(c, 'svc:shop/db', '5432/UDP') as { error: string }).error, /has no port 5432\/UDP/);
  const ok = resolveServiceTarget(c, 'svc:shop/public', '5432') as { servicePort: { protocol: string } };
  assert.equal(ok.servicePort.protocol, 'UDP'); // the only port 5432 is UDP: no protocol needed
  const named = resolveServiceTarget(c, 'svc:shop/db', 'pg/tcp') as { servicePort: { port: number } };
  assert.equal(named.servicePort.port, 5432);
});

test('servicesByPod: a pod is labelled with the Services it serves at least one port of', () => {
  const c = world();
  const by = servicesByPod(c);
  assert.deepEqual(by.get(pod(c, 'db-a')), ['svc:shop/db', 'svc:shop/headless', 'svc:shop/plain']);
  // db-c lacks TCP "sql" but serves db's numbered metrics port and plain's 5432; public's UDP sql too.
  assert.deepEqual(by.get(pod(c, 'db-c')), ['svc:shop/db', 'svc:shop/plain', 'svc:shop/public']);
  assert.equal(by.get(pod(c, 'db-elsewhere')), undefined);
  assert.equal(by.get(pod(c, 'client')), undefined);
});
