// Plain-words phrases for selectors, peers and ports. Shared by explain, lint and coverage.
import { formatSelector, isEmptySelector } from '../../match/selector.js';
import { NAMESPACE_NAME_LABEL, type LabelSelector, type Peer, type PolicyPort } from '../../model/types.js';

/** `pods labelled app=api` / `every pod`. */
export function describePods(s: LabelSelector): string {
  return isEmptySelector(s) ? 'every pod' : `pods labelled ${formatSelector(s)}`;
}

/** `namespaces labelled name=prod` / `namespace prod` / `every namespace`. */
export function describeNamespaces(s: LabelSelector): string {
  if (isEmptySelector(s)) return 'every namespace';
  const keys = Object.keys(s.matchLabels);
  if (keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL && s.matchExpressions.length === 0) return `namespace ${s.matchLabels[NAMESPACE_NAME_LABEL]}`;
  return `namespaces labelled ${formatSelector(s)}`;
}

/** One peer; the AND between its fields is spelled out. */
export function describePeer(peer: Peer, policyNs: string): string {
  if (peer.ipBlock) {
    const b = peer.ipBlock;
    return `addresses in ${b.cidr}${b.except.length ? ` except ${b.except.join(', ')}` : ''}`;
  }
  const ns = peer.namespaceSelector;
  const pod = peer.podSelector;
  if (ns && pod) {
    if (isEmptySelector(pod)) return `every pod in ${describeNamespaces(ns)}`;
    return `${describePods(pod)} AND in ${describeNamespaces(ns)}`;
  }
  if (ns) return `every pod in ${describeNamespaces(ns)}`;
  return `${describePods(pod!)} in namespace ${policyNs} (the policy's own)`;
}

export function describePort(p: PolicyPort): string {
  if (p.port === undefined) return `every ${p.protocol} port`;
  if (typeof p.port === 'string') return `${p.protocol} port named "${p.port}"`;
  return p.endPort !== undefined && p.endPort !== p.port ? `${p.protocol} ${p.port}-${p.endPort}` : `${p.protocol} ${p.port}`;
}

export function describePorts(ports: readonly PolicyPort[]): string {
  return ports.length === 0 ? 'every port and protocol' : ports.map(describePort).join(' OR ');
}
