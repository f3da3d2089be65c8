// netpol compile --target nftables: the ruleset `netpol lab` loads, for reading or for use elsewhere.
import { assignAddresses, LAB_RANGE } from '../../dataplane/addresses.js';
import { compileNftables } from '../../dataplane/nft/compile.js';
import { NFT_IDENT, nftComment } from '../../dataplane/nft/text.js';
import { CliError, loadPaths, requireValid, write, type LoadFlags } from '../shared.js';
import { skippedHeader } from '../../render/skipped.js';

export interface CompileFlags extends LoadFlags {
  target: string;
  table: string;
  undecided?: 'refuse' | 'assume';
}

export async function compileCommand(paths: string[], flags: CompileFlags): Promise<number> {
  if (flags.target !== 'nftables') throw new CliError(`--target must be nftables (got "${flags.target}")`, 2);
  if (!NFT_IDENT.test(flags.table)) throw new CliError(`--table "${flags.table}": use letters, digits and _`, 2);
  const result = await loadPaths(paths, flags);
  const skipped = requireValid(result, flags.skipInvalid);
  let a;
  try {
    a = assignAddresses(result.cluster);
  } catch (e) {
    throw new CliError(`netpol: ${(e as Error).message}`, 1);
  }
  // Notes name pods: they go out as sanitised comments only (one line each, printable ASCII).
  const notes = [...a.notes];
  if (skipped?.length) notes.unshift(skippedHeader(skipped));
  if (a.assigned.length) notes.push(`pods without status.podIP got addresses from ${LAB_RANGE}:`, ...a.assigned.map((id) => `  ${id} = ${a.ips.get(id)}`));
  let r;
  try {
    r = compileNftables(a.cluster, { table: flags.table, undecided: flags.undecided });
  } catch (e) {
    // The API leaves the answer to the implementation (equal priorities, domainNames): say which.
    if (e instanceof Error && e.name === 'CompileError') throw new CliError(`netpol compile: ${e.message}`, 1);
    throw e;
  }
  for (const w of r.warnings) process.stderr.write(`netpol compile: warning: ${nftComment(w, 400)}\n`);
  write(`${notes.map((n) => `# ${nftComment(n)}\n`).join('')}${r.text}`);
  return 0;
}
