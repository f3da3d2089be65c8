// spec checks: kubernetes pkg/apis/networking/validation ValidateNetworkPolicySpec,
// ValidateNetworkPolicyPort and ValidateNetworkPolicyPeer, in upstream order: podSelector,
// each ingress rule (ports, then from), each egress rule (ports, then to), policyTypes.
import { child, index } from '../diagnostics/field-path.js';
import { forbidden, invalid, notSupported, required, withHint, type FieldError } from './field-errors.js';
import { validateIPBlock } from './ip-block.js';
import { validateLabelSelector } from './label-selector.js';
import { isValidPortName, isValidPortNum } from './names.js';
import { closest } from './suggest.js';
import type { DPeer, DPort, DSpec } from './decoded.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

function protocolHint(p: string): string {
  if (/^icmp/i.test(p)) return 'NetworkPolicy can only filter TCP, UDP and SCTP';
  if (p === '') return 'remove `protocol:` to get the default TCP, or write TCP, UDP or SCTP';
  const c = closest(p, PROTOCOLS);
  return c ? `did you mean "${c}"? protocol names are upper case` : 'use TCP, UDP or SCTP';
}

function portNameHint(name: string): string | undefined {
  if (/^\s*\d+\s*$/.test(name)) return `"${name}" is quoted, so it is a port name, not a number: remove the quotes`;
  const lower = name.toLowerCase();
  if (lower !== name && isValidPortName(lower).length === 0) return `port names are lower case: "${lower}"`;
  return undefined;
}

/** ValidateNetworkPolicyPort. */
function validatePort(port: DPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const portPath = child(path, 'port');
  const endPath = child(path, 'endPort');
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) {
    errs.push(withHint(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS), protocolHint(port.protocol)));
  }
  if (port.port !== undefined) {
    if (typeof port.port === 'number') {
      for (const msg of isValidPortNum(port.port)) {
        errs.push(withHint(invalid(portPath, port.port, msg), port.port === 0 ? 'leave `port` out to allow every port' : undefined));
      }
      if (port.endPort !== undefined) {
        // Upstream reports `port`'s value here, not endPort's.
        if (port.endPort < port.port) {
          errs.push(withHint(invalid(endPath, port.port, 'must be greater than or equal to `port`'),
            `endPort ${port.endPort} is below port ${port.port}: swap them?`));
        }
        for (const msg of isValidPortNum(port.endPort)) errs.push(invalid(endPath, port.endPort, msg));
      }
    } else {
      if (port.endPort !== undefined) {
        errs.push(withHint(invalid(endPath, port.endPort, 'may not be specified when `port` is non-numeric'),
          'a port range needs a numeric `port`; named ports cannot have a range'));
      }
      const hint = portNameHint(port.port);
      for (const msg of isValidPortName(port.port)) errs.push(withHint(invalid(portPath, port.port, msg), hint));
    }
  } else if (port.endPort !== undefined) {
    errs.push(withHint(invalid(endPath, port.endPort, 'may not be specified when `port` is not specified'),
      'add `port:` for the start of the range'));
  }
  return errs;
}

function emptyPeerHint(peer: DPeer): string {
  const nulled = peer.$null.find((f) => f === 'podSelector' || f === 'namespaceSelector' || f === 'ipBlock');
  if (nulled) {
    const what: Record<string, string> = {
      podSelector: 'write `podSelector: {}` to select every pod of the policy\'s namespace',
      namespaceSelector: 'write `namespaceSelector: {}` to select every namespace',
      ipBlock: 'give `ipBlock` a `cidr`',
    };
    return `\`${nulled}:\` with nothing after it is null, which counts as absent; ${what[nulled]}`;
  }
  return 'an empty peer matches nothing and is refused; to allow every source or destination leave out `from`/`to`';
}

/** ValidateNetworkPolicyPeer: selectors and ipBlock, then the peer-count rules. */
function validatePeer(peer: DPeer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let numPeers = 0;
  if (peer.podSelector) {
    numPeers++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (peer.namespaceSelector) {
    numPeers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (peer.ipBlock) {
    numPeers++;
    errs.push(...validateIPBlock(peer.ipBlock, child(path, 'ipBlock')));
  }
  if (numPeers === 0) {
    errs.push(withHint(required(path, 'must specify a peer'), emptyPeerHint(peer)));
  } else if (numPeers > 1 && peer.ipBlock) {
    errs.push(withHint(forbidden(path, 'may not specify both ipBlock and another peer'),
      'give the ipBlock its own list entry (its own "- "); entries in one list are ORed'));
  }
  return errs;
}

/** ValidateNetworkPolicySpec. */
export function validateSpec(spec: DSpec, path: string): FieldError[] {
  const errs = validateLabelSelector(spec.podSelector, child(path, 'podSelector'));
  spec.ingress.forEach((rule, i) => {
    const rp = index(child(path, 'ingress'), i);
    rule.ports.forEach((p, j) => errs.push(...validatePort(p, index(child(rp, 'ports'), j))));
    rule.from.forEach((p, k) => errs.push(...validatePeer(p, index(child(rp, 'from'), k))));
  });
  spec.egress.forEach((rule, i) => {
    const rp = index(child(path, 'egress'), i);
    rule.ports.forEach((p, j) => errs.push(...validatePort(p, index(child(rp, 'ports'), j))));
    rule.to.forEach((p, k) => errs.push(...validatePeer(p, index(child(rp, 'to'), k))));
  });
  const typesPath = child(path, 'policyTypes');
  if (spec.policyTypes.length > POLICY_TYPES.length) {
    // Upstream returns here: nothing else about policyTypes is checked.
    errs.push(withHint(invalid(typesPath, spec.policyTypes, 'may not specify more than two policyTypes'),
      'policyTypes holds at most Ingress and Egress; remove the extra entries'));
    return errs;
  }
  spec.policyTypes.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) {
      const c = closest(t, POLICY_TYPES);
      errs.push(withHint(notSupported(index(typesPath, i), t, POLICY_TYPES), c ? `did you mean "${c}"?` : undefined));
    }
  });
  return errs;
}
