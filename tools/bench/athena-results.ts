/**
 * Athena results, paged vs UNLOAD to Parquet: the part of a 1M-row rollup result this machine can measure.
 *
 *   node dist/tools/bench/athena-results.js [--rows 1000000] [--files 8] [--latency-ms 0] [--from fixtures/demo]
 *
 * Builds a rollup result of `--rows` rows (the demo's rollup rows, repeated with distinct principals), then, in one
 * process, times the two ways its rows reach `cloudtrail_events`, each through the product's own code:
 *  - paged: the JSON bodies GetQueryResults returns (1,000 rows a page, every value a VarCharValue string, the
 *    header row on the first page), parsed and fed page by page through the production consumer
 *    (`loadCloudTrailFromEngine`: VARCHAR staging appender, one INSERT with DuckDB's casts and the redaction);
 *  - unload: `AthenaEngine.runToParquet` end to end against a local S3 emulator (tools/bench/fake-s3.ts) holding the
 *    result as `--files` Parquet files (UNLOAD writes several in parallel) and their data manifest: the manifest
 *    read, the files downloaded over HTTP by the real S3 client (4 at a time) into the private temp dir,
 *    `loadParquetResult` (read_parquet, same redaction), removal, and DeleteObjects. Athena itself is a stub that
 *    answers StartQueryExecution/GetQueryExecution at once.
 * `--latency-ms` adds that much to every emulated S3 request; the paged path's GetQueryResults latency is not
 * emulated (the pages are parsed from memory), so its figure is a floor: add pages × one call's round trip.
 * Not measured (needs Athena): Athena's time to write either form.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaEngine } from '../../src/connectors/engine/athena.js';
import type { RollupEngine } from '../../src/connectors/engine/engine.js';
import { startFakeS3 } from './fake-s3.js';
import { quoteLiteral, Store } from '../../src/store/db.js';
import { loadCloudTrail, trailFilesOf } from '../../src/store/load-cloudtrail.js';
import { loadCloudTrailFromEngine } from '../../src/connectors/engine/load-cloudtrail-engine.js';
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
  const fileCount = Math.max(1, Number(arg('--files', '8')));
  const latencyMs = Number(arg('--latency-ms', '0'));
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

    // UNLOAD: the rows as Parquet files (written before timing: that is Athena's work) in an S3 emulator, with the
    // data manifest Athena writes; then the product's path end to end.
    const bucket = 'athena-results';
    const id = 'bench-query';
    const parts: Buffer[] = [];
    for (let i = 0; i < fileCount; i++) {
      const file = join(work, `part-${i}.parquet`);
      await store.run(`COPY (SELECT * FROM result WHERE rowid % ${fileCount} = ${i}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION snappy)`);
      parts.push(readFileSync(file));
      rmSync(file);
    }
    const parquetBytes = parts.reduce((a, p) => a + p.byteLength, 0);
    const s3 = await startFakeS3(bucket, latencyMs);
    let unload: Awaited<ReturnType<typeof timed<Awaited<ReturnType<typeof loadCloudTrailFromEngine>>>>>;
    let leftInS3: number;
    try {
      // Athena answering at once: the files go under the UNLOAD's TO prefix (a fresh uuid, taken from the statement).
      const athenaStub = {
        send: async (cmd: { constructor: { name: string }; input: { QueryString?: string } }) => {
          if (cmd.constructor.name === 'StartQueryExecutionCommand') {
            const prefix = /\) TO 's3:\/\/[^/]+\/([^']+)' WITH/.exec(cmd.input.QueryString ?? '')?.[1] ?? '';
            const keys = parts.map((body, i) => {
              s3.objects.set(`${prefix}${id}_${i}`, { body, etag: `"${i}"`, lastModified: new Date() });
              return `${prefix}${id}_${i}`;
            });
            s3.objects.set(`shadowscan/${id}-manifest.csv`, { body: Buffer.from(keys.map((k) => `s3://${bucket}/${k}\n`).join('')), etag: '"m"', lastModified: new Date() });
            return { QueryExecutionId: id };
          }
          return {
            QueryExecution: {
              QueryExecutionId: id, Status: { State: 'SUCCEEDED' }, ResultConfiguration: { OutputLocation: `s3://${bucket}/shadowscan/${id}` },
              Statistics: { DataScannedInBytes: 0, DataManifestLocation: `s3://${bucket}/shadowscan/${id}-manifest.csv` },
            },
          };
        },
      };
      const athena = new AthenaEngine({
        table: 'bench.cloudtrail', region: 'us-east-1', outputLocation: `s3://${bucket}/shadowscan/`,
        client: athenaStub as unknown as AthenaClient, pollMs: { min: 1, max: 1 },
        s3: new S3Client({ endpoint: s3.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' } }),
      });
      unload = await timed(() => loadCloudTrailFromEngine(store, 'unload', athena, { dateColumn: null, from: new Date(0), to: new Date() }));
      if (unload.value.gaps.length > 0 || !/UNLOAD to Parquet/.test(unload.value.source)) throw new Error(`unload path: ${unload.value.source} ${JSON.stringify(unload.value.gaps)}`);
      leftInS3 = s3.objects.size;
    } finally {
      await s3.close();
    }
    const parquetRows = Number((await store.one<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_events'))?.n ?? 0);
    store.close();

    const r2 = (x: number): number => Number(x.toFixed(2));
    process.stdout.write(JSON.stringify({
      rows, pages: pages.length, parquet_files: fileCount, s3_latency_ms: latencyMs,
      paged: { rows_loaded: pagedRows, json_mb: Math.round(pageBytes / 1e6), seconds: r2(paged.seconds), cpu_seconds: r2(paged.cpuSeconds) },
      unload: { rows_loaded: parquetRows, parquet_mb: r2(parquetBytes / 1e6), objects_left_in_s3: leftInS3, seconds: r2(unload.seconds), cpu_seconds: r2(unload.cpuSeconds) },
      paged_over_unload: { wall: r2(paged.seconds / unload.seconds), cpu: r2(paged.cpuSeconds / unload.cpuSeconds) },
      not_measured: 'Athena writing the result or the Parquet files, and the latency of the one GetQueryResults call per 1,000 rows the paged path makes (add pages × one round trip to its time)',
    }, null, 2) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
main().catch((e: unknown) => {
  process.stderr.write(`athena-results: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
