import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_EXTENSIONS, FORMATS, render } from '../../reports/index.js';
import type { ReportContext } from '../../src/core/catalogue.js';
import type { ScanReport } from '../../src/core/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { goldenContext, goldenReport } from '../helpers/reports.js';

// Golden files: every format rendered from one pinned scan (--as-of fixed, run id and wall-clock times
// normalised). Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/reports/golden.test.ts
const GOLDEN_DIR = join(projectRoot(), 'test/golden/reports');
const update = process.env['UPDATE_GOLDEN'] === '1';

let report: ScanReport;
let ctx: ReportContext;

beforeAll(async () => {
  report = await goldenReport();
  ctx = goldenContext(report);
});

describe('golden files per format (fixtures/reports/org.json, as of 2026-11-20)', () => {
  for (const format of FORMATS) {
    it(`${format} matches test/golden/reports/report.${FORMAT_EXTENSIONS[format]}`, () => {
      const text = render(format, report, ctx, { width: 120, color: false });
      const file = join(GOLDEN_DIR, `report.${FORMAT_EXTENSIONS[format]}`);
      if (update || !existsSync(file)) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, text);
        if (!update) throw new Error(`golden file ${file} did not exist; written now, check it in`);
      }
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('the fixture covers what the golden files are meant to show', () => {
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'high', 'high', 'medium']);
    expect(report.inventory.filter((i) => i.classification === 'agent').length).toBeGreaterThanOrEqual(2);
  });

  it('rendering is pure: the same input renders the same text twice, and no run-specific value leaks in', () => {
    for (const format of FORMATS) {
      const a = render(format, report, ctx);
      expect(render(format, report, ctx)).toBe(a);
      expect(a).not.toMatch(/run-\d{8}T/);
      expect(a).not.toMatch(/\/tmp\//);
    }
  });
});
