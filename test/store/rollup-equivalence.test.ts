/**
 * The CloudTrail rollup pushed down to a real Trino server and the local DuckDB read produce the same rollup
 * rows and the same report (byte-identical JSON once run ids, times and the sources line are set aside), on
 * the demo's trail files exposed as a table of the standard Athena CloudTrail shape. Fails when the two drift.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrinoEngine } from '../../src/connectors/engine/trino.js';
import { runScan, type ScanOptions } from '../../src/core/pipeline.js';
import type { ScanReport } from '../../src/core/types.js';
import { Store } from '../../src/store/db.js';
import { loadCloudTrailFromEngine } from '../../src/store/load-cloudtrail-engine.js';
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
