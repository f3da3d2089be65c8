// netpol watch: every reachability change in the live cluster, as it happens.
import { parseProbes } from './matrix.js';
import { oneOf, type LoadFlags } from '../shared.js';

export interface WatchFlags extends LoadFlags {
  format: string;
  port: string[];
}

export async function watchCommand(flags: WatchFlags): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json'] as const, '--format');
  const probes = flags.port.length ? parseProbes(flags.port) : undefined;
  const { connect } = await import('../../node/cluster/client.js');
  const { watchCluster } = await import('../../node/cluster/watch.js');
  const namespaces = flags.namespace?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const connection = connect({ kubeconfig: flags.kubeconfig, context: flags.context });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  // List, then watch from the list's version, until Ctrl+C.
  await watchCluster({
    connection, namespaces: namespaces?.length ? namespaces : undefined, probes, format, signal: stop.signal,
    pageSize: process.env.NETPOL_PAGE_SIZE ? Number(process.env.NETPOL_PAGE_SIZE) : undefined,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  return 0;
}
