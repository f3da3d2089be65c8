// Loading fixtures for the analysis tests.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadSources, type LoadResult } from '../../src/index.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const FIX = join(ROOT, 'test/analysis/fixtures');

function files(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((e) => files(join(p, e))).filter((f) => /\.ya?ml$/.test(f));
}

/** Load paths (relative to the repo root) as the CLI would; fails the test on input errors. */
export function load(...paths: string[]): LoadResult {
  const sources = paths.flatMap((p) => files(join(ROOT, p))).map((file) => ({ file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') }));
  const r = loadSources(sources);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture has errors: ${errors.map((d) => `${d.file}:${d.line} ${d.message}`).join('; ')}`);
  return r;
}
