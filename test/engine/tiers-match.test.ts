// Tier subject, peer and rule matching (src/match/tier.ts), one test per rule of the API.
// Sources, kubernetes-sigs/network-policy-api @ 0eec1b0:
//   T = apis/v1alpha2/clusternetworkpolicy_types.go (field comments named per test),
//   F = site-src/npeps/npep-133-fqdn-egress-selector.md ("Expected Behavior").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTierPolicies, matchTierPeer, matchTierRule, matchTierSubject, type TierMatchContext } from '../../src/match/tier.js';
import type { Party } from '../../src/match/peer.js';
import type { Namespace, Pod, TierPeer } from '../../src/model/types.js';
import { cnp, cport, domains, namespaces, networks, node, nodes, ns, nsSel, pod, pods, rule, sel, subjectNamespaces, subjectPods, tcp, unknownPeer, type PeerIn } from './tier-builders.js';

const prod = ns('prod', { env: 'prod' });
const staging = ns('staging', { env: 'staging' });
const infra = ns('infra', { env: 'infra' });
const web = pod('prod', 'web', { app: 'web' }, ['10.0.0.1', 'fd00::1'], { ports: [cport('http', 80)] });
const noIp = pod('prod', 'noip', { app: 'web' }, []);
const app = pod('staging', 'app', { app: 'app' }, ['10.0.1.1']);
const agent = pod('infra', 'agent', { app: 'agent' }, ['192.168.0.10'], { hostNetwork: true, nodeName: 'n1' });
const agentNoNode = pod('infra', 'agent2', { app: 'agent' }, [], { hostNetwork: true });
const n1 = node('n1', { role: 'worker' }, ['192.168.0.10']);
const n2 = node('n2', { role: 'control' }, ['192.168.0.11', 'fd00:1::11']);

const exact: TierMatchContext = { nodes: [n1, n2], threeValued: false };
const three: TierMatchContext = { nodes: [n1, n2], threeValued: true };
const P = (p: Pod, n: Namespace): Party => ({ kind: 'pod', pod: p, namespace: n });
const ip = (x: string): Party => ({ kind: 'ip', ip: x });
const peer = (p: PeerIn): TierPeer => ({ ...p, path: 'spec.egress[0].to[0]' }) as TierPeer;

test('subject namespaces selects every pod of the matching namespaces (T, ClusterNetworkPolicySubject)', () => {
  const s = subjectNamespaces(sel({ env: 'prod' }));
  assert.equal(matchTierSubject(s, web, prod).match, true);
  const miss = matchTierSubject(s, app, staging);
  assert.equal(miss.match, false);
  assert.match(miss.why, /env=staging, needs env=prod/);
});

test('subject pods needs both the namespaceSelector and the podSelector', () => {
  const s = subjectPods(sel({ env: 'prod' }), sel({ app: 'web' }));
  assert.equal(matchTierSubject(s, web, prod).match, true);
  assert.equal(matchTierSubject(s, pod('prod', 'other', { app: 'api' }, ['10.0.0.9']), prod).match, false);
  assert.equal(matchTierSubject(s, pod('staging', 'web', { app: 'web' }, ['10.0.1.9']), staging).match, false);
});

test('host-networked pods are never subjects, even when every selector matches', () => {
  for (const s of [subjectNamespaces(sel()), subjectPods(sel(), sel())]) {
    const a = matchTierSubject(s, agent, infra);
    assert.equal(a.match, false);
    assert.match(a.why, /hostNetwork/);
  }
});

test('namespaces and pods peers match pods by labels, never host-networked pods nor addresses (T, "host-networked pods are not included")', () => {
  assert.equal(matchTierPeer(peer(namespaces(sel({ env: 'prod' }))), 'Accept', P(web, prod), exact).match, true);
  assert.equal(matchTierPeer(peer(namespaces(sel({ env: 'prod' }))), 'Accept', P(app, staging), exact).match, false);
  assert.equal(matchTierPeer(peer(pods(sel(), sel({ app: 'web' }))), 'Accept', P(web, prod), exact).match, true);
  assert.equal(matchTierPeer(peer(pods(sel(), sel({ app: 'web' }))), 'Accept', P(app, staging), exact).match, false);
  assert.equal(matchTierPeer(peer(pods(nsSel('staging'), sel({ app: 'web' }))), 'Accept', P(web, prod), exact).match, false);
  assert.equal(matchTierPeer(peer(namespaces(sel())), 'Deny', P(agent, infra), exact).match, false);
  assert.equal(matchTierPeer(peer(pods(sel(), sel())), 'Deny', P(agent, infra), exact).match, false);
  assert.equal(matchTierPeer(peer(namespaces(sel())), 'Deny', ip('10.0.0.1'), exact).match, false);
});

test('networks match external addresses and pod IPs alike, both families (T, Networks: "cluster-internal traffic will be checked")', () => {
  const p = peer(networks('10.0.0.0/24', 'fd00::/64'));
  assert.equal(matchTierPeer(p, 'Deny', ip('10.0.0.200'), exact).match, true);
  assert.equal(matchTierPeer(p, 'Deny', ip('10.0.1.1'), exact).match, false);
  assert.equal(matchTierPeer(p, 'Deny', ip('fd00::5'), exact).match, true);
  assert.equal(matchTierPeer(p, 'Deny', P(web, prod), exact).match, true);
  assert.equal(matchTierPeer(p, 'Deny', P(app, staging), exact).match, false);
  // Only the pod's IPv6 address is covered: still a match.
  assert.equal(matchTierPeer(peer(networks('fd00::/64')), 'Deny', P(web, prod), exact).match, true);
  // A hostNetwork pod is matched through its (node) IP.
  assert.equal(matchTierPeer(peer(networks('192.168.0.0/24')), 'Deny', P(agent, infra), exact).match, true);
  // …also when the manifest gives only spec.nodeName: the node's addresses are its IPs.
  const byNode = pod('infra', 'agent4', {}, [], { hostNetwork: true, nodeName: 'n2' });
  assert.equal(matchTierPeer(peer(networks('192.168.0.11/32')), 'Deny', P(byNode, infra), three).match, true);
  assert.equal(matchTierPeer(peer(networks('192.168.0.10/32')), 'Deny', P(byNode, infra), three).match, false);
});

test('networks against a pod without a known IP: depends in three-valued mode, no match otherwise', () => {
  const p = peer(networks('0.0.0.0/0'));
  const d = matchTierPeer(p, 'Deny', P(noIp, prod), three);
  assert.equal(d.match, 'depends');
  assert.match(d.why, /no IP/);
  assert.equal(matchTierPeer(p, 'Deny', P(noIp, prod), exact).match, false);
});

test('nodes peers select node addresses and host-networked pods on those nodes, not pod IPs (T, Nodes)', () => {
  const worker = peer(nodes(sel({ role: 'worker' })));
  assert.equal(matchTierPeer(worker, 'Accept', ip('192.168.0.10'), exact).match, true);
  assert.equal(matchTierPeer(worker, 'Accept', ip('192.168.0.11'), exact).match, false, 'n2 is a control node');
  assert.equal(matchTierPeer(peer(nodes(sel())), 'Accept', ip('fd00:1:0:0::11'), exact).match, true, 'addresses compared as addresses');
  assert.equal(matchTierPeer(worker, 'Accept', ip('192.168.0.99'), exact).match, false);
  assert.equal(matchTierPeer(worker, 'Accept', P(agent, infra), exact).match, true);
  assert.equal(matchTierPeer(peer(nodes(sel({ role: 'control' }))), 'Accept', P(agent, infra), exact).match, false);
  assert.equal(matchTierPeer(peer(nodes(sel())), 'Accept', P(web, prod), exact).match, false);
  // Found by spec.nodeName alone when the manifest gives no IP.
  const onN2 = pod('infra', 'agent3', {}, [], { hostNetwork: true, nodeName: 'n2' });
  assert.equal(matchTierPeer(peer(nodes(sel({ role: 'control' }))), 'Accept', P(onN2, infra), exact).match, true);
  assert.equal(matchTierPeer(worker, 'Accept', P(onN2, infra), exact).match, false);
  // A hostNetwork pod with no node and no IP: unknown.
  assert.equal(matchTierPeer(peer(nodes(sel())), 'Accept', P(agentNoNode, infra), three).match, 'depends');
  assert.equal(matchTierPeer(peer(nodes(sel())), 'Accept', P(agentNoNode, infra), exact).match, false);
});

test('domainNames: an address outside the cluster depends on DNS; pods are not selected unless a name may be their DNS record (F)', () => {
  const p = peer(domains('*.example.com'));
  const d = matchTierPeer(p, 'Accept', ip('203.0.113.7'), three);
  assert.equal(d.match, 'depends');
  assert.match(d.why, /DNS/);
  assert.equal(matchTierPeer(p, 'Accept', ip('203.0.113.7'), exact).match, false);
  assert.equal(matchTierPeer(p, 'Accept', P(web, prod), three).match, false);
  assert.equal(matchTierPeer(peer(domains('10-0-0-1.prod.pod.cluster.local')), 'Accept', P(web, prod), three).match, 'depends');
});

test('a peer of an unknown kind fails closed: Accept matches nothing, Deny and Pass match everything (T, ClusterNetworkPolicyEgressPeer)', () => {
  const p = peer(unknownPeer('services'));
  for (const party of [P(web, prod), ip('203.0.113.7')]) {
    assert.equal(matchTierPeer(p, 'Accept', party, exact).match, false);
    assert.equal(matchTierPeer(p, 'Deny', party, exact).match, true);
    assert.equal(matchTierPeer(p, 'Pass', party, exact).match, true);
  }
});

test('rule: protocols AND peers; named ports resolve on the destination pod; ranges inclusive; no protocols = every port', () => {
  const policy = cnp({ name: 'r', subject: subjectNamespaces(sel()), egress: [
    rule('Accept', [namespaces(sel())], [tcp('http')]),
    rule('Accept', [namespaces(sel())], [tcp(8000, 8080)]),
    rule('Accept', [networks('10.0.0.0/8')]),
  ] });
  const [named, range, any] = policy.egress;
  const to = P(web, prod);
  assert.equal(matchTierRule(named!, to, to, 80, 'TCP', exact).match, true);
  assert.equal(matchTierRule(named!, to, to, 81, 'TCP', exact).match, false);
  assert.equal(matchTierRule(named!, to, to, 80, 'UDP', exact).match, false);
  assert.equal(matchTierRule(named!, P(app, staging), P(app, staging), 80, 'TCP', exact).match, false, 'staging/app declares no port named http');
  assert.equal(matchTierRule(range!, to, to, 8080, 'TCP', exact).match, true);
  assert.equal(matchTierRule(range!, to, to, 8081, 'TCP', exact).match, false);
  const m = matchTierRule(any!, to, to, 5353, 'UDP', exact);
  assert.equal(m.match, true);
  assert.equal(m.peer, 0);
});

test('evaluation order inside a tier: ascending priority, then name', () => {
  const s = subjectNamespaces(sel());
  const list = [cnp({ name: 'b', priority: 10, subject: s }), cnp({ name: 'z', priority: 5, subject: s }), cnp({ name: 'a', priority: 10, subject: s })];
  assert.deepEqual([...list].sort(compareTierPolicies).map((p) => p.name), ['z', 'a', 'b']);
});

test('explain: false changes only the text: every subject, peer and rule answer is the same, with an empty why', () => {
  const parties: [Party, Pod, Namespace][] = [[P(web, prod), web, prod], [P(noIp, prod), noIp, prod], [P(app, staging), app, staging], [P(agent, infra), agent, infra], [P(agentNoNode, infra), agentNoNode, infra]];
  const ips = [ip('10.0.0.1'), ip('192.168.0.11'), ip('8.8.8.8'), ip('fd00:1::11')];
  const peerIns: PeerIn[] = [namespaces(sel({ env: 'prod' })), pods(sel({}), sel({ app: 'web' })), pods(nsSel('infra'), sel({ app: 'agent' })), networks('10.0.0.0/24', 'fd00::/64'), networks('192.168.0.0/16'), nodes(sel({ role: 'worker' })), nodes(sel({ role: 'control' })), domains('*.pod.cluster.local'), domains('example.com'), unknownPeer('sameLabels')];
  const subjects = [subjectNamespaces(sel({ env: 'prod' })), subjectPods(sel({ env: 'infra' }), sel({ app: 'agent' })), subjectPods(sel({}), sel({ app: 'web' }))];
  let compared = 0, explained = 0;
  for (const base of [exact, three]) {
    const quiet: TierMatchContext = { ...base, explain: false };
    for (const [party, p, n] of parties) for (const s of subjects) {
      const loud = matchTierSubject(s, p, n), silent = matchTierSubject(s, p, n, false);
      assert.equal(silent.match, loud.match);
      assert.equal(silent.why, '');
      assert.notEqual(loud.why, '');
    }
    for (const far of [...parties.map(([x]) => x), ...ips]) {
      for (const pi of peerIns) for (const action of ['Accept', 'Deny', 'Pass'] as const) {
        const loud = matchTierPeer(peer(pi), action, far, base), silent = matchTierPeer(peer(pi), action, far, quiet);
        assert.deepEqual({ ...silent, why: loud.why }, loud);
        assert.equal(silent.why, '');
        compared++;
        if (loud.why !== '') explained++;
      }
      const rules = cnp({ name: 'x', subject: subjects[0]!, egress: [rule('Accept', peerIns.slice(0, 9), [tcp(80), tcp('http')]), rule('Deny', [networks('10.0.0.0/8'), nodes(sel({}))]), rule('Pass', [], [tcp(80)]), rule('Deny', [pods(sel({}), sel({})), unknownPeer('x')])] }).egress;
      for (const r of rules) for (const [port, proto] of [[80, 'TCP'], [81, 'TCP'], [80, 'UDP']] as const) {
        const loud = matchTierRule(r, far, P(web, prod), port, proto, base), silent = matchTierRule(r, far, P(web, prod), port, proto, quiet);
        assert.deepEqual({ ...silent, why: loud.why }, loud);
        assert.equal(silent.why, '');
        compared++;
        if (loud.why !== '') explained++;
      }
    }
  }
  // The default still explains every answer.
  assert.ok(compared > 500 && explained === compared, `compared ${compared}, explained ${explained}`);
});
