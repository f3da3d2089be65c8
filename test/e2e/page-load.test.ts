// How the page loads (issue 15 point 6), in Debian's headless Chromium as web.test.ts: a small
// entry starts the engine worker and the manifests' first analysis, the page's modules come by
// dynamic import, and CodeMirror only after the first picture — yet the editor still edits.
// A missing Chromium fails the run unless NETPOL_SKIP_BROWSER=1 says so on purpose.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserForTests, EXAMPLE, servePage } from './chromium.js';

const OUT = resolve('test-output/web');
const WEB = join(OUT, 'dist-load');

const { chromiumPath, skip } = browserForTests();
const example = EXAMPLE;

let browser: Browser;
let url: string;

let served: Awaited<ReturnType<typeof servePage>> | undefined;
before(async () => {
  if (skip) return;
  served = await servePage(WEB, example, chromiumPath!);
  ({ browser, url } = served);
});

after(async () => {
  await served?.close();
});

const asset = (prefix: string) => readdirSync(join(WEB, 'assets')).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));

test('the entry script is small; the page, the worker and CodeMirror are chunks of their own', { skip }, () => {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]* src="\.\/assets\/([\w-]+\.js)"/.exec(html)?.[1];
  assert.ok(entry, 'the page has a module script');
  assert.ok(statSync(join(WEB, 'assets', entry)).size < 10_000, `the entry ${entry} is a few kB`);
  const text = readFileSync(join(WEB, 'assets', entry), 'utf8');
  for (const chunk of ['main', 'worker']) {
    const file = asset(chunk);
    assert.ok(file, `a ${chunk} chunk`);
    assert.ok(text.includes(file), `the entry refers to ${file}`);
  }
  const editor = asset('editor');
  assert.ok(editor && readFileSync(join(WEB, 'assets', editor), 'utf8').includes('cm-content'), 'CodeMirror is in the editor chunk');
  assert.ok(!readFileSync(join(WEB, 'assets', asset('main')!), 'utf8').includes('cm-content'), 'and not in the page\'s main chunk');
});

test('the first analysis is the one the entry asked for; CodeMirror loads after the first picture and edits', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.waitForFunction(() => /\d+ pods/.test(document.getElementById('status')?.textContent ?? ''));
  await page.locator('.cm-content').waitFor();
  // (No named functions inside evaluate: tsx would wrap them in a helper the page lacks.)
  const t = await page.evaluate(() => ({
    entry: performance.getEntriesByName('netpol:entry')[0]?.startTime,
    used: performance.getEntriesByName('netpol:early-used').length,
    analysis: performance.getEntriesByName('netpol:analysis')[0]?.startTime,
    picture: Number(document.body.dataset.pictureMs),
    editorFetch: performance.getEntriesByType('resource').find((r) => /\/editor-[\w-]+\.js$/.test(r.name))?.startTime,
  }));
  assert.ok(t.entry !== undefined && t.analysis !== undefined, JSON.stringify(t));
  // The page's first round took the answer to the entry's request instead of asking again.
  assert.equal(t.used, 1, JSON.stringify(t));
  assert.ok(t.editorFetch !== undefined && t.editorFetch >= t.picture, `CodeMirror is fetched after the first picture: ${JSON.stringify(t)}`);
  assert.ok(requested.indexOf('/api/sources') >= 0 && requested.findIndex((p) => /\/editor-/.test(p)) > requested.findIndex((p) => /\/main-/.test(p)), requested.join(' '));

  // The editor works once loaded: an edit is analysed (the policy's port 3306 → 3307 closes prod/api → prod/db on 3306).
  await page.locator('#file-tabs button', { hasText: 'db-policy.yaml' }).click();
  const line = page.locator('.cm-line', { hasText: 'port: 3306' }).first();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('7');
  await page.waitForFunction(() => document.getElementById('diff-count')?.textContent !== '');
  assert.match((await page.locator('#diff-count').textContent())!, /−\d/);
  assert.deepEqual(errors, []);
  await page.close();
});
