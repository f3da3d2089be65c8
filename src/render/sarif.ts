// SARIF 2.1.0 for code scanning (GitHub and others).
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** What SARIF says about a rule beyond its id: lint rules pass their registry entry. */
export interface SarifRuleInfo {
  id: string;
  summary: string;
  severity?: Diagnostic['severity'];
  /** Ids of overlapping checks in other tools, e.g. `kube-linter:dangling-networkpolicy`. */
  aliases?: readonly string[];
}

export interface SarifOptions {
  /** netpol's version (package.json), as `tool.driver.version`. */
  version?: string;
  rules?: readonly SarifRuleInfo[];
}

const level = (s: Diagnostic['severity']) => (s === 'info' ? 'note' : s);

export function renderSarif(diags: readonly Diagnostic[], tool: string, options: SarifOptions = {}): object {
  const ruleIds = [...new Set(diags.map((d) => d.rule ?? d.type))];
  const info = new Map((options.rules ?? []).map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => {
    const r = info.get(id);
    if (!r) return { id, shortDescription: { text: id } };
    return {
      id,
      shortDescription: { text: r.summary },
      ...(r.severity ? { defaultConfiguration: { level: level(r.severity) } } : {}),
      ...(r.aliases?.length ? { properties: { aliases: [...r.aliases] } } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: `netpol ${tool}`,
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            informationUri: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
            rules,
          },
        },
        results: diags.map((d) => ({
          ruleId: d.rule ?? d.type,
          ruleIndex: ruleIds.indexOf(d.rule ?? d.type),
          level: level(d.severity),
          message: { text: `${d.path ? `${d.path}: ` : ''}${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: d.file }, region: { startLine: d.line, startColumn: d.column } } }],
        })),
      },
    ],
  };
}
