// The worker keeps its class engine between edits and patches it with what changed
// (src/web/engine-patch.ts). After every edit of a sequence, the analysis the page receives (and
// what the page asks next: depends, lint, a workload's pods) must equal a fresh analysis of the
// same files; the edits the engine cannot patch (tier policies, namespaces) must build afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, depends, engineHistory, expand, forget, lint, update, type Analysis } from '../../src/web/engine.js';
import { generateCluster } from '../../src/web/generate.js';
import type { Source } from '../../src/index.js';

const sans = (a: Analysis | { stale: true }) => {
  assert.ok(!('stale' in a), 'the engine refused an edit against the set it holds');
  return structuredClone({ ...a, ms: 0 });
};

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the manifests no longer contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

// Two pods of one ReplicaSet that differ in a label only the `canary` policy reads: while it
// exists the workload is split in two ends; without it a fresh engine lists them as one.
const CANARY = `apiVersion: v1
kind: Pod
metadata: {name: shop-abc-1, namespace: team-01, labels: {app: shop, track: stable, zone: a}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: shop-abc, uid: u1, controller: true}]}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: shop-abc-2, namespace: team-01, labels: {app: shop, track: canary, zone: a}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: shop-abc, uid: u1, controller: true}]}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: shop-abc-3, namespace: team-01, labels: {app: shop, track: canary, zone: b}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: shop-abc, uid: u1, controller: true}]}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
`;
const CANARY_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: canary, namespace: team-01}
spec:
  podSelector: {matchLabels: {track: canary}}
  ingress: [{from: [{podSelector: {matchLabels: {app: front}}}]}]
`;
// Reads `zone`: with it the shop workload is three parts, without it two.
const ZONE_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: zone-b, namespace: team-01}
spec:
  podSelector: {matchLabels: {zone: b}}
  ingress: [{from: [{podSelector: {matchLabels: {app: db}}}]}]
`;
const TIER = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: no-front}
spec:
  tier: Admin
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: front}}}}
  ingress: [{name: deny, action: Deny, from: [{namespaces: {}}]}]
`;

const BAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: team-01}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 70000}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: lone, namespace: team-03, labels: {app: lone}}
spec: {containers: [{name: c, image: i}]}
status: {podIP: 10.0.0.300}
`;

type Step = { name: string; files: Source[]; changed: Source[]; removed: string[]; engine: RegExp; sameGraph?: boolean };

function steps(): { first: Source[]; steps: Step[] } {
  let files: Source[] = generateCluster(4, 3);
  const first = files;
  const out: Step[] = [];
  const edit = (name: string, file: string, f: (t: string) => string, engine: RegExp) => {
    files = files.map((s) => (s.file === file ? { file, text: f(s.text) } : s));
    out.push({ name, files, changed: files.filter((s) => s.file === file), removed: [], engine });
  };
  const drop = (name: string, file: string, engine: RegExp) => {
    files = files.filter((s) => s.file !== file);
    out.push({ name, files, changed: [], removed: [file], engine });
  };
  const add = (name: string, file: string, text: string, engine: RegExp, sameGraph = false) => {
    files = [...files, { file, text }];
    out.push({ name, files, changed: files.slice(-1), removed: [], engine, sameGraph });
  };
  edit('policy port edited', 'generated/policies.yaml', (t) => replaceOnce(t, 'ports: [{port: 80}]', 'ports: [{port: 800}]'), /^patched$/);
  edit('policy peer edited', 'generated/policies.yaml', (t) => replaceOnce(t, 'from: [{podSelector: {matchLabels: {app: front}}}]', 'from: [{podSelector: {matchLabels: {app: worker}}}]'), /^patched$/);
  edit('policy removed', 'generated/policies.yaml', (t) => {
    const docs = t.split('\n---\n');
    const i = docs.findIndex((d) => d.includes('name: api-from-front, namespace: team-02'));
    assert.ok(i >= 0);
    return docs.filter((_, j) => j !== i).join('\n---\n');
  }, /^patched$/);
  edit('pod labels changed', 'generated/workloads.yaml', (t) => replaceOnce(t, 'selector: {matchLabels: {app: cache}}\n  template:\n    metadata: {labels: {app: cache}}', 'selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}'), /^patched$/);
  edit('replicas scaled', 'generated/workloads.yaml', (t) => replaceOnce(t, 'replicas: 3', 'replicas: 5'), /^patched$/);
  add('file with a policy added', 'extra.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-from-all, namespace: team-01}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{}]\n', /^patched$/);
  edit('policy reading a new label key (the engine rebuilds inside)', 'extra.yaml', (t) => replaceOnce(t, '{matchLabels: {app: db}}', '{matchExpressions: [{key: tier, operator: DoesNotExist}]}'), /^patched$/);
  drop('file with a policy removed', 'extra.yaml', /^patched$/);
  // Findings are found again on every edit (only clean documents are not checked again).
  add('an invalid policy and a pod with a warning added', 'bad.yaml', BAD, /^patched$/, true);
  edit('policy edited next to them', 'generated/policies.yaml', (t) => replaceOnce(t, 'ports: [{port: 5000}]', 'ports: [{port: 5001}]'), /^patched$/);
  // A workload whose pods differ in `track`: one end until a policy reads `track`, then split
  // (a fresh engine rechecks each split); once canary is gone the kept engine would still tell
  // `track` apart, so the fresh engine's list is the one kept.
  add('pods added', 'shop.yaml', CANARY, /^patched$/);
  add('a policy splitting a workload added', 'canary.yaml', CANARY_POLICY, /^fresh: a workload split by class, rechecked$/);
  edit('the splitting policy edited', 'canary.yaml', (t) => replaceOnce(t, '{app: front}', '{app: api}'), /^fresh: a workload split by class, rechecked$/);
  add('a policy splitting it further added', 'zone.yaml', ZONE_POLICY, /^fresh: a workload split by class, rechecked$/);
  drop('that policy removed (two parts again, not three)', 'zone.yaml', /^fresh: a workload split by class, rechecked; list recomputed$/);
  drop('file removed (the split workload joins again)', 'canary.yaml', /^fresh: a workload split by class, rechecked; list recomputed$/);
  drop('file removed: namespace labels gone', 'generated/namespaces.yaml', /^fresh: namespaces/);
  add('tier policy added', 'tiers.yaml', TIER, /^fresh: tier/);
  edit('policy edited with tiers present', 'generated/policies.yaml', (t) => replaceOnce(t, 'ports: [{port: 800}]', 'ports: [{port: 801}]'), /^fresh: tier/);
  drop('tier policy removed', 'tiers.yaml', /^fresh: tier/);
  edit('policy edited after the tiers went', 'generated/policies.yaml', (t) => replaceOnce(t, 'ports: [{port: 801}]', 'ports: [{port: 80}]'), /^patched$/);
  return { first, steps: out };
}

test('edits patched into the kept class engine give exactly a fresh analysis, depends, lint and pods', () => {
  forget();
  const { first, steps: seq } = steps();
  const got: Analysis[] = [sans(analyze(first, 1))];
  const asked: { depends: unknown; lint: unknown; expand: unknown }[] = [];
  const probe = (a: Analysis) => {
    const w = a.graph.ends.find((e) => e.kind === 'workload' && e.namespace === 'team-01' && e.pods.length > 1)!;
    return { depends: depends(), lint: lint(), expand: expand(w.id) };
  };
  asked.push(probe(got[0]!));
  seq.forEach((s, i) => {
    got.push(sans(update(i + 2, i + 1, s.changed, s.removed)));
    assert.match(engineHistory().at(-1)!, s.engine, `${s.name}: how the engine was had`);
    asked.push(probe(got.at(-1)!));
  });
  // Every step changed the picture, else comparing it proves little.
  for (let i = 1; i < got.length; i++) if (!seq[i - 1]!.sameGraph) assert.notDeepEqual(got[i]!.graph, got[i - 1]!.graph, `${seq[i - 1]!.name} changed nothing`);
  // The split workload really was split while canary existed, and joined after.
  const shop = (a: Analysis) => a.graph.ends.filter((e) => e.id.startsWith('team-01/shop')).length;
  const at = (name: string) => got[seq.findIndex((s) => s.name === name) + 1]!;
  assert.equal(shop(at('pods added')), 1);
  assert.equal(shop(at('the splitting policy edited')), 2);
  assert.equal(shop(at('a policy splitting it further added')), 3);
  assert.equal(shop(at('that policy removed (two parts again, not three)')), 2);
  assert.equal(shop(at('file removed (the split workload joins again)')), 1);
  const bad = got[seq.findIndex((s) => s.name === 'policy edited next to them') + 1]!.diagnostics.filter((d) => d.file === 'bad.yaml');
  assert.ok(bad.some((d) => d.severity === 'error') && bad.some((d) => d.severity === 'warning'), 'the findings in bad.yaml are reported after an edit elsewhere');
  [{ files: first }, ...seq].forEach((s, i) => {
    forget();
    const fresh = sans(analyze(s.files));
    assert.deepEqual(got[i], fresh, `after ${i ? seq[i - 1]!.name : 'the first load'}`);
    assert.deepEqual(asked[i], probe(fresh), `depends, lint and pods after ${i ? seq[i - 1]!.name : 'the first load'}`);
  });
});
