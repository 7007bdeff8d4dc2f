import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runScan, type ScanOptions } from '../../src/pipeline/pipeline.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { expandRecords, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { loadReport } from '../../src/store/history.js';
import { daemonFixture } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

/**
 * An incremental run with nothing new reuses the previous run's results (src/pipeline/reuse-results.ts) instead of
 * rebuilding the model and re-running the detectors. Held here: what it reports is exactly what a full scan at
 * the same as-of reports, and a new file or a moved window is recomputed (and equals a full scan too).
 */

const demo = join(projectRoot(), 'fixtures/demo');
const AS_OF = new Date('2026-11-20T00:00:00Z');

/** What must not differ between a reused run and a full recompute: everything but run ids, times and the sources line. */
function results(r: ScanReport): unknown {
  const { counts } = r.run;
  return {
    as_of: r.run.as_of,
    findings: r.findings,
    inventory: r.inventory,
    suppressed: r.suppressed,
    gaps: r.run.coverage_gaps,
    identities: counts.identities, findings_count: counts.findings, records: counts.cloudtrail_records,
  };
}

describe('daemon runs with no new input reuse the previous results, exactly', () => {
  it('idle run = full recompute at the same as-of; a new file or a moved window is recomputed', async () => {
    const dir = tempDir('shadowscan-reuse-');
    cpSync(demo, dir, { recursive: true });
    const analysis: Omit<ScanOptions, 'from' | 'dbPath' | 'asOf'> = {
      lookbackSeconds: 90 * 86400, lookbackText: '90d',
      peopleFile: join(dir, 'people.txt'), leakFiles: [join(dir, 'leaks/gitleaks.json'), join(dir, 'leaks/github-secret-scanning-alerts.json')],
      registryFile: join(dir, 'registry.yaml'), exceptionsFile: join(dir, 'exceptions.yaml'),
    };
    const db = join(tempDir(), 'daemon.duckdb');
    const store = await Store.open(db);
    const progress: string[] = [];
    const daemonRun = (asOf: Date) => runScan({ ...analysis, from: dir, dbPath: db, store, incremental: true, asOf, reuseWithinSeconds: 3600, onProgress: (m) => progress.push(m) });
    // The recompute to compare with: a full scan every time the inputs or the as-of change, on a database whose runs
    // saw the same as-ofs (the ownerless countdown remembers when it first saw a subject, in either database).
    const shadowDb = join(tempDir(), 'full.duckdb');
    const shadow = await Store.open(shadowDb);
    const fullScan = (asOf: Date) => runScan({ ...analysis, from: dir, dbPath: shadowDb, store: shadow, asOf });
    const reused = () => progress.some((m) => m.startsWith('no input changed since run'));
    try {
      const first = await daemonRun(AS_OF);
      expect(first.findings.length).toBeGreaterThan(50);
      expect(first.suppressed.length).toBeGreaterThan(0);
      expect(reused()).toBe(false);
      // What a full scan at AS_OF reports: every run evaluated at AS_OF below is held equal to it (a full scan again
      // at the same as-of, of the same inputs, would compute the same, as idle = first shows for the daemon's runs).
      const full = results(await fullScan(AS_OF));
      expect(results(first)).toEqual(full);

      // Idle, same as-of: reused, and identical to a full scan at that as-of (and to the first run).
      progress.length = 0;
      const idle = await daemonRun(AS_OF);
      expect(reused()).toBe(true);
      expect(progress.some((m) => m.startsWith('modelling'))).toBe(false);
      expect(idle.run.sources.at(-1)).toBe(`results: reused from ${first.run.id} (no input changed since; evaluated as of ${first.run.as_of})`);
      expect(results(idle)).toEqual(full);
      expect(results(idle)).toEqual(results(first));
      // What it stored is what it returned (report, diff and the UI read the stored run).
      const stored = await loadReport(store, idle.run.id);
      expect(stored && results(stored)).toEqual(results(idle));
      const rows = async (t: string, run: string) => (await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${t} WHERE run_id = $r`, { r: run }))[0]?.n;
      for (const t of ['run_identity_summary', 'run_detectors', 'ui_inventory', 'ui_findings']) {
        expect(await rows(t, idle.run.id), t).toBe(await rows(t, first.run.id));
        expect(await rows(t, idle.run.id), t).toBeGreaterThan(0);
      }

      // Idle, as-of 30 minutes later (within the daemon's 1h): still reused, and it says which as-of it evaluated.
      progress.length = 0;
      const later = await daemonRun(new Date(AS_OF.getTime() + 30 * 60_000));
      expect(reused()).toBe(true);
      expect(later.run.as_of).toBe(AS_OF.toISOString());
      expect(results(later)).toEqual(full);

      // A new trail file: recomputed at the run's own as-of, equal to a full scan of the same files, and it changed.
      const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/static-key-automation/hit.json'));
      const records = expandRecords(spec);
      const d = join(dir, 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/10');
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, '111122223333_CloudTrail_us-east-1_20261110T1200Z_newfile.json.gz'), gzipSync(JSON.stringify({ Records: records })));
      progress.length = 0;
      const asOf2 = new Date(AS_OF.getTime() + 40 * 60_000);
      const grown = await daemonRun(asOf2);
      expect(reused()).toBe(false);
      expect(grown.run.as_of).toBe(asOf2.toISOString());
      expect(grown.run.counts.cloudtrail_records).toBe(first.run.counts.cloudtrail_records + records.length);
      expect(results(grown)).toEqual(results(await fullScan(asOf2)));
      expect(grown.inventory.map((i) => i.id)).not.toEqual(first.inventory.map((i) => i.id));

      // A moved window beyond the reuse bound (10 days): recomputed, equal to a full scan then, and time-dependent results moved.
      progress.length = 0;
      const asOf3 = new Date(AS_OF.getTime() + 10 * 86400_000);
      const moved = await daemonRun(asOf3);
      expect(reused()).toBe(false);
      expect(results(moved)).toEqual(results(await fullScan(asOf3)));
      expect(JSON.stringify(moved.findings)).not.toEqual(JSON.stringify(grown.findings));

      // A changed analysis input (the exception withdrawn) is recomputed too, even at the same as-of.
      writeFileSync(join(dir, 'exceptions.yaml'), 'exceptions: []\n');
      progress.length = 0;
      const nobody = await daemonRun(asOf3);
      expect(reused()).toBe(false);
      expect(results(nobody)).toEqual(results(await fullScan(asOf3)));
      expect(nobody.suppressed).toEqual([]);
      expect(moved.suppressed.length).toBeGreaterThan(0);
    } finally {
      store.close();
      shadow.close();
    }
  }, 300_000);

  it('a file whose bad records were reported when it was ingested does not keep the next run from reusing', async () => {
    const fx = daemonFixture();
    fx.addTrailFile();
    const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/static-key-automation/hit.json'));
    const [good] = expandRecords(spec);
    const d = join(fx.dir, 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/11');
    mkdirSync(d, { recursive: true });
    const { eventTime: _dropped, ...noTime } = good as Record<string, unknown>;
    writeFileSync(join(d, '111122223333_CloudTrail_us-east-1_half-bad.json.gz'), gzipSync(JSON.stringify({ Records: [{ ...good, eventID: 'second-copy-id' }, noTime] })));
    const db = join(tempDir(), 'daemon.duckdb');
    const store = await Store.open(db);
    const progress: string[] = [];
    const run = () => runScan({ from: fx.dir, dbPath: db, store, incremental: true, asOf: AS_OF, lookbackSeconds: 90 * 86400, lookbackText: '90d', onProgress: (m) => progress.push(m) });
    try {
      const first = await run();
      expect(first.run.coverage_gaps.some((g) => g.detail.includes('no eventTime'))).toBe(true);
      progress.length = 0;
      const idle = await run();
      expect(progress.some((m) => m.startsWith('no input changed since run'))).toBe(true);
      expect(idle.run.coverage_gaps.some((g) => g.detail.includes('no eventTime'))).toBe(false);
      expect(idle.findings).toEqual(first.findings);
      expect(idle.inventory).toEqual(first.inventory);
    } finally {
      store.close();
    }
  }, 120_000);
});
