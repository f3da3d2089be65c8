// netpol snapshot: what --cluster reads, as one List file every offline command can use.
import { writeFile } from 'node:fs/promises';
import { snapshotText } from '../../node/cluster/snapshot.js';
import { CliError, oneOf, readLiveFor, write, type LoadFlags } from '../shared.js';

export interface SnapshotFlags extends LoadFlags {
  output?: string;
  format: string;
}

export async function snapshotCommand(flags: SnapshotFlags): Promise<number> {
  const format = oneOf(flags.format, ['yaml', 'json'] as const, '--format');
  const live = await readLiveFor(flags);
  const text = snapshotText(live.objects, format);
  if (flags.output) {
    try {
      await writeFile(flags.output, text);
    } catch (e) {
      throw new CliError(`netpol: cannot write ${flags.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
    }
    process.stderr.write(`netpol: wrote ${live.objects.length} objects from context "${live.connection.context}" to ${flags.output}\n`);
  } else {
    write(text);
  }
  for (const r of live.notServed) if (r.group === 'policy.networking.k8s.io') process.stderr.write(`netpol: note: the cluster does not serve ${r.plural}.${r.group}/${r.version}; none read\n`);
  return 0;
}
