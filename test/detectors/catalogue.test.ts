import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, setWindow } from '../../src/core/pipeline.js';
import { CATEGORIES } from '../../src/core/types.js';
import { readFixture } from '../../src/detect/fixture.js';
import { builtinDetectorDir, loadDetectorDir, projectRoot, type Detector } from '../../src/detect/loader.js';
import { runDetectors } from '../../src/detect/runner.js';
import { Store } from '../../src/store/db.js';
import { scanFixture } from '../helpers/scan.js';

// The repo-wide policing test: every detector file, its metadata, its fixtures, an empty-schema run.
const loads = loadDetectorDir(builtinDetectorDir());
const detectors: Detector[] = loads.flatMap((l) => (l.ok ? [l.detector] : []));
const fixturesRoot = join(projectRoot(), 'fixtures', 'detectors');

describe('detector catalogue', () => {
  it('every detector file parses and validates', () => {
    const bad = loads.filter((l) => !l.ok);
    expect(bad).toEqual([]);
    expect(detectors.length).toBeGreaterThanOrEqual(3);
  });

  it('ids are unique and categories come from the fixed vocabulary', () => {
    const ids = detectors.map((d) => d.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of detectors) expect(CATEGORIES).toContain(d.meta.category);
  });

  it('every detector runs on an empty schema and returns nothing', async () => {
    const store = await Store.open(':memory:');
    await setWindow(store, new Date('2026-11-20T00:00:00Z'), 90 * 86400);
    await buildModel(store);
    const result = await runDetectors(store, detectors, { asOf: new Date('2026-11-20T00:00:00Z'), lookbackDays: 90 });
    expect(result.gaps).toEqual([]);
    expect(result.findings).toEqual([]);
    store.close();
  });

  for (const det of detectors) {
    describe(det.meta.id, () => {
      const dir = join(fixturesRoot, det.meta.id);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
      const hits = files.filter((f) => f.startsWith('hit'));
      const misses = files.filter((f) => f.startsWith('miss'));

      it('has hit and miss fixtures', () => {
        expect(hits.length, `fixtures/detectors/${det.meta.id}/hit*.json`).toBeGreaterThan(0);
        expect(misses.length, `fixtures/detectors/${det.meta.id}/miss*.json`).toBeGreaterThan(0);
      });

      for (const f of hits) {
        it(`fires on ${f}`, async () => {
          const spec = readFixture(join(dir, f));
          const report = await scanFixture(spec);
          const found = report.findings.filter((x) => x.detector === det.meta.id);
          expect(found.length).toBeGreaterThan(0);
          for (const s of spec.expect_subjects ?? []) expect(found.map((x) => x.subject.id)).toContain(s);
          for (const x of found) {
            expect(x.reason.length).toBeGreaterThan(10);
            expect(x.remediation.steps.length).toBeGreaterThan(0);
          }
        });
      }
      for (const f of misses) {
        it(`stays quiet on ${f}`, async () => {
          const spec = readFixture(join(dir, f));
          const report = await scanFixture(spec);
          const found = report.findings.filter((x) => x.detector === det.meta.id).map((x) => x.subject.id);
          if (spec.forbid_subjects) for (const s of spec.forbid_subjects) expect(found).not.toContain(s);
          else expect(found).toEqual([]);
        });
      }
    });
  }
});
