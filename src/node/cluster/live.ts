// Node-only: the one entry the CLI uses to read a cluster (connect, discover, list), with
// progress on stderr only when stderr is a terminal.
import { connect, type Connection, type ConnectOptions } from './client.js';
import { readCluster, type ClusterRead } from './read.js';

export interface LiveOptions extends ConnectOptions {
  namespaces?: readonly string[];
  pageSize?: number;
}

export interface Live extends ClusterRead {
  connection: Connection;
}

export async function readLive(o: LiveOptions): Promise<Live> {
  const connection = connect(o);
  const read = await readCluster(connection, {
    namespaces: o.namespaces,
    pageSize: o.pageSize ?? (process.env.NETPOL_PAGE_SIZE ? Number(process.env.NETPOL_PAGE_SIZE) : undefined),
    progress: process.stderr.isTTY ? process.stderr : undefined,
  });
  return { ...read, connection };
}
