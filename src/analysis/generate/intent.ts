// What a generated policy set must do, whatever it was read from (expectations, flows):
// the connections to allow, and the directions of which pods are "governed" — closed world:
// a governed pod's ingress (egress) allows exactly the wanted connections into (out of) it.
import type { Pod, Protocol } from '../../model/types.js';

/** A pod, one address, or every address of a range (a CIDR end of an assertion). */
export type End = { kind: 'pod'; pod: Pod } | { kind: 'ip'; ip: string } | { kind: 'cidr'; cidr: string };

/** One connection to allow, with the assertions (or flows) it serves. */
export interface Want {
  from: End;
  to: End;
  port: number;
  protocol: Protocol;
  serves: string;
}

/** One connection that must stay closed (an explicit deny; the closed world denies the rest too). */
export type Deny = Want;

export interface Intent {
  allows: Want[];
  denies: Deny[];
  /** Pods whose ingress (egress) the generated set isolates: only wanted connections stay open. */
  ingress: Set<Pod>;
  egress: Set<Pod>;
  /** Allowed connections nobody asked for, forced by label granularity (reported as `extra`). */
  forced?: Set<string>;
}

export function endKey(e: End): string {
  return e.kind === 'pod' ? `pod:${e.pod.namespace}/${e.pod.name}` : `ip:${e.kind === 'ip' ? e.ip : e.cidr}`;
}

export function endName(e: End): string {
  return e.kind === 'pod' ? `${e.pod.namespace}/${e.pod.name}` : e.kind === 'ip' ? e.ip : e.cidr;
}

export function connKey(from: End, to: End, port: number, protocol: Protocol): string {
  return `${endKey(from)}>${endKey(to)}:${port}/${protocol}`;
}
