// The built-in web/API/DB example (examples/db-protection), bundled as text.
import namespaces from '../../examples/db-protection/namespaces.yaml?raw';
import workloads from '../../examples/db-protection/workloads.yaml?raw';
import policy from '../../examples/db-protection/db-policy.yaml?raw';
import type { Source } from '../index';

export const EXAMPLE: Source[] = [
  { file: 'db-policy.yaml', text: policy },
  { file: 'namespaces.yaml', text: namespaces },
  { file: 'workloads.yaml', text: workloads },
];

// The same example under cluster guardrails: an Admin-tier Deny over db-policy's allow, and a
// Baseline Deny for staging (examples/page-tiers).
import tiers from '../../examples/page-tiers/tiers.yaml?raw';
import intent from '../../examples/expect/db-protection-intent.yaml?raw';

export const TIERS_EXAMPLE: Source[] = [{ file: 'tiers.yaml', text: tiers }, ...EXAMPLE];

/** The generate panel's first text: the intent behind the built-in example. */
export const EXAMPLE_INTENT: string = intent;
