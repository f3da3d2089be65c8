// ipBlocks are meant for addresses outside the cluster; the whole internet is rarely meant.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { ipBlockContains } from '../../../match/peer.js';
import { parseCidr } from '../../../net/ip.js';
import { podId } from '../../../model/types.js';
import type { LintRule } from '../context.js';

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map((c) => parseCidr(c)!);

export const ipBlockCoversPods: LintRule = {
  id: 'ipblock-covers-pods',
  summary: 'an ipBlock covers pod IPs (or a whole private range where pod networks live); plugins disagree on whether that matches pods',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, peer } of ctx.peers()) {
      const b = peer.ipBlock;
      const range = b && parseCidr(b.cidr);
      if (!b || !range || range.last === range.first + (range.family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n)) continue;
      const pods = ctx.cluster.pods.filter((pod) => pod.ips.some((ip) => ipBlockContains(b, ip)));
      const size = range.last - range.first + 1n;
      const wide = PRIVATE.find((pr) => pr.family === range.family && range.first <= pr.last && range.last >= pr.first && size >= (range.family === 4 ? 65536n : 1n << 80n));
      if (pods.length === 0 && !(wide && b.except.length === 0)) continue;
      const what = pods.length
        ? `covers the IPs of ${pods.slice(0, 5).map(podId).join(', ')}${pods.length > 5 ? ', …' : ''}`
        : `covers a large private range, where pod and node IPs usually are`;
      out.push(ctx.finding(this.id, p, `${peer.path}.ipBlock.cidr`,
        `ipBlock ${b.cidr} ${what}; whether ipBlocks match pod IPs is up to the plugin (Calico: yes, Cilium: no)`,
        'select pods with podSelector/namespaceSelector, and keep ipBlock for addresses outside the cluster (use except for the pod CIDR)'));
    }
    return out;
  },
};

export const ipBlockWholeInternet: LintRule = {
  id: 'ipblock-whole-internet',
  summary: 'an ipBlock of 0.0.0.0/0 or ::/0 without except admits every address, pods included on some plugins',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, direction: dir, rule: r, peer } of ctx.peers()) {
      const b = peer.ipBlock;
      if (!b || b.except.length > 0 || !/\/0$/.test(b.cidr)) continue;
      out.push(ctx.finding(this.id, p, `${peer.path}.ipBlock.cidr`,
        dir === 'ingress'
          ? `ipBlock ${b.cidr} admits connections from every address on the internet${r.ports.length ? '' : ', on every port'}`
          : `ipBlock ${b.cidr} lets these pods reach every address${r.ports.length ? '' : ' on every port'}, including the cluster's own on some plugins`,
        'add except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] for "internet only", or list the addresses really needed'));
    }
    return out;
  },
};
