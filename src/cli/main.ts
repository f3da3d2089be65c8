#!/usr/bin/env node
// The command line. The only error boundary and the only process.exit of netpol.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { InputError } from '../node/read-sources.js';
import { COMMANDS } from './commands/index.js';
import { CliError } from './shared.js';

export type Run = (code: Promise<number>) => void;

/** Options every command that loads manifests accepts. */
export function loadOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', 'namespace for objects that name none (default "default")')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes')
    .option(SKIP_INVALID_FLAG, SKIP_INVALID_HELP);
}

export const SKIP_INVALID_FLAG = '--skip-invalid';
export const SKIP_INVALID_HELP = 'analyse the valid objects and leave out invalid ones (their errors on stderr; every output lists what was left out)';

export const collect = (v: string, prev: string[]) => [...prev, v];

export function buildProgram(run: Run): Command {
  const program = new Command('netpol')
    .description('Kubernetes NetworkPolicy engine: validate, evaluate, explain')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  // One register function per command module; add new commands here.
  for (const register of COMMANDS) register(program, run);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram((p) => { pending = p; });
  try {
    await program.parseAsync(argv);
    return pending ? await pending : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      return e.code;
    }
    if (e instanceof InputError) {
      process.stderr.write(`netpol: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`netpol: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

// Run when executed directly or through the npm bin link, not when imported by tests.
const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) {
  // `netpol matrix … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 2));
  main(process.argv).then((code) => process.exit(code));
}
