import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, setWindow } from '../../src/pipeline/pipeline.js';
import { CATEGORIES } from '../../src/kernel/types.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { readFixture } from '../../src/detect/fixture.js';
import { fixtureFiles, scanFixture } from '../../src/pipeline/selftest.js';
import { runDetectors } from '../../src/detect/runner.js';
import { Store } from '../../src/store/db.js';
import { detectors, FIXTURE_SHARDS, fixturesRoot, loads } from './catalogue.js';

// The repo-wide policing test: every detector file, its metadata, its fixtures, an empty-schema run.
// The fixtures themselves run in the fixtures-N.test.ts shards.

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

  it('every detector has hit and miss fixtures, and every fixture runs in a shard', () => {
    for (const d of detectors) {
      const { hits, misses } = fixtureFiles(fixturesRoot, d.meta.id);
      expect(hits.length, `fixtures/detectors/${d.meta.id}/hit*.json`).toBeGreaterThan(0);
      expect(misses.length, `fixtures/detectors/${d.meta.id}/miss*.json`).toBeGreaterThan(0);
    }
    for (let i = 1; i <= FIXTURE_SHARDS; i++) expect(existsSync(join(import.meta.dirname, `fixtures-${i}.test.ts`)), `fixtures-${i}.test.ts`).toBe(true);
    expect(existsSync(join(import.meta.dirname, `fixtures-${FIXTURE_SHARDS + 1}.test.ts`))).toBe(false);
  });
});

describe('the fixture harness runs the detector under test alone', () => {
  // A detector reads the model, never another detector's findings: alone it reports what it reports in a scan
  // running the whole catalogue. Checked here on fixtures that read a roster, leak reports, a registry and GitHub.
  const norm = (x: unknown) => JSON.stringify(x).replace(/shadowscan-fixture-[A-Za-z0-9]+/g, '<export>');
  for (const [id, file] of [
    ['aws/ownerless', 'hit-owner-not-in-roster.json'], ['aws/leaked-credential', 'hit-leak-reports.json'],
    ['registry/approvals', 'hit.json'], ['github/overbroad', 'hit.json'],
  ] as const) {
    it(`${id} ${file}: its findings alone = its findings among all`, async () => {
      const spec = readFixture(join(fixturesRoot, id, file));
      const [all, alone] = [await scanFixture(spec), await scanFixture(spec, { detector: id })];
      const mine = (r: ScanReport) => norm({ findings: r.findings.filter((f) => f.detector === id), suppressed: r.suppressed.filter((s) => s.finding.detector === id) });
      expect(alone.run.sources).toContain(`selection: 1 of ${detectors.length} detectors (only ${id})`);
      expect(alone.findings.every((f) => f.detector === id)).toBe(true);
      expect(mine(alone)).toBe(mine(all));
      expect(alone.findings.length).toBeGreaterThan(0);
    });
  }
});
