// `netpol coverage` as text.
import type { CoverageReport } from '../analysis/coverage/coverage.js';
import { terminalText } from './escape.js';

export function renderCoverageText(r: CoverageReport): string {
  const out: string[] = [];
  for (const d of ['ingress', 'egress'] as const) {
    const x = r.isolation[d];
    const total = x.isolated.length + x.notIsolated.length;
    out.push(`${d.padEnd(7)} isolated for ${x.isolated.length} of ${total} pods${x.notIsolated.length ? `; NOT isolated (all ${d} allowed): ${x.notIsolated.join(', ')}` : ''}`);
  }
  out.push('', 'exposure (who may open a connection to each pod, on its declared ports):');
  for (const e of r.exposure) {
    const who: string[] = [];
    if (!e.isolated.ingress) who.push('anyone: not isolated for ingress');
    else {
      if (e.fromAnyNamespace) who.push('any pod in any namespace');
      else if (e.fromAnyPodInNamespace) who.push('any pod of its namespace');
      if (e.fromExternal.length) who.push(`external: ${e.fromExternal.join(', ')}`);
      if (!who.length) who.push('only selected pods');
    }
    out.push(`  ${e.pod} [${e.ports.join(', ')}]: ${who.join('; ')}`);
    for (const w of e.wider) {
      out.push(`    wider than deployed: ${w.example} would reach it on ${w.port}/${w.protocol}`);
      out.push(`      via ${w.policy} ${w.peer}${w.line ? ` (${w.file}:${w.line})` : ''}: ${w.selector}`);
    }
  }
  if (r.services?.length) {
    out.push('', 'published Services (NodePort/LoadBalancer): who outside the cluster reaches their backing pods:');
    for (const s of r.services) {
      out.push(`  ${s.service} ${s.type}${s.nodePort ? ` nodePort ${s.nodePort}` : ''} port ${s.port}/${s.protocol}, externalTrafficPolicy: ${s.externalTrafficPolicy}${s.endpoints.length ? '' : ': no backing pod serves this port'}`);
      for (const e of s.endpoints) out.push(`    ${e.pod}:${e.port}  ${e.exposed === true ? 'EXPOSED' : e.exposed === false ? 'not exposed' : 'DEPENDS'}: ${e.reason}`);
    }
  }
  // Each entry is one line; names and selectors inside it come from manifests.
  return out.map(terminalText).join('\n');
}
