// Tier policies -> nftables, as pure text (no kernel): the layout of a direction (Admin ->
// NetworkPolicy -> Baseline -> default allow), the order inside a tier, the verdict of each action,
// what the compiler refuses (equal-priority overlaps, domainNames) and what it assumes when told.
// Real packets through these rulesets: tier-lab.test.ts. Semantics: kubernetes-sigs/network-policy-api
// @ 0eec1b0, apis/v1alpha2/clusternetworkpolicy_types.go (Priority, Action, peers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileNftables } from '../../src/dataplane/nft/compile.js';
import { evaluatorMatrix } from '../../src/dataplane/probe/run.js';
import { computeMatrix } from '../../src/matrix/matrix.js';
import type { Cluster, ClusterPolicy, LabelSelector, TierPeer, TierRule } from '../../src/index.js';
import { parseRuleset } from './nft-parse.js';
import { ROOT, TIERS, XYZ, loadDir, loadFiles } from './helpers.js';

const sel = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels, matchExpressions: [] });
const rule = (action: TierRule['action'], peers: TierPeer[], path: string, ports: TierRule['ports'] = []): TierRule => ({ action, actionWritten: action, peers, ports, path });
const cnp = (name: string, tier: ClusterPolicy['tier'], priority: number, ns: string, ingress: TierRule[], egress: TierRule[] = []): ClusterPolicy => ({
  kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', name, tier, priority, subject: { namespaces: sel({ ns }) }, ingress, egress,
});
const fromNs = (ns: string, path = 'p'): TierPeer => ({ kind: 'namespaces', namespaceSelector: sel({ ns }), path });
/** The x/y/z pods with these tier policies and no NetworkPolicy. */
const xyzWith = (clusterPolicies: ClusterPolicy[], extra: Partial<Cluster> = {}): Cluster => ({ ...loadDir(XYZ), policies: [], clusterPolicies, ...extra });

test('golden: the hand-made tier case (test/golden/nftables/tiers.nft)', () => {
  const file = join(ROOT, 'test', 'golden', 'nftables', 'tiers.nft');
  const text = compileNftables(loadFiles(TIERS)).text;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'), 'tiers.nft differs from the golden file (UPDATE_GOLDEN=1 to accept)');
});

test('a direction walks Admin -> NetworkPolicy -> Baseline -> default allow', () => {
  const r = parseRuleset(compileNftables(loadFiles(TIERS)).text);
  assert.deepEqual(r.unknown, []);
  assert.deepEqual(r.chains.get('forward')!.slice(1), ['ct state established,related accept', 'ct state invalid drop', 'goto egress']);
  assert.deepEqual(r.chains.get('egress'), ['jump admin_eg', 'ip saddr @egress_isolated goto np_eg', 'jump baseline_eg', 'goto ingress']);
  assert.deepEqual(r.chains.get('ingress'), ['jump admin_in', 'ip daddr @ingress_isolated goto np_in', 'jump baseline_in', 'accept']);
  // The NetworkPolicy layer is final for the pods it isolates: its chain ends in drop.
  assert.deepEqual(r.chains.get('np_in')!.at(-1), 'drop');
  assert.deepEqual(r.sets.get('ingress_isolated')!.elements, ['10.0.1.10', '10.0.1.11']);
});

test('inside a tier: policies by priority, rules in order; Deny drops, Pass returns, Accept ends the direction', () => {
  const c = loadFiles(TIERS);
  const text = compileNftables(c).text;
  const r = parseRuleset(text);
  const admin = r.chains.get('admin_in')!;
  // priority 10 (deny x on 80), 20 (pass z), 30 (deny z): in that order whatever the input order.
  assert.match(admin[0]!, /^ip daddr @subj_\d+ ip saddr @peer_\d+ meta l4proto tcp th dport 80 drop$/);
  assert.match(admin[1]!, /^ip daddr @subj_\d+ ip saddr @peer_\d+ return$/);
  assert.match(admin[2]!, /^ip daddr @subj_\d+ ip saddr @peer_\d+ drop$/);
  const shuffled = { ...c, clusterPolicies: [...c.clusterPolicies!].reverse() };
  assert.equal(compileNftables(shuffled).text, text, 'the order comes from priority, not from the input');
  // An egress Accept leaves the destination's ingress to decide; an ingress Accept is final.
  assert.match(r.chains.get('admin_eg')![0]!, / goto ingress$/);
  assert.match(r.chains.get('baseline_in')!.at(-1)!, / accept$/);
  // Comments give the policy, its priority and each rule's path and action, in that order.
  const order = r.comments.filter((l) => /^cnp\//.test(l));
  assert.deepEqual(order.slice(0, 3), ['cnp/admin-deny-x-to-y-80 priority 10, spec.ingress', 'cnp/admin-pass-z-to-y priority 20, spec.ingress', 'cnp/admin-deny-z-to-y priority 30, spec.ingress']);
});

test('peer sets come from the tier matcher: subjects, namespaces, networks (pod IPs too), nodes, named ports', () => {
  const r = parseRuleset(compileNftables(loadFiles(TIERS)).text);
  const setOf = (line: string, dir: 'saddr' | 'daddr', in_ = r) => in_.sets.get(new RegExp(`ip ${dir} @(\\w+)`).exec(line)![1]!)!;
  const eg = r.chains.get('admin_eg')!;
  // x and y (matchExpressions In) are the subjects of admin-named-and-networks.
  assert.deepEqual(setOf(eg[1]!, 'saddr').elements, ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.1.10', '10.0.1.11', '10.0.1.12']);
  // Named port "web" resolved per destination pod (81 on x/c, 80 on z/c).
  const named = /@(port_\d+) drop$/.exec(eg[1]!)![1]!;
  assert.deepEqual(r.sets.get(named)!.elements, ['10.0.0.12 . tcp . 81', '10.0.2.12 . tcp . 80']);
  // Overlapping networks merge into disjoint intervals; the IPv6 network is left out (lab is IPv4).
  const nets = setOf(eg.at(-1)!, 'daddr');
  assert.deepEqual(nets.flags, ['interval']);
  assert.deepEqual(nets.elements, ['10.0.0.0/29', '10.0.0.8/29', '10.0.0.16/28', '10.0.0.32/27', '10.0.0.64/26', '10.0.0.128/25']);
  assert.ok(r.comments.some((l) => /IPv6 networks fd00::\/64 cannot match/.test(l)));

  const nodes: Cluster['nodes'] = [
    { kind: 'Node', name: 'n1', labels: { zone: 'a' }, addresses: ['192.168.9.1', 'fd00::1'] },
    { kind: 'Node', name: 'n2', labels: { zone: 'b' }, addresses: ['192.168.9.2'] },
  ];
  const toNodes = cnp('to-nodes', 'Admin', 1, 'x', [], [rule('Deny', [{ kind: 'nodes', nodeSelector: sel({ zone: 'a' }), path: 'n' }], 'spec.egress[0]')]);
  const n = parseRuleset(compileNftables(xyzWith([toNodes], { nodes })).text);
  assert.deepEqual(setOf(n.chains.get('admin_eg')![0]!, 'daddr', n).elements, ['192.168.9.1']);
});

test('a peer of an unknown kind fails closed: Accept matches nothing, Deny and Pass deny everything', () => {
  const unknown: TierPeer = { kind: 'unknown', field: 'future', path: 'spec.ingress[0].from[0]' };
  const r = parseRuleset(compileNftables(xyzWith([
    cnp('a', 'Admin', 1, 'x', [rule('Accept', [unknown, fromNs('y')], 'spec.ingress[0]')]),
    cnp('b', 'Admin', 2, 'y', [rule('Pass', [fromNs('z'), unknown], 'spec.ingress[0]', [{ protocol: 'TCP', port: 80, path: 'q' }])]),
  ])).text);
  assert.equal(r.chains.get('admin_in')!.length, 1);
  assert.match(r.chains.get('admin_in')![0]!, /^ip daddr @subj_1 drop$/);
  assert.deepEqual(r.sets.get('subj_1')!.elements, ['10.0.1.10', '10.0.1.11', '10.0.1.12']);
});

test('equal priorities that overlap with different actions: refused, naming both; assumed only when asked', () => {
  const a = cnp('allow-y', 'Admin', 7, 'x', [rule('Accept', [fromNs('y')], 'spec.ingress[0]')]);
  const b = cnp('deny-all', 'Admin', 7, 'x', [rule('Deny', [fromNs('y')], 'spec.ingress[0]')]);
  const c = xyzWith([b, a]);
  assert.throws(() => compileNftables(c), (e: Error) => e.name === 'CompileError' && /Admin tier, priority 7: cnp\/allow-y and cnp\/deny-all both select pod x\/a \(ingress\)/.test(e.message) && /--undecided assume/.test(e.message));
  const r = compileNftables(c, { undecided: 'assume' });
  assert.equal(r.warnings.length, 1);
  assert.match(r.text, /^# WARNING: Admin tier, priority 7: cnp\/allow-y and cnp\/deny-all .*engine.s order/m);
  // The engine's order (kind, then name): allow-y first.
  assert.deepEqual(parseRuleset(r.text).chains.get('admin_in')!.map((l) => l.split(' ').at(-1)), ['accept', 'drop']);
  // Same action, or different tiers, or subjects that share no pod: any order gives one answer.
  compileNftables(xyzWith([a, { ...b, ingress: [rule('Accept', [fromNs('z')], 'spec.ingress[0]')] }]));
  compileNftables(xyzWith([a, { ...b, tier: 'Baseline' }]));
  compileNftables(xyzWith([a, { ...b, subject: { namespaces: sel({ ns: 'z' }) } }]));
});

test('domainNames: refused (no DNS); assumed to match no address when asked', () => {
  const p = cnp('dns', 'Admin', 3, 'x', [], [rule('Accept', [{ kind: 'domainNames', domainNames: ['*.example.com'], path: 'spec.egress[0].to[0]' }, fromNs('y')], 'spec.egress[0]')]);
  assert.throws(() => compileNftables(xyzWith([p])), /cnp\/dns spec.egress\[0\].to\[0\]: domainNames \*\.example\.com need DNS/);
  const r = compileNftables(xyzWith([p]), { undecided: 'assume' });
  assert.equal(r.warnings.length, 1);
  // The namespaces peer of the same rule still compiles; the domain name adds nothing.
  assert.deepEqual(parseRuleset(r.text).chains.get('admin_eg')!.length, 1);
});

test('without tier policies the layout is the NetworkPolicy one (golden files pin it byte for byte)', () => {
  const chains = [...parseRuleset(compileNftables(loadDir(XYZ)).text).chains.keys()];
  assert.deepEqual(chains.slice(0, 3), ['forward', 'egress', 'ingress']);
  assert.ok(!chains.some((c) => /^(admin|baseline|np)_/.test(c)));
});

test("the lab's stand-in for the class engine (Evaluator per cell) equals computeMatrix where both run", () => {
  const c = loadDir(XYZ);
  const probes = [{ port: 80, protocol: 'TCP' as const }, { port: 81, protocol: 'UDP' as const }, { port: 'web', protocol: 'TCP' as const }];
  const fast = computeMatrix(c, probes, { ipBlockPods: 'match' });
  const slow = evaluatorMatrix(c, probes);
  assert.deepEqual(slow.pods, fast.pods);
  assert.deepEqual(slow.probes, fast.probes);
  assert.ok(fast.probes.some((p) => p.rows.some((r) => r.includes('0'))), 'the xyz policies deny something');
});

test('the lab gives each load its own conntrack zone, set before conntrack sees the packet', () => {
  const c = loadFiles(TIERS);
  const text = compileNftables(c, { ctZone: 42 }).text;
  assert.match(text, /\tchain zone \{\n\t\ttype filter hook prerouting priority raw; policy accept;\n\t\tct zone set 42\n\t\}/);
  assert.doesNotMatch(compileNftables(c).text, /ct zone/, '`netpol compile` alone sets no zone');
  for (const bad of [0, 65536, 1.5, Number.NaN]) assert.throws(() => compileNftables(c, { ctZone: bad }), /conntrack zone/);
});
