// SARIF 2.1.0 for code scanning (GitHub and others).
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export function renderSarif(diags: readonly Diagnostic[], tool: string): object {
  const ruleIds = [...new Set(diags.map((d) => d.rule ?? d.type))];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: `netpol ${tool}`, informationUri: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/', rules: ruleIds.map((id) => ({ id, shortDescription: { text: id } })) } },
        results: diags.map((d) => ({
          ruleId: d.rule ?? d.type,
          level: d.severity === 'info' ? 'note' : d.severity,
          message: { text: `${d.path ? `${d.path}: ` : ''}${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: d.file }, region: { startLine: d.line, startColumn: d.column } } }],
        })),
      },
    ],
  };
}
