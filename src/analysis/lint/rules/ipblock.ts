// ipBlocks are meant for addresses outside the cluster; the whole internet is rarely meant, and
// on a dual-stack input "the whole internet" written for IPv4 only leaves IPv6 out.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { ipBlockContains } from '../../../match/peer.js';
import { familyRange, parseCidr, parseIp } from '../../../net/ip.js';
import { podId, type IPBlock, type Peer } from '../../../model/types.js';
import type { LintRule } from '../context.js';
import { editPolicy, withRules } from '../fix.js';

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map((c) => parseCidr(c)!);
const PRIVATE_TEXT = { 4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], 6: ['fc00::/7'] } as const;

/** The family of a /0 block (0.0.0.0/0 or ::/0), or undefined for any other cidr. */
function anyOf(b: IPBlock | undefined): 4 | 6 | undefined {
  const r = b && parseCidr(b.cidr);
  return r && r.first === 0n && r.last === familyRange(r.family).last ? r.family : undefined;
}

export const ipBlockCoversPods: LintRule = {
  id: 'ipblock-covers-pods',
  summary: 'an ipBlock covers pod IPs (or a whole private range where pod networks live); plugins disagree on whether that matches pods',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, peer } of ctx.peers()) {
      const b = peer.ipBlock;
      const range = b && parseCidr(b.cidr);
      if (!b || !range || anyOf(b)) continue;
      // A hostNetwork pod's IP is its node's: an ipBlock is the right way to match it.
      const pods = ctx.cluster.pods.filter((pod) => !pod.hostNetwork && pod.ips.some((ip) => ipBlockContains(b, ip)));
      const size = range.last - range.first + 1n;
      const wide = PRIVATE.find((pr) => pr.family === range.family && range.first <= pr.last && range.last >= pr.first && size >= (range.family === 4 ? 65536n : 1n << 80n));
      if (pods.length === 0 && !(wide && b.except.length === 0)) continue;
      const what = pods.length
        ? `covers the IPs of ${pods.slice(0, 5).map(podId).join(', ')}${pods.length > 5 ? ', …' : ''}`
        : `covers a large private range, where pod and node IPs usually are`;
      out.push(ctx.finding(this, p, `${peer.path}.ipBlock.cidr`,
        `ipBlock ${b.cidr} ${what}; whether ipBlocks match pod IPs is up to the plugin (Calico: yes, Cilium: no)`,
        'select pods with podSelector/namespaceSelector, and keep ipBlock for addresses outside the cluster (use except for the pod CIDR)'));
    }
    return out;
  },
};

export const ipBlockWholeInternet: LintRule = {
  id: 'ipblock-whole-internet',
  summary: 'an ipBlock of 0.0.0.0/0 or ::/0 without except admits every address, pods included on some plugins',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, direction: dir, rule: r, peer } of ctx.peers()) {
      const b = peer.ipBlock;
      const family = anyOf(b);
      if (!b || !family || b.except.length > 0) continue;
      const except = PRIVATE_TEXT[family];
      const fixed: Peer = { ...peer, ipBlock: { cidr: b.cidr, except } };
      out.push(ctx.finding(this, p, `${peer.path}.ipBlock.cidr`,
        dir === 'ingress'
          ? `ipBlock ${b.cidr} admits connections from every address on the internet${r.ports.length ? '' : ', on every port'}`
          : `ipBlock ${b.cidr} lets these pods reach every address${r.ports.length ? '' : ' on every port'}, including the cluster's own on some plugins`,
        `add except: [${except.join(', ')}] for "internet only", or list the addresses really needed`,
        { fix: (c) => editPolicy(c, p, (x) => withRules(x, dir, x[dir].map((y) => y.path !== r.path ? y
          : { ...y, peers: y.peers.map((z) => (z.path === peer.path ? fixed : z)) }))) }));
    }
    return out;
  },
};

/** An IPv6 address of the input (pod IP or ipBlock), when there is one. */
function ipv6Witness(ctx: Parameters<LintRule['check']>[0]): string | undefined {
  for (const pod of ctx.cluster.pods) {
    const ip = pod.ips.find((x) => parseIp(x)?.family === 6);
    if (ip) return `pod ${podId(pod)} has ${ip}`;
  }
  for (const { policy, peer } of ctx.peers()) {
    const b = peer.ipBlock;
    const v6 = b && [b.cidr, ...b.except].find((c) => parseCidr(c)?.family === 6);
    if (v6) return `${policy.namespace}/${policy.name} uses ipBlock ${v6}`;
  }
  return undefined;
}

export const ipv4AnyWithoutIpv6: LintRule = {
  id: 'ipv4-any-without-ipv6',
  summary: 'a rule admits 0.0.0.0/0 but not ::/0 while the input has IPv6 addresses: IPv6 traffic of dual-stack pods stays blocked',
  severity: 'warning',
  check(ctx) {
    const out: Diagnostic[] = [];
    const witness = ipv6Witness(ctx);
    if (!witness) return out;
    for (const { policy: p, direction: dir, rule: r, peer } of ctx.peers()) {
      if (anyOf(peer.ipBlock) !== 4 || r.peers.some((x) => anyOf(x.ipBlock) === 6)) continue;
      // Mirror the IPv4 block: "internet only" (with excepts) becomes ::/0 except the private IPv6 range.
      const v6: IPBlock = peer.ipBlock!.except.length ? { cidr: '::/0', except: PRIVATE_TEXT[6] } : { cidr: '::/0', except: [] };
      const text = v6.except.length ? `{cidr: ::/0, except: [${v6.except.join(', ')}]}` : '{cidr: ::/0}';
      out.push(ctx.finding(this, p, `${peer.path}.ipBlock.cidr`,
        `ipBlock 0.0.0.0/0 covers every IPv4 address, but this rule covers no IPv6 address, and the input is dual-stack (${witness}): IPv6 ${dir === 'ingress' ? 'clients are not admitted' : 'destinations are not reachable'}`,
        `add a peer "- ipBlock: ${text}" to the same rule`,
        { fix: (c) => editPolicy(c, p, (x) => withRules(x, dir, x[dir].map((y) => y.path !== r.path ? y
          : { ...y, peers: [...y.peers, { path: `${y.path}.${dir === 'ingress' ? 'from' : 'to'}[${y.peers.length}]`, ipBlock: v6 }] }))) }));
    }
    return out;
  },
};
