// Peer and target groups: the distinct (namespace scope, namespaceSelector, podSelector, ipBlock)
// combinations of all policies, each resolved once to the pod classes it selects, through an
// inverted label index instead of testing every class.
import type { IPBlock, LabelSelector, Labels } from '../model/types.js';
import { blockKey } from './ip-atoms.js';

export interface GroupSpec {
  /** Set for a podSelector without namespaceSelector (and for policy targets): that namespace only. */
  readonly scopeNs?: string;
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
  /** The ipBlock peers of one rule, as one group: a rule ORs its peers, so they can be merged. */
  readonly ipBlocks?: readonly IPBlock[];
}

export function selectorKey(s: LabelSelector | undefined): string {
  if (!s) return '-';
  const ml = Object.keys(s.matchLabels).sort().map((k) => `${k}=${s.matchLabels[k]}`);
  const me = s.matchExpressions.map((r) => `${r.key} ${r.operator} ${[...r.values].sort().join(',')}`).sort();
  return `{${ml.join(',')}|${me.join(';')}}`;
}

export function groupKey(g: GroupSpec): string {
  if (g.ipBlocks) return `ip:${g.ipBlocks.map(blockKey).join('|')}`;
  return `sel:${g.scopeNs ?? '*'}:${selectorKey(g.namespaceSelector)}:${selectorKey(g.podSelector)}`;
}

/** Keys any pod selector looks at: pod labels outside them cannot tell pods apart. */
export function selectorKeys(s: LabelSelector | undefined, into: Set<string>): void {
  if (!s) return;
  for (const k of Object.keys(s.matchLabels)) into.add(k);
  for (const r of s.matchExpressions) into.add(r.key);
}

/** Inverted index over pod classes: label pair and label key -> class ids, namespace -> class ids. */
export class ClassIndex {
  private readonly byPair = new Map<string, number[]>();
  private readonly byKey = new Map<string, number[]>();
  readonly byNs = new Map<string, number[]>();

  add(id: number, ns: string, labels: Labels): void {
    const push = (m: Map<string, number[]>, k: string) => {
      const l = m.get(k);
      if (l) l.push(id);
      else m.set(k, [id]);
    };
    push(this.byNs, ns);
    for (const [k, v] of Object.entries(labels)) {
      push(this.byPair, `${k}\u0000${v}`);
      push(this.byKey, k);
    }
  }

  /**
   * A superset of the classes matching `s` (podSelector) within `namespaces`: the shortest
   * posting list among the selector's positive requirements, or every class of those namespaces.
   */
  candidates(s: LabelSelector | undefined, namespaces: readonly string[]): number[] {
    let best: number[] | undefined;
    let nsTotal = 0;
    for (const ns of namespaces) nsTotal += this.byNs.get(ns)?.length ?? 0;
    const consider = (l: number[]) => {
      if (!best || l.length < best.length) best = l;
    };
    if (s) {
      for (const [k, v] of Object.entries(s.matchLabels)) consider(this.byPair.get(`${k}\u0000${v}`) ?? []);
      for (const r of s.matchExpressions) {
        if (r.operator === 'Exists') consider(this.byKey.get(r.key) ?? []);
        else if (r.operator === 'In') consider(r.values.flatMap((v) => this.byPair.get(`${r.key}\u0000${v}`) ?? []));
      }
    }
    if (best && best.length < nsTotal) return best;
    return namespaces.flatMap((ns) => this.byNs.get(ns) ?? []);
  }
}
