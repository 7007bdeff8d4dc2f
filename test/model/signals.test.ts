import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/kernel/types.js';
import { readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { loadSignalDir } from '../../src/model/signals.js';
import { scanDir, scanFixture } from '../helpers/scan.js';

/**
 * Every signal has hit and miss fixtures (fixtures/signals/<id>/hit*.json, miss*.json): each names a scan source
 * (`source`: an export directory such as the demo, with optional `as_of`/`lookback_days`, or a fixture spec) and the identities that must (`expect_subjects`) or must
 * not (`forbid_subjects`) carry the signal as evidence. Each source is scanned once.
 */
interface SignalFixture { description: string; source: string; as_of?: string; lookback_days?: number; expect_subjects?: string[]; forbid_subjects?: string[] }

const root = projectRoot();
const signals = loadSignalDir().flatMap((l) => (l.ok ? [l.signal] : []));
const fixtureDir = (id: string): string => join(root, 'fixtures', 'signals', id);
const cases = signals.map((sg) => {
  const dir = fixtureDir(sg.meta.id);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  return { sg, dir, hits: files.filter((f) => f.startsWith('hit')), misses: files.filter((f) => f.startsWith('miss')) };
});

const scans = new Map<string, Promise<ScanReport>>();
function scanOf(fx: SignalFixture): Promise<ScanReport> {
  const key = `${fx.source} ${fx.as_of ?? ''} ${fx.lookback_days ?? ''}`;
  let p = scans.get(key);
  if (!p) {
    // a fixture spec (.json), or an export directory (the demo, a real-world set) scanned as of its date
    p = fx.source.endsWith('.json') ? scanFixture(readFixture(join(root, fx.source))) : scanDir(join(root, fx.source), fx.as_of, fx.lookback_days);
    scans.set(key, p);
  }
  return p;
}

/** The `class: signal` evidence lines of one identity. */
function evidenceOf(report: ScanReport, id: string): string[] | undefined {
  return report.inventory.find((i) => i.id === id)?.evidence.map((e) => e.signal);
}

describe('signal fixtures', () => {
  for (const { sg, dir, hits, misses } of cases) {
    const label = `${sg.meta.class}: ${sg.meta.signal}`;
    describe(sg.meta.id, () => {
      it('has hit and miss fixtures', () => {
        expect(hits.length, `fixtures/signals/${sg.meta.id}/hit*.json`).toBeGreaterThan(0);
        expect(misses.length, `fixtures/signals/${sg.meta.id}/miss*.json`).toBeGreaterThan(0);
      });
      for (const f of hits) {
        it(`fires on ${f}`, async () => {
          const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as SignalFixture;
          expect(fx.expect_subjects?.length).toBeGreaterThan(0);
          const report = await scanOf(fx);
          for (const id of fx.expect_subjects ?? []) expect(evidenceOf(report, id), id).toContain(label);
        });
      }
      for (const f of misses) {
        it(`stays quiet on ${f}`, async () => {
          const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as SignalFixture;
          expect(fx.forbid_subjects?.length).toBeGreaterThan(0);
          const report = await scanOf(fx);
          for (const id of fx.forbid_subjects ?? []) {
            const ev = evidenceOf(report, id);
            expect(ev, `${id} is in the inventory`).toBeDefined();
            expect(ev, id).not.toContain(label);
          }
        });
      }
    });
  }
});
