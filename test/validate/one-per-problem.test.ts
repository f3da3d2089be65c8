// Metadata checks (object-metadata.ts) and spec checks (objects.ts) come from two lines of
// work that used to overlap (template labels, selectors, container port names, a name that is
// only generateName). Through the whole loader, each invalid or hostile fixture must yield
// exactly one diagnostic per problem: the listed paths, no more.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadSources } from '../../src/load/load.js';

const SEL = '  selector: {matchExpressions: [{key: app, operator: Exists}]}\n';
const deploy = (kind: string, spec: string, labels = '{app: web}', podSpec = '{containers: [{name: c}]}') => `apiVersion: apps/v1
kind: ${kind}
metadata: {name: web, namespace: prod}
spec:
${spec}  template:
    metadata:
      labels: ${labels}
    spec: ${podSpec}
`;

/** [fixture, the paths of its problems, in report order]. */
const CASES: [string, string, string[]][] = [
  ['invalid template label value', deploy('Deployment', SEL, '{app: "a b"}'), ['spec.template.labels']],
  ['hostile template label value', deploy('StatefulSet', SEL, '{app: "a\\rb\\0c"}'), ['spec.template.labels']],
  ['invalid template annotation key', deploy('DaemonSet', SEL, '{app: web}\n      annotations: {"/x": z}'), ['spec.template.annotations']],
  ['invalid container port name in a template', deploy('ReplicaSet', SEL, '{app: web}', '{containers: [{name: c, ports: [{name: a--b, containerPort: 80}]}]}'),
    ['spec.template.spec.containers[0].ports[0].name']],
  ['invalid selector label value (the template match is then skipped)', deploy('Deployment', '  selector: {matchLabels: {app: "x y"}}\n'), ['spec.selector.matchLabels']],
  ['invalid selector operator', deploy('StatefulSet', '  selector: {matchExpressions: [{key: app, operator: in, values: [web]}]}\n'),
    ['spec.selector.matchExpressions[0].operator']],
  ['misspelt selector (no follow-on Required or mismatch)', deploy('Deployment', '  selecter: {matchLabels: {app: web}}\n'), ['spec.selecter']],
  ['selector not matching the template', deploy('Deployment', '  selector: {matchLabels: {app: api}}\n'), ['spec.template.metadata.labels']],
  ['ReplicationController selector with a bad key: one mismatch', deploy('ReplicationController', '  selector: {"a b": x}\n').replace('apps/v1', 'v1'),
    ['spec.template.metadata.labels']],
  ['Job name too long for its job-name label', `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${'j'.repeat(64)}}\nspec:\n  template:\n    spec: {containers: [{name: c}]}\n`,
    ['spec.template.labels']],
  ['CronJob template label', `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: "-x"}}\n        spec: {containers: [{name: c}]}\n`,
    ['spec.jobTemplate.spec.template.labels']],
  ['only generateName', 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\nspec: {containers: [{name: c}]}\n', ['metadata.generateName']],
  ['name, label and port name of one Pod: three problems', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\\e[31m"\n  labels: {"a|b": x}\nspec:\n  containers: [{name: c, ports: [{name: "ht\\ntp", containerPort: 80}]}]\n`,
    ['metadata.name', 'metadata.labels', 'spec.containers[0].ports[0].name']],
  ['hostile Namespace name', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "ns\\u202Eevil"\n', ['metadata.name']],
  ['bad ownerReference and bad label', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {v: "x,y"}\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: r}]\nspec: {containers: [{name: c}]}\n',
    ['metadata.labels', 'metadata.ownerReferences.uid']],
];

describe('one diagnostic per problem', () => {
  for (const [what, text, paths] of CASES) {
    it(what, () => {
      const r = loadSources([{ file: 'x.yaml', text }]);
      const shown = r.diagnostics.filter((d) => d.severity !== 'info');
      assert.deepEqual(shown.map((d) => d.path), paths, shown.map((d) => `${d.severity} ${d.path}: ${d.message}`).join('\n'));
      assert.ok(shown.every((d) => d.severity === 'error'));
      // The object is left out once, and counted once.
      assert.equal(r.skipped.length, 1);
      assert.equal(r.rejectedObjects, 1);
    });
  }
});
