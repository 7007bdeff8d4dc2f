import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan } from '../core/pipeline.js';
import { errorMessage } from '../core/errors.js';
import { materializeFixture, readFixture, type FixtureSpec } from './fixture.js';

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

/**
 * Scan one fixture spec (materialised into a temporary export, in-memory database) with the
 * built-in detectors plus `detectorDirs`, and judge detector `id`'s findings against it: a hit
 * fixture needs a finding (and every `expect_subjects`), a miss fixture none (or none of `forbid_subjects`).
 */
export async function runFixture(id: string, file: string, kind: 'hit' | 'miss', detectorDirs: string[] = []): Promise<FixtureResult> {
  let spec: FixtureSpec;
  try {
    spec = readFixture(file);
  } catch (e) {
    return { file, kind, ok: false, problems: [`unreadable fixture: ${errorMessage(e)}`], subjects: [] };
  }
  const dir = mkdtempSync(join(tmpdir(), 'shadowscan-fixture-'));
  try {
    materializeFixture(spec, dir);
    const lookbackDays = spec.lookback ? Number(spec.lookback.replace(/d$/, '')) : 90;
    const o = spec.options ?? {};
    const report = await runScan({
      from: dir,
      dbPath: ':memory:',
      asOf: new Date(spec.as_of ?? '2026-11-20T00:00:00Z'),
      lookbackSeconds: lookbackDays * 86400,
      lookbackText: `${lookbackDays}d`,
      detectorDirs,
      ...(o.people ? { peopleFile: join(dir, o.people) } : {}),
      ...(o.leaks ? { leakFiles: o.leaks.map((f) => join(dir, f)) } : {}),
      ...(o.params ? { params: o.params } : {}),
    });
    const failed = report.run.coverage_gaps.filter((g) => g.source === `detector ${id}`).map((g) => g.detail);
    const subjects = report.findings.filter((f) => f.detector === id).map((f) => f.subject.id);
    const problems = [...failed];
    if (kind === 'hit') {
      if (subjects.length === 0) problems.push('expected a finding, got none');
      for (const s of spec.expect_subjects ?? []) if (!subjects.includes(s)) problems.push(`expected a finding on ${s}`);
    } else if (spec.forbid_subjects) {
      for (const s of spec.forbid_subjects) if (subjects.includes(s)) problems.push(`unexpected finding on ${s}`);
    } else if (subjects.length > 0) {
      problems.push(`expected no finding, got ${subjects.length}: ${subjects.slice(0, 3).join(', ')}`);
    }
    return { file, kind, ok: problems.length === 0, problems, subjects };
  } catch (e) {
    return { file, kind, ok: false, problems: [errorMessage(e)], subjects: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
