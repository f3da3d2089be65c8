// Debian's headless Chromium for the page's tests and bench (never a downloaded browser): where it
// is, the flags every launch uses, and the rule that a missing Chromium fails the run — a skipped
// browser test would hide a broken page. The only way around it is to say so explicitly
// (NETPOL_SKIP_BROWSER=1, ignored under CI=true).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startServer } from '../../src/cli/commands/serve.js';

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

/** The page built afresh into `outDir` (so a fresh clone or a stale dist-web tests this code), served on loopback with `sources`, and a browser. */
export async function servePage(outDir: string, sources: readonly { file: string; text: string }[], chromiumPath: string): Promise<{ browser: Browser; url: string; close(): Promise<void> }> {
  mkdirSync(dirname(outDir), { recursive: true });
  const { build } = await import('vite');
  await build({ configFile: resolve('src/web/vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  const { server, url } = await startServer({ root: outDir, sources: [...sources], host: '127.0.0.1', port: 0 });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
  return {
    browser, url,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}
