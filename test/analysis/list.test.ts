// netpol list: the exact connectivity list, checked against the Evaluator (and the naive
// reference) on the examples and generated clusters, against a list written by hand for
// db-protection, and for workload splitting, self traffic, filters and formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listConnections, parseEndFilter, parsePortFilter, type ConnectionList, type EndFilter, type ListOptions, type PortFilter, type PortRanges } from '../../src/index.js';
import { listToJson, renderListCsv, renderListMarkdown, renderListText } from '../../src/render/list.js';
import type { Cluster, NetworkPolicy, Pod } from '../../src/model/types.js';
import { generateCluster } from '../oracle/generate.js';
import { checkList, checkPartition } from './list-helpers.js';
import { load } from './helpers.js';

const ALL: PortRanges = { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };
const tcp = (...r: [number, number][]): PortRanges => ({ TCP: r, UDP: [], SCTP: [] });

function end(f: string): EndFilter {
  const r = parseEndFilter(f);
  assert.ok(!('error' in r), `filter ${f}`);
  return r as EndFilter;
}
function port(f: string): PortFilter {
  const r = parsePortFilter(f);
  assert.ok(!('error' in r), `port ${f}`);
  return r as PortFilter;
}

// Written from examples/db-protection/db-policy.yaml, not from netpol's output: prod/db is
// isolated both ways; it admits prod/api (namespace name=prod AND app=api) and 192.168.5.10 on
// TCP 3306, and may only send to 192.168.5.10 on TCP 80. Nothing else is isolated. Each
// workload has one replica, so no workload is listed talking to itself.
const REST_V4 = [
  '0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/9', '192.128.0.0/11', '192.160.0.0/13', '192.168.0.0/22', '192.168.4.0/24', '192.168.5.0/29', '192.168.5.8/31',
  '192.168.5.11/32', '192.168.5.12/30', '192.168.5.16/28', '192.168.5.32/27', '192.168.5.64/26', '192.168.5.128/25', '192.168.6.0/23', '192.168.8.0/21',
  '192.168.16.0/20', '192.168.32.0/19', '192.168.64.0/18', '192.168.128.0/17', '192.169.0.0/16', '192.170.0.0/15', '192.172.0.0/14', '192.176.0.0/12',
  '192.192.0.0/10', '193.0.0.0/8', '194.0.0.0/7', '196.0.0.0/6', '200.0.0.0/5', '208.0.0.0/4', '224.0.0.0/3',
];
const BACKUP = '192.168.5.10/32';
const V6 = '::/0';
const API = 'prod/api[Deployment]', DB = 'prod/db[StatefulSet]', WEB = 'prod/web[Deployment]', SAPI = 'staging/api[Deployment]';

function dbProtectionExpected(): { from: string | string[]; to: string | string[]; allowed: PortRanges }[] {
  const open = [API, WEB, SAPI];
  const externals = [REST_V4, BACKUP, V6];
  const out: { from: string | string[]; to: string | string[]; allowed: PortRanges }[] = [];
  const order = [API, DB, WEB, SAPI, REST_V4, BACKUP, V6];
  for (const a of order) for (const b of order) {
    if (a === b) continue;
    const aExt = externals.includes(a), bExt = externals.includes(b);
    if (aExt && bExt) continue;
    let allowed: PortRanges | undefined;
    if (a === DB) allowed = b === BACKUP ? tcp([80, 80]) : undefined;
    else if (b === DB) allowed = a === API || a === BACKUP ? tcp([3306, 3306]) : undefined;
    else if (open.includes(a) || open.includes(b)) allowed = ALL;
    if (allowed) out.push({ from: a, to: b, allowed });
  }
  return out;
}

test('db-protection: the list written by hand from the policy', () => {
  // The remainder is all of IPv4 but the backup host (sizes add up to 2^32 - 1).
  const size = REST_V4.reduce((n, c) => n + 2 ** (32 - Number(c.split('/')[1])), 0);
  assert.equal(size, 2 ** 32 - 1);
  const { cluster } = load('examples/db-protection');
  const list = listConnections(cluster);
  assert.deepEqual(listToJson(list), { connections: dbProtectionExpected(), depends: [] });
  assert.deepEqual(list.warnings, []);
});

test('db-protection: the list agrees with the Evaluator and the reference, in every mode and view', () => {
  const { cluster } = load('examples/db-protection');
  for (const mode of ['match', 'ignore', 'depends'] as const) {
    for (const by of ['workload', 'pod'] as const) {
      const list = listConnections(cluster, { ipBlockPods: mode, by });
      checkPartition(list);
      const t = checkList(cluster, list, { mode, reference: true, externalIps: ['192.168.5.9', '192.168.5.11', '10.0.0.1', '2001:db8::1'] });
      assert.ok(t.allowed > 0 && t.allowed < t.probes, 'the probes see both answers');
    }
  }
});

test('multi-team: the list agrees with the Evaluator and the reference', () => {
  const { cluster } = load('examples/multi-team');
  for (const by of ['workload', 'pod'] as const) {
    const list = listConnections(cluster, { by });
    checkPartition(list);
    const t = checkList(cluster, list, { mode: 'match', reference: true });
    assert.ok(t.allowed > 0 && t.allowed < t.probes, 'the probes see both answers');
  }
});

/** Generated pods grouped into made-up workloads, some of whose pods differ in labels. */
function withWorkloads(c: Cluster): Cluster {
  const pods = c.pods.map((p, i): Pod => (i % 3 === 2 ? p : { ...p, workload: { kind: i % 2 ? 'Deployment' : 'StatefulSet', name: `w${i % 2}` } }));
  return { ...c, pods };
}

test('generated clusters: every pair, port edge and address edge agrees with the Evaluator and the reference', () => {
  let probes = 0, allowed = 0, splits = 0, lists = 0;
  for (let seed = 7000; seed < 7024; seed++) {
    const g = generateCluster(seed);
    const modes = seed % 4 === 0 ? (['match', 'ignore', 'depends'] as const) : seed % 2 ? (['match'] as const) : (['ignore'] as const);
    for (const mode of modes) {
      for (const cluster of [g.cluster, withWorkloads(g.cluster)]) {
        const by = cluster === g.cluster && seed % 3 === 0 ? 'pod' : 'workload';
        const list = listConnections(cluster, { ipBlockPods: mode, by });
        checkPartition(list);
        const t = checkList(cluster, list, { mode, reference: seed % 3 === 1, externalIps: g.externalIps });
        probes += t.probes;
        allowed += t.allowed;
        splits += list.warnings.length;
        lists++;
      }
    }
  }
  assert.ok(lists >= 48, `${lists} lists`);
  assert.ok(allowed > 1000 && probes - allowed > 1000, `both answers seen (${allowed} allowed of ${probes})`);
  assert.ok(splits > 0, 'some made-up workloads were split');
});

// ---- workloads, splits and self traffic ----------------------------------------------------

const sel = (matchLabels: Record<string, string> = {}) => ({ matchLabels, matchExpressions: [] });
function pod(ns: string, name: string, labels: Record<string, string>, workload?: string, ports: Pod['ports'] = []): Pod {
  return { kind: 'Pod', name, namespace: ns, labels, ips: [], ports, hostNetwork: false, ...(workload ? { workload: { kind: 'Deployment', name: workload } } : {}) };
}
function policy(ns: string, name: string, spec: Partial<NetworkPolicy>): NetworkPolicy {
  return { kind: 'NetworkPolicy', name, namespace: ns, podSelector: sel(), policyTypes: ['Ingress'], policyTypesDefaulted: false, ingress: [], egress: [], ...spec };
}
function cluster(pods: Pod[], policies: NetworkPolicy[]): Cluster {
  const nss = [...new Set(pods.map((p) => p.namespace))];
  return { namespaces: nss.map((n) => ({ kind: 'Namespace', name: n, labels: { 'kubernetes.io/metadata.name': n }, implicit: false })), pods, policies };
}
const pairs = (l: ConnectionList) => l.connections.map((c) => `${c.from.label} -> ${c.to.label}`);

test('a workload whose pods differ in labels a selector reads is split, with a warning', () => {
  // api-2 carries tier=canary, which the policy reads: it may not reach db, the other two may.
  const c = cluster([
    pod('p', 'api-0', { app: 'api' }, 'api'), pod('p', 'api-1', { app: 'api', build: '7' }, 'api'), pod('p', 'api-2', { app: 'api', tier: 'canary' }, 'api'),
    pod('p', 'db', { app: 'db' }),
  ], [policy('p', 'db', {
    podSelector: sel({ app: 'db' }),
    ingress: [{ path: 'spec.ingress[0]', ports: [], peers: [{ path: 'spec.ingress[0].from[0]', podSelector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: [] }] } }] }],
  })]);
  const list = listConnections(c);
  assert.equal(list.warnings.length, 1);
  assert.match(list.warnings[0]!, /^p\/api\[Deployment\]: .*#1: api-0, api-1 \{app=api\}; #2: api-2 \{app=api, tier=canary\}/);
  const ids = list.ends.filter((e) => e.kind === 'workload').map((e) => e.id);
  assert.deepEqual(ids, ['p/api[Deployment]#1', 'p/api[Deployment]#2', 'p/db[Pod]']);
  const toDb = pairs(list).filter((p) => p.endsWith('-> p/db[Pod]'));
  assert.deepEqual(toDb, ['p/api[Deployment]#1 -> p/db[Pod]']);
  checkList(c, list, { mode: 'match', reference: true });
  // build=7 is read by no selector: no split when only such labels differ.
  const same = listConnections(cluster(c.pods.filter((p) => p.name !== 'api-2'), c.policies));
  assert.deepEqual(same.warnings, []);
  assert.ok(same.ends.some((e) => e.id === 'p/api[Deployment]' && e.pods.length === 2), 'one end for both pods');
});

test('self traffic: one pod is not a pair; pods of one workload are, when the policies allow it', () => {
  const one = cluster([pod('p', 'solo-0', { app: 'solo' }, 'solo'), pod('p', 'web', { app: 'web' })], []);
  assert.ok(!pairs(listConnections(one)).includes('p/solo[Deployment] -> p/solo[Deployment]'), 'a single pod is no pair');
  const two = cluster([pod('p', 'duo-0', { app: 'duo' }, 'duo'), pod('p', 'duo-1', { app: 'duo' }, 'duo')], []);
  const l2 = listConnections(two);
  assert.deepEqual(l2.connections.filter((c) => c.from === c.to).map((c) => [c.from.label, c.allowed]), [['p/duo[Deployment]', ALL]]);
  // Deny all ingress: the two pods may no longer talk to each other.
  const denied = cluster(two.pods as Pod[], [policy('p', 'deny', {})]);
  const l3 = listConnections(denied);
  assert.ok(!pairs(l3).includes('p/duo[Deployment] -> p/duo[Deployment]'), 'denied pods of one workload are no pair');
  checkList(denied, l3, { mode: 'match', reference: true });
  // --by pod never lists a pod reaching itself.
  assert.ok(listConnections(two, { by: 'pod' }).connections.every((c) => c.from !== c.to), 'no pod reaches itself in the list');
});

test('named ports resolve per destination; ranges merge across atoms', () => {
  const c = cluster([
    pod('p', 'a', { app: 'a' }, undefined, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]),
    pod('p', 'b', { app: 'b' }, undefined, [{ name: 'http', containerPort: 9090, protocol: 'TCP' }]),
    pod('p', 'c', { app: 'c' }),
  ], [policy('p', 'in', {
    ingress: [
      { path: 'spec.ingress[0]', peers: [], ports: [{ protocol: 'TCP', port: 'http', path: 'x' }, { protocol: 'TCP', port: 100, endPort: 200, path: 'y' }] },
      { path: 'spec.ingress[1]', peers: [], ports: [{ protocol: 'TCP', port: 150, endPort: 300, path: 'z' }, { protocol: 'UDP', path: 'u' }] },
    ],
  })]);
  const list = listConnections(c, { by: 'pod' });
  const get = (f: string, t: string) => list.connections.find((x) => x.from.label === f && x.to.label === t)?.allowed;
  assert.deepEqual(get('p/c', 'p/a'), { TCP: [[100, 300], [8080, 8080]], UDP: [[1, 65535]], SCTP: [] });
  assert.deepEqual(get('p/c', 'p/b'), { TCP: [[100, 300], [9090, 9090]], UDP: [[1, 65535]], SCTP: [] });
  assert.deepEqual(get('p/a', 'p/c'), { TCP: [[100, 300]], UDP: [[1, 65535]], SCTP: [] });
  checkList(c, list, { mode: 'match', reference: true });
});

// ---- filters -------------------------------------------------------------------------------

test('filters: --from/--to by namespace, workload, label and address; --port by number, range, name and protocol', () => {
  const { cluster: c } = load('examples/db-protection');
  const full = listConnections(c);
  const run = (o: ListOptions) => listConnections(c, o);
  const restricted = (keepFrom: (l: string) => boolean, keepTo: (l: string) => boolean) =>
    full.connections.filter((x) => keepFrom(x.from.label) && keepTo(x.to.label)).map((x) => `${x.from.label} -> ${x.to.label}`);
  assert.deepEqual(pairs(run({ from: [end('staging')] })), restricted((l) => l.startsWith('staging/'), () => true));
  assert.deepEqual(pairs(run({ to: [end('prod/db')] })), ['prod/api[Deployment] -> prod/db[StatefulSet]', '192.168.5.10/32 -> prod/db[StatefulSet]']);
  assert.deepEqual(pairs(run({ from: [end('prod/role=db')] })), ['prod/db[StatefulSet] -> 192.168.5.10/32']);
  assert.deepEqual(pairs(run({ from: [end('prod/api-0')], to: [end('prod/db')] })), ['prod/api[Deployment] -> prod/db[StatefulSet]']);
  // An address selects the external end holding it; a CIDR every end it overlaps.
  assert.deepEqual(pairs(run({ from: [end('prod/db')], to: [end('10.1.2.3')] })), []);
  assert.deepEqual(run({ from: [end('192.168.5.0/24')], to: [end('prod/db')] }).connections.map((x) => x.from.id), [BACKUP]);
  assert.equal(run({ from: [end('192.168.5.0/24')] }).connections.filter((x) => x.from.id !== BACKUP).length, 3, 'the remainder overlaps 192.168.5.0/24 too');
  // Ports: the reported sets are cut down to the filter; pairs left empty disappear.
  const p3306 = run({ ports: [port('3306')] });
  for (const x of p3306.connections) for (const p of ['TCP', 'UDP', 'SCTP'] as const) for (const [a, b] of x.allowed[p]) assert.ok(a === 3306 && b === 3306);
  assert.ok(p3306.connections.some((x) => x.to.label === DB && x.allowed.TCP.length === 1), 'db is still listed on 3306');
  assert.deepEqual(run({ from: [end('prod/db')], ports: [port('3306')] }).connections, []);
  const range = run({ from: [end('prod/web')], to: [end('prod/api')], ports: [port('5000-5010/UDP'), port('22/TCP')] });
  assert.deepEqual(range.connections.map((x) => x.allowed), [{ TCP: [[22, 22]], UDP: [[5000, 5010]], SCTP: [] }]);
  // A name resolves on the destination: `mysql` is TCP 3306 on db only.
  assert.deepEqual(run({ ports: [port('mysql')] }).connections.map((x) => [x.from.label, x.to.label, x.allowed]), [
    [API, DB, tcp([3306, 3306])], [BACKUP, DB, tcp([3306, 3306])],
  ]);
  // Filters that match nothing are reported, so a typo is not an empty answer.
  assert.deepEqual(run({ from: [end('prod/nope')], to: [end('nowhere')] }).unmatched, ['prod/nope', 'nowhere']);
});

test('an address filter selects the pods with that address and the external end holding it', () => {
  const a = { ...pod('p', 'a', {}), ips: ['10.0.0.5'] }, b = pod('p', 'b', {});
  const list = listConnections(cluster([a, b], []), { by: 'pod', from: [end('p/b')], to: [end('10.0.0.5')] });
  assert.deepEqual(list.connections.map((c) => [c.to.id, c.allowed]), [['p/a', ALL], ['0.0.0.0/0', ALL]]);
  assert.deepEqual(listConnections(cluster([a, b], []), { to: [end('10.0.0.0/8')], from: [end('10.0.0.0/8')] }).connections.map((c) => `${c.from.label} -> ${c.to.label}`),
    ['p/a[Pod] -> 0.0.0.0/0', '0.0.0.0/0 -> p/a[Pod]']);
});

test('filter parsing rejects what is not an end or a port', () => {
  assert.deepEqual(parseEndFilter('prod/app.kubernetes.io/name=api'), { kind: 'label', text: 'prod/app.kubernetes.io/name=api', namespace: 'prod', key: 'app.kubernetes.io/name', value: 'api' });
  assert.equal(parseEndFilter('10.0.0.0/8').kind, 'ip');
  for (const bad of ['', '/x', 'prod/', 'a=b']) assert.ok('error' in parseEndFilter(bad), bad);
  for (const bad of ['0', '65536', '90-80', '80/ICMP', 'Http', 'a_b', '1-2-3']) assert.ok('error' in parsePortFilter(bad), bad);
  assert.deepEqual(parsePortFilter('53/udp'), { kind: 'range', text: '53/udp', first: 53, last: 53, protocol: 'UDP' });
});

// ---- formats -------------------------------------------------------------------------------

test('formats: aligned text with "all", CSV per range, Markdown table', () => {
  const { cluster: c } = load('examples/db-protection');
  const list = listConnections(c, { from: [end('prod')], to: [end('prod/db'), end('prod/web'), end('192.168.5.10')] });
  assert.equal(renderListText(list), [
    'prod/api[Deployment] -> prod/db[StatefulSet]  TCP 3306',
    'prod/api[Deployment] -> prod/web[Deployment]  all',
    'prod/api[Deployment] -> 192.168.5.10/32       all',
    'prod/db[StatefulSet] -> 192.168.5.10/32       TCP 80',
    'prod/web[Deployment] -> 192.168.5.10/32       all',
  ].join('\n'));
  const csv = renderListCsv(listConnections(c, { from: [end('prod/api')], to: [end('prod/db'), end('prod/web')] })).split('\n');
  assert.deepEqual(csv, [
    'from,to,protocol,first_port,last_port,depends',
    'prod/api[Deployment],prod/db[StatefulSet],TCP,3306,3306,',
    'prod/api[Deployment],prod/web[Deployment],TCP,1,65535,',
    'prod/api[Deployment],prod/web[Deployment],UDP,1,65535,',
    'prod/api[Deployment],prod/web[Deployment],SCTP,1,65535,',
  ]);
  assert.equal(renderListMarkdown(list).split('\n')[2], '| prod/api\\[Deployment\\] | prod/db\\[StatefulSet\\] | TCP 3306 |');
  assert.equal(renderListText(listConnections(c, { from: [end('prod/db')], to: [end('prod/web')] })), 'no allowed connections');
  // A remainder range reads as "everything except" in text; JSON keeps the CIDR list.
  const rest = listConnections(c, { from: [end('prod/web')], to: [end('1.2.3.4')] });
  assert.match(renderListText(rest), /-> 0\.0\.0\.0\/0 except 192\.168\.5\.10\/32  all$/);
  assert.deepEqual(listToJson(rest).connections[0]!.to, REST_V4);
});

test('external ends: grouped by the ipBlocks holding them, named by CIDRs or "X except Y" in text', () => {
  const blk = (cidr: string, except: string[] = []) => ({ path: 'spec.egress[0].to[0]', ipBlock: { cidr, except } });
  const c = cluster([pod('p', 'a', {})], [policy('p', 'out', { policyTypes: ['Egress'], egress: [{ path: 'spec.egress[0]', ports: [{ protocol: 'TCP', port: 443, path: 'x' }], peers: [blk('10.0.0.0/8', ['10.1.0.0/16']), blk('2001:db8::/32', ['2001:db8::1/128'])] }] })]);
  const list = listConnections(c);
  checkPartition(list);
  checkList(c, list, { mode: 'match', reference: true, externalIps: ['10.1.2.3', '10.200.0.1', '11.0.0.1', '2001:db8::1', '2001:db8::2'] });
  assert.equal(renderListText(listConnections(c, { from: [end('p')] })), [
    'p/a[Pod] -> 10.0.0.0/8 except 10.1.0.0/16         TCP 443',
    'p/a[Pod] -> 2001:db8::/32 except 2001:db8::1/128  TCP 443',
  ].join('\n'));
  const json = listToJson(list).connections.filter((x) => x.from === 'p/a[Pod]').map((x) => x.to);
  assert.deepEqual(json[0], ['10.0.0.0/16', '10.2.0.0/15', '10.4.0.0/14', '10.8.0.0/13', '10.16.0.0/12', '10.32.0.0/11', '10.64.0.0/10', '10.128.0.0/9']);
  assert.equal((json[1] as string[]).length, 96, 'a v6 /32 minus its address 1: ::/128, then /127 up to /33');
  // Everything else of each family is one end each (10.1.0.0/16 included: no ipBlock holds it).
  assert.equal(list.ends.filter((e) => e.kind === 'external').length, 4);
  // A very long name does not push every other line's columns away.
  const lines = renderListText(list).split('\n');
  assert.ok(lines.every((l) => l.startsWith('p/a[Pod] -> ') || l.indexOf(' -> ') <= 48 || !/^\S+ {2,}->/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('10.0.0.0/8 except 10.1.0.0/16') && l.indexOf(' -> ') === 48), lines.join('\n'));
});

test('formats: hostile names stay data in text, CSV and Markdown', () => {
  const evil = 'a,b"c|d\ne\u001b[31m';
  const c = cluster([pod('p', evil, {}), pod('p', 'x', {})], []);
  const list = listConnections(c, { by: 'pod', from: [end('p/x')], to: [end(`p/${evil}`)] });
  assert.equal(list.connections.length, 1);
  const text = renderListText(list);
  assert.ok(!/[\u0000-\u001f]/.test(text.replace(/\n/g, '')) && !text.includes('\n'), 'one line, no control characters');
  assert.ok(text.includes('\\x1b') && text.includes('\\n'), text);
  const csv = renderListCsv(list).split('\r\n').join('\n');
  // RFC 4180 quoting; the newline stays data inside the quotes, ESC becomes a visible escape.
  assert.ok(csv.includes('"p/a,b""c|d\ne\\x1b[31m"'), csv);
  const md = renderListMarkdown(list).split('\n');
  assert.equal(md.length, 3, 'one table row');
  assert.ok(md[2]!.includes('b"c\\|d\\\\ne\\\\x1b\\[31m'), md[2]);
  assert.equal(md[2]!.split(/(?<!\\)\|/).length, 5, 'the name adds no column');
});
