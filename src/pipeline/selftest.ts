import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan } from './pipeline.js';
import { errorMessage } from '../kernel/errors.js';
import type { ScanReport } from '../kernel/types.js';
import { materializeFixture, readFixture, type FixtureSpec } from '../detect/fixture.js';

/**
 * The one fixture harness: `shadowscan detectors test` and the test suite both scan a fixture spec
 * and judge a detector's findings with these functions, so a fixture that passes one passes the other.
 */

/** Outcome of one hit or miss fixture run against one detector. */
export interface FixtureResult {
  file: string;
  kind: 'hit' | 'miss';
  ok: boolean;
  /** What went wrong, for a person to read; empty when ok. */
  problems: string[];
  /** Subjects the detector reported. */
  subjects: string[];
}

/** The hit*.json and miss*.json files of one detector below `root/<id>/`, sorted. */
export function fixtureFiles(root: string, id: string): { hits: string[]; misses: string[] } {
  const dir = join(root, id);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  return {
    hits: files.filter((f) => f.startsWith('hit')).map((f) => join(dir, f)),
    misses: files.filter((f) => f.startsWith('miss')).map((f) => join(dir, f)),
  };
}

/** How a fixture is scanned: extra detector folders, the database (default: in memory), and the detector under test. */
export interface FixtureScanOptions {
  detectorDirs?: string[];
  dbPath?: string;
  /**
   * Run only this detector (as `--detectors-only <id>`): a detector reads the model, never another detector's
   * findings, so its findings are the same as in a scan running them all (test/detectors/catalogue.test.ts
   * holds that on a sample of fixtures), at a fraction of the cost.
   */
  detector?: string;
}

/**
 * Materialise a fixture spec into a temporary export and scan it as `shadowscan scan` would: the
 * spec's `options` become --people/--leaks/--param, and `registry.yaml` / `exceptions.yaml` among its
 * files become --registry / --exceptions. The temporary export is removed afterwards.
 */
export async function scanFixture(spec: FixtureSpec, opts: FixtureScanOptions = {}): Promise<ScanReport> {
  const dir = mkdtempSync(join(tmpdir(), 'shadowscan-fixture-'));
  try {
    materializeFixture(spec, dir);
    const lookbackDays = spec.lookback ? Number(spec.lookback.replace(/d$/, '')) : 90;
    const o = spec.options ?? {};
    const registry = join(dir, 'registry.yaml');
    const exceptions = join(dir, 'exceptions.yaml');
    return await runScan({
      from: dir,
      dbPath: opts.dbPath ?? ':memory:',
      asOf: new Date(spec.as_of ?? '2026-11-20T00:00:00Z'),
      lookbackSeconds: lookbackDays * 86400,
      lookbackText: `${lookbackDays}d`,
      ...(opts.detectorDirs ? { detectorDirs: opts.detectorDirs } : {}),
      ...(opts.detector ? { selection: { only: [opts.detector], exclude: [] } } : {}),
      ...(o.people ? { peopleFile: join(dir, o.people) } : {}),
      ...(o.leaks ? { leakFiles: o.leaks.map((f) => join(dir, f)) } : {}),
      ...(o.params ? { params: o.params } : {}),
      ...(existsSync(registry) ? { registryFile: registry } : {}),
      ...(existsSync(exceptions) ? { exceptionsFile: exceptions } : {}),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Judge detector `id`'s findings in a fixture scan: a hit fixture needs a finding (and every
 * `expect_subjects`), each with a reason a person can read and at least one remediation step; a miss
 * fixture none (or none of `forbid_subjects`). A detector that failed to run is a problem either way.
 */
export function judgeFixture(id: string, kind: 'hit' | 'miss', spec: FixtureSpec, report: ScanReport): string[] {
  const problems = report.run.coverage_gaps.filter((g) => g.source === `detector ${id}`).map((g) => g.detail);
  const found = report.findings.filter((f) => f.detector === id);
  const subjects = found.map((f) => f.subject.id);
  if (kind === 'hit') {
    if (subjects.length === 0) problems.push('expected a finding, got none');
    for (const s of spec.expect_subjects ?? []) if (!subjects.includes(s)) problems.push(`expected a finding on ${s}`);
    for (const f of found) {
      if (f.reason.length <= 10) problems.push(`finding on ${f.subject.id}: reason too short to act on: "${f.reason}"`);
      if (f.remediation.steps.length === 0) problems.push(`finding on ${f.subject.id}: no remediation step`);
    }
  } else if (spec.forbid_subjects) {
    for (const s of spec.forbid_subjects) if (subjects.includes(s)) problems.push(`unexpected finding on ${s}`);
  } else if (subjects.length > 0) {
    problems.push(`expected no finding, got ${subjects.length}: ${subjects.slice(0, 3).join(', ')}`);
  }
  return problems;
}

/** Scan one fixture file and judge detector `id` against it (see scanFixture and judgeFixture). */
export async function runFixture(id: string, file: string, kind: 'hit' | 'miss', detectorDirs: string[] = []): Promise<FixtureResult> {
  let spec: FixtureSpec;
  try {
    spec = readFixture(file);
  } catch (e) {
    return { file, kind, ok: false, problems: [`unreadable fixture: ${errorMessage(e)}`], subjects: [] };
  }
  try {
    const report = await scanFixture(spec, { detectorDirs, detector: id });
    const problems = judgeFixture(id, kind, spec, report);
    const subjects = report.findings.filter((f) => f.detector === id).map((f) => f.subject.id);
    return { file, kind, ok: problems.length === 0, problems, subjects };
  } catch (e) {
    return { file, kind, ok: false, problems: [errorMessage(e)], subjects: [] };
  }
}
