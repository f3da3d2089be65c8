// Features whose enforcement the API leaves to the network plugin. netpol assumes they are
// enforced as written; these notes say where a real cluster may differ. ipBlocks that cover pod
// IPs are the fourth such feature: see ipblock-covers-pods.
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { podId, type Pod } from '../../../model/types.js';
import type { LintRule } from '../context.js';

export const sctpDependsOnPlugin: LintRule = {
  id: 'sctp-depends-on-plugin',
  summary: 'a rule port uses SCTP: enforced only by plugins that support SCTP in NetworkPolicy',
  severity: 'info',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, port: pp } of ctx.ports()) {
      if (pp.protocol !== 'SCTP') continue;
      out.push(ctx.finding(this, p, `${pp.path}.protocol`,
        `SCTP port ${pp.port ?? '(every port)'}: whether SCTP rules are enforced depends on the network plugin (it must support SCTP policies); netpol assumes they are`,
        'check that your plugin supports SCTP in NetworkPolicy before relying on this rule'));
    }
    return out;
  },
};

export const endPortDependsOnPlugin: LintRule = {
  id: 'endport-depends-on-plugin',
  summary: 'a rule port uses endPort: a plugin without endPort support applies the rule to the first port only',
  severity: 'info',
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const { policy: p, port: pp } of ctx.ports()) {
      if (pp.endPort === undefined) continue;
      out.push(ctx.finding(this, p, `${pp.path}.endPort`,
        `ports ${pp.port}-${pp.endPort}/${pp.protocol}: a plugin that does not support endPort applies this entry to port ${pp.port} only (Kubernetes docs); netpol assumes the whole range`,
        'check that your plugin supports endPort (stable since Kubernetes 1.25)'));
    }
    return out;
  },
};

export const hostNetworkPodSelected: LintRule = {
  id: 'hostnetwork-pod-selected',
  summary: 'a policy selects, or a peer matches, a hostNetwork pod: how policies apply to them is undefined (up to the plugin)',
  severity: 'info',
  aliases: ['kube-linter:host-network', 'polaris:hostNetworkSet', 'kubescape:C-0041'],
  check(ctx) {
    const out: Diagnostic[] = [];
    const names = (pods: Pod[]) => pods.slice(0, 4).map(podId).join(', ') + (pods.length > 4 ? ', …' : '');
    for (const p of ctx.cluster.policies) {
      const pods = ctx.selected(p).filter((x) => x.hostNetwork);
      if (pods.length === 0) continue;
      out.push(ctx.finding(this, p, 'spec.podSelector',
        `selects ${names(pods)}, which use${pods.length === 1 ? 's' : ''} hostNetwork: the Kubernetes docs leave policy behaviour for hostNetwork pods undefined, and most plugins cannot tell their traffic from the node's`,
        'do not rely on NetworkPolicy to isolate hostNetwork pods; protect them at the node (host firewall) instead'));
    }
    if (!ctx.cluster.pods.some((x) => x.hostNetwork)) return out;
    for (const { policy: p, peer } of ctx.peers()) {
      const pods = ctx.peerPods(peer, p).filter((x) => x.hostNetwork);
      if (pods.length === 0) continue;
      out.push(ctx.finding(this, p, peer.path,
        `this peer matches ${names(pods)}, which use${pods.length === 1 ? 's' : ''} hostNetwork: their connections carry the node's IP, and whether a pod selector still matches them is up to the plugin`,
        'if the hostNetwork pods must be admitted, also allow their nodes\' IPs with an ipBlock; verify on your plugin'));
    }
    return out;
  },
};
