// netpol migrate: v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy -> ClusterNetworkPolicy,
// printed (or written to -o DIR) only once the engine has proved every verdict unchanged.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type MigrationResult } from '../../analysis/migrate/migrate.js';
import { safeJson, terminalText } from '../../render/escape.js';
import { CliError, loadPaths, oneOf, requireValid, write, type LoadFlags } from '../shared.js';

export interface MigrateFlags extends LoadFlags {
  format: string;
  output?: string;
  baselinePriority?: string;
}

// metadata.name is a DNS subdomain once validated; checked again before it names a file.
const SAFE_FILE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function proofLine(r: MigrationResult): string {
  const p = r.proof!;
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  return `${n(p.connections, 'connection')} (${n(p.endpoints, 'end')}, ${p.hypotheticalPods} of them hypothetical pods, × ${n(p.ports, 'port')}) under --ipblock-pods ${p.modes.join(' and ')}`;
}

export async function migrateCommand(paths: string[], flags: MigrateFlags): Promise<number> {
  const format = oneOf(flags.format, ['yaml', 'json'] as const, '--format');
  const baselinePriority = flags.baselinePriority === undefined ? 0 : Number(flags.baselinePriority);
  if (!Number.isInteger(baselinePriority) || baselinePriority < 0 || baselinePriority > 1000) {
    throw new CliError(`--baseline-priority must be an integer from 0 to 1000 (got "${flags.baselinePriority}")`, 2);
  }
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  const r = migrate(result.cluster, { baselinePriority });
  const ok = r.errors.length === 0;
  const files: string[] = [];
  if (ok && flags.output !== undefined && r.policies.length) {
    for (const p of r.policies) {
      const name = p.to.slice('cnp/'.length);
      if (!SAFE_FILE.test(name)) throw new CliError(`cannot name a file after ${terminalText(p.to)}`, 2);
      files.push(join(flags.output, `${name}.yaml`));
    }
    mkdirSync(flags.output, { recursive: true });
    r.policies.forEach((p, i) => {
      try {
        writeFileSync(files[i]!, p.yaml, { flag: 'wx' });
      } catch (e) {
        throw new CliError(`cannot write ${terminalText(files[i]!)}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists (remove it or choose another -o)' : (e as Error).message}`, 2);
      }
    });
  }
  if (format === 'json') {
    const migrated = r.policies.map((p, i) => ({ from: p.from, to: p.to, tier: p.tier, priority: p.priority, file: p.file, line: p.line,
      ...(ok ? { yaml: p.yaml } : {}), ...(files[i] ? { written: files[i] } : {}) }));
    write(safeJson({ equivalent: ok, migrated, proof: r.proof ?? null, errors: r.errors, ...(skipped ? { skipped } : {}) }, 2));
    return ok ? 0 : 1;
  }
  if (r.policies.length === 0 && ok) {
    process.stderr.write('netpol migrate: no AdminNetworkPolicy or BaselineAdminNetworkPolicy in the input: nothing to migrate\n');
    return 0;
  }
  if (!ok) {
    const lines = r.errors.map((e) => `netpol migrate: ${terminalText(e)}`);
    for (const d of r.proof?.differences ?? []) {
      lines.push(`  ${terminalText(d.from)} -> ${terminalText(d.to)} ${d.port}/${d.protocol} (--ipblock-pods ${d.mode}): ${d.before} before, ${d.after} after`);
    }
    throw new CliError(`${lines.join('\n')}\nnetpol migrate: nothing printed; the rewrite is not equivalent`, 1);
  }
  if (files.length === 0) write(r.policies.map((p) => p.yaml).join('---\n'));
  const moved = r.policies.map((p) => `${p.from} -> ${p.to} (tier ${p.tier}, priority ${p.priority})`).join(', ');
  process.stderr.write(`netpol migrate: ${terminalText(moved)}\n`);
  if (files.length) process.stderr.write(`netpol migrate: wrote ${files.map(terminalText).join(', ')}\n`);
  process.stderr.write(`netpol migrate: proved equivalent: the same verdict on all ${proofLine(r)}\n`);
  return 0;
}
