// Every engine call by name: the worker answers them, and the page loads this module (and with it
// the engine) only when it has to answer them itself, so the page's own bundle stays small.
import { analyze, depends, expand, explain, layer, lint, podMatrix, update } from './engine';
import { generate, policyOrder, tierSubjects } from './tiers-engine';

export const CALLS = { analyze, depends, expand, explain, layer, lint, podMatrix, update, policyOrder, tierSubjects, generate };
export type Calls = typeof CALLS;
export type Request = { id: number; kind: keyof Calls; args: unknown[] };
