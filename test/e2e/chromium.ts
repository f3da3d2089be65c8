// Debian's headless Chromium for the page's tests and bench (never a downloaded browser): where it
// is, the flags every launch uses, and the rule that a missing Chromium fails the run — a skipped
// browser test would hide a broken page. The only way around it is to say so explicitly
// (NETPOL_SKIP_BROWSER=1, ignored under CI=true).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium to launch, and the `skip` option of the browser tests (false when it is there). Call once per test file. */
export function browserForTests(): { chromiumPath: string | undefined; skip: false | string } {
  const chromiumPath = findChromium();
  const optedOut = process.env.NETPOL_SKIP_BROWSER === '1' && process.env.CI !== 'true';
  if (!chromiumPath && !optedOut) {
    test('chromium is installed', () => {
      assert.fail('chromium not found: install Debian\'s `chromium` package (.ci/run does) or set CHROMIUM_PATH; NETPOL_SKIP_BROWSER=1 skips the browser tests on purpose');
    });
  }
  return { chromiumPath, skip: chromiumPath ? false : 'chromium not found; the browser tests are skipped (NETPOL_SKIP_BROWSER=1 or no Chromium: see "chromium is installed")' };
}

const exampleDir = 'examples/db-protection';
/** The built-in example as the page gets it. */
export const EXAMPLE = ['db-policy.yaml', 'namespaces.yaml', 'workloads.yaml'].map((f) => ({ file: join(exampleDir, f), text: readFileSync(join(exampleDir, f), 'utf8') }));
