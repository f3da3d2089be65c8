// What the command table and the command modules share: the option helpers. Light on purpose
// (commander types only): main.ts and the table load it at every start-up.
import type { Command } from 'commander';

export type Run = (code: Promise<number>) => void;

export const SKIP_INVALID_FLAG = '--skip-invalid';
export const SKIP_INVALID_HELP = 'analyse the valid objects and leave out invalid ones (their errors on stderr; every output lists what was left out)';

/** Options every command that loads manifests accepts. */
export function loadOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', 'namespace for objects that name none (default "default")')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes')
    .option(SKIP_INVALID_FLAG, SKIP_INVALID_HELP);
}

export const collect = (v: string, prev: string[]) => [...prev, v];
