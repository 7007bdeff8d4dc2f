import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_EXTENSIONS, FORMATS, render } from '../../reports/index.js';
import type { ReportContext } from '../../src/kernel/catalogue.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { goldenContext, storedReport } from '../helpers/reports.js';

// Golden files: every format rendered from a stored report, the JSON golden of a pinned scan (--as-of fixed, run id
// and wall-clock times normalised); test/reports/golden-scan.test.ts holds that JSON equal to a fresh scan. Regenerate
// after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/reports/golden-scan.test.ts test/reports/golden.test.ts
const GOLDEN_DIR = join(projectRoot(), 'test/golden/reports');
const update = process.env['UPDATE_GOLDEN'] === '1';

let report: ScanReport;
let ctx: ReportContext;

beforeAll(() => {
  report = storedReport('reports');
  ctx = goldenContext(report);
});

/** Compare with (or, under UPDATE_GOLDEN=1, write) one golden file. */
function golden(dir: string, name: string, text: string): void {
  const file = join(dir, name);
  if (update || !existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    if (!update) throw new Error(`golden file ${file} did not exist; written now, check it in`);
  }
  const want = readFileSync(file, 'utf8');
  if (text !== want) {
    // Say how to accept an intended change (a new detector, a renderer change) before showing the diff.
    console.error(`${file} differs. If the change is intended: UPDATE_GOLDEN=1 npx vitest run test/reports/golden-scan.test.ts test/reports/golden.test.ts, then review git diff ${file}`);
  }
  expect(text).toBe(want);
}

describe('golden files per format (fixtures/reports/org.json, as of 2026-11-20)', () => {
  for (const format of FORMATS) {
    it(`${format} matches test/golden/reports/report.${FORMAT_EXTENSIONS[format]}`, () => {
      golden(GOLDEN_DIR, `report.${FORMAT_EXTENSIONS[format]}`, render(format, report, ctx, { width: 120, color: false }));
    });
  }

  it('the fixture covers what the golden files are meant to show', () => {
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'high', 'high', 'high', 'high']);
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

describe('golden files per format on the demo org (generated with the default seed, as of 2026-11-20)', () => {
  let demo: ScanReport;
  let demoCtx: ReportContext;
  beforeAll(() => {
    demo = storedReport('demo');
    demoCtx = { detectors: goldenContext(demo).detectors };
  });

  it('the demo renders validate against the JSON, SARIF 2.1.0 and OCSF schemas', () => {
    for (const [format, schemaFile] of [['json', 'report.schema.json'], ['sarif', 'sarif-2.1.0.json'], ['ocsf', 'ocsf-detection-finding.schema.json']] as const) {
      const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
      (addFormats as unknown as typeof addFormats.default)(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(join(projectRoot(), 'reports/schema', schemaFile), 'utf8')));
      expect(validate(JSON.parse(render(format, demo, demoCtx))), `${format}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  for (const format of FORMATS) {
    it(`${format} matches test/golden/demo/report.${FORMAT_EXTENSIONS[format]}`, () => {
      golden(join(projectRoot(), 'test/golden/demo'), `report.${FORMAT_EXTENSIONS[format]}`, render(format, demo, demoCtx, { width: 120, color: false }));
    });
  }
});
