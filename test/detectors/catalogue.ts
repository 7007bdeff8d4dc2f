import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDetectorDir, loadDetectorDir, projectRoot, type Detector } from '../../src/detect/loader.js';
import { fixtureFiles, runFixture } from '../../src/pipeline/selftest.js';

// The built-in catalogue and its fixtures, shared by catalogue.test.ts (metadata, empty schema) and the
// fixtures-N.test.ts shards (every hit and miss fixture through the harness `shadowscan detectors test` uses).
export const loads = loadDetectorDir(builtinDetectorDir());
export const detectors: Detector[] = loads.flatMap((l) => (l.ok ? [l.detector] : []));
export const fixturesRoot = join(projectRoot(), 'fixtures', 'detectors');

/** Every (detector, fixture file) pair, in a stable order. */
export function fixtureCases(): { id: string; file: string; kind: 'hit' | 'miss' }[] {
  return detectors.flatMap((d) => {
    const { hits, misses } = fixtureFiles(fixturesRoot, d.meta.id);
    return [...hits.map((file) => ({ id: d.meta.id, file, kind: 'hit' as const })), ...misses.map((file) => ({ id: d.meta.id, file, kind: 'miss' as const }))];
  });
}

/** Shard `shard` of `of` (1-based): vitest runs shard files in parallel, so the catalogue is not one long file. */
/** How many fixtures-N.test.ts files there are; the catalogue test checks each exists. */
export const FIXTURE_SHARDS = 4;

export function defineFixtureShard(shard: number, of: number): void {
  const cases = fixtureCases().filter((_, i) => i % of === shard - 1);
  describe(`detector fixtures (shard ${shard} of ${of})`, () => {
    it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      const name = c.file.slice(fixturesRoot.length + 1);
      it(`${c.kind === 'hit' ? 'fires on' : 'stays quiet on'} ${name}`, async () => {
        // The harness `shadowscan detectors test` runs: the detector under test alone over the fixture's export.
        expect((await runFixture(c.id, c.file, c.kind)).problems).toEqual([]);
      });
    }
  });
}
