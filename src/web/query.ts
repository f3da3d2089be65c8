// Explain one connection: fill the query form and draw the engine's verdict with its path.
import { client } from './early';
import { $ } from './dom';
import { jump } from './files';
import { renderTrace } from './trace-view';

export async function explain(from: string, to: string, port: string): Promise<void> {
  $<HTMLInputElement>('q-from').value = from;
  $<HTMLInputElement>('q-to').value = to;
  $<HTMLInputElement>('q-port').value = port;
  renderTrace($('trace'), await client.call('explain', from, to, port), jump);
}

/** The first port of a set of ranges, as a query's port (`3306/TCP`). */
export function firstPort(r?: { TCP: [number, number][]; UDP: [number, number][]; SCTP: [number, number][] }): string | undefined {
  if (!r) return undefined;
  for (const p of ['TCP', 'UDP', 'SCTP'] as const) if (r[p].length) return `${r[p][0]![0]}/${p}`;
  return undefined;
}
