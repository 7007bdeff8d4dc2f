/**
 * Athena's API choreography with aws-sdk-client-mock on recorded response shapes: start, poll (QUEUED →
 * RUNNING → SUCCEEDED), page GetQueryResults (header row on the first page, NextToken), bytes scanned and the
 * query id in the run's sources; failure, cancellation, AccessDenied and the --max-scan-bytes guard as gaps.
 */
import {
  AthenaClient, AthenaServiceException, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand,
  StopQueryExecutionCommand, type GetQueryExecutionCommandOutput, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../src/connectors/engine/athena.js';
import { ROLLUP_COLUMNS } from '../../../src/store/cloudtrail-rollup.js';
import { Store } from '../../../src/store/db.js';
import { engineRollupSql, loadCloudTrailFromEngine } from '../../../src/connectors/engine/load-cloudtrail-engine.js';

const athena = mockClient(AthenaClient);
afterEach(() => athena.reset());

const ID = '5c3f6a2e-9b1d-4e0f-8a7c-2d9e1f4b6a30';
const COLUMNS = ['n', ...ROLLUP_COLUMNS];
const WINDOW = { dateColumn: 'timestamp', from: new Date('2026-08-22T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z') };

/** GetQueryExecution as Athena answers it (engine version 3), in a state. */
function execution(state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED', scanned: number, reason?: string): GetQueryExecutionCommandOutput {
  return {
    QueryExecution: {
      QueryExecutionId: ID, Query: 'SELECT …', StatementType: 'DML',
      ResultConfiguration: { OutputLocation: `s3://scanner-athena-results/shadowscan/${ID}.csv` },
      QueryExecutionContext: { Database: 'cloudtrail', Catalog: 'awsdatacatalog' },
      Status: { State: state, SubmissionDateTime: new Date('2026-11-20T00:00:01Z'), ...(reason ? { StateChangeReason: reason } : {}) },
      Statistics: { EngineExecutionTimeInMillis: 2100, DataScannedInBytes: scanned, TotalExecutionTimeInMillis: 2300, QueryQueueTimeInMillis: 120 },
      WorkGroup: 'primary', EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    },
    $metadata: { httpStatusCode: 200 },
  };
}

/** One rollup row as Athena's text values (NULL = no VarCharValue). */
function row(principal: string, event: string, count: number, hour: string): (string | undefined)[] {
  const v: Record<string, string> = {
    n: String(count), event_hour: `${hour}:00:00.000`, first_time: `${hour}:05:00.000`, last_time: `${hour}:55:00.000`,
    event_source: 'bedrock.amazonaws.com', event_name: event, aws_region: 'us-east-1', source_ip: '203.0.113.9',
    user_agent: event === 'Converse' ? 'curl/8.5.0 token=ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789' : 'Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux lib/langchain-aws', read_only: 'false', event_type: 'AwsApiCall',
    recipient_account_id: '210987654321', identity_type: 'IAMUser', principal_arn: principal, account_id: '210987654321',
    access_key_id: 'AKIAEXAMPLEAGENT0001', user_name: 'agent', mfa_authenticated: 'false', console_session: 'false',
  };
  return COLUMNS.map((c) => v[c]);
}

function page(rows: (string | undefined)[][], header: boolean, next?: string): GetQueryResultsCommandOutput {
  const toRow = (r: (string | undefined)[]) => ({ Data: r.map((x) => (x === undefined ? {} : { VarCharValue: x })) });
  return {
    ResultSet: {
      Rows: [...(header ? [toRow(COLUMNS)] : []), ...rows.map(toRow)],
      ResultSetMetadata: { ColumnInfo: COLUMNS.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c, Label: c, Type: 'varchar', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })) },
    },
    UpdateCount: 0,
    ...(next ? { NextToken: next } : {}),
    $metadata: { httpStatusCode: 200 },
  };
}

// The paged path (GetQueryResults); the UNLOAD path, the default, is in athena-unload.test.ts.
const engine = (): AthenaEngine => new AthenaEngine({
  table: 'cloudtrail.cloudtrail_logs_pp', region: 'us-east-1', workgroup: 'primary', outputLocation: 's3://scanner-athena-results/shadowscan/', results: 'paged',
  pollMs: { min: 1, max: 2 }, client: new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } }),
});

async function load(maxScanBytes?: number, signal?: AbortSignal) {
  const store = await Store.open(':memory:');
  const r = await loadCloudTrailFromEngine(store, 'run-1', engine(), WINDOW, { ...(maxScanBytes !== undefined ? { maxScanBytes } : {}), ...(signal ? { signal } : {}) });
  const rows = await store.all<{ principal_arn: string; event_count: number; event_hour: string; read_only: boolean; source_file: string }>(
    `SELECT principal_arn, event_count::INTEGER AS event_count, event_hour::VARCHAR AS event_hour, read_only, source_file FROM cloudtrail_events ORDER BY ALL`);
  const agents = (await store.all<{ user_agent: string }>('SELECT user_agent FROM cloudtrail_events ORDER BY 1')).map((a) => a.user_agent);
  store.close();
  return { r, rows, agents };
}

describe('Athena engine', () => {
  it('starts the rendered rollup on the window partitions, polls, pages the results into cloudtrail_events', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID, $metadata: { httpStatusCode: 200 } });
    athena.on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED', 0)).resolvesOnce(execution('RUNNING', 1_048_576)).resolves(execution('SUCCEEDED', 52_428_800));
    athena.on(GetQueryResultsCommand)
      .resolvesOnce(page([row('arn:aws:iam::210987654321:user/agent', 'InvokeModel', 40, '2026-11-19 10')], true, 'token-2'))
      .resolvesOnce(page([row('arn:aws:iam::210987654321:user/agent', 'Converse', 2, '2026-11-19 11')], false));
    const { r, rows, agents } = await load();

    const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(start.WorkGroup).toBe('primary');
    expect(start.QueryExecutionContext).toEqual({ Database: 'cloudtrail', Catalog: 'AwsDataCatalog' });
    expect(start.ResultConfiguration).toEqual({ OutputLocation: 's3://scanner-athena-results/shadowscan/' });
    expect(start.QueryString).toBe(engineRollupSql('"cloudtrail"."cloudtrail_logs_pp"', WINDOW));
    expect(start.QueryString).toContain(`WHERE e."timestamp" BETWEEN '2026/08/21' AND '2026/11/21'`);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'token-2']);

    // Free text is redacted before it is stored, as on the local path.
    expect(agents.join('\n')).not.toContain('ghp_AbCdEf');
    expect(agents.some((a) => a.startsWith('curl/8.5.0 token='))).toBe(true);
    expect(r.gaps).toEqual([]);
    expect(r.records).toBe(42);
    expect(r.source).toBe(`aws-cloudtrail-athena:us-east-1 workgroup primary cloudtrail.cloudtrail_logs_pp (query ${ID}, 52428800 bytes scanned, 2 rollup rows; paged results: --athena-results paged)`);
    expect(rows).toEqual([
      { principal_arn: 'arn:aws:iam::210987654321:user/agent', event_count: 2, event_hour: '2026-11-19 11:00:00', read_only: false, source_file: `athena:${ID}` },
      { principal_arn: 'arn:aws:iam::210987654321:user/agent', event_count: 40, event_hour: '2026-11-19 10:00:00', read_only: false, source_file: `athena:${ID}` },
    ]);
  });

  it('AccessDenied on StartQueryExecution is a coverage gap naming the policy; nothing is loaded', async () => {
    athena.on(StartQueryExecutionCommand).rejects(new AthenaServiceException({
      name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 },
      message: 'User: arn:aws:sts::111111111111:assumed-role/scanner/s is not authorized to perform: athena:StartQueryExecution on resource: arn:aws:athena:us-east-1:111111111111:workgroup/primary',
    }));
    const { r, rows } = await load();
    expect(rows).toEqual([]);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.detail).toMatch(/^access-denied: .*athena:StartQueryExecution.*policies\/shadowscan-athena\.json/);
  });

  it('a FAILED query (S3 output denied) is an access-denied gap with the query id', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(execution('FAILED', 0, 'Access denied when writing output to url: s3://scanner-athena-results/shadowscan/ . Please ensure you are allowed to access the S3 bucket.'));
    const { r } = await load();
    expect(r.gaps[0]!.detail).toMatch(new RegExp(`^access-denied \\(query ${ID}\\): Athena query ${ID} failed: Access denied when writing output`));
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('a FAILED query for another reason, and one cancelled by someone else, are gaps', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('FAILED', 0, "TABLE_NOT_FOUND: line 5:52: Table 'awsdatacatalog.cloudtrail.cloudtrail_logs_pp' does not exist"))
      .resolves(execution('CANCELLED', 0));
    expect((await load()).r.gaps[0]!.detail).toMatch(/^failed \(query .*TABLE_NOT_FOUND/);
    expect((await load()).r.gaps[0]!.detail).toMatch(/^cancelled \(query .*was cancelled/);
  });

  it('--max-scan-bytes stops the running query (StopQueryExecution) and says so', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING', 1_000)).resolves(execution('RUNNING', 5_000_000_000));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { r, rows } = await load(1_000_000_000);
    expect(rows).toEqual([]);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input.QueryExecutionId)).toEqual([ID]);
    expect(r.gaps[0]!.detail).toMatch(/^scan-limit .*scanned 5000000000 bytes, more than --max-scan-bytes 1000000000; raise --max-scan-bytes/);
  });

  it('a cancelled run (daemon stopping) stops the query on Athena', async () => {
    const abort = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).callsFake(() => { abort.abort(); return execution('RUNNING', 10); });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { r } = await load(undefined, abort.signal);
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
    expect(r.gaps[0]!.detail).toMatch(/^cancelled \(query /);
  });
});
