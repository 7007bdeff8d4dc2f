import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan } from '../../src/pipeline/pipeline.js';
import type { ScanReport } from '../../src/kernel/types.js';
import type { Store } from '../../src/store/db.js';

/** A fresh temporary directory. */
export function tempDir(prefix = 'shadowscan-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Scan an offline export directory into an in-memory database. */
export async function scanDir(from: string, asOf = '2026-11-20T00:00:00Z', lookbackDays = 90, extra: { detectorDirs?: string[]; params?: Record<string, unknown>; peopleFile?: string; leakFiles?: string[]; registryFile?: string; exceptionsFile?: string; dbPath?: string; store?: Store } = {}): Promise<ScanReport> {
  return runScan({
    from,
    dbPath: extra.dbPath ?? ':memory:',
    asOf: new Date(asOf),
    lookbackSeconds: lookbackDays * 86400,
    lookbackText: `${lookbackDays}d`,
    ...extra,
  });
}

/** Materialise a fixture spec and scan it: the harness `shadowscan detectors test` uses (src/pipeline/selftest.ts). */
export { scanFixture } from '../../src/pipeline/selftest.js';
