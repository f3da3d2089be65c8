// The web page end to end in Debian's headless Chromium (no browser download): build it with
// vite, serve it with `netpol serve`'s server, then type, click and look (screenshots go to
// test-output/web/). A missing Chromium fails the run (see below). The server's own tests
// (malformed URLs, traversal, size limit) are in test/cli/serve.test.ts, the packed tarball's
// in test/cli/pack.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadSources } from '../../src/index.js';
import { parseDot, parseMermaid, parseSvg } from '../render/graph-syntax.js';
import { browserForTests, EXAMPLE, servePage } from './chromium.js';

const OUT = resolve('test-output/web');
const WEB = join(OUT, 'dist');
const shot = (name: string) => join(OUT, `${name}.png`);

const { chromiumPath, skip } = browserForTests();
const example = EXAMPLE;

let browser: Browser;
let url: string;
const pageErrors: string[] = [];

let served: Awaited<ReturnType<typeof servePage>> | undefined;
before(async () => {
  if (skip) return;
  served = await servePage(WEB, example, chromiumPath!);
  ({ browser, url } = served);
});

after(async () => {
  await served?.close();
});

async function open(width = 1280, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => /\d+ pods/.test(document.getElementById('status')?.textContent ?? ''));
  return page;
}

const status = (page: Page) => page.locator('#status').textContent();
const cell = (page: Page, from: string, to: string) => page.locator(`button.cell[data-from="${from}"][data-to="${to}"]`);
const API = 'prod/api[Deployment]', DB = 'prod/db[StatefulSet]', WEB_W = 'prod/web[Deployment]', STAGING_API = 'staging/api[Deployment]';
const graphNodes = (page: Page) => page.locator('#graph-nodes li').evaluateAll((lis) => lis.map((li) => ({ id: (li as HTMLElement).dataset.node!, faded: li.classList.contains('faded') })));
const graphEdges = (page: Page) => page.locator('#graph-list li').allTextContents();
/** The accessible lists of nodes and connections (a closed <details> hides its buttons). */
async function showLists(page: Page): Promise<void> {
  await page.locator('#view-graph details').first().evaluate((d) => { (d as HTMLDetailsElement).open = true; });
}
async function dependsDone(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('status')?.dataset.depends === 'done');
}
/** Click an export button and read the downloaded file. */
async function exported(page: Page, kind: string): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`#export-${kind}`).click()]);
  return readFileSync((await d.path())!);
}

/** Paste text into a new file through a real paste event, as a user's Ctrl+V would. */
async function pasteNewFile(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: 'New file' }).click();
  await page.locator('.cm-content').evaluate((el, t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

test('loads the served manifests: the namespace overview first, a 4×4 workload matrix, no page errors', { skip }, async () => {
  const page = await open();
  assert.match((await status(page))!, /^4 pods, 1 policy in 2 namespaces; no problems/);
  assert.deepEqual(await page.locator('#file-tabs button').allTextContents(), ['db-policy.yaml', 'namespaces.yaml', 'workloads.yaml']);
  assert.equal(await page.getByRole('tab', { name: 'Graph' }).getAttribute('aria-selected'), 'true');
  const nodes = (await graphNodes(page)).map((n) => n.id);
  assert.deepEqual(nodes.filter((n) => n.startsWith('ns:')).sort(), ['ns:prod', 'ns:staging']);
  assert.ok(nodes.every((n) => n.startsWith('ns:') || n.startsWith('x:')), nodes.join(', '));
  await page.locator('#graph canvas').first().waitFor();
  await page.screenshot({ path: shot('1-overview') });
  await page.getByRole('tab', { name: 'Matrix' }).click();
  assert.equal(await page.locator('button.cell').count(), 16);
  assert.ok(page.workers().length >= 1, 'the engine runs in a Web Worker');
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('paste a policy with typos: the diagnostics show in the editor and the problem list', { skip }, async () => {
  const page = await open();
  await pasteNewFile(page, readFileSync('examples/db-protection-broken/1-missing-colon.yaml', 'utf8'));
  await page.waitForFunction(() => document.querySelector('#problems')?.textContent?.includes('untitled-1.yaml:14:9'));
  const problems = await page.locator('#problems li').allTextContents();
  assert.ok(problems.some((p) => /^untitled-1\.yaml:14:9 error YAML syntax: .*hint: "matchLabel" has no colon/.test(p)), problems.join('\n'));
  await page.locator('.cm-lintRange-error').first().waitFor();
  assert.equal(await page.locator('.cm-lintRange-error').first().textContent(), 'matchLabel');

  await page.getByRole('button', { name: 'Remove file' }).click();
  const typos = readFileSync('examples/db-protection-broken/2-typos.yaml', 'utf8');
  await pasteNewFile(page, typos);
  await page.waitForFunction(() => document.querySelector('#problems')?.textContent?.includes('podSelectpr'));
  const shown = (await page.locator('#problems li').allTextContents()).filter((p) => p.startsWith('untitled-1.yaml:'));
  // The page lists exactly what the engine finds for this text (lint stays quiet while there are errors).
  const expected = loadSources([{ file: 'untitled-1.yaml', text: typos }]).diagnostics.filter((d) => d.severity !== 'info');
  assert.deepEqual(shown.map((p) => p.split(' ')[0]), expected.map((d) => `untitled-1.yaml:${d.line}:${d.column}`));
  assert.ok(shown.some((p) => p.startsWith('untitled-1.yaml:17:7 error Unknown field') && p.includes('did you mean "podSelector"')), shown.join('\n'));
  await page.locator('.cm-lintRange-error', { hasText: 'podSelectpr' }).hover();
  await page.locator('.cm-tooltip-lint').waitFor();
  assert.match((await page.locator('.cm-tooltip-lint').textContent())!, /unknown field.*hint: did you mean "podSelector"\?/);
  await page.screenshot({ path: shot('2-diagnostics') });
  await page.close();
});

test('the Ingresss typo in policyTypes is reported on its line', { skip }, async () => {
  const page = await open();
  await pasteNewFile(page, readFileSync('examples/db-protection-broken/2-typos.yaml', 'utf8'));
  await page.waitForFunction(() => document.querySelector('#problems')?.textContent?.includes('spec.policyTypes[0]'));
  const problems = await page.locator('#problems li').allTextContents();
  assert.ok(problems.some((p) => p.startsWith('untitled-1.yaml:13:5 error Unsupported value') && p.includes('"Ingresss"')), problems.join('\n'));
  await page.close();
});

test('workload matrix: depends marks, keyboard, a cell explained with the deciding rule, jump to the line', { skip }, async () => {
  const page = await open();
  await dependsDone(page);
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await page.locator('#matrix-port').selectOption({ label: '3306/TCP' });
  // Grouped by namespace, headers sticky.
  assert.deepEqual(await page.locator('table.matrix th.group').allTextContents(), ['prod', 'staging']);
  assert.equal(await page.locator('table.matrix thead th.col').first().evaluate((e) => getComputedStyle(e).position), 'sticky');
  assert.equal(await page.locator('table.matrix th.row').first().evaluate((e) => getComputedStyle(e).position), 'sticky');
  // The deny hinges on the ipBlock (staging/api has no IP): marked in the cell, same default as the CLI.
  const hinging = cell(page, STAGING_API, DB);
  assert.equal(await hinging.textContent(), '·?');
  assert.match((await hinging.getAttribute('title'))!, /^depends: .*no IP is known for staging\/api-0/);
  assert.equal(await cell(page, API, DB).textContent(), '✓');
  // The toggle hides the marks.
  await page.locator('#matrix-depends').uncheck();
  assert.equal(await cell(page, STAGING_API, DB).textContent(), '·');
  await page.locator('#matrix-depends').check();
  // Keyboard: from the first cell, Down and Right move; Enter explains.
  await cell(page, API, API).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.to), DB);
  await page.keyboard.press('Enter');
  const trace = page.locator('#trace');
  await page.waitForFunction(() => document.querySelector('#trace h3')?.textContent === 'ALLOW prod/api-0 → prod/db-0 on 3306/TCP');
  assert.deepEqual(await trace.locator('ol.decided li').allTextContents(), [
    'Egress at prod/api-0: allowed: no policy isolates it',
    'Ingress at prod/db-0: allowed by policy prod/db-policy rule spec.ingress[0]',
  ]);
  await hinging.click();
  await page.waitForFunction(() => document.querySelector('#trace h3')?.textContent === 'DENY staging/api-0 → prod/db-0 on 3306/TCP');
  assert.match((await trace.locator('ul.depends li').first().textContent())!, /^depends: ingress at prod\/db-0: .*has no IP in the manifests/);
  assert.equal(await trace.locator('ol.decided li').nth(1).textContent(), 'Ingress at prod/db-0: denied: isolated by policy prod/db-policy, and no rule of it matches');
  assert.equal(await page.locator('#q-from').inputValue(), 'staging/api-0');
  await page.getByRole('button', { name: 'Jump to line 16 of examples/db-protection/db-policy.yaml' }).click();
  assert.equal(await page.locator('.cm-activeLine').textContent(), '  - from:');
  await page.screenshot({ path: shot('4-matrix') });

  // The query box: an external address on the egress rule.
  await page.locator('#q-from').fill('prod/db');
  await page.locator('#q-to').fill('192.168.5.10');
  await page.locator('#q-port').fill('80');
  await page.getByRole('button', { name: 'Explain' }).click();
  await page.waitForFunction(() => document.querySelector('#trace h3')?.textContent?.includes('192.168.5.10'));
  assert.equal(await trace.locator('h3').textContent(), 'ALLOW prod/db-0 → 192.168.5.10 on 80/TCP');
  await page.close();
});

test('edit a policy: the matrix and Changes show what opened (green) and closed (red)', { skip }, async () => {
  const page = await open();
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await page.locator('#matrix-port').selectOption({ label: '3306/TCP' });
  // Let prod's web pods, instead of its API pods, reach the DB.
  await page.locator('.cm-line', { hasText: 'app: api' }).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('web');
  await page.waitForFunction(() => document.getElementById('diff-count')?.textContent === '+1 −1');
  assert.match((await cell(page, WEB_W, DB).getAttribute('class'))!, /\bopened\b/);
  assert.match((await cell(page, API, DB).getAttribute('class'))!, /\bclosed\b/);
  assert.equal(await cell(page, WEB_W, DB).textContent(), '+');
  await cell(page, WEB_W, DB).click();
  await page.waitForFunction(() => document.querySelector('#trace h3')?.textContent === 'ALLOW prod/web-0 → prod/db-0 on 3306/TCP');
  await page.screenshot({ path: shot('5-diff-matrix') });
  await page.getByRole('tab', { name: /Changes/ }).click();
  assert.deepEqual(await page.locator('#diff-list li').allTextContents(), [
    `− closed: ${API} → ${DB} on 3306`,
    `+ opened: ${WEB_W} → ${DB} on 3306`,
  ]);
  await page.getByRole('button', { name: 'Set baseline' }).click();
  await page.waitForFunction(() => document.getElementById('diff-count')?.textContent === '');
  await page.close();
});

test('graph levels: open a namespace, focus a workload (only its neighbours), the path shows the deciding rule', { skip }, async () => {
  const page = await open();
  await showLists(page);
  await page.locator('#graph-nodes li[data-node="ns:prod"]').getByRole('button', { name: 'open' }).click();
  await page.waitForFunction(() => document.querySelector('#crumbs')?.textContent?.includes('prod: workloads'));
  const nodes = (await graphNodes(page)).map((n) => n.id);
  for (const id of [API, DB, WEB_W]) assert.ok(nodes.includes(`e:${id}`), nodes.join(', '));
  await page.locator('#graph canvas').first().waitFor();
  await page.screenshot({ path: shot('6-namespace') });
  // Focus the DB: allowed from prod/api (3306) and the external 192.168.5.10 (3306); it reaches that
  // block on 80. Its other neighbours are `depends` only (dashed): web and staging's api have no IP.
  await dependsDone(page);
  await page.locator(`#graph-nodes li[data-node="e:${DB}"] button`).first().click();
  const focused = await graphNodes(page);
  const visible = focused.filter((n) => !n.faded).map((n) => n.id).sort();
  // Other namespaces are one node each at this level.
  assert.deepEqual(visible, [`e:${API}`, `e:${DB}`, `e:${WEB_W}`, 'ns:staging', 'x:192.168.5.10/32'].sort());
  assert.ok(focused.some((n) => n.faded), 'the rest is faded');
  const edges = await graphEdges(page);
  assert.ok(edges.every((e) => e.includes(DB)), edges.join('\n'));
  assert.deepEqual(edges.filter((e) => !e.includes(': none; depends')).sort(), [
    `${API} → ${DB}: 3306`,
    `${DB} → 192.168.5.10/32: 80`,
    `192.168.5.10/32 → ${DB}: 3306`,
  ].sort());
  assert.match((await page.locator('#side').textContent())!, /Reached from \(4\).*Reaches \(4\)/);
  await page.screenshot({ path: shot('7-focus') });
  // The path of api -> db: the deciding policy and rule.
  await page.locator('#graph-list li', { hasText: `${API} → ${DB}` }).getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('#trace h3')?.textContent === 'ALLOW prod/api-0 → prod/db-0 on 3306/TCP');
  assert.equal(await page.locator('#trace ol.decided li').nth(1).textContent(), 'Ingress at prod/db-0: allowed by policy prod/db-policy rule spec.ingress[0]');
  await page.locator('#trace').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('12-path') });
  // Expand a workload to its pods, and back up to the overview.
  await page.locator(`#graph-nodes li[data-node="e:${API}"]`).getByRole('button', { name: 'pods' }).click();
  await page.waitForFunction(() => !!document.querySelector('#graph-nodes li[data-node="e:prod/api-0"]'));
  await page.locator('#crumbs').getByRole('button', { name: 'Cluster: namespaces' }).click();
  await page.waitForFunction(() => !!document.querySelector('#graph-nodes li[data-node="ns:prod"]'));
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('graph keyboard: arrows select nodes, Enter focuses, Escape clears', { skip }, async () => {
  const page = await open();
  await page.locator('#graph canvas').first().waitFor();
  await page.locator('#graph').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !!document.querySelector('#side section.focus'));
  assert.ok((await graphNodes(page)).some((n) => n.faded) || (await page.locator('#side h3').first().textContent())!.startsWith('Focus: '));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#side section.focus'));
  await page.close();
});

test('policy layer and search: what a policy isolates and admits; find a workload, a label', { skip }, async () => {
  const page = await open();
  await page.locator('#graph-layer').selectOption('prod/db-policy');
  await page.waitForFunction(() => document.querySelector('#side section.layer') !== null);
  const side = (await page.locator('#side section.layer').textContent())!;
  assert.match(side, /Isolates \(ingress and egress\): prod\/db\[StatefulSet\]/);
  assert.match(side, /Admits from: prod\/api\[Deployment\]; to: no pod/);
  assert.match(side, /Lint findings \(1\)egress-blocks-dns .*fix: add an egress rule/);
  await page.locator('#graph canvas').first().waitFor();
  await page.screenshot({ path: shot('11-layer') });
  await page.locator('#graph-search').fill(WEB_W);
  await page.locator('#graph-search').press('Enter');
  await page.waitForFunction(() => document.querySelector('#side section.focus h3')?.textContent === 'Focus: web[Deployment]').catch(async (e) => {
    throw new Error(`${e}: side=${await page.locator('#side').textContent()} crumbs=${await page.locator('#crumbs').textContent()}`);
  });
  await page.locator('#graph-search').fill('label app=api');
  await page.locator('#graph-search').press('Enter');
  await page.waitForFunction(() => /^2 matches/.test(document.getElementById('graph-note')?.textContent ?? ''));
  await page.close();
});

test('exports of the current view: SVG (parsed), PNG, DOT (parsed), Mermaid (parsed)', { skip }, async () => {
  const page = await open();
  await showLists(page);
  await page.locator('#graph-nodes li[data-node="ns:prod"]').getByRole('button', { name: 'open' }).click();
  await page.waitForFunction(() => document.querySelector('#crumbs')?.textContent?.includes('prod: workloads'));
  await page.locator('#graph canvas').first().waitFor();
  const svg = (await exported(page, 'svg')).toString('utf8');
  const { texts } = parseSvg(svg);
  for (const t of ['api[Deployment]', 'db[StatefulSet]', 'prod']) assert.ok(texts.includes(t), texts.join(', '));
  // The browser's own parser agrees.
  assert.equal(await page.evaluate((s) => new DOMParser().parseFromString(s, 'image/svg+xml').querySelector('parsererror') === null, svg), true);
  const png = await exported(page, 'png');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dot = parseDot((await exported(page, 'dot')).toString('utf8'));
  assert.ok([...dot.nodes.values()].includes('db[StatefulSet]'));
  assert.ok(dot.edges.some((e) => dot.nodes.get(e.from) === 'api[Deployment]' && dot.nodes.get(e.to) === 'db[StatefulSet]' && e.label === '3306'));
  // With a focus, the export is the focused view only (with its `depends` neighbours).
  await dependsDone(page);
  await page.locator(`#graph-nodes li[data-node="e:${DB}"] button`).first().click();
  const mmd = parseMermaid((await exported(page, 'mermaid')).toString('utf8'));
  assert.deepEqual([...mmd.nodes.values()].sort(), ['192.168.5.10/32', 'api[Deployment]', 'db[StatefulSet]', 'staging (1 workload, 1 pod)', 'web[Deployment]']);
  assert.deepEqual(mmd.groups, ['prod'], 'the namespace drilled into is a frame; staging is one node');
  await page.close();
});

test('500-pod example: one node per namespace, no more edges than namespace pairs; workload matrix', { skip }, async () => {
  const page = await open();
  await page.getByRole('button', { name: '500-pod example' }).click();
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('500 pods'));
  assert.match((await status(page))!, /^500 pods, 50 policies in 10 namespaces; no problems; analyzed in \d+ ms/);
  const nodes = await graphNodes(page);
  assert.equal(nodes.filter((n) => n.id.startsWith('ns:')).length, 10);
  // Edges between namespaces: at most one per ordered pair (10 × 10); with the external ranges, at most one per pair of nodes.
  const overview = await graphEdges(page);
  const nsEdges = overview.filter((e) => /^team-\d\d → team-\d\d:/.test(e));
  assert.ok(nsEdges.length > 0 && nsEdges.length <= 100, `${nsEdges.length} namespace edges`);
  assert.equal(new Set(nsEdges.map((e) => e.split(':')[0])).size, nsEdges.length, 'one edge per namespace pair');
  assert.ok(overview.length <= nodes.length ** 2);
  await page.locator('#graph canvas').first().waitFor();
  await page.waitForTimeout(200);
  await page.screenshot({ path: shot('8-500-overview') });
  // Focus one workload: only its neighbours stay.
  await page.locator('#graph-search').fill('team-00/api[Deployment]');
  await page.locator('#graph-search').press('Enter');
  await page.waitForFunction(() => document.querySelector('#side section.focus h3')?.textContent === 'Focus: api[Deployment] ×10');
  const edges = await graphEdges(page);
  assert.ok(edges.length > 0 && edges.every((e) => /(^team-00\/api\[Deployment\] →|→ team-00\/api\[Deployment\]:)/.test(e)), edges.join('\n'));
  await page.screenshot({ path: shot('9-500-focus') });
  await page.getByRole('tab', { name: 'Matrix' }).click();
  assert.equal(await page.locator('button.cell').count(), 50 * 50);
  await page.locator('#matrix-port').selectOption({ label: '3306/TCP' });
  await cell(page, 'team-00/api[Deployment]', 'team-00/db[Deployment]').click();
  await page.waitForFunction(() => document.querySelector('#trace h3')?.textContent === 'ALLOW team-00/api-0 → team-00/db-0 on 3306/TCP');
  // Pods on request, for one namespace.
  await page.locator('#matrix-by').selectOption('pod');
  await page.waitForFunction(() => document.querySelectorAll('button.cell').length === 2500 && !!document.querySelector('button.cell[data-from="team-00/api-0"]'));
  console.log(`# ${await status(page)}`);
  await page.close();
});

test('narrow screen: the panes stack and nothing scrolls sideways', { skip }, async () => {
  const page = await open(420, 860);
  const editor = (await page.locator('.editor-pane').boundingBox())!;
  const views = (await page.locator('.views-pane').boundingBox())!;
  assert.ok(views.y >= editor.y + editor.height - 1, 'views below the editor');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  await page.screenshot({ path: shot('10-narrow'), fullPage: true });
  await page.close();
});
