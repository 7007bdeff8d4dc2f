import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, setWindow } from '../../src/core/pipeline.js';
import { CATEGORIES } from '../../src/core/types.js';
import { fixtureFiles } from '../../src/detect/selftest.js';
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
