import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../src/kernel/catalogue.js';
import { projectRoot } from '../../src/detect/loader.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { renderHtml } from '../../reports/html.js';
import { goldenContext } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

// The demo's HTML report laid out in Chromium at a desktop (1400 px) and a phone (390 px) width: nothing may
// overflow the page horizontally, tables stay inside their container on the desktop, no chart text is cut at a
// chart's edge (e.g. "NHI6 …" read as "IHI6", the first date of a trend chart), legends in severity/numeric order,
// long sections fold. Screenshots of both widths are written (their paths are printed) for a person to look at.
const CHROMIUM = '/usr/bin/chromium';
// The page functions run in Chromium; the project compiles without the DOM library, so they are typed loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
const haveChromium = existsSync(CHROMIUM);

/** Six runs a week apart, so every trend chart renders with a full x axis. */
function trends(r: ScanReport): TrendPoint[] {
  const count = <K extends string>(keys: K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;
  return Array.from({ length: 6 }, (_, i) => {
    const as_of = new Date(Date.parse(r.run.as_of) - (5 - i) * 7 * 86400_000).toISOString();
    const sev = count(['critical', 'high', 'medium', 'low', 'info']);
    for (const f of r.findings) sev[f.severity] = (sev[f.severity] ?? 0) + Math.max(0, i - 1);
    const owasp: Record<string, number> = {};
    for (const f of r.findings) for (const o of f.owasp_nhi) owasp[o] = (owasp[o] ?? 0) + 1 + i;
    const cls: Record<string, number> = {};
    for (const x of r.inventory) cls[x.classification] = (cls[x.classification] ?? 0) + 1;
    return { run_id: `run-${i}`, as_of, identities_by_classification: cls, agents_by_registry_status: { unregistered: 10 + i, registered: 3 }, findings_by_severity: sev, findings_by_owasp_nhi: owasp };
  });
}

/** Every problem the layout has at the page's current width. */
async function layoutProblems(page: Page, desktop: boolean): Promise<string[]> {
  return page.evaluate((isDesktop) => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const d of document.querySelectorAll('details')) d.open = true; // measure everything, folded or not
    for (const fig of document.querySelectorAll('.charts figure')) {
      const f = fig.getBoundingClientRect();
      if (f.right > doc.clientWidth + 0.5) out.push(`${fig.id} overflows the page (${Math.round(f.right)} > ${doc.clientWidth})`);
      // The chart form shown at this width (a figure holds a wide and a phone form; CSS shows one).
      const shown = [...fig.querySelectorAll('svg')].filter((svg) => svg.getClientRects().length > 0);
      if (shown.length !== 1) out.push(`${fig.id}: ${shown.length} chart forms shown`);
      for (const svg of shown) {
        const box = svg.getBoundingClientRect();
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${fig.id}: "${t.textContent}" is cut at the chart's edge`);
        }
      }
    }
    if (isDesktop) {
      for (const table of document.querySelectorAll('table')) {
        const c = table.parentElement!;
        if (table.getBoundingClientRect().width > c.clientWidth + 0.5) out.push(`table ${table.id || ''} wider than its container (${Math.round(table.getBoundingClientRect().width)} > ${c.clientWidth})`);
      }
    }
    return out;
  }, desktop);
}

/** The smallest chart text as drawn on screen (font size × the SVG's scale), per chart: `[chart id, px, text]`. */
async function smallestChartText(page: Page): Promise<[string, number, string][]> {
  return page.evaluate(() => {
    const out: [string, number, string][] = [];
    for (const fig of document.querySelectorAll('.charts figure')) {
      for (const svg of fig.querySelectorAll('svg')) {
        if (svg.getClientRects().length === 0) continue; // the form not shown at this width
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        let min: [string, number, string] | undefined;
        for (const t of svg.querySelectorAll('text')) {
          const px = parseFloat(getComputedStyle(t).fontSize) * scale;
          if (!min || px < min[1]) min = [fig.id, Math.round(px * 10) / 10, t.textContent];
        }
        if (min) out.push(min);
      }
    }
    return out;
  });
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const getComputedStyle: any;

describe.skipIf(!haveChromium)('HTML report layout at 1400 px and 390 px (Chromium)', () => {
  let browser: Browser;
  let file: string;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('shadowscan-html-layout-');
    const report = JSON.parse(readFileSync(join(projectRoot(), 'test/golden/demo/report.json'), 'utf8')) as ScanReport;
    file = join(dir, 'demo.html');
    writeFileSync(file, renderHtml(report, { ...goldenContext(report), trends: trends(report) }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterAll(async () => { await browser?.close(); });

  for (const [width, desktop] of [[1400, true], [390, false]] as const) {
    it(`at ${width} px: no horizontal overflow, no clipped chart label${desktop ? ', tables inside their container' : ''}; screenshot`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      const folded = await page.evaluate(() => document.documentElement.scrollHeight);
      const shot = join(dir, `report-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      console.info(`HTML report at ${width} px (folded, ${folded} px tall): ${shot}`);
      // The demo page was 22,000 px tall at 1400 px; folded sections keep the first view short.
      if (desktop) expect(folded).toBeLessThan(12_000);
      expect(await layoutProblems(page, desktop)).toEqual([]);
      await page.close();
    }, 60_000);
  }

  it('at 390 px every chart\'s text is drawn at 12 px or more (the OWASP chart was ~8 px, trend axes ~6 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const smallest = await smallestChartText(page);
    console.info(`smallest chart text at 390 px: ${smallest.map(([id, px]) => `${id} ${px}px`).join(', ')}`);
    expect(smallest.map(([id]) => id)).toEqual(expect.arrayContaining(['chart-owasp', 'chart-classification', 'chart-severity', 'chart-trend-owasp']));
    expect(smallest.filter(([, px]) => px < 12)).toEqual([]);
    await page.close();
  }, 60_000);

  it('legends follow severity and numeric order; timestamps are for people', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const legend = (id: string) => page.locator(`#${id} svg text[font-size="11"]`).allTextContents();
    expect(await legend('chart-trend-severity')).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    const owasp = await legend('chart-trend-owasp');
    expect(owasp.indexOf('NHI2')).toBeLessThan(owasp.indexOf('NHI10'));
    expect(owasp.indexOf('NHI9')).toBeLessThan(owasp.indexOf('NHI10'));
    const header = await page.locator('header p').first().textContent();
    expect(header).toMatch(/As of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(header).not.toMatch(/\.\d{3}Z/);
    await page.close();
  });
});
