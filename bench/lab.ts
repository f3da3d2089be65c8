// Benchmark of the real lab (root, Linux, nft + ip): how long `up`, `apply` and a full `probe`
// take for 50 pods, and how large the ruleset is. Run: sudo node --import tsx bench/lab.ts [pods]
import { loadSources } from '../src/index.js';
import { labApply, labDown, labUp } from '../src/dataplane/lab.js';
import { runProbes } from '../src/dataplane/probe/run.js';
import { LabError, preflight } from '../src/dataplane/system.js';
import { labManifests } from './lab-model.js';

const PODS = Number(process.argv[2] ?? 50);
async function main(): Promise<void> {
  preflight();
  const name = 'bench';
  try {
    const first = loadSources([{ file: 'bench.yaml', text: labManifests(PODS, 'first') }]).cluster;
    const second = loadSources([{ file: 'bench.yaml', text: labManifests(PODS, 'second') }]).cluster;
    const up = await labUp(first, { name });
    const probes = [{ port: 80, protocol: 'TCP' as const }, { port: 53, protocol: 'UDP' as const }];
    const p1 = await runProbes(up.state, probes);
    const ap = await labApply(name, second.policies);
    const p2 = await runProbes(ap.state, probes);
    const t0 = Date.now();
    await labDown(name);
    const down = Date.now() - t0;
    const conns = Object.values(p1.counts).reduce((a, b) => a + b, 0);
    const rows = [
      ['pods', String(PODS)],
      ['policies', `${first.policies.length}`],
      ['up', `${up.ms} ms`],
      ['ruleset (first)', `${up.ruleset.stats.bytes} bytes, ${up.ruleset.stats.rules} rules, ${up.ruleset.stats.sets} sets, ${up.ruleset.stats.elements} set elements`],
      ['probe (full, 2 ports)', `${p1.ms} ms for ${conns} connections (${Object.entries(p1.counts).map(([k, v]) => `${v} ${k}`).join(', ')}), ${p1.disagreements.length} disagreements`],
      ['apply', `${ap.ms} ms (one nft -f transaction)`],
      ['ruleset (second)', `${ap.ruleset.stats.bytes} bytes, ${ap.ruleset.stats.rules} rules, ${ap.ruleset.stats.sets} sets, ${ap.ruleset.stats.elements} set elements`],
      ['probe after apply', `${p2.ms} ms, ${p2.disagreements.length} disagreements`],
      ['down', `${down} ms`],
    ];
    for (const [k, v] of rows) console.log(`${k!.padEnd(22)} ${v}`);
    for (const c of [...p1.disagreements, ...p2.disagreements].slice(0, 10)) console.log(`  disagreement: ${c.from} -> ${c.to} ${c.port}/${c.protocol}: engine ${c.engine ? "allows" : "denies"}, observed ${c.outcome}`);
    if (p1.disagreements.length || p2.disagreements.length) process.exitCode = 1;
  } finally {
    await labDown(name).catch(() => undefined);
  }
}

main().catch((e) => {
  console.error(e instanceof LabError ? `bench/lab: ${e.message}` : e);
  process.exit(e instanceof LabError ? 2 : 1);
});
