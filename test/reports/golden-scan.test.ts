import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { generateDemo } from '../../tools/demo/generate.js';
import { normalise, scanGoldenReport } from '../helpers/reports.js';
import { scanDir, tempDir } from '../helpers/scan.js';

// The scans behind the stored reports: a fresh scan of the report fixture and of the demo org must report exactly
// the JSON golden (run id, wall-clock times and temp paths normalised). Every renderer golden is rendered from these
// stored reports (test/reports/golden.test.ts), so this is the one lock on a scan's whole output.
// After an intended change: UPDATE_GOLDEN=1 npx vitest run test/reports/golden-scan.test.ts, then the same for
// test/reports/golden.test.ts (it renders the other formats from the updated JSON), then review git diff test/golden.
const update = process.env['UPDATE_GOLDEN'] === '1';

function lock(dir: string, report: ScanReport): void {
  const file = join(projectRoot(), 'test/golden', dir, 'report.json');
  const text = renderJson(report);
  if (update || !existsSync(file)) {
    mkdirSync(join(projectRoot(), 'test/golden', dir), { recursive: true });
    writeFileSync(file, text);
    if (!update) throw new Error(`golden file ${file} did not exist; written now, check it in`);
  }
  const want = readFileSync(file, 'utf8');
  if (text !== want) console.error(`${file} differs from a fresh scan. If the change is intended: UPDATE_GOLDEN=1 npx vitest run test/reports/golden-scan.test.ts test/reports/golden.test.ts, then review git diff test/golden`);
  expect(text).toBe(want);
}

describe('a fresh scan reports exactly the stored report', () => {
  it('the report fixture (fixtures/reports/org.json, as of 2026-11-20) = test/golden/reports/report.json', async () => {
    const report = await scanGoldenReport();
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'high', 'high', 'high', 'high']);
    lock('reports', report);
  });

  it('the demo org (generated with the default seed, as of 2026-11-20) = test/golden/demo/report.json', async () => {
    const dir = tempDir('shadowscan-demo-');
    await generateDemo({ out: dir });
    lock('demo', normalise(await scanDir(dir), dir));
  }, 120_000);
});
