// Node-only: paths (files, folders searched recursively, '-' for stdin) -> sources.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Source } from '../load/load.js';

const MANIFEST = /\.(ya?ml|json)$/i;

export class InputError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && MANIFEST.test(e.name)) out.push(p);
  }
}

export async function readSources(paths: readonly string[], maxBytes?: number): Promise<Source[]> {
  const sources: Source[] = [];
  for (const path of paths) {
    if (path === '-') {
      sources.push({ file: '<stdin>', text: await readStdin() });
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new InputError(`cannot read ${path}: no such file or directory`);
    }
    const files: string[] = [];
    if (info.isDirectory()) await walk(path, files);
    else files.push(path);
    for (const f of files) {
      // Refuse before reading a huge file into memory.
      const size = (await stat(f)).size;
      if (maxBytes !== undefined && size > maxBytes) {
        throw new InputError(`${f}: file is ${size} bytes, more than the limit of ${maxBytes} bytes (raise it with --max-bytes)`);
      }
      sources.push({ file: f, text: await readFile(f, 'utf8') });
    }
  }
  return sources;
}
