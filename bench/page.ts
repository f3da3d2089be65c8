// `npm run bench:page [-- --pods 2000 --runs 3]`: the web page in Debian's headless Chromium on a
// generated cluster (the page's own generator: namespaces of 5 workloads × 10 replicas and 5
// policies each, so 2,000 pods ↔ 200 policies). Measured, never asserted:
//   PAGE first picture  navigation start → the frame that paints the namespace overview
//   PAGE every edge drawn  … → the frame after the held-back namespace ↔ range edges were added
//   PAGE edit (engine)  an edit's analysis in the worker + redraw (the page's own clock)
//   PAGE edit (typed)   keypress → redrawn, including the editor's 300 ms pause before analysing
// `--cpu` also traces each load (Chromium's trace, thread time) and prints the CPU time the page's
// main thread and the engine worker spent until the first picture: less noisy than wall time on a
// busy machine, though tracing slows the wall figures a little.
// Each line carries the 1-minute load average: on a shared 2-core machine a figure means little
// without it.
import { CHROMIUM_FLAGS, findChromium } from '../test/e2e/chromium.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { generateCluster } from '../src/web/generate.js';
import { startServer } from '../src/cli/commands/serve.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const pods = opt('--pods', 2000);
const runs = opt('--runs', 3);
const cpu = args.includes('--cpu');
const chromiumPath = findChromium();
if (!chromiumPath) throw new Error('chromium not found: install Debian\'s `chromium` package or set CHROMIUM_PATH');

const out = mkdtempSync(join(os.tmpdir(), 'netpol-page-bench-'));
const { build } = await import('vite');
await build({ configFile: resolve('src/web/vite.config.ts'), build: { outDir: out, emptyOutDir: true }, logLevel: 'warn' });
const namespaces = Math.max(1, Math.round(pods / 50));
const sources = generateCluster(namespaces, 10);
const { server, url } = await startServer({ root: out, sources, host: '127.0.0.1', port: 0 });
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });

const load = () => os.loadavg()[0]!.toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const first: number[] = [], full: number[] = [], engine: number[] = [], typed: number[] = [], mainCpu: number[] = [], workerCpu: number[] = [];

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { isLoadingMainFrame?: boolean; documentLoaderURL?: string } } }
/** Thread time (ms) of the page's main thread and its worker from navigation to `untilMs` after it. */
function cpuUntil(events: TraceEvent[], untilMs: number): { main: number; worker: number } {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args.data.documentLoaderURL?.startsWith('http'));
  if (!nav) return { main: NaN, worker: NaN };
  const worker = events.find((e) => e.name === 'thread_name' && e.pid === nav.pid && e.args?.name?.startsWith('DedicatedWorker'));
  const end = nav.ts + untilMs * 1000;
  let main = 0, work = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || e.pid !== nav.pid || e.ts < nav.ts || e.ts > end) continue;
    if (e.tid === nav.tid) main += e.tdur ?? 0;
    else if (e.tid === worker?.tid) work += e.tdur ?? 0;
  }
  return { main: Math.round(main / 1000), worker: Math.round(work / 1000) };
}
try {
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (cpu) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing'] });
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.analysis === '1' && !!document.body.dataset.pictureCompleteMs, undefined, { timeout: 120_000 });
    if (cpu) {
      const { main, worker } = cpuUntil(JSON.parse((await browser.stopTracing()).toString()).traceEvents as TraceEvent[], Number(await page.evaluate(() => document.body.dataset.pictureMs)));
      mainCpu.push(main);
      workerCpu.push(worker);
      console.log(`#   CPU until the first picture: main thread ${main} ms, engine worker ${worker} ms`);
    }
    // The page's own clock: the frame that paints the picture, and the one with every edge in.
    first.push(Number(await page.evaluate(() => document.body.dataset.pictureMs)));
    full.push(Number(await page.evaluate(() => document.body.dataset.pictureCompleteMs)));
    console.log(`# run ${r + 1}: engine round trip ${await page.evaluate(() => document.body.dataset.engineMs)} ms, analysis + drawing ${await page.evaluate(() => document.body.dataset.renderedMs)} ms (matrix, changes, graph: ${await page.evaluate(() => document.body.dataset.drawMs)} ms; graph model, Cytoscape: ${await page.evaluate(() => document.body.dataset.graphMs)} ms)`);
    // The page's marks (performance.mark 'netpol:…', the first of each) on the same clock: entry
    // script run, manifests in, page modules evaluated, analysis in hand, editor loaded.
    const marks = await page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('netpol:') && !seen.has(m.name)) seen.set(m.name.slice(7), Math.round(m.startTime));
      return [...seen].map(([k, v]) => `${k} ${v}`).join(', ');
    });
    console.log(`#   marks (ms from navigation): ${marks || 'none'}; picture ${first.at(-1)}, every edge ${full.at(-1)}`);
    const status = await page.locator('#status').textContent();
    if (r === 0) console.log(`# ${status}`);
    // An edit: the first front-from-anywhere policy's port 80 becomes 800 (closes front:80 in team-00).
    await page.locator('#file-tabs button', { hasText: 'policies.yaml' }).click();
    await page.locator('.cm-line', { hasText: 'ports: [{port: 80}]' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const before = await page.evaluate(() => document.body.dataset.analysis);
    const t0 = Date.now();
    await page.keyboard.type('0');
    await page.waitForFunction((b) => document.body.dataset.analysis !== b, before, { timeout: 120_000 });
    typed.push(Date.now() - t0);
    engine.push(Number(await page.evaluate(() => document.body.dataset.renderedMs)));
    // Where the edit's time went: worker round trip (the engine's own part in the status line), then drawing.
    const d = await page.evaluate(() => ({ ...document.body.dataset, status: document.getElementById('status')?.textContent ?? '' }));
    console.log(`# run ${r + 1} edit: round trip ${d.engineMs} ms (${/analyzed in (\d+ ms)/.exec(d.status)?.[1] ?? '?'} in the engine), matrix, changes, graph: ${d.drawMs} ms; graph model, Cytoscape: ${d.graphMs} ms`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(out, { recursive: true, force: true });
}
const row = (name: string, xs: number[], target: string) => console.log(`${name.padEnd(22)} median ${String(median(xs)).padStart(6)} ms  (runs: ${xs.join(', ')})  target ${target}  load ${load()}`);
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores; Chromium headless; ${pods} pods, ${namespaces * 5} policies`);
row('PAGE first picture', first, '< 1000 ms');
row('PAGE every edge drawn', full, '(overview ↔ ranges added after the first frame)');
row('PAGE edit (engine)', engine, '< 200 ms');
row('PAGE edit (typed)', typed, '(includes the 300 ms typing pause)');
if (cpu) {
  row('PAGE CPU main thread', mainCpu, '(thread time, navigation → first picture)');
  row('PAGE CPU engine worker', workerCpu, '(thread time, navigation → first picture)');
}
