// The import graph of src/ and the rules it must keep: no cycles, imports only along the layer
// table of docs/ARCHITECTURE.md, `node:` only in the Node folders. Plain text scanning of
// import/export specifiers: the code base uses only static `import … from '…'`, `export … from
// '…'` and `import('…')` with literal paths, so nothing is missed (type-only imports count too:
// a type cycle is still a cycle between meanings).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Module (path relative to src/, e.g. `matrix/engine.ts`) → specifiers it imports. */
export type Graph = Map<string, Set<string>>;

const SPECIFIER = /(?:\bimport|\bexport)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every specifier in a module's text (comments are stripped first, so examples in them do not count). */
export function specifiersOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [...code.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2])!);
}

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Reads src/: local imports resolved to module paths, bare ones (`node:fs`, `ipaddr.js`) kept as written. */
export function readGraph(srcDir: string): Graph {
  const g: Graph = new Map();
  for (const file of walk(srcDir, [])) {
    const from = relative(srcDir, file).split('\\').join('/');
    const deps = new Set<string>();
    for (const s of specifiersOf(readFileSync(file, 'utf8'))) {
      if (!s.startsWith('.')) { deps.add(s); continue; }
      deps.add(relative(srcDir, resolve(dirname(file), s)).split('\\').join('/').replace(/\.js$/, '.ts'));
    }
    g.set(from, deps);
  }
  return g;
}

/** Strongly connected components of more than one module (or a module importing itself): the cycles. */
export function findCycles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [], out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || g.get(v)!.has(v)) out.push(scc.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The layer a module belongs to: its first folder under src/ (`index` for src/index.ts). */
export function layerOf(module: string): string {
  const i = module.indexOf('/');
  return i < 0 ? module.replace(/\.ts$/, '') : module.slice(0, i);
}

/** The folders everything below render/ may use ("core"): browser-safe. */
export const NODE_LAYERS = new Set(['cli', 'node', 'dataplane']);

/**
 * The "may import" column of the Layout table in docs/ARCHITECTURE.md, read as data:
 * `—` nothing; `everything`; `core` / `core folders` (every browser-safe folder); `all of the
 * above` (every row above); `src/index.ts`; otherwise comma-separated folder names, a
 * parenthesis only qualifying its name.
 */
export function readLayerTable(markdown: string): Map<string, Set<string> | 'everything'> {
  const rows: { layer: string; may: string }[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*`src\/([\w.-]+?)\/?`\s*\|[^|]*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m) rows.push({ layer: m[1]!.replace(/\.ts$/, ''), may: m[2]! });
  }
  const core = rows.map((r) => r.layer).filter((l) => !NODE_LAYERS.has(l) && l !== 'web');
  const table = new Map<string, Set<string> | 'everything'>();
  rows.forEach((r, i) => {
    const may = r.may.replace(/\([^)]*\)/g, '').trim();
    if (may === 'everything') return table.set(r.layer, 'everything');
    const out = new Set<string>();
    for (const part of may.split(',').map((s) => s.trim().replace(/`/g, ''))) {
      if (part === '—' || part === '') continue;
      else if (part === 'core' || part === 'core folders') core.forEach((l) => out.add(l));
      else if (part === 'all of the above') rows.slice(0, i).forEach((x) => out.add(x.layer));
      else if (part === 'src/index.ts') out.add('index');
      else if (/^[\w-]+$/.test(part)) out.add(part);
      else throw new Error(`docs/ARCHITECTURE.md layout table: cannot read "${part}" in the row of src/${r.layer}/`);
    }
    table.set(r.layer, out);
  });
  return table;
}

/**
 * The table closed under "through": a layer may use what the layers it may import may use (the
 * table names direct neighbours; matrix → match → net means matrix may use net). Also returns
 * the layers that reach themselves through others, which would make the direction meaningless.
 */
export function closeTable(table: Map<string, Set<string> | 'everything'>): { table: Map<string, Set<string> | 'everything'>; loops: string[] } {
  const closed = new Map<string, Set<string> | 'everything'>();
  const loops: string[] = [];
  for (const [layer, may] of table) {
    if (may === 'everything') { closed.set(layer, may); continue; }
    const seen = new Set<string>();
    const todo = [...may].filter((l) => l !== layer);
    while (todo.length) {
      const l = todo.pop()!;
      if (seen.has(l)) continue;
      seen.add(l);
      const next = table.get(l);
      if (next && next !== 'everything') for (const n of next) if (n !== l) todo.push(n);
    }
    if (seen.has(layer)) loops.push(layer);
    closed.set(layer, seen);
  }
  return { table: closed, loops: loops.sort() };
}

/** Imports that go against the table (same-layer imports are always fine; unknown layers are violations). */
export function layerViolations(g: Graph, table: Map<string, Set<string> | 'everything'>): string[] {
  const out: string[] = [];
  for (const [from, deps] of g) {
    const a = layerOf(from);
    const may = table.get(a);
    for (const to of deps) {
      if (!g.has(to)) continue; // packages and node: builtins are checked elsewhere
      const b = layerOf(to);
      if (a === b || may === 'everything') continue;
      if (!may) out.push(`${from} → ${to}: src/${a}/ has no row in the layout table`);
      else if (!may.has(b)) out.push(`${from} → ${to}: src/${a}/ may not import src/${b}/`);
    }
  }
  return out.sort();
}

/**
 * Modules outside the Node folders that run in Node by nature: Vite reads its config in Node and
 * never bundles it into the page.
 */
export const NODE_TOOLING = new Set(['web/vite.config.ts']);

/** `node:` imports outside cli/, node/ and dataplane/. */
export function nodeImportViolations(g: Graph, exempt: ReadonlySet<string> = NODE_TOOLING): string[] {
  const out: string[] = [];
  for (const [from, deps] of g) {
    if (NODE_LAYERS.has(layerOf(from)) || exempt.has(from)) continue;
    for (const d of deps) if (d.startsWith('node:')) out.push(`${from} imports ${d}`);
  }
  return out.sort();
}
