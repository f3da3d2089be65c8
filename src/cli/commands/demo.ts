// netpol demo (what `npm start` runs): check, matrix, list and explained queries on the built-in example.
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { checkCommand } from './check.js';
import { listCommand } from './list.js';
import { matrixCommand } from './matrix.js';
import { queryCommand } from './query.js';
import { write } from '../shared.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'db-protection');

export async function demoCommand(): Promise<number> {
  const rel = 'examples/db-protection';
  const dir = relative(process.cwd(), EXAMPLE) || '.';
  write(`$ netpol check ${rel}`);
  const checked = await checkCommand([dir], { format: 'text' });
  write(`\n$ netpol matrix ${rel}`);
  await matrixCommand([dir], { port: [], filterNamespace: [], output: 'table', ipblockPods: 'match' });
  write(`\n$ netpol list ${rel} --to prod/db`);
  await listCommand([dir], { by: 'workload', from: [], to: ['prod/db'], port: [], output: 'text', ipblockPods: 'match' });
  // The example's pods have no IPs: a query says what its verdict assumes about the ipBlock peer.
  for (const [from, to, port] of [['prod/api', 'prod/db', '3306'], ['staging/api', 'prod/db', '3306'], ['prod/db', '192.168.5.10', '80']]) {
    write(`\n$ netpol query ${rel} --from ${from} --to ${to} --port ${port}`);
    await queryCommand([dir], { from: from!, to: to!, port: port!, output: 'text' });
  }
  // The same question by Service: each backing pod on the target port the Service maps to.
  write(`\n$ netpol query ${rel} --from prod/api --to svc:prod/db --port 3306`);
  await queryCommand([dir], { from: 'prod/api', to: 'svc:prod/db', port: '3306', output: 'text' });
  write(`\nNext: \`npx netpol check ${rel}-broken\` shows the mistakes people make in this policy,`);
  write(`and \`npx netpol serve ${rel}\` opens the web page on http://127.0.0.1:8080/.`);
  return checked;
}
