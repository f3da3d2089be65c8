// `netpol generate`: intent → policies → YAML → proof. Browser-safe; the CLI only reads files
// and prints. Front ends (expectations, flows) make an Intent; everything after is shared.
import type { Cluster } from '../../model/types.js';
import type { Expectation } from '../assert/file.js';
import { buildPolicies, type GenPolicy, type Inseparable } from './build.js';
import { policiesYaml, policyManifest } from './emit.js';
import { intentFromExpectations } from './from-expectations.js';
import type { Intent } from './intent.js';
import { prove, type Extra, type Proof } from './prove.js';

export { buildPolicies, DNS_SERVES, type GenPolicy, type GenRule, type Inseparable } from './build.js';
export { policiesYaml, policyManifest, policyYaml } from './emit.js';
export { intentFromExpectations } from './from-expectations.js';
export type { Intent, Want, End } from './intent.js';
export { prove, type Extra, type Proof } from './prove.js';

export interface GenerateOptions {
  /** Keep DNS egress (to kube-system k8s-app=kube-dns, 53 UDP+TCP) for pods whose egress is isolated. Default true. */
  dns?: boolean;
  /** First comment line of the output (e.g. where the intent came from). */
  header?: string;
}

export interface Generated {
  ok: true;
  policies: GenPolicy[];
  manifests: Record<string, unknown>[];
  yaml: string;
  proof: Proof;
}

export interface Refused {
  ok: false;
  /** Why nothing is printed: unusable assertions, pods labels cannot separate, or a failed proof. */
  problems: { message: string; hint?: string; file?: string; line?: number }[];
  inseparable?: Inseparable[];
  proof?: Proof;
}

export type GenerateResult = Generated | Refused;

/** The Intent → proved policies path shared by every front end. */
export function generateFromIntent(cluster: Cluster, intent: Intent, expectations: readonly Expectation[], options: GenerateOptions = {}): GenerateResult {
  const base: Cluster = { ...cluster, policies: [] };
  const built = buildPolicies(base, intent, { dns: options.dns ?? true });
  if (!built.ok) return { ok: false, problems: built.problems.map((p) => ({ message: p.message, hint: p.hint })), inseparable: built.problems };
  const yaml = built.policies.length ? policiesYaml(built.policies, options.header) : '';
  const proof = prove(base, yaml, intent, expectations);
  const problems: Refused['problems'] = [];
  for (const e of proof.loadErrors) problems.push({ message: `internal: the generated YAML does not load back: ${e}` });
  for (const f of proof.failures) problems.push({ message: `internal: the generated set fails ${f.assertion}${f.error ? `: ${f.error}` : ''}`, file: f.file, line: f.line });
  for (const x of proof.extra.filter((x: Extra) => x.reason === 'unexpected')) problems.push({ message: `internal: the generated set opens ${x.from} -> ${x.to}:${x.port}/${x.protocol}, which nothing asks for` });
  if (problems.length) return { ok: false, problems, proof };
  return { ok: true, policies: built.policies, manifests: built.policies.map(policyManifest), yaml, proof };
}

export function generateFromExpectations(cluster: Cluster, expectations: readonly Expectation[], options: GenerateOptions = {}): GenerateResult {
  const { intent, errors } = intentFromExpectations(cluster, expectations);
  if (errors.length) return { ok: false, problems: errors };
  return generateFromIntent(cluster, intent, expectations, options);
}
