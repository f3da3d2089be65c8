// The Go-side view of a NetworkPolicy after strict decoding, before defaulting: value fields
// hold their zero value when absent or null ('' / [] / {}), pointer fields are undefined when
// absent or null. Label maps keep document order as [key, value] pairs (Go map order is random,
// so upstream has no fixed order there). Validation reads only this, never the raw document.

import type { DOwnerReference } from './owner-references.js';

export type LabelPairs = [string, string][];

export interface DRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface DSelector {
  matchLabels: LabelPairs;
  matchExpressions: DRequirement[];
}

export interface DIPBlock {
  cidr: string;
  except: string[];
}

export interface DPeer {
  podSelector?: DSelector;
  namespaceSelector?: DSelector;
  ipBlock?: DIPBlock;
  /** Fields written with an explicit null (`- podSelector:`), for hints only. */
  $null: string[];
}

export interface DPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface DIngressRule {
  ports: DPort[];
  from: DPeer[];
}

export interface DEgressRule {
  ports: DPort[];
  to: DPeer[];
}

export interface DSpec {
  podSelector: DSelector;
  ingress: DIngressRule[];
  egress: DEgressRule[];
  policyTypes: string[];
}

export interface DObjectMeta {
  name: string;
  generateName: string;
  namespace: string;
  labels: LabelPairs;
  annotations: LabelPairs;
  ownerReferences: DOwnerReference[];
}

export interface DNetworkPolicy {
  apiVersion: string;
  kind: string;
  metadata: DObjectMeta;
  spec: DSpec;
}
