// The upstream e2e cases (cases.ts) run through computeMatrix, the Evaluator and the reference.
import { test } from 'node:test';
import { runCase } from './harness.js';
import { CASES } from './cases.js';

let total = 0;
for (const c of CASES) {
  test(`e2e: ${c.name}`, () => {
    total += runCase(c);
  });
}
test(`transcribed at least 40 upstream cases (${CASES.length})`, () => {
  console.log(`conformance: ${CASES.length} cases, ${total} matrix cells compared (computeMatrix, Evaluator and reference)`);
  if (CASES.length < 40) throw new Error(`only ${CASES.length} cases`);
});
