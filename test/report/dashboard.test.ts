import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { startDashboard, type Dashboard } from '../../src/report/dashboard.js';
import { PNG_SIGNATURE, pngSize } from '../plotting/well-formed-xml.js';
import { writeSyntheticRun } from './report-data.js';

const CHROMIUM = '/usr/bin/chromium';
// without Chromium the browser tests are skipped on a developer's machine; CI installs it, so there they fail instead
const skipBrowser = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found; install Debian's chromium package` : false;

let root: string;
let dashboard: Dashboard;

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bhive-dashboard-'));
  const inputFile = path.join(root, 'input.bin');
  writeFileSync(inputFile, 'input');
  await writeSyntheticRun(path.join(root, 'Evaluate', 'strong', 'aaa111'), 'strong', 2.0, 4, inputFile);
  await writeSyntheticRun(path.join(root, 'Evaluate', 'weak', 'bbb222'), 'weak', 0.7, 5, inputFile);
  // an unfinished run and a hidden folder are not listed
  await writeSyntheticRun(path.join(root, 'Evaluate', 'weak', 'ccc333.tmp-42'), 'unfinished', 0.7, 6, inputFile);
  dashboard = await startDashboard({ outputRoot: root, port: 0 });
});

after(async () => {
  await dashboard.close();
  rmSync(root, { recursive: true, force: true });
});

test('dashboard binds loopback only', () => {
  const address = dashboard.server.address();
  assert.ok(address !== null);
  assert.equal(typeof address, 'object');
  assert.ok(typeof address === 'object');
  assert.equal(address.address, '127.0.0.1');
  assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('run list and files over HTTP', async () => {
  const runs = (await (await fetch(new URL('api/runs', dashboard.url))).json()) as Array<{ id: string; name: string }>;
  assert.deepEqual(runs.map((run) => run.id).sort(), ['Evaluate/strong/aaa111', 'Evaluate/weak/bbb222']);
  const csv = await fetch(new URL(`runs/${encodeURIComponent('Evaluate/weak/bbb222')}/rejection.csv`, dashboard.url));
  assert.equal(csv.status, 200);
  assert.match(await csv.text(), /^discriminant,target_signal_efficiency/);
});

test('dashboard serves nothing outside runs', async () => {
  const paths = [
    `runs/${encodeURIComponent('Evaluate/weak/bbb222')}/..%2F..%2F..%2Finput.bin`,
    `runs/${encodeURIComponent('../')}/input.bin`,
    `runs/${encodeURIComponent('Evaluate/weak/bbb222')}/provenance.txt`,
    'input.bin',
  ];
  for (const file of paths) assert.equal((await fetch(new URL(file, dashboard.url))).status, 404, file);
  assert.equal((await fetch(new URL('compare', dashboard.url))).status, 400);
  assert.equal((await fetch(new URL('compare?run=nope', dashboard.url))).status, 404);
  assert.equal((await fetch(dashboard.url, { method: 'POST' })).status, 405);
});

test('comparison in headless Chromium', { skip: skipBrowser }, async (t) => {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'bhive-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await context.newPage();

  await page.goto(dashboard.url);
  assert.equal(await page.title(), 'bhive runs');
  assert.equal(await page.locator('table.runs tbody tr').count(), 2);
  await page.locator('input[name="run"][value="Evaluate/strong/aaa111"]').check();
  await page.locator('input[name="run"][value="Evaluate/weak/bbb222"]').check();
  await Promise.all([page.waitForURL(/\/compare\?/), page.locator('#compare').click()]);

  assert.equal(await page.locator('h1').textContent(), 'Comparison of 2 runs');
  const figures = page.locator('figure.comparison');
  assert.deepEqual(await figures.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-discriminant'))), ['BvsL', 'CvsL']);
  const legend = (await figures.first().locator('svg g.legend').textContent()) ?? '';
  assert.match(legend, /strong: strong BvsL \(AUC = 0\.\d{3}\)/);
  assert.match(legend, /weak: weak BvsL \(AUC = 0\.\d{3}\)/);
  // one table row per run and discriminant
  assert.equal(await page.locator('table.comparison tbody tr').count(), 4);
  const strongAuc = Number(/strong BvsL \(AUC = (0\.\d+)\)/.exec(legend)?.[1]);
  const weakAuc = Number(/weak BvsL \(AUC = (0\.\d+)\)/.exec(legend)?.[1]);
  assert.ok(strongAuc > weakAuc, `separation 2.0 gives AUC ${strongAuc}, separation 0.7 gives ${weakAuc}`);

  const screenshotDir = process.env.BHIVE_SCREENSHOT_DIR ?? profile;
  const screenshot = path.join(screenshotDir, 'dashboard-compare.png');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: screenshot, fullPage: true });
  const png = readFileSync(screenshot);
  assert.deepEqual(png.subarray(0, 8), Buffer.from(PNG_SIGNATURE));
  assert.equal(pngSize(png).width, 1280);

  await Promise.all([page.waitForURL(/report\.html$/), page.locator('a', { hasText: 'Evaluate/strong/aaa111' }).first().click()]);
  assert.equal(await page.locator('h1').textContent(), 'bhive evaluation: strong');
  assert.ok((await page.locator('figure svg').count()) >= 5);
  if (process.env.BHIVE_SCREENSHOT_DIR) await page.screenshot({ path: path.join(screenshotDir, 'dashboard-report.png'), fullPage: true });
});
