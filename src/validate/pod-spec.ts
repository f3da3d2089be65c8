// The parts of a pod spec netpol reads, checked as kubernetes/kubernetes
// pkg/apis/core/validation/validation.go does on create (ValidatePodSpec -> validateContainers
// -> validateContainerPorts, validateHostNetwork), after SetDefaults_ContainerPort (protocol
// "" -> TCP) and SetDefaults_Pod (hostNetwork: hostPort defaults to containerPort).
import { child, index } from '../diagnostics/field-path.js';
import { invalid, notSupported, renderValue, required, withHint, type FieldError } from './field-errors.js';
import { isValidPortName, isValidPortNum } from './names.js';
import { closest } from './suggest.js';

export interface DContainerPort {
  name: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP: string;
}

export interface DContainer {
  name: string;
  ports: DContainerPort[];
}

export interface DPodSpec {
  containers: DContainer[];
  initContainers: DContainer[];
  hostNetwork: boolean;
}

/** supportedPortProtocols, listed sorted as sets.List does. */
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function duplicate(path: string, value: unknown): FieldError {
  return { type: 'Duplicate value', path, message: `Duplicate value: ${renderValue(value)}` };
}

function protocolHint(p: string): string | undefined {
  const upper = p.toUpperCase();
  if (PROTOCOLS.includes(upper)) return `protocols are upper case: "${upper}"`;
  const c = closest(p, PROTOCOLS);
  return c ? `did you mean "${c}"?` : undefined;
}

function portNameHint(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower !== name && isValidPortName(lower).length === 0) return `port names are lower case: "${lower}"`;
  if (name.length > 15) return 'port names (IANA_SVC_NAME) are at most 15 characters';
  if (/^\d+$/.test(name)) return 'a port name needs a letter; for a port number use `containerPort`';
  return undefined;
}

/** validateContainerPorts: names valid and unique within the container, ports in range, protocol. */
export function validateContainerPorts(ports: readonly DContainerPort[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index(path, i);
    if (port.name.length > 0) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(withHint(invalid(child(p, 'name'), port.name, msg), portNameHint(port.name)));
      else if (names.has(port.name)) errs.push(withHint(duplicate(child(p, 'name'), port.name), 'port names must be unique within a pod'));
      else names.add(port.name);
    }
    if (port.containerPort === 0) {
      errs.push(withHint(required(child(p, 'containerPort')), 'every container port needs `containerPort: <1-65535>`'));
    } else {
      for (const msg of isValidPortNum(port.containerPort)) errs.push(invalid(child(p, 'containerPort'), port.containerPort, msg));
    }
    if (port.hostPort !== 0) {
      for (const msg of isValidPortNum(port.hostPort)) errs.push(invalid(child(p, 'hostPort'), port.hostPort, msg));
    }
    const protocol = port.protocol === '' ? 'TCP' : port.protocol;
    if (!PROTOCOLS.includes(protocol)) errs.push(withHint(notSupported(child(p, 'protocol'), protocol, PROTOCOLS), protocolHint(protocol)));
  });
  return errs;
}

/**
 * Container ports of a pod spec at `path` (`spec`, `spec.template.spec`, ...). Port names are
 * checked per container upstream; the Pod API documents them as unique per pod, and a name
 * used by two containers makes a NetworkPolicy's named port ambiguous, so that is a warning.
 */
export function validatePodSpecPorts(spec: DPodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, string>();
  const visit = (containers: readonly DContainer[], field: string): void => {
    containers.forEach((c, ci) => {
      const cp = index(child(path, field), ci);
      errs.push(...validateContainerPorts(c.ports, child(cp, 'ports')));
      const inThis = new Set<string>();
      c.ports.forEach((port, pi) => {
        const pp = index(child(cp, 'ports'), pi);
        if (port.name && isValidPortName(port.name).length === 0 && !inThis.has(port.name)) {
          inThis.add(port.name);
          const other = seen.get(port.name);
          if (other) {
            errs.push({
              severity: 'warning', type: 'Duplicate value', path: child(pp, 'name'),
              message: `Duplicate value: ${renderValue(port.name)}: also named at ${other}`,
              hint: 'the API server accepts this, but a NetworkPolicy naming this port then matches either number; give each port of a pod its own name',
            });
          } else {
            seen.set(port.name, child(pp, 'name'));
          }
        }
        // validateHostNetwork: with hostNetwork the pod listens on the node, hostPort == containerPort.
        if (spec.hostNetwork && port.hostPort !== 0 && port.hostPort !== port.containerPort) {
          errs.push(invalid(child(pp, 'containerPort'), port.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      });
    });
  };
  visit(spec.containers, 'containers');
  visit(spec.initContainers, 'initContainers');
  return errs;
}

export interface DPodStatus {
  podIP: string;
  podIPs: { ip: string }[];
}
