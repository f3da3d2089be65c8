// Node-only: paths (files, folders searched recursively, '-' for stdin) -> sources.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Source } from '../load/load.js';

const MANIFEST = /\.(ya?ml|json)$/i;

export class InputError extends Error {}

/** Reads a stream, refusing (and no longer buffering) past maxBytes: stdin, a FIFO or /dev/zero
 *  has no size to check up front, and a file may grow after its size was read. */
async function readLimited(stream: AsyncIterable<unknown>, name: string, maxBytes?: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (maxBytes !== undefined && size > maxBytes) {
      throw new InputError(`${name}: input is more than the limit of ${maxBytes} bytes (raise it with --max-bytes)`);
    }
    chunks.push(c as Buffer);
  }
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
      sources.push({ file: '<stdin>', text: await readLimited(process.stdin, '<stdin>', maxBytes) });
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
      let text;
      try {
        text = await readLimited(createReadStream(f), f, maxBytes);
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      sources.push({ file: f, text });
    }
  }
  return sources;
}
