import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan } from '../../src/core/pipeline.js';
import type { ScanReport } from '../../src/core/types.js';
import { materializeFixture, type FixtureSpec } from '../../src/detect/fixture.js';

/** A fresh temporary directory. */
export function tempDir(prefix = 'shadowscan-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Scan an offline export directory into an in-memory database. */
export async function scanDir(from: string, asOf = '2026-11-20T00:00:00Z', lookbackDays = 90, extra: { detectorDirs?: string[]; params?: Record<string, unknown>; peopleFile?: string; leakFiles?: string[]; registryFile?: string; exceptionsFile?: string; dbPath?: string } = {}): Promise<ScanReport> {
  return runScan({
    from,
    dbPath: extra.dbPath ?? ':memory:',
    asOf: new Date(asOf),
    lookbackSeconds: lookbackDays * 86400,
    lookbackText: `${lookbackDays}d`,
    ...extra,
  });
}

/** Materialise a fixture spec and scan it; `registry.yaml` / `exceptions.yaml` among its files are passed as --registry / --exceptions. */
export async function scanFixture(spec: FixtureSpec): Promise<ScanReport> {
  const dir = materializeFixture(spec, tempDir());
  const lookback = spec.lookback ? Number(spec.lookback.replace(/d$/, '')) : 90;
  const o = spec.options ?? {};
  const registry = join(dir, 'registry.yaml');
  const exceptions = join(dir, 'exceptions.yaml');
  return scanDir(dir, spec.as_of ?? '2026-11-20T00:00:00Z', lookback, {
    ...(o.people ? { peopleFile: join(dir, o.people) } : {}),
    ...(o.leaks ? { leakFiles: o.leaks.map((f) => join(dir, f)) } : {}),
    ...(o.params ? { params: o.params } : {}),
    ...(existsSync(registry) ? { registryFile: registry } : {}),
    ...(existsSync(exceptions) ? { exceptionsFile: exceptions } : {}),
  });
}
