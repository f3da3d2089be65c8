// The page's tiers and generate panel end to end in Debian's headless Chromium (as web.test.ts:
// build with vite, serve with `netpol serve`'s server; screenshots go to test-output/web/).
// A missing Chromium fails the run unless NETPOL_SKIP_BROWSER=1 says so on purpose.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { browserForTests, EXAMPLE, servePage } from './chromium.js';

const OUT = resolve('test-output/web');
const WEB = join(OUT, 'dist-tiers');
const shot = (name: string) => join(OUT, `${name}.png`);

const { chromiumPath, skip } = browserForTests();
const example = EXAMPLE;
const TIERS_FILE = 'examples/page-tiers/tiers.yaml';

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

async function open(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => /\d+ pods/.test(document.getElementById('status')?.textContent ?? ''));
  return page;
}

async function loadTiers(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Tiers example' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#file-tabs button')].some((b) => b.textContent === 'tiers.yaml') && /\d+ pods/.test(document.getElementById('status')?.textContent ?? ''));
}

test('tiers example: the trace shows the deciding Admin rule (Deny over the NetworkPolicy allow) and jumps to its line', { skip }, async () => {
  const page = await open();
  await loadTiers(page);
  // Until the class engine reads tier policies the matrix says why it is missing, not a crash.
  await page.getByRole('tab', { name: 'Matrix' }).click();
  const matrix = (await page.locator('#matrix').textContent())!;
  assert.ok(/not available for this cluster: tier policies/.test(matrix) || (await page.locator('button.cell').count()) === 16, matrix);
  if (/not available/.test(matrix)) {
    // Changing the matrix's controls or going to the graph keeps the message (no empty table, no crash).
    await page.locator('#matrix-by').selectOption('pod');
    assert.match((await page.locator('#matrix').textContent())!, /not available for this cluster/);
    await page.locator('#matrix-by').selectOption('workload');
    await page.getByRole('tab', { name: 'Graph' }).click();
    assert.match((await page.locator('#graph-note').textContent())!, /not available for this cluster/);
    await page.getByRole('tab', { name: 'Matrix' }).click();
  }
  await page.locator('#q-from').fill('prod/api');
  await page.locator('#q-to').fill('prod/db');
  await page.locator('#q-port').fill('3306');
  await page.getByRole('button', { name: 'Explain' }).click();
  const admin = page.locator('#trace li.tier-step[data-layer="Admin"][data-state="decided"]');
  await admin.waitFor();
  assert.match((await page.locator('#trace h3.verdict').textContent())!, /^DENY prod\/api-0 → prod\/db-0 on 3306\/TCP/);
  assert.equal(await admin.locator(':scope > .action-badge').textContent(), 'Deny');
  assert.equal(await admin.locator(':scope > .tier-badge').textContent(), 'Admin');
  assert.match((await admin.textContent())!, /cnp\/freeze-prod-db priority 10, rule spec\.ingress\[0\] 'freeze-api' Deny — final/);
  const path = await page.locator('#trace ol.decided li').allTextContents();
  assert.ok(path.some((l) => l.startsWith('Ingress at prod/db-0: denied by the Admin tier: cnp/freeze-prod-db')), path.join('\n'));
  // The NetworkPolicy's allow is still listed, but its layer was not reached.
  assert.equal(await page.locator('#trace li.tier-step[data-layer="NetworkPolicy"]').last().getAttribute('data-state'), 'unreached');
  await page.screenshot({ path: shot('13-tier-trace') });
  await admin.locator(':scope > button.jump').click();
  assert.equal(await page.locator('#file-tabs button[aria-current="true"]').textContent(), 'tiers.yaml');
  const line = readFileSync(TIERS_FILE, 'utf8').split('\n').find((l) => l.includes('name: freeze-api'))!;
  assert.equal(await page.locator('.cm-activeLine').textContent(), line);
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('policies tab: every policy in evaluation order with tier badges; a tier policy lists its subjects', { skip }, async () => {
  const page = await open();
  await loadTiers(page);
  await page.getByRole('tab', { name: /^Policies/ }).click();
  await page.locator('#policy-order li').nth(2).waitFor();
  const rows = await page.locator('#policy-order li').evaluateAll((lis) => lis.map((li) => [(li as HTMLElement).dataset.tier, (li as HTMLElement).dataset.policy, li.querySelector('.tier-badge')?.textContent, li.querySelector('.priority')?.textContent ?? '']));
  assert.deepEqual(rows, [['Admin', 'cnp/freeze-prod-db', 'Admin', 'priority 10'], ['NetworkPolicy', 'prod/db-policy', 'NP', ''], ['Baseline', 'cnp/staging-closed', 'Baseline', 'priority 50']]);
  await page.getByRole('button', { name: 'cnp/staging-closed' }).click();
  await page.locator('#policy-subjects ul.subjects li').first().waitFor();
  assert.deepEqual(await page.locator('#policy-subjects ul.subjects li').allTextContents(), ['staging/api-0']);
  await page.screenshot({ path: shot('14-policy-order') });
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('a ClusterNetworkPolicy typo shows an inline diagnostic and in Problems', { skip }, async () => {
  const page = await open();
  const cnp = readFileSync(TIERS_FILE, 'utf8').replace('    action: Deny', '    acton: Deny');
  await page.getByRole('button', { name: 'New file' }).click();
  await page.locator('.cm-content').evaluate((el, t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, cnp);
  const line = cnp.split('\n').findIndex((l) => l.includes('acton: Deny')) + 1;
  await page.waitForFunction(() => document.querySelector('#problems')?.textContent?.includes('acton'));
  const problems = await page.locator('#problems li').allTextContents();
  assert.ok(problems.some((p) => p.startsWith(`untitled-1.yaml:${line}:5 error`) && p.includes('spec.ingress[0].acton') && p.includes('did you mean "action"')), problems.join('\n'));
  const squiggle = page.locator('.cm-lintRange-error', { hasText: 'acton' });
  await squiggle.waitFor();
  await squiggle.hover();
  await page.locator('.cm-tooltip-lint').waitFor();
  assert.match((await page.locator('.cm-tooltip-lint').textContent())!, /did you mean "action"/);
  await page.screenshot({ path: shot('15-cnp-diagnostic') });
  await page.close();
});

test('generate panel: the built-in intent → YAML, the proof counts, and the matrix it yields', { skip }, async () => {
  const page = await open();
  await page.getByRole('tab', { name: 'Generate' }).click();
  assert.equal(await page.locator('#gen-expect').inputValue(), readFileSync('examples/expect/db-protection-intent.yaml', 'utf8'));
  await page.locator('#gen-dns').uncheck();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.locator('#gen-yaml').waitFor();
  const yaml = (await page.locator('#gen-yaml').textContent())!;
  assert.match(yaml, /kind: NetworkPolicy/);
  assert.match(yaml, /namespace: prod/);
  assert.match((await page.locator('.gen-counts').textContent())!, /polic(y|ies), \d+ rules?; proved: 3 assertions hold, 0 fail, nothing else opened in scope/);
  await page.locator('#gen-apply').click();
  const m3306 = page.locator('table.gen-matrix[data-port="3306/TCP"]');
  await m3306.waitFor();
  const cell = (from: string, to: string) => m3306.locator(`td[data-from="${from}"][data-to="${to}"]`);
  assert.equal(await cell('prod/api-0', 'prod/db-0').textContent(), '✓');
  assert.equal(await cell('prod/web-0', 'prod/db-0').textContent(), '·');
  assert.equal(await cell('staging/api-0', 'prod/db-0').textContent(), '·');
  await m3306.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('16-generate') });
  // A broken line: the problem names its line, nothing is generated.
  await page.locator('#gen-expect').fill('kind: NetpolExpectations\nexpect:\n  - prod/api => prod/db allow\n');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.locator('#gen-result .gen-problems').waitFor();
  assert.match((await page.locator('#gen-result').textContent())!, /^Nothing generated:line 3:/);
  assert.equal(await page.locator('#gen-yaml').count(), 0);
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('hostile names in a tier rule stay text in the trace', { skip }, async () => {
  const page = await open();
  const hostile = '<img src=x onerror="document.title=1">';
  const text = readFileSync(TIERS_FILE, 'utf8').replace('name: freeze-api', `name: '${hostile}'`);
  await page.getByRole('button', { name: 'New file' }).click();
  await page.locator('.cm-content').evaluate((el, t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction(() => /\d+ pods/.test(document.getElementById('status')?.textContent ?? '') && (document.getElementById('tab-policies')?.textContent ?? '').includes('(3)'));
  await page.locator('#q-from').fill('prod/api');
  await page.locator('#q-to').fill('prod/db');
  await page.locator('#q-port').fill('3306');
  await page.getByRole('button', { name: 'Explain' }).click();
  const admin = page.locator('#trace li.tier-step[data-layer="Admin"][data-state="decided"]');
  await admin.waitFor();
  assert.ok((await admin.locator('.step-text').textContent())!.includes(`'${hostile}' Deny`));
  await admin.locator('details.tier-rules summary').click();
  assert.ok((await admin.locator('details.tier-rules').textContent())!.includes(hostile));
  assert.equal(await page.locator('#trace img').count(), 0);
  assert.notEqual(await page.title(), '1');
  await page.close();
});
