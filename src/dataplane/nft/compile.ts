// NetworkPolicies -> one nftables table, as text for `nft -f`. Pure: the same cluster always
// gives the same text (golden-tested), and nothing here touches the system.
//
// Where it runs: the forward hook of the lab's node namespace, which routes between pods (each
// pod is a /32 route on its own veth), so every pod-to-pod packet crosses it exactly once.
// Shape, so that it stays small: one set of pod IPs per policy selector and per peer (deduplicated
// by meaning), one chain per policy and direction, one rule per (peer, port group) of a rule.
//   forward: established/related pass; isolated sources go through `egress`, the rest to `ingress`
//   egress:  each egress policy selecting the source may `goto ingress`; otherwise drop
//   ingress: non-isolated destinations accept; each ingress policy selecting it may accept; else drop
import { NAMESPACE_NAME_LABEL, type Cluster, type LabelSelector, type Namespace, type NetworkPolicy, type Peer, type Pod, type PolicyPort, type Protocol, type Rule } from '../../model/types.js';
import { formatSelector, isEmptySelector } from '../../match/selector.js';
import { peerSelectsPod, policySelectsPod } from '../../match/peer.js';
import { formatIp, parseIp } from '../../net/ip.js';
import { blockRanges, rangeToCidrs } from '../../net/cidr.js';
import { intIn, nftComment, NFT_IDENT } from './text.js';

export interface CompileOptions {
  /** nftables table name (family inet). */
  table?: string;
}

export interface NftRuleset {
  text: string;
  stats: { sets: number; chains: number; rules: number; elements: number; bytes: number };
}

interface NftSet {
  name: string;
  comment: string;
  type: string;
  interval: boolean;
  elements: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const PROTO: Record<Protocol, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
const proto = (p: unknown): string | undefined => (p === 'TCP' || p === 'UDP' || p === 'SCTP' ? PROTO[p] : undefined);
/** The pod's first IPv4 address, re-written from its parsed value (never the text as given). */
const v4 = (p: Pod): string | undefined => {
  for (const ip of p.ips) {
    const a = typeof ip === 'string' ? parseIp(ip) : undefined;
    if (a?.family === 4) return formatIp(a);
  }
  return undefined;
};
const port = (x: unknown) => intIn(x, 1, 65535);
const byIp = (a: string, b: string): number => {
  const x = parseIp(a.split(' ')[0]!.split('/')[0]!)!.value;
  const y = parseIp(b.split(' ')[0]!.split('/')[0]!)!.value;
  return x < y ? -1 : x > y ? 1 : a.localeCompare(b);
};

export function compileNftables(cluster: Cluster, options: CompileOptions = {}): NftRuleset {
  const table = options.table ?? 'netpol';
  if (!NFT_IDENT.test(table)) throw new Error(`nft table name ${JSON.stringify(table)}: use letters, digits and _`);
  const namespaces = new Map<string, Namespace>(cluster.namespaces.map((n) => [n.name, n]));
  const nsLabels = (name: string) => namespaces.get(name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
  const pods = cluster.pods.filter((p) => v4(p) !== undefined);
  const sets = new Map<string, NftSet>(); // by meaning
  const comments: string[] = [];

  const ipSet = (key: string, prefix: string, comment: string, members: Pod[]): string => {
    const hit = sets.get(key);
    if (hit) return hit.name;
    const name = `${prefix}_${[...sets.values()].filter((s) => s.name.startsWith(`${prefix}_`)).length}`;
    sets.set(key, { name, comment, type: 'ipv4_addr', interval: false, elements: members.map((p) => v4(p)!).sort(byIp) });
    return name;
  };
  /** The pods a policy selects: its podSelector, in its namespace (the peer rule without namespaceSelector). */
  const targets = (pol: NetworkPolicy): Pod[] =>
    pods.filter((p) => policySelectsPod(pol, p));
  const selected = (pol: NetworkPolicy): string =>
    ipSet(`sel ${pol.namespace} ${JSON.stringify(pol.podSelector)}`, 'sel',
      `${isEmptySelector(pol.podSelector) ? 'every pod' : `pods matching ${formatSelector(pol.podSelector)}`} in ${pol.namespace} (${pol.namespace}/${pol.name} spec.podSelector)`,
      targets(pol));

  /** The set a peer matches, or undefined for an IPv6 ipBlock (the lab's pods are IPv4 only). */
  const peerSet = (peer: Peer, pol: NetworkPolicy): string | undefined => {
    if (peer.ipBlock) {
      const { cidr, except } = peer.ipBlock;
      const ranges = blockRanges(cidr, except);
      if (ranges.length > 0 && ranges[0]!.family === 6) return undefined;
      const key = `block ${cidr} ${[...except].sort().join(',')}`;
      const hit = sets.get(key);
      if (hit) return hit.name;
      const name = `peer_${[...sets.values()].filter((s) => s.name.startsWith('peer_')).length}`;
      sets.set(key, { name, comment: `ipBlock ${cidr}${except.length ? ` except ${except.join(', ')}` : ''}`, type: 'ipv4_addr', interval: true, elements: ranges.flatMap(rangeToCidrs) });
      return name;
    }
    const nsSel: LabelSelector | undefined = peer.namespaceSelector;
    const podSel = peer.podSelector;
    const members = pods.filter((p) => peerSelectsPod(peer, pol.namespace, p.namespace, nsLabels(p.namespace), p.labels));
    const where = nsSel ? `namespaces matching ${formatSelector(nsSel)}` : `namespace ${pol.namespace}`;
    return ipSet(`peer ${nsSel ? JSON.stringify(nsSel) : `ns=${pol.namespace}`} ${JSON.stringify(podSel ?? null)}`, 'peer',
      `pods in ${where}${podSel ? ` matching ${formatSelector(podSel)}` : ''}`, members);
  };

  const namedSet = (name: string, protocol: Protocol): string => {
    const key = `named ${name}/${protocol}`;
    const hit = sets.get(key);
    if (hit) return hit.name;
    const setName = `port_${[...sets.values()].filter((s) => s.name.startsWith('port_')).length}`;
    const elements = pods.flatMap((p) => p.ports.filter((c) => c.name === name && c.protocol === protocol && port(c.containerPort) !== undefined)
      .map((c) => `${v4(p)} . ${PROTO[protocol]} . ${c.containerPort}`));
    sets.set(key, { name: setName, comment: `named port ${name} (${PROTO[protocol]}) on each pod that declares it`, type: 'ipv4_addr . inet_proto . inet_service', interval: false, elements: elements.sort(byIp) });
    return setName;
  };

  /** One nft match per group of ports; [''] means every port and protocol. */
  // A port the model cannot hold once validated (not an integer 1-65535, unknown protocol) is left
  // out: its rule then allows less, never more, and no text of it reaches the ruleset.
  const portMatches = (ports: readonly PolicyPort[]): string[] => {
    if (ports.length === 0) return [''];
    const out: string[] = [];
    for (const proto of ['TCP', 'UDP', 'SCTP'] as const) {
      const numeric = ports.filter((p) => p.protocol === proto && typeof p.port !== 'string');
      if (numeric.length === 0) continue;
      if (numeric.some((p) => p.port === undefined)) out.push(`meta l4proto ${PROTO[proto]}`);
      else {
        const vals = [...new Set(numeric.flatMap((p) => {
          const from = port(p.port);
          const to = p.endPort === undefined ? from : port(p.endPort);
          if (from === undefined || to === undefined || to < from) return [];
          return [to !== from ? `${from}-${to}` : `${from}`];
        }))];
        if (vals.length) out.push(`meta l4proto ${PROTO[proto]} th dport ${vals.length === 1 ? vals[0] : `{ ${vals.join(', ')} }`}`);
      }
    }
    for (const p of ports) if (typeof p.port === 'string' && proto(p.protocol)) out.push(`ip daddr . meta l4proto . th dport @${namedSet(p.port, p.protocol)}`);
    return out;
  };

  const ruleLines = (rule: Rule, dir: 'saddr' | 'daddr', verdict: string, pol: NetworkPolicy): string[] => {
    const lines = [`# ${nftComment(rule.path)}`];
    const peers: string[] = [];
    if (rule.peers.length === 0) peers.push('');
    for (const peer of rule.peers) {
      const s = peerSet(peer, pol);
      if (s) peers.push(`ip ${dir} @${s}`);
      else lines.push(`# ${nftComment(`${peer.path}: IPv6 ipBlock ${peer.ipBlock!.cidr} cannot match the lab's IPv4 pods`)}`);
    }
    const matches = portMatches(rule.ports);
    if (matches.length === 0) lines.push('# no valid port: this rule matches nothing');
    for (const peer of peers) for (const port of matches) lines.push([peer, port, verdict].filter(Boolean).join(' '));
    return lines;
  };

  const ingressIsolated = new Set<Pod>();
  const egressIsolated = new Set<Pod>();
  const chains: { name: string; body: string[] }[] = [];
  const egressJumps: string[] = [];
  const ingressJumps: string[] = [];
  cluster.policies.forEach((pol, k) => {
    const sel = selected(pol);
    const members = targets(pol);
    const id = `${pol.namespace}/${pol.name}`;
    for (const [type, rules, dir, verdict, isolated, jumps, suffix] of [
      ['Ingress', pol.ingress, 'saddr', 'accept', ingressIsolated, ingressJumps, 'in'],
      ['Egress', pol.egress, 'daddr', 'goto ingress', egressIsolated, egressJumps, 'eg'],
    ] as const) {
      if (!pol.policyTypes.includes(type)) continue;
      for (const p of members) isolated.add(p);
      if (rules.length === 0) {
        jumps.push(`# ${nftComment(`${id}: ${type.toLowerCase()} isolation only (no rules)`)}`);
        continue;
      }
      const chain = `pol_${k}_${suffix}`;
      jumps.push(`ip ${dir === 'saddr' ? 'daddr' : 'saddr'} @${sel} jump ${chain} # ${nftComment(id)}`);
      chains.push({ name: chain, body: [`# ${nftComment(`${id} spec.${type.toLowerCase()}`)}`, ...rules.flatMap((r) => ruleLines(r, dir, verdict, pol))] });
    }
  });
  if (pods.length < cluster.pods.length) comments.push(`# ${cluster.pods.length - pods.length} pod(s) without an IPv4 address are left out`);

  const isoSet = (name: string, members: Set<Pod>, what: string): NftSet =>
    ({ name, comment: `pods isolated for ${what}`, type: 'ipv4_addr', interval: false, elements: [...members].map((p) => v4(p)!).sort(byIp) });
  const allSets = [isoSet('ingress_isolated', ingressIsolated, 'ingress'), isoSet('egress_isolated', egressIsolated, 'egress'), ...sets.values()];
  const allChains = [
    { name: 'forward', body: ['type filter hook forward priority filter; policy drop;', 'ct state established,related accept', 'ct state invalid drop', 'ip saddr @egress_isolated goto egress', 'goto ingress'] },
    { name: 'egress', body: [...egressJumps, 'drop'] },
    { name: 'ingress', body: ['ip daddr != @ingress_isolated accept', ...ingressJumps, 'drop'] },
    ...chains,
  ];

  const out: string[] = [
    `# netpol: ${plural(cluster.policies.length, 'NetworkPolicy', 'NetworkPolicies')} over ${plural(pods.length, 'pod')}, compiled for the forward hook`,
    '# of the namespace that routes between pods. Loading this file replaces the table atomically.',
    ...comments,
    `table inet ${table} {}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
  ];
  for (const s of allSets) {
    out.push(`\t# ${nftComment(s.comment)}`, `\tset ${s.name} {`, `\t\ttype ${s.type}`);
    if (s.interval) out.push('\t\tflags interval');
    if (s.elements.length) out.push(`\t\telements = { ${s.elements.join(', ')} }`);
    out.push('\t}');
  }
  for (const c of allChains) {
    out.push('', `\tchain ${c.name} {`, ...c.body.map((l) => `\t\t${l}`), '\t}');
  }
  out.push('}', '');
  const text = out.join('\n');
  const rules = allChains.reduce((n, c) => n + c.body.filter((l) => !l.startsWith('#') && !l.startsWith('type ')).length, 0);
  return {
    text,
    stats: { sets: allSets.length, chains: allChains.length, rules, elements: allSets.reduce((n, s) => n + s.elements.length, 0), bytes: new TextEncoder().encode(text).length },
  };
}
