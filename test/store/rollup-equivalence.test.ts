/**
 * The CloudTrail rollup pushed down to a real Trino server and the local DuckDB read produce the same rollup
 * rows and the same report (byte-identical JSON once run ids, times and the sources line are set aside), on
 * the demo's trail files exposed as a table of the standard Athena CloudTrail shape. Fails when the two drift.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrinoEngine } from '../../src/connectors/engine/trino.js';
import { runScan, type ScanOptions } from '../../src/pipeline/pipeline.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { Store } from '../../src/store/db.js';
import { loadCloudTrail } from '../../src/store/load-cloudtrail.js';
import { loadCloudTrailFromEngine } from '../../src/connectors/engine/load-cloudtrail-engine.js';
import { dropTrail, ensureTrino, exposeTrail, TRINO_URL, trinoSql } from '../helpers/trino.js';

const DEMO = 'fixtures/demo';
const SCHEMA = `eq_${process.pid}`;
let table = '';

const base = (store: Store): ScanOptions => ({
  from: DEMO, dbPath: ':memory:', store, asOf: new Date('2026-11-20T00:00:00Z'), lookbackSeconds: 90 * 86400, lookbackText: '90d',
  peopleFile: `${DEMO}/people.txt`, leakFiles: [`${DEMO}/leaks/gitleaks.json`, `${DEMO}/leaks/github-secret-scanning-alerts.json`],
  registryFile: `${DEMO}/registry.yaml`, exceptionsFile: `${DEMO}/exceptions.yaml`,
});

/**
 * The report as bytes, without what differs between any two runs (run ids, clock times) and what names the path
 * (the sources line; the count of local files read, which the engine path does not read).
 */
function comparable(r: ScanReport): string {
  const { id: _id, started_at: _s, finished_at: _f, sources: _src, counts: { cloudtrail_files: _files, ...counts }, ...run } = r.run;
  return JSON.stringify({ ...r, run: { ...run, counts } }).replaceAll(r.run.id, 'RUN');
}

async function scan(engine: boolean): Promise<{ report: ScanReport; rollup: string[]; trailRecords: number }> {
  const store = await Store.open(':memory:');
  try {
    const report = await runScan({
      ...base(store),
      ...(engine ? { cloudtrailEngine: { engine: new TrinoEngine({ url: TRINO_URL, table, user: 'shadowscan-test' }), dateColumn: 'timestamp' } } : {}),
    });
    const rows = await store.all<Record<string, unknown>>(`SELECT * EXCLUDE (run_id, source_file) FROM cloudtrail_events ORDER BY ALL`);
    const [files] = await store.all<{ n: number }>(`SELECT coalesce(sum(records), 0)::INTEGER AS n FROM cloudtrail_files WHERE file LIKE '%/AWSLogs/%'`);
    return { report, trailRecords: files?.n ?? 0, rollup: rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) };
  } finally {
    store.close();
  }
}

describe('rollup on Trino = rollup on DuckDB', () => {
  beforeAll(async () => {
    const started = await ensureTrino();
    process.stderr.write(`${started}\n`);
    table = await exposeTrail(SCHEMA, `${DEMO}/aws/AWSLogs`);
  }, 900_000);
  afterAll(async () => { await dropTrail(SCHEMA).catch(() => undefined); });

  it('the table holds every trail record; same rollup rows and byte-identical reports', async () => {
    const local = await scan(false);
    const remote = await scan(true);
    // The table holds exactly the records DuckDB reads from the trail files (not the LookupEvents export).
    const [[n]] = await trinoSql(`SELECT count(*) FROM ${table}`) as [[number]];
    expect(n).toBeGreaterThan(10_000);
    expect(n).toBe(local.trailRecords);
    expect(remote.report.run.coverage_gaps).toEqual(local.report.run.coverage_gaps);
    expect(remote.report.run.sources.find((s) => s.startsWith('aws-cloudtrail-trino:'))).toMatch(/\(query \d{8}_\d{6}_\d{5}_\w+, \d+ bytes scanned, \d+ rollup rows\)/);
    expect(remote.rollup.length).toBe(local.rollup.length);
    expect(remote.rollup).toEqual(local.rollup);
    expect(remote.report.run.counts.cloudtrail_records).toBe(local.report.run.counts.cloudtrail_records);
    expect(remote.report.findings.length).toBeGreaterThan(50);
    expect(comparable(remote.report)).toBe(comparable(local.report));
  }, 300_000);
});

describe('Trino guard and failures', () => {
  beforeAll(async () => { await ensureTrino(); table = await exposeTrail(SCHEMA, `${DEMO}/aws/AWSLogs`); }, 900_000);
  afterAll(async () => { await dropTrail(SCHEMA).catch(() => undefined); });
  const window = { dateColumn: 'timestamp', from: new Date('2026-08-22T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z') };

  it('--max-scan-bytes: Trino stops a query that reads more (EXCEEDED_SCAN_LIMIT), a gap with the query id; nothing loaded', async () => {
    const store = await Store.open(':memory:');
    const r = await loadCloudTrailFromEngine(store, 'run-1', new TrinoEngine({ url: TRINO_URL, table, user: 'shadowscan-test' }), window, { maxScanBytes: 1000 });
    const [{ n }] = await store.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cloudtrail_events') as [{ n: number }];
    store.close();
    expect(n).toBe(0);
    expect(r.gaps[0]!.detail).toMatch(/^scan-limit \(query \d{8}_\d{6}_\d{5}_\w+\): Trino query .* failed: EXCEEDED_SCAN_LIMIT: .*; raise --max-scan-bytes/);
  }, 300_000);

  it('only the window partitions are read: a window before the trail reads nothing', async () => {
    const store = await Store.open(':memory:');
    const r = await loadCloudTrailFromEngine(store, 'run-1', new TrinoEngine({ url: TRINO_URL, table, user: 'shadowscan-test' }),
      { dateColumn: 'timestamp', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') });
    store.close();
    expect(r.gaps).toEqual([]);
    expect(r.records).toBe(0);
    expect(r.source).toMatch(/\(query \S+, 0 bytes scanned, 0 rollup rows\)$/);
  }, 300_000);

  it('daemon runs (incremental, one store): each run replaces the engine rows, nothing doubles', async () => {
    const store = await Store.open(':memory:');
    try {
      const source = { engine: new TrinoEngine({ url: TRINO_URL, table, user: 'shadowscan-test' }), dateColumn: 'timestamp' };
      const rows = async () => (await store.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cloudtrail_events'))[0]!.n;
      const first = await runScan({ ...base(store), incremental: true, cloudtrailEngine: source });
      const n1 = await rows();
      const second = await runScan({ ...base(store), incremental: true, cloudtrailEngine: source });
      expect(await rows()).toBe(n1);
      expect(second.run.counts.cloudtrail_records).toBe(first.run.counts.cloudtrail_records);
      expect(second.findings.map((f) => f.id)).toEqual(first.findings.map((f) => f.id));
    } finally {
      store.close();
    }
  }, 300_000);

  it('a table that does not exist is a failed-query gap naming it', async () => {
    const store = await Store.open(':memory:');
    const r = await loadCloudTrailFromEngine(store, 'run-1', new TrinoEngine({ url: TRINO_URL, table: `hive.${SCHEMA}.nope`, user: 'shadowscan-test' }), window);
    store.close();
    expect(r.gaps[0]!.source).toBe(`aws-cloudtrail-trino:${TRINO_URL} hive.${SCHEMA}.nope`);
    expect(r.gaps[0]!.detail).toMatch(/^failed \(query .*TABLE_NOT_FOUND/);
  }, 300_000);
});

describe('the engine path counts what it reads, as the local path does', () => {
  const schema = `eqc_${process.pid}`;
  beforeAll(async () => { await ensureTrino(); }, 900_000);
  afterAll(async () => { await dropTrail(schema).catch(() => undefined); });

  it('records without a usable eventTime are counted as skipped, records without userIdentity as unattributable; same numbers and rollup rows as local', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shadowscan-engine-counts-'));
    const day = join(dir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/10');
    mkdirSync(day, { recursive: true });
    const rec = (i: number, extra: Record<string, unknown> = {}, identity = true) => ({
      eventVersion: '1.09', eventID: `ev-${i}`, eventTime: `2026-11-10T0${i % 10}:00:00Z`, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets',
      awsRegion: 'us-east-1', sourceIPAddress: '3.80.10.10', userAgent: 'aws-cli/2.15.0', readOnly: true, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
      ...(identity ? { userIdentity: { type: 'IAMUser', principalId: 'AIDA1', arn: 'arn:aws:iam::111122223333:user/bot', accountId: '111122223333', accessKeyId: 'AKIAENGINECOUNTS0001', userName: 'bot' } } : {}),
      ...extra,
    });
    const records = [rec(1), rec(2), rec(3), rec(4, {}, false), rec(5, {}, false), rec(6, { eventTime: undefined }), rec(7, { eventTime: 'yesterday' }), rec(8, { eventTime: '1990-01-01T00:00:00Z' })];
    const file = join(day, '111122223333_CloudTrail_us-east-1_20261110T0000Z_counts.json');
    writeFileSync(file, JSON.stringify({ Records: records }));

    const local = await Store.open(':memory:');
    const engine = await Store.open(':memory:');
    try {
      const l = await loadCloudTrail(local, 'run-1', 's3', [file]);
      const t = await exposeTrail(schema, join(dir, 'AWSLogs'));
      const e = await loadCloudTrailFromEngine(engine, 'run-1', new TrinoEngine({ url: TRINO_URL, table: t, user: 'shadowscan-test' }),
        { dateColumn: 'timestamp', from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z') });
      expect(e.gaps).toEqual([]);
      expect(l.counts).toMatchObject({ read: 8, loaded: 5, unattributable: 2, skipped: { missing_event_time: 1, invalid_event_time: 2 } });
      // duplicates are not detected by the engine (README): this file has none
      expect(e.counts).toEqual({ ...l.counts, files_skipped: 0 });
      const rows = async (s: Store) => (await s.all<Record<string, unknown>>('SELECT * EXCLUDE (run_id, source_file) FROM cloudtrail_events ORDER BY ALL'))
        .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      expect(await rows(engine)).toEqual(await rows(local));
    } finally {
      local.close();
      engine.close();
    }
  }, 300_000);
});

