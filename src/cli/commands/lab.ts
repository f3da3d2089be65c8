// netpol lab: the same manifests on a real Linux dataplane (network namespaces + nftables),
// checked with real connections. See docs/LAB.md.
import { declaredProbes } from '../../index.js';
import { DEFAULT_LAB, labApply, labDown, labUp, withLab } from '../../dataplane/lab.js';
import { externalDisagreements, runProbes } from '../../dataplane/probe/run.js';
import { renderProbeText, shown } from '../../dataplane/probe/render.js';
import { LabError } from '../../dataplane/system.js';
import { CliError, loadPaths, requireValid, write, type LoadFlags } from '../shared.js';
import { parseProbes } from './matrix.js';
import { prependHeader } from '../../render/skipped.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Lab failures are user-facing (not root, missing package, …): no stack trace. */
async function guard(p: () => Promise<number>): Promise<number> {
  try {
    return await p();
  } catch (e) {
    if (e instanceof LabError) throw new CliError(`netpol lab: ${e.message}`, 2);
    throw e;
  }
}

/** Tier policies, when there are any, for the summary line. */
const tierCount = (c: { clusterPolicies?: readonly unknown[] }) => (c.clusterPolicies?.length ? `, ${plural(c.clusterPolicies.length, 'tier policy', 'tier policies')}` : '');
/** What the compiler assumed (`--undecided assume`), on stderr so stdout stays the summary. */
const warnAll = (warnings: readonly string[]) => {
  for (const w of warnings) process.stderr.write(`netpol: warning: ${shown(w)}\n`);
};

export async function labUpCommand(paths: string[], o: LoadFlags & { name: string; port: string[]; external: boolean; undecided?: 'refuse' | 'assume' }): Promise<number> {
  const result = await loadPaths(paths, o);
  const skipped = requireValid(result, o.skipInvalid);
  const ports = parseProbes(o.port).map((p) => {
    if (typeof p.port !== 'number') throw new CliError(`--port ${p.port}: lab up needs a port number`, 2);
    return { port: p.port, protocol: p.protocol };
  });
  return guard(async () => {
    const r = await labUp(result.cluster, { name: o.name, ports, externals: o.external, undecided: o.undecided });
    warnAll(r.ruleset.warnings);
    const { state } = r;
    const pods = state.hosts.filter((h) => h.kind === 'pod');
    const ext = state.hosts.filter((h) => h.kind === 'external');
    const lines = [`lab "${state.name}" is up in ${(r.ms / 1000).toFixed(1)} s${r.replaced ? ' (the previous lab of that name was replaced)' : ''}: ` +
      `${plural(pods.length, 'pod')}, ${plural(ext.length, 'outside host')}, ${plural(state.cluster.policies.length, 'NetworkPolicy', 'NetworkPolicies')}${tierCount(state.cluster)} -> ${r.ruleset.stats.rules} nftables rules, ${r.ruleset.stats.sets} sets`];
    for (const h of state.hosts) lines.push(`  ${h.ip.padEnd(15)} ${shown(h.id)}${h.kind === 'external' ? ' (outside the cluster)' : ''}  listening on ${h.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'nothing'}  [netns ${h.netns}]`);
    for (const n of state.notes) lines.push(`note: ${shown(n)}`);
    lines.push(`state: ${state.dir} (namespaces np-${state.id}-*); next: netpol lab probe${state.name === DEFAULT_LAB ? '' : ` --name ${state.name}`}`);
    write(prependHeader(lines.join('\n'), skipped));
    return 0;
  });
}

export async function labApplyCommand(paths: string[], o: LoadFlags & { name: string; undecided?: 'refuse' | 'assume' }): Promise<number> {
  const result = await loadPaths(paths, o);
  const skipped = requireValid(result, o.skipInvalid);
  return guard(async () => {
    const { clusterPolicies, nodes } = result.cluster;
    const r = await labApply(o.name, result.cluster.policies, result.cluster.namespaces, { clusterPolicies, nodes, undecided: o.undecided });
    warnAll(r.ruleset.warnings);
    write(prependHeader(`lab "${r.state.name}": ${plural(r.state.cluster.policies.length, 'NetworkPolicy', 'NetworkPolicies')}${tierCount(r.state.cluster)} applied in one nft transaction (${r.ruleset.stats.rules} rules, ${r.ruleset.stats.sets} sets, ${r.ms} ms)`, skipped));
    return 0;
  });
}

export async function labProbeCommand(o: { name: string; port: string[]; format: string; timeout: string }): Promise<number> {
  const timeoutMs = Number(o.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 10 || timeoutMs > 10000) throw new CliError(`--timeout must be 10-10000 ms (got "${o.timeout}")`, 2);
  return guard(() => withLab(o.name, 'lab probe', async (state) => {
    const probes = o.port.length ? parseProbes(o.port) : declaredProbes(state.cluster);
    if (probes.length === 0) probes.push({ port: 80, protocol: 'TCP' });
    const r = await runProbes(state, probes, { timeoutMs });
    if (o.format === 'json') {
      write(JSON.stringify(r.skipped.length ? { ...r.observed, skipped: r.skipped } : r.observed));
    } else {
      write(renderProbeText(r, `lab "${state.name}": ${plural(state.cluster.pods.length, 'pod')}, ${plural(state.cluster.policies.length, 'NetworkPolicy', 'NetworkPolicies')}${tierCount(state.cluster)}; real connections (timeout ${timeoutMs} ms) vs the engine`));
    }
    return r.disagreements.length + externalDisagreements(r).length ? 1 : 0;
  }));
}

export async function labDownCommand(o: { name: string }): Promise<number> {
  return guard(async () => {
    const r = await labDown(o.name);
    write(r.removed.length ? `lab "${o.name}" is down: removed ${r.removed.length} network namespaces` : `no lab named "${o.name}" was up; nothing to remove`);
    return 0;
  });
}
