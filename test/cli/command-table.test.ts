// The light command table (src/cli/commands/index.ts) writes out what it must not import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../../src/cli/main.js';
import { DEFAULT_LAB } from '../../src/dataplane/lab.js';

test("the lab commands' --name default is the dataplane's DEFAULT_LAB", () => {
  const lab = buildProgram(() => {}).commands.find((c) => c.name() === 'lab');
  assert.ok(lab);
  for (const sub of ['up', 'apply', 'probe', 'down']) {
    const cmd = lab.commands.find((c) => c.name() === sub);
    assert.equal(cmd?.options.find((o) => o.long === '--name')?.defaultValue, DEFAULT_LAB, `lab ${sub}`);
  }
});
