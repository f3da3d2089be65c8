// The compiler against expectations written by hand (not produced by the compiler): a small
// model whose whole ruleset is spelled out below, and the ipBlock `except` handling read back
// from the parsed ruleset: the exact set elements, which addresses they cover (computed here with
// plain integer arithmetic, not src/net), and the order of verdicts in the chains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileNftables } from '../../src/dataplane/nft/compile.js';
import type { Cluster } from '../../src/index.js';
import { SMALL } from './small-model.js';
import { parseRuleset } from './nft-parse.js';

const EXCEPT_SET = [
  '10.0.0.0/16',
  '10.2.1.0/24', '10.2.2.0/23', '10.2.4.0/22', '10.2.8.0/21', '10.2.16.0/20', '10.2.32.0/19', '10.2.64.0/18', '10.2.128.0/17',
  '10.3.0.0/16', '10.4.0.0/14', '10.8.0.0/13', '10.16.0.0/12', '10.32.0.0/11', '10.64.0.0/10', '10.128.0.0/9',
];

const EXPECTED = `# netpol: 2 NetworkPolicies over 3 pods, compiled for the forward hook
# of the namespace that routes between pods. Loading this file replaces the table atomically.
table inet netpol {}
delete table inet netpol
table inet netpol {
	# pods isolated for ingress
	set ingress_isolated {
		type ipv4_addr
		elements = { 10.1.0.2 }
	}
	# pods isolated for egress
	set egress_isolated {
		type ipv4_addr
		elements = { 10.1.0.1 }
	}
	# pods matching role=db in app (app/db-in spec.podSelector)
	set sel_0 {
		type ipv4_addr
		elements = { 10.1.0.2 }
	}
	# pods in namespace app matching role=web
	set peer_0 {
		type ipv4_addr
		elements = { 10.1.0.1 }
	}
	# ipBlock 10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/24
	set peer_1 {
		type ipv4_addr
		flags interval
		elements = { ${EXCEPT_SET.join(', ')} }
	}
	# pods matching role=web in app (app/web-eg spec.podSelector)
	set sel_1 {
		type ipv4_addr
		elements = { 10.1.0.1 }
	}
	# pods in namespaces matching (all)
	set peer_2 {
		type ipv4_addr
		elements = { 10.1.0.1, 10.1.0.2, 10.2.0.1 }
	}
	# named port http (tcp) on each pod that declares it
	set port_0 {
		type ipv4_addr . inet_proto . inet_service
		elements = { 10.1.0.1 . tcp . 8080 }
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		ip saddr @egress_isolated goto egress
		goto ingress
	}

	chain egress {
		ip saddr @sel_1 jump pol_1_eg # app/web-eg
		drop
	}

	chain ingress {
		ip daddr != @ingress_isolated accept
		ip daddr @sel_0 jump pol_0_in # app/db-in
		drop
	}

	chain pol_0_in {
		# app/db-in spec.ingress
		# spec.ingress[0]
		ip saddr @peer_0 meta l4proto tcp th dport 5432 accept
		# spec.ingress[1]
		ip saddr @peer_1 meta l4proto tcp th dport 5432-5440 accept
	}

	chain pol_1_eg {
		# app/web-eg spec.egress
		# spec.egress[0]
		ip daddr @peer_2 meta l4proto udp th dport 53 goto ingress
		# spec.egress[1]
		ip daddr . meta l4proto . th dport @port_0 goto ingress
	}
}
`;

test('a small model compiles to exactly the ruleset written by hand', () => {
  assert.equal(compileNftables(SMALL).text, EXPECTED);
});

test('the same cluster in another object order compiles to the same hand-written ruleset', () => {
  const shuffled: Cluster = { ...SMALL, namespaces: [...SMALL.namespaces].reverse(), pods: [...SMALL.pods].reverse() };
  assert.equal(compileNftables(JSON.parse(JSON.stringify(shuffled)) as Cluster).text, EXPECTED);
});

// ---- except, read back from the ruleset ----

const ip4 = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const cidr4 = (s: string): [number, number] => {
  const [a, len] = s.split('/');
  const size = 2 ** (32 - Number(len ?? 32));
  const first = ip4(a!);
  assert.equal(first % size, 0, `${s} is aligned`);
  return [first, first + size - 1];
};

test('ipBlock except: the rule accepts from an interval set holding exactly cidr minus except', () => {
  const r = parseRuleset(compileNftables(SMALL).text);
  assert.deepEqual(r.unknown, []);
  const chain = r.chains.get('pol_0_in')!;
  // The except rule is the second rule of the policy chain, after the podSelector one, and accepts.
  assert.equal(chain.length, 2);
  const m = /^ip saddr @(\w+) meta l4proto tcp th dport 5432-5440 accept$/.exec(chain[1]!);
  assert.ok(m, `second rule of pol_0_in: ${chain[1]}`);
  const set = r.sets.get(m[1]!)!;
  assert.deepEqual(set.flags, ['interval'], 'CIDRs need an interval set');
  assert.equal(set.type, 'ipv4_addr');
  assert.deepEqual(set.elements, EXCEPT_SET);
  const ranges = set.elements.map(cidr4);
  for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i - 1]![1] < ranges[i]![0], 'disjoint and sorted (nft rejects overlaps)');
  const covered = (a: string) => ranges.some(([f, l]) => ip4(a) >= f && ip4(a) <= l);
  // Exactly 10.0.0.0/8 minus the two excepts: the number of addresses, and the edges of each cut.
  assert.equal(ranges.reduce((n, [f, l]) => n + l - f + 1, 0), 2 ** 24 - 2 ** 16 - 2 ** 8);
  for (const a of ['10.0.0.0', '10.0.255.255', '10.2.1.0', '10.3.0.0', '10.255.255.255']) assert.ok(covered(a), `${a} is in the block`);
  for (const a of ['9.255.255.255', '10.1.0.0', '10.1.0.1', '10.1.255.255', '10.2.0.0', '10.2.0.1', '10.2.0.255', '11.0.0.0']) assert.ok(!covered(a), `${a} is excepted or outside`);
});

test('verdict order: established first, isolation checks before policy jumps, drop last', () => {
  const r = parseRuleset(compileNftables(SMALL).text);
  assert.deepEqual(r.chains.get('forward'), [
    'type filter hook forward priority filter; policy drop;', 'ct state established,related accept', 'ct state invalid drop',
    'ip saddr @egress_isolated goto egress', 'goto ingress',
  ]);
  assert.deepEqual(r.chains.get('ingress'), ['ip daddr != @ingress_isolated accept', 'ip daddr @sel_0 jump pol_0_in', 'drop']);
  assert.deepEqual(r.chains.get('egress'), ['ip saddr @sel_1 jump pol_1_eg', 'drop']);
  // Egress rules hand over to the ingress side (both directions must allow), never accept alone.
  assert.ok(r.chains.get('pol_1_eg')!.every((l) => l.endsWith('goto ingress')));
  assert.ok(r.chains.get('pol_0_in')!.every((l) => l.endsWith(' accept')));
});

test('an except that does not parse leaves the block matching nothing (never the whole cidr)', () => {
  const broken: Cluster = {
    ...SMALL,
    policies: [{ ...SMALL.policies[0]!, ingress: [{ ...SMALL.policies[0]!.ingress[1]!, peers: [{ path: 'p', ipBlock: { cidr: '10.0.0.0/8', except: ['not-a-cidr'] } }] }] }],
  };
  const r = parseRuleset(compileNftables(broken).text);
  const setName = /@(\w+)/.exec(r.chains.get('pol_0_in')![0]!)![1]!;
  assert.deepEqual(r.sets.get(setName)!.elements, []);
});
