// End-to-end workloads (issue 13): manifests generated to files on disk, each command run as a
// whole process (`node dist/cli/main.js …`), cold and then best and median of N, against the
// bare parse of the same file measured in the same run (bench/bare-parse.mjs). Every figure is
// printed with the 1-minute load average at the time it was taken: on a shared 2-core machine a
// figure means little without it.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cluster, LabelSelector, NetworkPolicy, Pod } from '../src/model/types.js';
import { b2 } from './workloads.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const HOOK = join(ROOT, 'bench', 'rss-hook.mjs');

export interface E2eRow {
  name: string;
  command: string;
  target: string;
  /** The ratio the target allows (command median / bare parse median); undefined: absolute. */
  maxRatio?: number;
  maxMs?: number;
  coldMs?: number;
  bestMs?: number;
  medianMs?: number;
  runs: number;
  baseMedianMs?: number;
  ratio?: number;
  load: number;
  peakRssMb?: number;
  /** Bytes the command wrote to stdout (cold run); at least this much when it was killed. */
  outBytes?: number;
  exitCode?: number | null;
  note?: string;
  met?: boolean;
}

interface Timed { ms: number; code: number | null; signal: string | null; rssKb?: number; stderr: string; timedOut: boolean; outBytes?: number }

/** One whole process; stdout to nowhere, or to `outFile` to measure the output's size. */
function runOnce(args: string[], timeoutMs: number, rss = true, outFile?: string): Timed {
  const rssFile = join(os.tmpdir(), `netpol-e2e-rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const argv = rss ? ['--import', HOOK, ...args] : args;
  const out = outFile === undefined ? 'ignore' : openSync(outFile, 'w');
  const t0 = performance.now();
  // stdout to nowhere: a reader's speed is not the command's.
  const r = spawnSync(process.execPath, argv, {
    cwd: ROOT, stdio: ['ignore', out, 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NETPOL_BENCH_RSS: rssFile },
  });
  const ms = performance.now() - t0;
  let outBytes: number | undefined;
  if (typeof out === 'number') {
    closeSync(out);
    outBytes = statSync(outFile!).size;
    rmSync(outFile!, { force: true });
  }
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  rmSync(rssFile, { force: true });
  return { ms, code: r.status, signal: r.signal, rssKb, stderr: (r.stderr ?? '').slice(-400), timedOut: r.error !== undefined, outBytes };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const load1 = () => +os.loadavg()[0]!.toFixed(2);

/** Cold run, then `runs` more (best and median); a cold run slower than `slowMs` is not repeated. */
function measure(args: string[], runs: number, timeoutMs: number, slowMs: number, outFile?: string): { cold: Timed; times: number[]; peakRssKb?: number; load: number } {
  const loads: number[] = [load1()];
  // The cold run writes its output to a file, to report the output's size; the others to nowhere.
  const cold = runOnce(args, timeoutMs, true, outFile);
  const times: number[] = [];
  let peak = cold.rssKb;
  if (!cold.timedOut && cold.ms < slowMs) {
    for (let i = 0; i < runs; i++) {
      const t = runOnce(args, timeoutMs);
      times.push(t.ms);
      peak = Math.max(peak ?? 0, t.rssKb ?? 0);
      loads.push(load1());
    }
  }
  return { cold, times, peakRssKb: peak, load: Math.max(...loads) };
}

// Manifests from the bench's model clusters, written as a user would have them.
const labelsYaml = (labels: Record<string, string>, indent: string) =>
  Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `\n${indent}${k}: ${JSON.stringify(v)}`).join('') : ' {}';
const selectorJson = (s: LabelSelector) => ({ matchLabels: s.matchLabels });
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function podJson(p: Pod, i: number): object {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] }] },
    status: { phase: 'Running', podIP: ipOf(i), podIPs: [{ ip: ipOf(i) }] },
  };
}

function policyJson(np: NetworkPolicy): object {
  const rules = (rs: NetworkPolicy['ingress'], key: 'from' | 'to') => rs.map((r) => ({ [key]: r.peers.map((peer) => (peer.podSelector ? { podSelector: selectorJson(peer.podSelector) } : {})) }));
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: np.name, namespace: np.namespace },
    spec: {
      podSelector: selectorJson(np.podSelector), policyTypes: np.policyTypes,
      ...(np.ingress.length ? { ingress: rules(np.ingress, 'from') } : {}),
      ...(np.egress.length ? { egress: rules(np.egress, 'to') } : {}),
    },
  };
}

function podYaml(p: Pod, i: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${p.name}
  namespace: ${p.namespace}
  labels:${labelsYaml(p.labels, '    ')}
spec:
  containers:
  - name: app
    image: registry.example/app:1.0
    ports:
    - name: http
      containerPort: 80
      protocol: TCP
status:
  phase: Running
  podIP: ${ipOf(i)}
  podIPs:
  - ip: ${ipOf(i)}
`;
}

function policyYaml(np: NetworkPolicy): string {
  const rules = (rs: NetworkPolicy['ingress'], key: string, peerKey: string) => rs.map((r) => `  - ${peerKey}:\n${r.peers.map((peer) => `    - podSelector:\n        matchLabels:${labelsYaml(peer.podSelector?.matchLabels ?? {}, '          ')}\n`).join('')}`).join('');
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${np.name}
  namespace: ${np.namespace}
spec:
  podSelector:
    matchLabels:${labelsYaml(np.podSelector.matchLabels, '      ')}
  policyTypes:
${np.policyTypes.map((t) => `  - ${t}\n`).join('')}${np.ingress.length ? `  ingress:\n${rules(np.ingress, 'ingress', 'from')}` : ''}${np.egress.length ? `  egress:\n${rules(np.egress, 'egress', 'to')}` : ''}`;
}

export function writeYaml(dir: string, c: Cluster): string {
  const file = join(dir, `b2-${c.pods.length}.yaml`);
  writeFileSync(file, [...c.pods.map(podYaml), ...c.policies.map(policyYaml)].join('---\n'));
  return file;
}

export function writeList(dir: string, c: Cluster): string {
  const file = join(dir, `b2-${c.pods.length}.json`);
  // `kubectl get pods,networkpolicies -A -o json`: one List, four-space indentation.
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [...c.pods.map(podJson), ...c.policies.map(policyJson)] }, null, 4));
  return file;
}

const k = (n: number) => `${n / 1000}k`;

/** dist/ must be current: the bench measures what users run. */
function ensureBuilt(): void {
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newest(join(ROOT, 'src', 'cli')) && statSync(join(ROOT, 'dist', 'index.js')).mtimeMs >= newest(join(ROOT, 'src', 'load'))) return;
  process.stderr.write('e2e: building dist/ (npm run build)\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

export interface E2eOptions { quick: boolean; runs: number; only?: string[]; timeoutMs?: number; log?: (s: string) => void }

export function runE2e(o: E2eOptions): E2eRow[] {
  ensureBuilt();
  const wanted = (name: string) => !o.only || o.only.some((x) => name.startsWith(x));
  const timeoutMs = o.timeoutMs ?? 60_000;
  const slowMs = 20_000;
  const rows: E2eRow[] = [];
  const log = o.log ?? (() => {});

  // Start-up: the median of 10 `--version`.
  if (wanted('E2E start-up')) {
    const t: number[] = [];
    const l = load1();
    for (let i = 0; i < 10; i++) t.push(runOnce([CLI, '--version'], 10_000, false).ms);
    const m = median(t);
    rows.push({ name: 'E2E start-up', command: 'netpol --version', target: '< 120 ms', maxMs: 120, bestMs: Math.min(...t), medianMs: m, runs: 10, load: l, met: m < 120 });
    log(`E2E start-up: ${m.toFixed(0)} ms`);
  }

  const dir = mkdtempSync(join(os.tmpdir(), 'netpol-e2e-'));
  try {
    const yamlSizes = [5000, 10_000];
    const jsonSizes = o.quick ? [20_000] : [20_000, 100_000];
    const inputs: { label: string; file: string; pods: number; json: boolean }[] = [];
    for (const n of yamlSizes) inputs.push({ label: `${k(n)} YAML`, file: '', pods: n, json: false });
    for (const n of jsonSizes) inputs.push({ label: `${k(n)} JSON`, file: '', pods: n, json: true });
    for (const input of inputs) {
      const names = (input.json ? ['check', 'matrix', 'matrix classes-json', 'list', 'list --by class'] : ['check', 'matrix', 'matrix classes-json', 'lint', 'coverage', 'query']).map((c) => `E2E ${c} ${input.label}`);
      if (!names.some(wanted)) continue;
      const cluster = b2(input.pods);
      input.file = input.json ? writeList(dir, cluster) : writeYaml(dir, cluster);
      const mb = (statSync(input.file).size / 1e6).toFixed(1);
      const p = (cmd: string) => `${cmd} ${input.label}`;
      const commands: [string, string[], string, number][] = input.json
        ? [['check', ['check'], '≤ 4×', 4], ['matrix', ['matrix', '--format', 'json'], '≤ 6×', 6], ['matrix classes-json', ['matrix', '--format', 'classes-json'], '≤ 6×', 6],
          // The exact per-pod list is ≈ n² pairs on B2 (no owners); `--by class` is its form that grows with classes.
          ['list', ['list', '--format', 'json'], '≤ 6×', 6], ['list --by class', ['list', '--by', 'class', '--format', 'json'], '≤ 6×', 6]]
        : [['check', ['check'], '≤ 2.5×', 2.5], ['matrix', ['matrix', '--format', 'json'], '≤ 3×', 3], ['matrix classes-json', ['matrix', '--format', 'classes-json'], '≤ 3×', 3],
          ['lint', ['lint'], '≤ 4×', 4], ['coverage', ['coverage'], '≤ 4×', 4],
          ['query', ['query', '--from', 'b2/p0', '--to', 'b2/p1', '--port', '80'], '≤ 3×', 3]];
      const base = measure([join(ROOT, 'bench', 'bare-parse.mjs'), input.file], o.runs, timeoutMs, slowMs);
      const baseMedian = base.times.length ? median(base.times) : base.cold.ms;
      rows.push({ name: `E2E bare parse ${input.label}`, command: `${input.json ? 'JSON.parse' : 'yaml parseAllDocuments'} (${mb} MB, ${input.pods} pods + ${input.pods / 2} policies)`, target: 'base',
        coldMs: base.cold.ms, bestMs: Math.min(...base.times), medianMs: baseMedian, runs: base.times.length, load: base.load, peakRssMb: base.peakRssKb && base.peakRssKb / 1024 });
      log(`E2E bare parse ${input.label}: ${baseMedian.toFixed(0)} ms`);
      for (const [name, args, target, maxRatio] of commands) {
        const rowName = `E2E ${p(name)}`;
        if (!wanted(rowName)) continue;
        // A whole input over the default --max-bytes (64 MiB, the 100k List) is let in: the limit is not what is measured.
        const m = measure([CLI, ...args, input.file, '--max-bytes', String(1e9)], o.runs, timeoutMs, slowMs, join(dir, 'stdout'));
        const med = m.times.length ? median(m.times) : m.cold.ms;

        const bigRss = input.pods >= 100_000 ? ', peak RSS < 2 GB' : '';
        const rssOk = input.pods < 100_000 || (m.peakRssKb !== undefined && m.peakRssKb < 2 * 1024 * 1024);
        const failed = m.cold.timedOut || (m.cold.code !== 0 && m.cold.code !== 1);
        const ratio = failed ? undefined : med / baseMedian;
        rows.push({
          name: rowName, command: `netpol ${args.join(' ')}`, target: `${target} bare parse${bigRss}`, maxRatio,
          coldMs: m.cold.ms, bestMs: m.times.length ? Math.min(...m.times) : undefined, medianMs: med, runs: m.times.length,
          baseMedianMs: baseMedian, ratio, load: m.load, peakRssMb: m.peakRssKb && m.peakRssKb / 1024, outBytes: m.cold.outBytes, exitCode: m.cold.code,
          note: m.cold.timedOut ? `killed after ${timeoutMs / 1000} s` : failed ? `exit ${m.cold.code ?? m.cold.signal}: ${m.cold.stderr.trim().split('\n').at(-1)}` : m.times.length ? undefined : `cold run over ${slowMs / 1000} s: not repeated`,
          met: !failed && ratio !== undefined && ratio <= maxRatio && rssOk,
        });
        log(`${rowName}: ${med.toFixed(0)} ms (${ratio?.toFixed(1)}×)`);
      }
      rmSync(input.file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const f = (ms: number | undefined) => (ms === undefined ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

export function printE2e(rows: E2eRow[]): void {
  console.log('\nend to end (whole processes; cold, then best and median; ratio = median / bare-parse median; load = 1-min load average)');
  console.log(`${'row'.padEnd(42)} ${'cold'.padStart(8)} ${'best'.padStart(8)} ${'median'.padStart(8)} ${'runs'.padStart(4)} ${'ratio'.padStart(7)} ${'load'.padStart(5)} ${'RSS MB'.padStart(7)} ${'out MB'.padStart(8)}  target`);
  for (const r of rows) {
    const verdict = r.target === 'base' ? '' : r.met ? '  ok' : '  MISSED';
    const out = r.outBytes === undefined ? '-' : `${r.note?.startsWith('killed') ? '>' : ''}${(r.outBytes / 1e6).toFixed(r.outBytes < 1e7 ? 2 : 0)}`;
    console.log(`${r.name.replace(/^E2E /, '').padEnd(42)} ${f(r.coldMs).padStart(8)} ${f(r.bestMs).padStart(8)} ${f(r.medianMs).padStart(8)} ${String(r.runs).padStart(4)} ${(r.ratio === undefined ? '-' : `${r.ratio.toFixed(1)}×`).padStart(7)} ${r.load.toFixed(2).padStart(5)} ${(r.peakRssMb === undefined ? '-' : r.peakRssMb.toFixed(0)).padStart(7)} ${out.padStart(8)}  ${r.target}${verdict}${r.note ? ` (${r.note})` : ''}`);
  }
}
