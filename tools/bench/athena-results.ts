/**
 * Athena results, paged vs UNLOAD to Parquet: the part of a 1M-row rollup result this machine can measure.
 *
 *   node dist/tools/bench/athena-results.js [--rows 1000000] [--from fixtures/demo]
 *
 * Builds a rollup result of `--rows` rows (the demo's rollup rows, repeated with distinct principals), then, in one
 * process, times the two ways its rows could reach `cloudtrail_events`:
 *  - paged: the JSON bodies GetQueryResults returns (1,000 rows a page, every value a VarCharValue string, the
 *    header row on the first page), parsed and fed page by page through the production consumer
 *    (`loadCloudTrailFromEngine`: VARCHAR staging appender, one INSERT with DuckDB's casts and the redaction);
 *  - Parquet: the same rows as one Parquet file (what UNLOAD … WITH (format = 'PARQUET') writes to S3), read with
 *    DuckDB's `read_parquet` in one INSERT with the same redaction.
 * Not measured (needs Athena): Athena's time to write either form, the S3 download of the Parquet files, and the
 * latency of ~rows/1000 sequential GetQueryResults calls (the paged path cannot overlap them: each page's
 * NextToken comes with the page).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RollupEngine } from '../../src/connectors/engine/engine.js';
import { quoteLiteral, Store } from '../../src/store/db.js';
import { EVENT_COLUMNS, loadCloudTrail, REDACTED_COLUMNS, trailFilesOf } from '../../src/store/load-cloudtrail.js';
import { loadCloudTrailFromEngine } from '../../src/store/load-cloudtrail-engine.js';
import { ROLLUP_COLUMNS } from '../../src/store/cloudtrail-rollup.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const value = await f();
  const cc = process.cpuUsage(c);
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpuSeconds: (cc.user + cc.system) / 1e6 };
}

async function main(): Promise<void> {
  const rows = Number(arg('--rows', '1000000'));
  const from = arg('--from', 'fixtures/demo');
  const work = mkdtempSync(join(tmpdir(), 'shadowscan-athena-results-'));
  try {
    const store = await Store.open(join(work, 'bench.duckdb'));
    const columns = ['n', ...ROLLUP_COLUMNS];
    // The result: the demo's rollup rows, repeated (each copy a distinct principal) up to --rows.
    await loadCloudTrail(store, 'seed', 's3', trailFilesOf(join(from, 'aws')));
    const seed = Number((await store.one<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_events'))?.n ?? 0);
    if (seed === 0) throw new Error(`no CloudTrail rows in ${from}`);
    await store.run(`CREATE TABLE result AS
      SELECT event_count AS n, * EXCLUDE (run_id, source_file, event_count, principal_arn), principal_arn || '#' || i AS principal_arn
      FROM cloudtrail_events, range(${Math.ceil(rows / seed)}) t(i) LIMIT ${rows}`);
    await store.run('DELETE FROM cloudtrail_events');

    // What Athena sends: GetQueryResults bodies, 1,000 rows each, strings only (built before timing, a page at a time).
    const meta = { ColumnInfo: columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) };
    const pages: string[] = [];
    const total = Number((await store.one<{ n: number }>('SELECT count(*) AS n FROM result'))?.n ?? 0);
    for (let i = 0; i < total; i += 1000) {
      const text = await store.all<Record<string, string | null>>(
        `SELECT ${columns.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ')} FROM result WHERE rowid >= ${i} AND rowid < ${i + 1000} ORDER BY rowid`);
      const body = text.map((r) => ({ Data: columns.map((c) => (r[c] === null ? {} : { VarCharValue: r[c] })) }));
      if (i === 0) body.unshift({ Data: columns.map((c) => ({ VarCharValue: c })) });
      pages.push(JSON.stringify({ ResultSet: { Rows: body, ResultSetMetadata: meta }, ...(i + 1000 < total ? { NextToken: `t${i}` } : {}) }));
    }
    const pageBytes = pages.reduce((a, p) => a + Buffer.byteLength(p), 0);

    // Paged: parse each body as the SDK would, map rows as AthenaEngine does, feed the production consumer.
    const engine: RollupEngine = {
      kind: 'athena', tableSql: 'local', describe: () => 'local pages',
      async run(_sql, onPage) {
        let first = true;
        let n = 0;
        for (const p of pages) {
          const page = JSON.parse(p) as { ResultSet: { Rows: { Data: { VarCharValue?: string }[] }[]; ResultSetMetadata: typeof meta } };
          const names = page.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name);
          const data = page.ResultSet.Rows.slice(first ? 1 : 0).map((r) => r.Data.map((d) => d.VarCharValue ?? null));
          first = false;
          n += data.length;
          await onPage(names, data);
        }
        return { queryId: 'local', scannedBytes: null, rows: n };
      },
    };
    const paged = await timed(() => loadCloudTrailFromEngine(store, 'paged', engine, { dateColumn: null, from: new Date(0), to: new Date() }));
    const pagedRows = Number((await store.one<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_events'))?.n ?? 0);
    await store.run('DELETE FROM cloudtrail_events');

    // Parquet: the rows as UNLOAD would write them, read by DuckDB.
    const file = join(work, 'result.parquet');
    await store.run(`COPY result TO ${quoteLiteral(file)} (FORMAT parquet)`);
    const parquet = await timed(() => store.run(`INSERT INTO cloudtrail_events (run_id, source_file, ${EVENT_COLUMNS})
      SELECT 'parquet', 'unload', ${columns.join(', ')} FROM (SELECT * REPLACE (${REDACTED_COLUMNS}) FROM read_parquet(${quoteLiteral(file)}))`));
    const parquetRows = Number((await store.one<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_events'))?.n ?? 0);
    store.close();

    const r2 = (x: number): number => Number(x.toFixed(2));
    process.stdout.write(JSON.stringify({
      rows, pages: pages.length,
      paged: { rows_loaded: pagedRows, json_mb: Math.round(pageBytes / 1e6), seconds: r2(paged.seconds), cpu_seconds: r2(paged.cpuSeconds) },
      parquet: { rows_loaded: parquetRows, file_mb: r2(statSync(file).size / 1e6), seconds: r2(parquet.seconds), cpu_seconds: r2(parquet.cpuSeconds) },
      paged_over_parquet: { wall: r2(paged.seconds / parquet.seconds), cpu: r2(paged.cpuSeconds / parquet.cpuSeconds) },
      not_measured: 'Athena writing the result or the Parquet files, the S3 download of the Parquet files, and the latency of one GetQueryResults call per 1,000 rows',
    }, null, 2) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`athena-results: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
