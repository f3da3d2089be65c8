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
  for (const k in s.matchLabels) into.add(k);
  for (const r of s.matchExpressions) into.add(r.key);
}

const NONE: readonly number[] = [];

/**
 * Integer ids for label keys and (key, value) pairs: classes, the label index and group keys
 * work on numbers, with no `key=value` string built per pod, class or selector. Keys first
 * interned through `relevant` (the keys some selector reads) are ids 0 .. relevantCount - 1.
 */
export class LabelIds {
  private readonly keys = new Map<string, number>();
  /** Per key id: value -> pair id. */
  private readonly values: Map<string, number>[] = [];
  /** Per pair id: its key id. */
  readonly keyOfPair: number[] = [];
  readonly relevantCount: number;

  constructor(relevant: Iterable<string> = []) {
    for (const k of relevant) this.keyId(k);
    this.relevantCount = this.keys.size;
  }

  key(k: string): number | undefined {
    return this.keys.get(k);
  }

  keyId(k: string): number {
    let id = this.keys.get(k);
    if (id === undefined) {
      this.keys.set(k, (id = this.keys.size));
      this.values.push(new Map());
    }
    return id;
  }

  pair(keyId: number, v: string): number | undefined {
    return this.values[keyId]!.get(v);
  }

  pairId(keyId: number, v: string): number {
    const m = this.values[keyId]!;
    let id = m.get(v);
    if (id === undefined) {
      m.set(v, (id = this.keyOfPair.length));
      this.keyOfPair.push(keyId);
    }
    return id;
  }

  /** The relevant pairs of some labels, as ascending pair ids (a canonical form of the set). */
  relevantPairs(labels: Labels): number[] {
    const out: number[] = [];
    for (const k in labels) {
      const kid = this.keys.get(k);
      if (kid !== undefined && kid < this.relevantCount) out.push(this.pairId(kid, labels[k]!));
    }
    return out.length > 1 ? out.sort((a, b) => a - b) : out;
  }

  /**
   * A key for a podSelector, equal exactly when selectorKey's is: sorted pair ids for a plain
   * matchLabels selector (the common case), selectorKey's text otherwise. Its keys must be
   * interned already (a pod selector's keys are relevant), so no new key id is made here.
   */
  podSelectorKey(s: LabelSelector | undefined): string {
    if (!s || s.matchExpressions.length) return selectorKey(s);
    const ids: number[] = [];
    for (const k in s.matchLabels) {
      const kid = this.keys.get(k);
      if (kid === undefined) return selectorKey(s);
      ids.push(this.pairId(kid, s.matchLabels[k]!));
    }
    return `#${ids.sort((a, b) => a - b).join(',')}`;
  }
}

/** Inverted index over pod classes: label pair and label key -> class ids, namespace -> class ids. */
export class ClassIndex {
  /** Per pair id and per key id (ids.keyOfPair): ascending class ids. */
  private readonly byPair: number[][] = [];
  private readonly byKey: number[][] = [];
  readonly byNs = new Map<string, number[]>();

  constructor(readonly ids = new LabelIds()) {}

  /** Indexes class `id` under its labels, or under `pairs` (ids.relevantPairs of them) when given. */
  add(id: number, ns: string, labels: Labels, pairs?: readonly number[]): void {
    const l = this.byNs.get(ns);
    if (l) l.push(id);
    else this.byNs.set(ns, [id]);
    if (!pairs) {
      const own: number[] = [];
      for (const k in labels) own.push(this.ids.pairId(this.ids.keyId(k), labels[k]!));
      pairs = own;
    }
    for (const p of pairs) {
      (this.byPair[p] ??= []).push(id);
      (this.byKey[this.ids.keyOfPair[p]!] ??= []).push(id);
    }
  }

  private postings(k: string, v: string): readonly number[] {
    const kid = this.ids.key(k);
    const pid = kid === undefined ? undefined : this.ids.pair(kid, v);
    return (pid !== undefined && this.byPair[pid]) || NONE;
  }

  /**
   * A superset of the classes matching `s` (podSelector) within `namespaces`: the shortest
   * posting list among the selector's positive requirements, or every class of those namespaces.
   */
  candidates(s: LabelSelector | undefined, namespaces: readonly string[]): readonly number[] {
    let best: readonly number[] | undefined;
    let nsTotal = 0;
    for (const ns of namespaces) nsTotal += this.byNs.get(ns)?.length ?? 0;
    const consider = (l: readonly number[]) => {
      if (!best || l.length < best.length) best = l;
    };
    if (s) {
      for (const k in s.matchLabels) consider(this.postings(k, s.matchLabels[k]!));
      for (const r of s.matchExpressions) {
        if (r.operator === 'Exists') {
          const kid = this.ids.key(r.key);
          consider((kid !== undefined && this.byKey[kid]) || NONE);
        } else if (r.operator === 'In') consider(r.values.flatMap((v) => this.postings(r.key, v)));
      }
    }
    if (best && best.length < nsTotal) return best;
    return namespaces.length === 1 ? this.byNs.get(namespaces[0]!) ?? NONE : namespaces.flatMap((ns) => this.byNs.get(ns) ?? []);
  }
}
