// Hostile names against the nftables sink. The model is built directly (no validation on the
// way), with names, labels, namespaces, policy names, named ports and field paths full of
// ruleset syntax: a newline + `include "/etc/hostname"`, quotes, `;`, `#`, braces, an ANSI
// escape, NUL, non-ASCII. The ruleset must contain none of it as syntax: every line parses as a
// comment or a statement of the compiler's own grammar, comments are single-line printable ASCII
// without quotes, and the kernel's parser (`nft -c`, in a throwaway network namespace) accepts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileNftables } from '../../src/dataplane/nft/compile.js';
import { COMMENT_MAX, nftComment } from '../../src/dataplane/nft/text.js';
import type { Cluster, ClusterPolicy, LabelSelector, TierPeer, TierRule } from '../../src/index.js';
import { parseRuleset } from './nft-parse.js';
import { inThrowawayNetns, nftUnavailable } from './helpers.js';
import { SMALL } from './small-model.js';

const EVIL = 'x\ninclude "/etc/hostname"\n}; table inet pwn { chain c { type filter hook input priority 0; policy drop; } } # \'q\' `b` \\ {}\x1b[31mred\x1b[0m\0nul é ☃ \u202e\r\n';

/** The same shape of cluster, every name made of `n(...)`. */
function model(n: (s: string) => string): Cluster {
  const sel = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels, matchExpressions: [] });
  const ns = n('ns');
  return {
    namespaces: [{ kind: 'Namespace', name: ns, labels: { 'kubernetes.io/metadata.name': ns, [n('team')]: n('blue') }, implicit: false }],
    pods: [
      { kind: 'Pod', name: n('api'), namespace: ns, labels: { [n('app')]: n('api') }, ips: ['10.66.0.1'], ports: [{ name: n('web'), containerPort: 80, protocol: 'TCP' }], hostNetwork: false },
      { kind: 'Pod', name: n('db'), namespace: ns, labels: { [n('app')]: n('db') }, ips: ['10.66.0.2'], ports: [{ containerPort: 5432, protocol: 'TCP' }], hostNetwork: false },
      // An address with syntax after it does not parse: the pod is left out, never written.
      { kind: 'Pod', name: n('bad-ip'), namespace: ns, labels: {}, ips: [`10.66.0.3\n${n('ip')}`], ports: [], hostNetwork: false },
    ],
    policies: [{
      kind: 'NetworkPolicy', name: n('pol'), namespace: ns, podSelector: sel({ [n('app')]: n('db') }), policyTypes: ['Ingress', 'Egress'], policyTypesDefaulted: false,
      ingress: [{
        path: `spec.ingress[0]${n('')}`,
        peers: [
          { path: n('p0'), namespaceSelector: sel({ [n('team')]: n('blue') }), podSelector: { matchLabels: {}, matchExpressions: [{ key: n('app'), operator: 'In', values: [n('api'), n('x')] }] } },
          { path: n('p1'), ipBlock: { cidr: '10.66.0.0/16', except: ['10.66.0.2/32'] } },
          { path: n('p2'), ipBlock: { cidr: `10.0.0.0/8${n(' ')}`, except: [] } },
        ],
        ports: [
          { protocol: 'TCP', port: 5432, path: n('q0') },
          { protocol: 'TCP', port: n('web'), path: n('q1') },
          { protocol: 'TCP', port: 1e9, path: n('q2') },
          { protocol: 'UDP', port: 53, endPort: Number.NaN, path: n('q3') },
        ],
      }],
      egress: [{ path: n('e0'), peers: [{ path: n('e0p'), podSelector: sel({ [n('app')]: n('api') }) }], ports: [] }],
    }],
  };
}

const hostile = model((s) => `${s}${EVIL}`);
const tame = model((s) => s);

/** The same model with tier policies of both tiers, nodes and every peer kind, all names made of `n(...)`. */
function tierModel(n: (s: string) => string): Cluster {
  const base = model(n);
  const sel = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels, matchExpressions: [] });
  const ns = base.namespaces[0]!.name;
  const peers: TierPeer[] = [
    { kind: 'namespaces', namespaceSelector: sel({ [n('team')]: n('blue') }), path: n('tp0') },
    { kind: 'pods', namespaceSelector: sel({}), podSelector: sel({ [n('app')]: n('api') }), path: n('tp1') },
    { kind: 'networks', cidrs: ['10.66.0.0/24', `10.0.0.0/8${n(' ')}`, 'fd00::/8'], path: n('tp2') },
    { kind: 'nodes', nodeSelector: sel({ [n('role')]: n('edge') }), path: n('tp3') },
  ];
  const rules = (dir: string): TierRule[] => [
    { name: n('r0'), action: 'Deny', actionWritten: n('Deny'), peers, ports: [{ protocol: 'TCP', port: n('web'), path: n('q0') }], path: n(`spec.${dir}[0]`) },
    { name: n('r1'), action: 'Pass', actionWritten: 'Pass', peers: peers.slice(0, 1), ports: [{ protocol: 'UDP', port: 53, endPort: 60, path: n('q1') }], path: n(`spec.${dir}[1]`) },
    { name: n('r2'), action: 'Accept', actionWritten: 'Accept', peers: [...peers, { kind: 'domainNames', domainNames: [n('x.example.com')], path: n('tp4') }], ports: [], path: n(`spec.${dir}[2]`) },
    { action: 'Deny', actionWritten: 'Deny', peers: [{ kind: 'unknown', field: n('future'), path: n('tp5') }], ports: [], path: n(`spec.${dir}[3]`) },
  ];
  const policy = (name: string, tier: ClusterPolicy['tier'], priority: number): ClusterPolicy => ({
    kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', name: n(name), tier, priority,
    subject: { pods: { namespaceSelector: sel({ 'kubernetes.io/metadata.name': ns }), podSelector: sel({ [n('app')]: n('db') }) } },
    ingress: rules('ingress'), egress: rules('egress'),
  });
  return {
    ...base,
    nodes: [{ kind: 'Node', name: n('node'), labels: { [n('role')]: n('edge') }, addresses: ['192.168.7.1', `192.168.7.2${EVIL}`] }],
    clusterPolicies: [policy('admin', 'Admin', 5), policy('base', 'Baseline', 5)],
  };
}

const hostileTiers = tierModel((s) => `${s}${EVIL}`);
const tameTiers = tierModel((s) => s);

test('hostile names reach the ruleset only inside sanitised comments', () => {
  const { text } = compileNftables(hostile);
  // Nothing outside tab, newline and printable ASCII; no quotes, backslashes, ESC, NUL, CR at all.
  assert.deepEqual([...text].filter((c) => !/^[\t\n\x20-\x7e]$/.test(c)), []);
  assert.ok(!/["'`\\]/.test(text), 'no quotes or backslashes anywhere');
  const r = parseRuleset(text);
  assert.deepEqual(r.unknown, [], 'every line is a comment or compiler syntax');
  assert.equal(r.table, 'netpol');
  assert.deepEqual([...r.chains.keys()], ['forward', 'egress', 'ingress', 'pol_0_in', 'pol_0_eg'], 'no chain from a name');
  for (const c of r.comments) assert.ok(c.length <= COMMENT_MAX && /^[\x20-\x7e]*$/.test(c), `comment ${JSON.stringify(c)}`);
  // A newline in a name must not add a line: same line count as the same model with plain names.
  assert.equal(text.split('\n').length, compileNftables(tame).text.split('\n').length);
  // The names still show, defanged, where they help a reader.
  assert.ok(r.comments.some((c) => c.includes('include ?/etc/hostname?')), 'the hostile text is visible as a comment');
});

test('hostile names do not change what the ruleset matches', () => {
  const evil = parseRuleset(compileNftables(hostile).text);
  const plain = parseRuleset(compileNftables(tame).text);
  assert.deepEqual(evil.sets, plain.sets);
  assert.deepEqual(evil.chains, plain.chains);
  // The selectors still select: db is isolated, api is the peer, the named port resolves on api.
  assert.deepEqual(evil.sets.get('ingress_isolated')!.elements, ['10.66.0.2']);
  assert.deepEqual(evil.sets.get('peer_0')!.elements, ['10.66.0.1']);
  assert.deepEqual(evil.sets.get('port_0')!.elements, ['10.66.0.1 . tcp . 80']);
  // The ipBlock whose cidr carries syntax matches nothing; the out-of-range port and the NaN endPort are dropped.
  assert.deepEqual(evil.sets.get('peer_2')!.elements, []);
  assert.deepEqual(evil.chains.get('pol_0_in'), [
    'ip saddr @peer_0 meta l4proto tcp th dport 5432 accept', 'ip saddr @peer_0 ip daddr . meta l4proto . th dport @port_0 accept',
    'ip saddr @peer_1 meta l4proto tcp th dport 5432 accept', 'ip saddr @peer_1 ip daddr . meta l4proto . th dport @port_0 accept',
    'ip saddr @peer_2 meta l4proto tcp th dport 5432 accept', 'ip saddr @peer_2 ip daddr . meta l4proto . th dport @port_0 accept',
  ]);
});

test('tiers: hostile names reach the ruleset only inside sanitised comments, and match as plain ones do', () => {
  // domainNames need --undecided assume; its warning names the policy, sanitised.
  const r = compileNftables(hostileTiers, { undecided: 'assume' });
  assert.deepEqual([...r.text].filter((c) => !/^[\t\n\x20-\x7e]$/.test(c)), []);
  assert.ok(!/["'`\\]/.test(r.text), 'no quotes or backslashes anywhere');
  const evil = parseRuleset(r.text);
  assert.deepEqual(evil.unknown, [], 'every line is a comment or compiler syntax');
  assert.deepEqual([...evil.chains.keys()], ['forward', 'egress', 'ingress', 'np_eg', 'np_in', 'admin_in', 'admin_eg', 'baseline_in', 'baseline_eg', 'pol_0_in', 'pol_0_eg']);
  const plain = parseRuleset(compileNftables(tameTiers, { undecided: 'assume' }).text);
  assert.deepEqual(evil.sets, plain.sets);
  assert.deepEqual(evil.chains, plain.chains);
  assert.equal(r.text.split('\n').length, compileNftables(tameTiers, { undecided: 'assume' }).text.split('\n').length);
  // They still select: db is the subject, api the pods peer, the node address with syntax is dropped.
  const adminIn = evil.chains.get('admin_in')!;
  assert.ok(adminIn.length > 4, adminIn.join('\n'));
  const subj = /^ip daddr @(subj_\d+)/.exec(adminIn[0]!)![1]!;
  assert.deepEqual(evil.sets.get(subj)!.elements, ['10.66.0.2']);
  assert.ok([...evil.sets.values()].some((s) => s.elements.join() === '192.168.7.1'), 'the node address set');
  assert.ok(adminIn.includes(`ip daddr @${subj} drop`), 'the unknown peer fails closed (Deny all)');
  assert.ok(adminIn.some((l) => / return$/.test(l)) && adminIn.some((l) => / accept$/.test(l)));
  // The refusal names the policy without letting its name through raw.
  assert.throws(() => compileNftables(hostileTiers), (e: Error) => e.name === 'CompileError' && /^[\n\x20-\x7e]*$/.test(e.message) && e.message.includes('cnp/adminx?include ?/etc/hostname?'));
});

test('nftComment: one printable ASCII line, no quotes, bounded', () => {
  assert.equal(nftComment('a\nb"c\'d`e\\f\x1bg\0h\u00e9'), 'a?b?c?d?e?f?g?h?');
  assert.equal(nftComment('x'.repeat(500)).length, COMMENT_MAX);
  assert.equal(nftComment('plain prod/api-0 role=db'), 'plain prod/api-0 role=db');
});

test('the table name is checked, not written as given', () => {
  assert.throws(() => compileNftables(SMALL, { table: 'netpol { }\ninclude "/etc/passwd"' }), /table name/);
});

const why = nftUnavailable();
const skip = why && process.env.CI !== 'true' ? `nft check skipped: ${why}` : false;

test('nft -c accepts the hostile ruleset (in a throwaway network namespace)', { skip }, () => {
  assert.equal(why, undefined, `CI=true but: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-nft-'));
  try {
    const file = join(dir, 'hostile.nft');
    writeFileSync(file, compileNftables(hostile).text);
    const r = inThrowawayNetns(['nft', '-c', '-f', file]);
    assert.equal(r.status, 0, r.stderr);
    // And the check can fail: the same text with one name let through raw is rejected.
    writeFileSync(file, compileNftables(hostile).text.replace('# pods isolated for ingress', EVIL));
    assert.notEqual(inThrowawayNetns(['nft', '-c', '-f', file]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nft -c accepts the hostile tier ruleset (in a throwaway network namespace)', { skip }, () => {
  assert.equal(why, undefined, `CI=true but: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-nft-'));
  try {
    const file = join(dir, 'hostile-tiers.nft');
    const text = compileNftables(hostileTiers, { undecided: 'assume' }).text;
    writeFileSync(file, text);
    const r = inThrowawayNetns(['nft', '-c', '-f', file]);
    assert.equal(r.status, 0, r.stderr);
    // The check can fail: a Pass compiled as a jump to a chain that does not exist is rejected.
    writeFileSync(file, text.replace(/ return$/m, ' jump tier_missing'));
    assert.notEqual(inThrowawayNetns(['nft', '-c', '-f', file]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the kernel agrees on except: members of the loaded interval set (throwaway network namespace)', { skip }, () => {
  assert.equal(why, undefined, `CI=true but: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-nft-'));
  try {
    const file = join(dir, 'small.nft');
    writeFileSync(file, compileNftables(SMALL).text);
    const inside = ['10.0.0.0', '10.0.255.255', '10.2.1.0', '10.255.255.255'];
    const outside = ['9.255.255.255', '10.1.0.0', '10.1.255.255', '10.2.0.0', '10.2.0.255', '11.0.0.0'];
    // Addresses are passed as arguments, never spliced into the script.
    const script = 'nft -f "$1" || exit 90; shift; for a in "$@"; do nft get element inet netpol peer_1 "{ $a }" >/dev/null 2>&1; echo "$a $?"; done';
    const r = inThrowawayNetns(['sh', '-c', script, 'sh', file, ...inside, ...outside]);
    assert.equal(r.status, 0, r.stderr);
    const got = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ')).map(([a, code]) => [a, code === '0']));
    assert.deepEqual(got, Object.fromEntries([...inside.map((a) => [a, true]), ...outside.map((a) => [a, false])]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
