/**
 * Athena's UNLOAD path with aws-sdk-client-mock on recorded response shapes: the rollup wrapped in
 * `UNLOAD (…) TO '<output>/shadowscan-unload/<uuid>/' WITH (format = 'PARQUET', …)`, its data manifest read, the
 * Parquet files (written here by DuckDB itself, served as GetObject streams) downloaded into a private directory,
 * loaded, removed, and deleted in S3; the fallback to paged results when UNLOAD is denied; and the equivalence of
 * the two paths: the same result gives the same rows in cloudtrail_events (types, timestamps, booleans, NULLs,
 * redaction, the totals row).
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type GetQueryExecutionCommandOutput, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../src/connectors/engine/athena.js';
import { ROLLUP_COLUMNS } from '../../../src/store/cloudtrail-rollup.js';
import { quoteLiteral, Store } from '../../../src/store/db.js';
import { engineRollupSql, loadCloudTrailFromEngine } from '../../../src/connectors/engine/load-cloudtrail-engine.js';
import { tempDir } from '../../helpers/scan.js';

const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);
afterEach(() => { athena.reset(); s3.reset(); });

const ID = '7d1e0b52-3c4a-4f6e-9a81-0c5b2e9f7d14';
const BUCKET = 'scanner-athena-results';
const OUTPUT = `s3://${BUCKET}/shadowscan/`;
const MANIFEST_KEY = `shadowscan/${ID}-manifest.csv`;
const WINDOW = { dateColumn: 'timestamp', from: new Date('2026-08-22T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z') };
const TOTALS = ['g_total', 'records_read', 'missing_event_time', 'invalid_event_time', 'unattributable'];
const COLUMNS = ['n', ...ROLLUP_COLUMNS, ...TOTALS];

/** The result's column types as Athena (engine v3) gives them for the rollup. */
function typeOf(c: string, tz: boolean): string {
  if (['event_hour', 'first_time', 'last_time'].includes(c)) return tz ? 'TIMESTAMPTZ' : 'TIMESTAMP';
  if (['read_only', 'mfa_authenticated', 'console_session'].includes(c)) return 'BOOLEAN';
  if (c === 'g_total') return 'INTEGER';
  if (c === 'n' || TOTALS.includes(c)) return 'BIGINT';
  return 'VARCHAR';
}

/**
 * One rollup result, recorded shape: hourly rows, a detail row with request/response bodies (a secret in each),
 * NULL booleans, millisecond times, a group of records without a usable time (n = 0) and the totals row.
 */
const ROWS: Record<string, string | number | boolean | null>[] = [
  {
    n: 40, event_hour: '2026-11-19 10:00:00', first_time: '2026-11-19 10:05:00.123', last_time: '2026-11-19 10:55:59.999',
    event_source: 'bedrock.amazonaws.com', event_name: 'InvokeModel', aws_region: 'us-east-1', source_ip: '203.0.113.9',
    user_agent: 'Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux lib/langchain-aws', read_only: false, event_type: 'AwsApiCall',
    recipient_account_id: '210987654321', identity_type: 'IAMUser', principal_arn: 'arn:aws:iam::210987654321:user/agent',
    account_id: '210987654321', access_key_id: 'AKIAEXAMPLEAGENT0001', user_name: 'agent', mfa_authenticated: false, console_session: false,
    resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3', g_total: 0,
  },
  {
    n: 2, event_hour: '2026-11-19 11:00:00', first_time: '2026-11-19 11:00:00', last_time: '2026-11-19 11:30:00.5',
    event_source: 'bedrock.amazonaws.com', event_name: 'Converse', aws_region: 'us-east-1', source_ip: '203.0.113.9',
    user_agent: 'curl/8.5.0 token=ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', read_only: null, event_type: 'AwsApiCall',
    recipient_account_id: '210987654321', identity_type: 'IAMUser', principal_arn: 'arn:aws:iam::210987654321:user/agent',
    account_id: '210987654321', access_key_id: 'AKIAEXAMPLEAGENT0001', user_name: 'agent', mfa_authenticated: null, console_session: null, g_total: 0,
  },
  {
    n: 1, event_hour: '2026-11-18 23:00:00', first_time: '2026-11-18 23:59:59.001', last_time: '2026-11-18 23:59:59.001',
    event_id: 'e7b1c2d3-0000-4000-8000-000000000001', event_source: 'iam.amazonaws.com', event_name: 'CreateAccessKey', aws_region: 'us-east-1',
    source_ip: '198.51.100.7', user_agent: 'aws-cli/2.15.0', error_code: null, read_only: false, event_type: 'AwsApiCall',
    recipient_account_id: '210987654321', identity_type: 'AssumedRole', principal_arn: 'arn:aws:iam::210987654321:role/deployer',
    account_id: '210987654321', access_key_id: 'ASIAEXAMPLESESSION01', session_name: 'ci-run-42', user_name: null,
    mfa_authenticated: true, console_session: false,
    request_parameters: '{"userName":"agent","note":"password=hunter2hunter2"}',
    response_elements: '{"accessKey":{"accessKeyId":"AKIAEXAMPLEAGENT0002","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","status":"Active"}}',
    g_total: 0,
  },
  { n: 0, event_source: 'sts.amazonaws.com', event_name: 'GetCallerIdentity', g_total: 0 },
  { n: 43, g_total: 1, records_read: 47, missing_event_time: 3, invalid_event_time: 1, unattributable: 2 },
];

let work: string;
let parquet: { plain: Buffer[]; tz: Buffer[] };
let pages: GetQueryResultsCommandOutput[];

beforeAll(async () => {
  work = tempDir('shadowscan-unload-test-');
  const store = await Store.open(':memory:');
  const build = async (tz: boolean): Promise<Buffer[]> => {
    await store.run(`CREATE OR REPLACE TABLE result (${COLUMNS.map((c) => `${c} ${typeOf(c, tz)}`).join(', ')}, part INTEGER)`);
    for (const [i, r] of ROWS.entries()) {
      const cols = Object.keys(r);
      const lit = (c: string, v: unknown): string => (v === null ? 'NULL' : typeof v === 'string'
        ? (typeOf(c, tz) === 'TIMESTAMPTZ' ? `${quoteLiteral(`${v}+00`)}::TIMESTAMPTZ` : quoteLiteral(v)) : String(v));
      await store.run(`INSERT INTO result (${cols.join(', ')}, part) VALUES (${cols.map((c) => lit(c, r[c])).join(', ')}, ${i % 2})`);
    }
    // UNLOAD writes several files in parallel: two here, in Athena's naming (no extension).
    const out: Buffer[] = [];
    for (const part of [0, 1]) {
      const file = join(work, `${tz ? 'tz' : 'plain'}-${part}.parquet`);
      await store.run(`COPY (SELECT * EXCLUDE (part) FROM result WHERE part = ${part}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION snappy)`);
      out.push(readFileSync(file));
    }
    return out;
  };
  parquet = { plain: await build(false), tz: await build(true) };
  // The same result as GetQueryResults renders it: every value text (timestamps with milliseconds), NULL = no value.
  await build(false);
  const text = await store.all<Record<string, string | null>>(`SELECT ${COLUMNS.map((c) => (typeOf(c, false) === 'TIMESTAMP'
    ? `strftime(${c}, '%Y-%m-%d %H:%M:%S.%g') AS ${c}` : `CAST(${c} AS VARCHAR) AS ${c}`)).join(', ')} FROM result ORDER BY part, n`);
  const toRow = (r: (string | null)[]) => ({ Data: r.map((x) => (x === null ? {} : { VarCharValue: x })) });
  const meta = { ColumnInfo: COLUMNS.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c, Label: c, Type: 'varchar', Precision: 0, Scale: 0, Nullable: 'UNKNOWN' as const, CaseSensitive: true })) };
  pages = [
    { ResultSet: { Rows: [toRow(COLUMNS), ...text.slice(0, 3).map((r) => toRow(COLUMNS.map((c) => r[c] ?? null)))], ResultSetMetadata: meta }, NextToken: 'token-2', $metadata: {} },
    { ResultSet: { Rows: text.slice(3).map((r) => toRow(COLUMNS.map((c) => r[c] ?? null))), ResultSetMetadata: meta }, $metadata: {} },
  ];
  store.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** GetQueryExecution as Athena answers it for an UNLOAD (engine version 3), in a state. */
function execution(state: 'RUNNING' | 'SUCCEEDED' | 'FAILED', scanned: number, reason?: string): GetQueryExecutionCommandOutput {
  return {
    QueryExecution: {
      QueryExecutionId: ID, Query: 'UNLOAD (…)', StatementType: 'DML',
      ResultConfiguration: { OutputLocation: `s3://${BUCKET}/shadowscan/${ID}` },
      QueryExecutionContext: { Database: 'cloudtrail', Catalog: 'awsdatacatalog' },
      Status: { State: state, SubmissionDateTime: new Date('2026-11-20T00:00:01Z'), ...(reason ? { StateChangeReason: reason } : {}) },
      Statistics: {
        EngineExecutionTimeInMillis: 5100, DataScannedInBytes: scanned, TotalExecutionTimeInMillis: 5400, QueryQueueTimeInMillis: 90,
        ...(state === 'SUCCEEDED' ? { DataManifestLocation: `s3://${BUCKET}/${MANIFEST_KEY}` } : {}),
      },
      WorkGroup: 'primary', EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    },
    $metadata: { httpStatusCode: 200 },
  };
}

const body = (b: Buffer | string) => sdkStreamMixin(Readable.from([Buffer.from(b)]));
const denied = (action: string) => new S3ServiceException({
  name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403, requestId: 'req-1' },
  message: `User: arn:aws:sts::111111111111:assumed-role/scanner/s is not authorized to perform: ${action} on resource: "arn:aws:s3:::${BUCKET}/shadowscan/x" because no identity-based policy allows the ${action} action`,
});

/**
 * Athena answers an UNLOAD: the TO prefix is taken from the statement, the files are written under it and listed in
 * the manifest. Returns what it saw.
 */
function serveUnload(files: Buffer[], opts: { getDenied?: boolean; deleteDenied?: boolean } = {}) {
  const seen: { statements: string[]; prefix?: string; keys: string[] } = { statements: [], keys: [] };
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    seen.statements.push(input.QueryString);
    const to = /\) TO '(s3:\/\/[^']+)' WITH/.exec(input.QueryString)?.[1];
    if (to) {
      seen.prefix = to;
      const key = to.replace(`s3://${BUCKET}/`, '');
      seen.keys = files.map((_, i) => `${key}20261120_000001_0000${i}_abcde_${i}b6f0c2e-1111-4222-8333-44445555666${i}`);
    }
    return { QueryExecutionId: ID, $metadata: { httpStatusCode: 200 } };
  });
  athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING', 1_000)).resolves(execution('SUCCEEDED', 52_428_800));
  athena.on(GetQueryResultsCommand).resolvesOnce(pages[0]!).resolves(pages[1]!);
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    if (input.Key === MANIFEST_KEY) return { Body: body(seen.keys.map((k) => `s3://${BUCKET}/${k}`).join('\n') + '\n'), $metadata: {} };
    if (opts.getDenied) throw denied('s3:GetObject');
    const i = seen.keys.indexOf(input.Key);
    if (i < 0) throw new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' });
    return { Body: body(files[i]!), ContentLength: files[i]!.length, $metadata: {} };
  });
  s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: { Key: string }[] } }) => (opts.deleteDenied
    ? { Errors: input.Delete.Objects.map((o) => ({ Key: o.Key, Code: 'AccessDenied', Message: 'Access Denied' })), $metadata: {} }
    : { Deleted: input.Delete.Objects.map((o) => ({ Key: o.Key })), $metadata: {} }));
  return seen;
}

const engine = (extra: { results?: 'unload' | 'paged'; outputLocation?: string | null } = {}): AthenaEngine => new AthenaEngine({
  table: 'cloudtrail.cloudtrail_logs_pp', region: 'us-east-1', workgroup: 'primary',
  ...(extra.outputLocation === null ? {} : { outputLocation: extra.outputLocation ?? OUTPUT }),
  ...(extra.results ? { results: extra.results } : {}),
  pollMs: { min: 1, max: 2 }, client: new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } }),
});

/** Load through `e` and return what cloudtrail_events holds (every column, as DuckDB types it) and the result. */
async function load(e: AthenaEngine, timeZone?: string, signal?: AbortSignal) {
  const store = await Store.open(':memory:');
  if (timeZone) await store.run(`SET TimeZone = ${quoteLiteral(timeZone)}`);
  const r = await loadCloudTrailFromEngine(store, 'run-1', e, WINDOW, signal ? { signal } : {});
  const rows = await store.all<Record<string, unknown>>(`SELECT * EXCLUDE (first_time, last_time, event_hour, request_parameters, response_elements),
      strftime(first_time, '%Y-%m-%d %H:%M:%S.%f') AS first_time, strftime(last_time, '%Y-%m-%d %H:%M:%S.%f') AS last_time,
      strftime(event_hour, '%Y-%m-%d %H:%M:%S.%f') AS event_hour, typeof(event_hour) AS hour_type,
      request_parameters::VARCHAR AS request_parameters, response_elements::VARCHAR AS response_elements
    FROM cloudtrail_events ORDER BY ALL`);
  store.close();
  return { r, rows: rows.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) };
}

describe('Athena UNLOAD to Parquet', () => {
  it('wraps the rollup in UNLOAD to a fresh prefix, reads the manifest, downloads, loads, and deletes what it wrote', async () => {
    const seen = serveUnload(parquet.plain);
    const { r, rows } = await load(engine());
    expect(seen.statements).toHaveLength(1);
    const rollup = engineRollupSql('"cloudtrail"."cloudtrail_logs_pp"', WINDOW);
    expect(seen.prefix).toMatch(new RegExp(`^s3://${BUCKET}/shadowscan/shadowscan-unload/[0-9a-f-]{36}/$`));
    expect(seen.statements[0]).toBe(`UNLOAD (${rollup}) TO '${seen.prefix}' WITH (format = 'PARQUET', compression = 'SNAPPY')`);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.ResultConfiguration).toEqual({ OutputLocation: OUTPUT });
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key).sort()).toEqual([MANIFEST_KEY, ...seen.keys].sort());
    // every object the query wrote, and its manifest, deleted
    const deleted = s3.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key));
    expect(deleted.sort()).toEqual([MANIFEST_KEY, ...seen.keys].sort());

    expect(r.gaps).toEqual([]);
    expect(r.records).toBe(43);
    expect(r.counts).toMatchObject({ read: 47, loaded: 43, unattributable: 2, skipped: { missing_event_time: 3, invalid_event_time: 1 } });
    const bytes = parquet.plain.reduce((a, b) => a + b.length, 0);
    expect(r.source).toBe(`aws-cloudtrail-athena:us-east-1 workgroup primary cloudtrail.cloudtrail_logs_pp (query ${ID}, 52428800 bytes scanned, 3 rollup rows; UNLOAD to Parquet, 2 file(s), ${bytes} bytes downloaded)`);
    expect(rows.map((x) => x['source_file'])).toEqual([`athena:${ID}`, `athena:${ID}`, `athena:${ID}`]);
    expect(JSON.stringify(rows)).not.toMatch(/ghp_AbCdEf|hunter2|wJalrXUtnFEMI/);
  });

  it('equivalence: the Parquet path stores exactly the rows the paged path stores for the same result', async () => {
    serveUnload(parquet.plain);
    const unloaded = await load(engine());
    athena.reset(); s3.reset();
    serveUnload(parquet.plain);
    const paged = await load(engine({ results: 'paged' }));
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(unloaded.rows).toHaveLength(3);
    expect(unloaded.rows).toEqual(paged.rows);
    expect(unloaded.r.counts).toEqual(paged.r.counts);
    expect(unloaded.r.records).toBe(paged.r.records);
    // what both store: typed, millisecond times, NULL booleans kept NULL, redacted free text
    const converse = unloaded.rows.find((x) => x['event_name'] === 'Converse')!;
    expect(converse).toMatchObject({ read_only: null, mfa_authenticated: null, last_time: '2026-11-19 11:30:00.500000', hour_type: 'TIMESTAMP', event_count: 2 });
    expect(converse['user_agent']).toMatch(/^curl\/8\.5\.0 token=/);
  });

  it('equivalence holds for Parquet timestamps marked UTC-adjusted, whatever the session time zone', async () => {
    serveUnload(parquet.tz);
    const unloaded = await load(engine(), 'America/New_York');
    athena.reset(); s3.reset();
    serveUnload(parquet.tz);
    const paged = await load(engine({ results: 'paged' }), 'America/New_York');
    expect(unloaded.rows).toEqual(paged.rows);
    expect(unloaded.rows.find((x) => x['event_name'] === 'CreateAccessKey')!['first_time']).toBe('2026-11-18 23:59:59.001000');
  });

  it('equivalence holds for INT96 timestamps, as the Hive Parquet writer behind Athena writes them', async () => {
    // fixtures/unload-int96.parquet: the ROWS above (DuckDB's COPY of the result, ordered by part, n) rewritten by
    // pyarrow 26 with use_deprecated_int96_timestamps=True, SNAPPY, strings as UTF8 binary — DuckDB cannot write INT96.
    // Regenerate it when ROWS change (the test fails until then).
    const int96 = readFileSync(join(import.meta.dirname, 'fixtures', 'unload-int96.parquet'));
    serveUnload([int96]);
    const unloaded = await load(engine(), 'America/New_York');
    athena.reset(); s3.reset();
    serveUnload([int96]);
    const paged = await load(engine({ results: 'paged' }), 'America/New_York');
    expect(unloaded.r.source).toMatch(/UNLOAD to Parquet, 1 file\(s\)/);
    expect(unloaded.rows).toHaveLength(3);
    expect(unloaded.rows).toEqual(paged.rows);
    expect(unloaded.r.counts).toEqual(paged.r.counts);
  });

  it('the downloaded files are private (0700 directory, 0600 files) and gone afterwards', async () => {
    const seen = serveUnload(parquet.plain);
    const local: { dir: number; files: number[]; paths: string[] } = { dir: 0, files: [], paths: [] };
    const e = engine();
    const q = await e.runToParquet(engineRollupSql(e.tableSql, WINDOW), async (files) => {
      local.paths = files;
      local.dir = statSync(join(files[0]!, '..')).mode & 0o777;
      local.files = files.map((f) => statSync(f).mode & 0o777);
    });
    expect(seen.keys).toHaveLength(2);
    expect(local.dir).toBe(0o700);
    expect(local.files).toEqual([0o600, 0o600]);
    expect(local.paths.concat(join(local.paths[0]!, '..')).some((p) => existsSync(p))).toBe(false);
    expect(q.problems).toEqual([]);
  });

  it('s3:GetObject denied on the result: a gap naming the call and permission, the same rollup through paged results, and paged from then on', async () => {
    serveUnload(parquet.plain, { getDenied: true });
    const e = engine();
    const { r, rows } = await load(e);
    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString!);
    expect(starts).toHaveLength(2);
    expect(starts[0]).toMatch(/^UNLOAD \(/);
    expect(starts[1]).toBe(engineRollupSql('"cloudtrail"."cloudtrail_logs_pp"', WINDOW));
    expect(rows).toHaveLength(3);
    expect(r.records).toBe(43);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.detail).toMatch(new RegExp(`^access-denied \\(query ${ID}\\): .*s3:GetObject denied on s3://${BUCKET}/shadowscan/shadowscan-unload/.*grant s3:GetObject.*had scanned 52428800 bytes.*fell back to paged results \\(no records missing; the rollup ran twice\\)`));
    expect(r.source).toMatch(/rollup rows; paged results: UNLOAD failed \(query .*\), see coverage gaps\)$/);
    // what UNLOAD wrote is still deleted
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1);

    // the next run (daemon) in the same process goes straight to paged results and says why
    athena.reset(); s3.reset();
    serveUnload(parquet.plain);
    const again = await load(e);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    expect(again.r.gaps).toEqual([]);
    expect(again.r.source).toMatch(/; paged results: UNLOAD failed earlier in this process \(.*s3:GetObject denied/);
  });

  it('Athena denied writing the UNLOAD prefix (FAILED query): falls back to paged results', async () => {
    serveUnload(parquet.plain);
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('FAILED', 0,
      `Access denied when writing output to url: s3://${BUCKET}/shadowscan/shadowscan-unload/x/ . Please ensure you are allowed to access the S3 bucket.`))
      .resolves(execution('SUCCEEDED', 52_428_800));
    const { r, rows } = await load(engine());
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
    expect(rows).toHaveLength(3);
    expect(r.gaps[0]!.detail).toMatch(/^access-denied \(query .*Access denied when writing output.*caller's s3:PutObject .* on s3:\/\/scanner-athena-results\/shadowscan\/shadowscan-unload\/.*fell back to paged results/);
  });

  it('a failure that is not UNLOAD\'s own (table not found) is a gap as before, without a second query', async () => {
    serveUnload(parquet.plain);
    athena.on(GetQueryExecutionCommand).resolves(execution('FAILED', 0, "TABLE_NOT_FOUND: line 5:52: Table 'awsdatacatalog.cloudtrail.cloudtrail_logs_pp' does not exist"));
    const { r, rows } = await load(engine());
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    expect(rows).toEqual([]);
    expect(r.gaps.map((g) => g.detail)).toEqual([expect.stringMatching(/^failed \(query .*TABLE_NOT_FOUND.*no CloudTrail records loaded/)]);
  });

  it('s3:DeleteObject denied: the rows are loaded and a gap says what was left in S3', async () => {
    serveUnload(parquet.plain, { deleteDenied: true });
    const { r, rows } = await load(engine());
    expect(rows).toHaveLength(3);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.detail).toMatch(/^query .*: s3:DeleteObject denied: 3 UNLOAD result object\(s\) left in S3 .*grant s3:DeleteObject/);
  });

  it('a cancelled run stops the UNLOAD query on Athena, without falling back', async () => {
    const abort = new AbortController();
    const seen = serveUnload(parquet.plain);
    athena.on(GetQueryExecutionCommand).callsFake(() => { abort.abort(); return execution('RUNNING', 10); });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { r, rows } = await load(engine(), undefined, abort.signal);
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    expect(rows).toEqual([]);
    expect(r.gaps.at(-1)!.detail).toMatch(/^cancelled \(query /);
    // what the stopped query had written (its manifest lists it; Athena does not delete it) is deleted all the same
    const deleted = s3.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key));
    expect(deleted.sort()).toEqual([MANIFEST_KEY, ...seen.keys].sort());
  });

  it('without an output location the results are paged, and the sources say why', async () => {
    serveUnload(parquet.plain);
    const { r, rows } = await load(engine({ outputLocation: null }));
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.QueryString).not.toMatch(/^UNLOAD/);
    expect(rows).toHaveLength(3);
    expect(r.source).toMatch(/; paged results: UNLOAD needs --athena-output/);
  });
});
