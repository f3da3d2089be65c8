// The CLI as a child process, asynchronously: the fake API server runs in the test's own
// process, so a synchronous spawn would block it.
import { spawn } from 'node:child_process';
import { ROOT } from './fixture.js';

export interface Run { code: number; stdout: string; stderr: string }

export function netpol(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', KUBECONFIG: '', ...env },
    });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d: Buffer) => { stdout += d; });
    c.stderr.on('data', (d: Buffer) => { stderr += d; });
    c.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Lint/check JSON without where each finding came from (a file line vs a cluster object), in
 *  one order (the output sorts by file and line, which differ). */
export function findings(json: string): string[] {
  return (JSON.parse(json) as { diagnostics: Record<string, unknown>[] }).diagnostics
    .map(({ file: _f, line: _l, column: _c, endLine: _el, endColumn: _ec, document: _d, ...rest }) => JSON.stringify(rest)).sort();
}
