import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCluster } from '../../src/analysis/explain/explain.js';
import { computeCoverage } from '../../src/analysis/coverage/coverage.js';
import { renderExplainText } from '../../src/render/explain.js';
import { load } from './helpers.js';

test('explain spells out AND inside a peer and OR between peers', () => {
  const [e] = explainCluster(load('examples/db-protection').cluster);
  assert.equal(e!.policy, 'prod/db-policy');
  assert.deepEqual(e!.pods, ['prod/db-0']);
  assert.deepEqual(e!.isolates, ['ingress', 'egress']);
  const ingress = e!.rules.find((r) => r.direction === 'ingress')!;
  assert.deepEqual(ingress.peers.map((p) => [p.text, p.pods]), [
    ['pods labelled app=api AND in namespaces labelled name=prod', ['prod/api-0']],
    ['addresses in 192.168.5.10/32', []],
  ]);
  assert.equal(ingress.ports, 'TCP 3306');
  const text = renderExplainText([e!]);
  assert.match(text, /from ANY ONE of these peers \(OR\):/);
  assert.match(text, /rule 1 \(spec\.ingress\[0\], line 16\): on TCP 3306/);
});

test('explain says when policyTypes makes rules dead, and the dash variant is two peers', () => {
  const broken = load('examples/db-protection/namespaces.yaml', 'examples/db-protection/workloads.yaml', 'examples/db-protection-broken/3-dash-makes-or.yaml');
  const [e] = explainCluster(broken.cluster);
  const peers = e!.rules[0]!.peers;
  assert.deepEqual(peers.map((p) => p.text), ["pods labelled app=api in namespace prod (the policy's own)", 'every pod in namespaces labelled name=prod']);
  assert.deepEqual(peers[1]!.pods, ['prod/api-0', 'prod/db-0', 'prod/web-0']);
});

test('coverage: isolation per direction and reach wider than deployed (db-protection)', () => {
  const c = computeCoverage(load('examples/db-protection').cluster);
  assert.deepEqual(c.isolation.ingress, { isolated: ['prod/db-0'], notIsolated: ['prod/api-0', 'prod/web-0', 'staging/api-0'] });
  const db = c.exposure.find((e) => e.pod === 'prod/db-0')!;
  assert.deepEqual([db.fromAnyNamespace, db.fromAnyPodInNamespace, db.fromExternal], [false, false, ['192.168.5.10/32']]);
  // Any future namespace labelled name=prod with an app=api pod reaches the DB: say which selector.
  assert.equal(db.wider.length, 1);
  assert.equal(db.wider[0]!.peer, 'spec.ingress[0].from[0]');
  assert.equal(db.wider[0]!.line, 18);
  assert.match(db.wider[0]!.example, /new namespace labelled name=prod.*pod labelled app=api/);
});

test('coverage on the multi-team example: the platform namespaces are the open ones', () => {
  const c = computeCoverage(load('examples/multi-team').cluster);
  assert.deepEqual(c.isolation.ingress.notIsolated, ['batch/reconciler-0', 'ingress-nginx/ingress-controller-0', 'kube-system/coredns-0', 'monitoring/prometheus-0']);
  assert.deepEqual(c.isolation.egress.isolated.filter((p) => p.startsWith('frontend/') || p.startsWith('orders/')).length, 5);
  const catalog = c.exposure.find((e) => e.pod === 'catalog/catalog-api-0')!;
  // namespaceSelector team in (web, orders): a new namespace of either team reaches catalog-api.
  assert.ok(catalog.wider.some((w) => w.policy === 'catalog/catalog' && /team in \(web,orders\)/.test(w.selector)), JSON.stringify(catalog.wider));
});
