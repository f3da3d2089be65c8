// What the command table and the command modules share: the option helpers. Light on purpose
// (commander types only): main.ts and the table load it at every start-up.
import type { Command } from 'commander';

export type Run = (code: Promise<number>) => void;

export const SKIP_INVALID_FLAG = '--skip-invalid';
export const SKIP_INVALID_HELP = 'analyse the valid objects and leave out invalid ones (their errors on stderr; every output lists what was left out)';

/** Options every command that loads manifests accepts. */
export function loadOptions(cmd: Command): Command {
  return clusterOptions(cmd
    .option('-n, --namespace <ns>', 'namespace for objects that name none (default "default"); with --cluster: read only these namespaces (repeatable or comma list)', joinNamespaces)
    .option('--max-bytes <n>', 'largest input file accepted, in bytes')
    .option(SKIP_INVALID_FLAG, SKIP_INVALID_HELP));
}

/** -n repeated: one comma list (a string, as the single-value flag always was). */
export const joinNamespaces = (v: string, prev?: string) => (prev ? `${prev},${v}` : v);

/** Reading the live cluster (docs/cluster.md); paths given with --cluster override its objects. */
export function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--cluster', 'read the live cluster (kubeconfig as kubectl: $KUBECONFIG, ~/.kube/config, in-cluster); paths given too override its objects of the same kind/namespace/name')
    .option('--kubeconfig <file>', 'kubeconfig file for --cluster')
    .option('--context <name>', 'kubeconfig context for --cluster');
}

export const collect = (v: string, prev: string[]) => [...prev, v];
