// Generated policies → manifests (plain objects) and multi-document YAML, written by the yaml
// library (YAML 1.1 quoting, so go-yaml reads `on`, `yes`, `0777`… back as the strings they are);
// comments name the assertions each rule serves, made single-line and printable first.
import { Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import type { GenPolicy } from './build.js';
import { selectorYaml } from './select.js';

export function policyManifest(p: GenPolicy): Record<string, unknown> {
  const rule = (peerField: 'from' | 'to') => (r: GenPolicy['ingress'][number]) => {
    // An empty list means "every peer" (every port); written by leaving the field out.
    const out: Record<string, unknown> = {};
    if (r.peers.length) out[peerField] = r.peers;
    if (r.ports.length) out.ports = r.ports;
    return out;
  };
  const spec: Record<string, unknown> = { podSelector: selectorYaml(p.podSelector), policyTypes: p.policyTypes };
  if (p.policyTypes.includes('Ingress') && p.ingress.length) spec.ingress = p.ingress.map(rule('from'));
  if (p.policyTypes.includes('Egress') && p.egress.length) spec.egress = p.egress.map(rule('to'));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec };
}

/** One line, no control characters, no way to end the comment early. */
export function commentText(text: string): string {
  // C0/C1 controls, line and paragraph separators, bidi controls: shown as spaces.
  return ` ${text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')}`;
}

/** What the commented emitter reads of a generated policy (NetworkPolicy or tier policy). */
export interface Commented {
  comment?: string;
  ingress: readonly { serves: readonly string[] }[];
  egress: readonly { serves: readonly string[] }[];
}

/**
 * A manifest as YAML 1.1 (so `yes`, `on`, `0777` stay strings), with the policy's comment on top
 * and, above each rule, the assertions it serves. Shared by NetworkPolicy and tier generation.
 */
export function commentedYaml(manifest: unknown, p: Commented, header?: string): string {
  const doc = new Document(manifest, { version: '1.1' });
  doc.commentBefore = [header, p.comment].filter((c): c is string => !!c).map(commentText).join('\n');
  for (const dir of ['ingress', 'egress'] as const) {
    const seq = doc.getIn(['spec', dir], true);
    if (!isSeq(seq)) continue;
    (seq as YAMLSeq).items.forEach((item, i) => {
      const rule = p[dir][i];
      if (rule && isMap(item)) (item as YAMLMap).commentBefore = rule.serves.map((s) => commentText(`serves: ${s}`)).join('\n');
    });
  }
  return doc.toString({ lineWidth: 0 });
}

export function policyYaml(p: GenPolicy, header?: string): string {
  return commentedYaml(policyManifest(p), p, header);
}

export function policiesYaml(policies: readonly GenPolicy[], header?: string): string {
  return policies.map((p, i) => policyYaml(p, i === 0 ? header : undefined)).join('---\n');
}
