import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/pipeline/pipeline.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { GITHUB_TABLES, loadOrReuse } from '../../src/store/reuse.js';
import { daemonFixture } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

const key = (r: ScanReport): string[] => r.findings.map((f) => `${f.detector} ${f.subject.id}`).sort();

describe('incremental runs re-read IAM and GitHub folders only when their files changed', () => {
  it('keeps the rows of an unchanged folder, re-reads a changed one; a full scan forgets the signatures', async () => {
    const fx = daemonFixture();
    fx.addTrailFile();
    materializeFixture(readFixture(join(projectRoot(), 'fixtures/detectors/github/long-lived-credential/hit.json')), fx.dir);
    const db = join(tempDir(), 'db.duckdb');
    const store = await Store.open(db);
    const progress: string[] = [];
    const run = () => runScan({
      from: fx.dir, dbPath: db, store, incremental: true, asOf: new Date('2026-11-20T00:00:00Z'), lookbackSeconds: 90 * 86400, lookbackText: '90d',
      onProgress: (m) => progress.push(m),
    });
    const loadedBy = async (table: string) => (await store.all<{ run_id: string }>(`SELECT DISTINCT run_id FROM ${table} ORDER BY 1`)).map((r) => r.run_id);
    try {
      const r1 = await run();
      expect(r1.findings.some((f) => f.detector.startsWith('github/'))).toBe(true);
      const r2 = await run();
      expect(progress).toContain('IAM exports unchanged since the last run: kept');
      expect(progress).toContain('GitHub exports unchanged since the last run: kept');
      expect(await loadedBy('iam_principals')).toEqual([r1.run.id]);
      expect(await loadedBy('github_repos')).toEqual([r1.run.id]);
      expect(key(r2)).toEqual(key(r1));
      // r2 reuses r1's results (nothing changed) and says so in one extra sources line.
      expect(r2.run.sources.filter((s) => !s.startsWith('results: reused from'))).toEqual(r1.run.sources);
      expect(r2.inventory.map((i) => i.id)).toEqual(r1.inventory.map((i) => i.id));

      // A user appears in the IAM export: IAM is read again (GitHub is still kept), and the run sees the user.
      const auth = join(fx.dir, 'aws/iam/111122223333/get-account-authorization-details.json');
      const doc = JSON.parse(readFileSync(auth, 'utf8')) as { UserDetailList: Record<string, unknown>[] };
      doc.UserDetailList.push({ UserName: 'late-bot', Arn: 'arn:aws:iam::111122223333:user/late-bot', UserId: 'AIDALATEBOT', Path: '/', CreateDate: '2026-11-01T00:00:00Z', Tags: [], GroupList: [], AttachedManagedPolicies: [], UserPolicyList: [] });
      writeFileSync(auth, JSON.stringify(doc));
      const r3 = await run();
      expect(await loadedBy('iam_principals')).toEqual([r3.run.id]);
      expect(await loadedBy('github_repos')).toEqual([r1.run.id]);
      expect(r3.inventory.some((i) => i.arn === 'arn:aws:iam::111122223333:user/late-bot')).toBe(true);

      // A full scan (not incremental) clears the tables it reloads and forgets the signature, so a later daemon run reloads too.
      const full = await loadOrReuse(store, 'github', join(fx.dir, 'github'), GITHUB_TABLES, false, async () => 'reloaded');
      expect(full).toEqual({ result: 'reloaded', reused: false });
      expect(await loadedBy('github_repos')).toEqual([]);
      expect(await store.all(`SELECT key FROM daemon_state WHERE key = 'loaded:github'`)).toEqual([]);
      expect((await store.all(`SELECT key FROM daemon_state WHERE key = 'loaded:iam'`)).length).toBe(1);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('a daemon run on a database a full scan wrote', () => {
  it('starts over: it loads every record again (not as duplicates of the scan\'s rows) and reports them; the next run reads nothing new', async () => {
    const fx = daemonFixture();
    fx.addTrailFile();
    const db = join(tempDir(), 'db.duckdb');
    const store = await Store.open(db);
    const opts = { from: fx.dir, dbPath: db, store, asOf: new Date('2026-11-20T00:00:00Z'), lookbackSeconds: 90 * 86400, lookbackText: '90d' };
    try {
      const scan = await runScan(opts);
      expect(scan.run.counts.cloudtrail_records).toBe(fx.records);
      const first = await runScan({ ...opts, incremental: true });
      expect(first.run.counts).toMatchObject({ cloudtrail_records: fx.records, loaded: fx.records, duplicates: 0 });
      expect(first.run.coverage_gaps).toEqual(scan.run.coverage_gaps);
      expect(key(first)).toEqual(key(scan));
      const rows = await store.one<{ n: number }>('SELECT coalesce(sum(event_count), 0) AS n FROM cloudtrail_events');
      expect(Number(rows?.n)).toBe(fx.records);
      const next = await runScan({ ...opts, incremental: true });
      expect(next.run.counts).toMatchObject({ cloudtrail_records: fx.records, records_read: 0, duplicates: 0 });
      expect(key(next)).toEqual(key(scan));
    } finally {
      store.close();
    }
  }, 60_000);
});
