#!/usr/bin/env node
// The command line. The only error boundary and the only process.exit of netpol, which
// waits until all output is delivered.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { InputError } from '../node/read-sources.js';
import { COMMANDS } from './commands/index.js';
import { CliError, packageVersion } from './errors.js';
import type { Run } from './options.js';

export function buildProgram(run: Run): Command {
  const program = new Command('netpol')
    .description('Kubernetes NetworkPolicy engine: validate, evaluate, explain')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();
  // The command table (commands/index.ts); each implementation is imported when it runs.
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
    // A feature the engine does not have yet (tier policies in the class engine): a plain error, no stack.
    if (e instanceof Error && e.name === 'NotSupportedError') {
      process.stderr.write(`netpol: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`netpol: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

/**
 * A closed reader (`netpol matrix … | head`) is not an error: from then on output to that
 * stream is dropped (the stream is destroyed) and the command still exits with its own code.
 * Any other write error (disk full, …) is an I/O failure: exit 2, without a stack trace.
 */
function writeFailed(s: NodeJS.WriteStream, e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') return;
  if (s === process.stdout) process.stderr.write(`netpol: cannot write the output: ${e.message}\n`);
  process.exit(2);
}

/**
 * Exit with `code` once stdout and stderr have handed every byte to the OS. On a pipe Node
 * writes asynchronously, so exiting right after `write` loses whatever is still queued (all
 * but the first 64 KiB of `netpol matrix … | jq`). A write's callback runs after every earlier
 * write on that stream, so an empty write is the flush marker; on a stream that failed it calls
 * back at once. A failure may be recorded before its 'error' event is emitted: check it here.
 */
export function exitWhenFlushed(code: number): void {
  const flushed = (s: NodeJS.WriteStream) => new Promise<void>((done) => {
    if (s.destroyed || s.writableLength === 0) return done();
    s.write('', () => done());
  });
  const streams = [process.stdout, process.stderr];
  void Promise.all(streams.map(flushed)).then(() => {
    for (const s of streams) if (s.errored) writeFailed(s, s.errored as NodeJS.ErrnoException);
    process.exit(code);
  });
}

// Run when executed directly or through the npm bin link, not when imported by tests.
const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) {
  for (const s of [process.stdout, process.stderr]) s.on('error', (e: NodeJS.ErrnoException) => writeFailed(s, e));
  main(process.argv).then(exitWhenFlushed);
}
