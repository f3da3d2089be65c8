// netpol diff: what a change opens and closes. `netpol diff <before> <after>` compares two paths;
// `netpol diff --git REV <paths...>` compares those paths at REV with the working tree;
// `netpol diff --cluster <paths...>` the live cluster with the same cluster and these files applied.
import { safeJson } from '../../render/escape.js';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { declaredProbes, loadSources, type LoadResult, type Probe } from '../../index.js';
import { diffClusters } from '../../analysis/diff/diff.js';
import { compareSemantics } from '../../analysis/diff/semantic.js';
import { renderDiffText, renderSemanticText } from '../../render/diff.js';
import { CliError, loadPaths, oneOf, readLiveFor, requireValid, write, type LoadFlags } from '../shared.js';
import { prependHeader, withSkipped } from '../../render/skipped.js';
import { parseProbes } from './matrix.js';

export interface DiffFlags extends LoadFlags {
  git?: string;
  port: string[];
  format: string;
  exitCode?: boolean;
  subset?: boolean;
  equivalent?: boolean;
  ipblockPods: string;
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = (e as { stderr?: string }).stderr?.trim();
    throw new CliError(`netpol: git ${args.join(' ')} failed${err ? `: ${err}` : ''}`, 2);
  }
}

/** The same paths as they were at `rev`: files under them with a manifest extension. */
export function loadAtRevision(rev: string, paths: string[], flags: LoadFlags): LoadResult {
  const cwd = process.cwd();
  const root = git(['rev-parse', '--show-toplevel'], cwd).trim();
  const sources = [];
  for (const p of paths) {
    const files = git(['ls-tree', '-r', '--full-name', '--name-only', rev, '--', p], cwd).split('\n').filter((f) => /\.(ya?ml|json)$/i.test(f));
    if (files.length === 0) throw new CliError(`netpol: ${p} has no manifests at ${rev}`, 2);
    for (const f of files) sources.push({ file: `${rev}:${relative(cwd, join(root, f))}`, text: git(['show', `${rev}:${f}`], cwd) });
  }
  return loadSources(sources, { namespace: flags.namespace });
}

export async function diffCommand(paths: string[], flags: DiffFlags): Promise<number> {
  const format = oneOf(flags.format, ['text', 'json'] as const, '--format');
  const ipBlockPods = oneOf(flags.ipblockPods, ['match', 'ignore', 'depends'] as const, '--ipblock-pods');
  let before: LoadResult;
  let after: LoadResult;
  if (flags.cluster) {
    // The dry run: the cluster as it is now, then with these files applied over it (one read).
    if (flags.git) throw new CliError('netpol diff: give --cluster or --git, not both', 2);
    if (paths.length === 0) throw new CliError('netpol diff --cluster: give the files to apply over the cluster', 2);
    const live = await readLiveFor(flags);
    before = await loadPaths([], flags, live);
    after = await loadPaths(paths, flags, live);
  } else if (flags.git) {
    before = loadAtRevision(flags.git, paths, flags);
    after = await loadPaths(paths, flags);
  } else {
    if (paths.length !== 2) throw new CliError('netpol diff: give <before> <after>, or --git REV <paths...>', 2);
    before = await loadPaths([paths[0]!], flags);
    after = await loadPaths([paths[1]!], flags);
  }
  const skippedBefore = requireValid(before, flags.skipInvalid);
  const skippedAfter = requireValid(after, flags.skipInvalid);
  const skipped = skippedBefore && skippedAfter ? [...skippedBefore, ...skippedAfter] : undefined;
  let probes: Probe[] = flags.port.length ? parseProbes(flags.port) : declaredProbes({ ...after.cluster, pods: [...before.cluster.pods, ...after.cluster.pods] });
  if (probes.length === 0) probes = [{ port: 80, protocol: 'TCP' }];
  const d = diffClusters(before.cluster, after.cluster, probes, { ipBlockPods });
  const changed = d.opened.length + d.closed.length + d.policies.added.length + d.policies.removed.length + d.policies.changed.length > 0;
  const mode = flags.equivalent ? 'equivalent' : flags.subset ? 'subset' : undefined;
  const sem = mode ? compareSemantics(before.cluster, after.cluster, { ipBlockPods }) : undefined;
  if (format === 'json') write(safeJson(withSkipped(sem ? { ...d, [mode!]: mode === 'subset' ? sem.subset : sem.equivalent, semantic: sem } : d, skipped), 2));
  else write(prependHeader(sem ? `${renderDiffText(d)}\n\n${renderSemanticText(sem, mode!)}` : renderDiffText(d), skipped));
  if (sem) return (mode === 'subset' ? sem.subset : sem.equivalent) ? 0 : 1;
  return flags.exitCode && changed ? 1 : 0;
}
