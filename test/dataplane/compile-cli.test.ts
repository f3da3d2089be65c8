// `netpol compile --target nftables` with tier policies, through the real CLI: the tier chains,
// the refusal of what the API leaves to the implementation (exit 1, both policies named, no stack
// trace) and `--undecided assume` (exit 0, a warning on stderr and in the ruleset).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run-cli.js';
import { TIERS, XYZ } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-compile-tiers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tie = join(dir, 'tie.yaml');
writeFileSync(tie, ['allow', 'deny'].map((n) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${n}-y}
spec:
  tier: Admin
  priority: 7
  subject: {namespaces: {matchLabels: {ns: 'x'}}}
  ingress: [{action: ${n === 'allow' ? 'Accept' : 'Deny'}, from: [{namespaces: {matchLabels: {ns: 'y'}}}]}]
`).join('---\n'));

test('compile: tier chains for the hand-made case', () => {
  const r = cli(['compile', ...TIERS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# netpol: 2 NetworkPolicies and 7 tier policies over 9 pods/m);
  for (const c of ['admin_in', 'admin_eg', 'baseline_in', 'baseline_eg', 'np_in', 'np_eg']) assert.match(r.stdout, new RegExp(`\\tchain ${c} \\{`));
});

test('compile: equal priorities that conflict are refused, naming both policies', () => {
  const files = [join(XYZ, 'namespaces.yaml'), join(XYZ, 'pods.yaml'), tie];
  const refused = cli(['compile', ...files]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /Admin tier, priority 7: cnp\/allow-y and cnp\/deny-y both select pod x\/a \(ingress\)/);
  assert.match(refused.stderr, /--undecided assume/);
  assert.doesNotMatch(refused.stderr, /^\s+at /m, 'no stack trace');
  const assumed = cli(['compile', ...files, '--undecided', 'assume']);
  assert.equal(assumed.code, 0, assumed.stderr);
  assert.match(assumed.stderr, /warning: Admin tier, priority 7: .*engine.s order/);
  assert.match(assumed.stdout, /^# WARNING: Admin tier, priority 7/m);
  assert.equal(cli(['compile', ...files, '--undecided', 'maybe']).code, 2);
});
