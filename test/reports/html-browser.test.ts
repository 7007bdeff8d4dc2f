import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { goldenContext, goldenReport } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

// The HTML report in a real browser: Debian's chromium (installed by .ci/install-system), driven by playwright-core.
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipped: HTML browser test needs ${CHROMIUM} (run .ci/install-system, or apt-get install chromium)`);

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let file: string;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('shadowscan-html-');
    const report = await goldenReport();
    file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report, goldenContext(report)));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens from file:// with no console errors and no network request; the summary renders and is screenshotted', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`); });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await page.title()).toMatch(/^shadowscan report/);
    // Four charts, each in a wide and a phone form; at this width only the wide forms are shown.
    await expect.poll(() => page.locator('#summary svg').count()).toBe(8);
    expect(await page.locator('#summary .chart-wide svg').evaluateAll((l) => l.filter((e) => (e as unknown as { getClientRects(): { length: number } }).getClientRects().length > 0).length)).toBe(4);
    expect(await page.locator('#summary .card .n').first().textContent()).toBe('5');
    const shot = join(dir, 'summary.png');
    await page.locator('#summary').screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    console.info(`HTML summary screenshot: ${shot}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the inventory filter and classification select work', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    const visible = () => page.locator('#inventory tbody tr:visible').count();
    expect(await visible()).toBe(5);
    await page.fill('#inv-filter', 'svc-bot');
    expect(await visible()).toBe(2);
    await page.fill('#inv-filter', '');
    await page.selectOption('#inv-class', 'human');
    expect(await visible()).toBe(1);
    expect(await page.locator('#inv-count').textContent()).toBe('1 of 5');
    // Sorting by risk (numeric) puts the lowest first on the first click.
    await page.selectOption('#inv-class', '');
    await page.locator('#inventory th', { hasText: 'risk' }).click();
    expect(await page.locator('#inventory tbody tr').first().locator('td').nth(6).textContent()).toBe('0');
    expect(errors).toEqual([]);
    await page.close();
  });
});
