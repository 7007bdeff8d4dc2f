/**
 * The rollup on Athena (managed Trino) over the standard CloudTrail table: StartQueryExecution, poll
 * GetQueryExecution (stopping the query when it has scanned more than allowed, or when the run is cancelled),
 * then page GetQueryResults (1,000 rows a call). Errors become EngineErrors, which the loader records as
 * coverage gaps: AccessDenied (Athena, Glue or the S3 output/trail bucket), a failed or cancelled query.
 */
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { errorMessage } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { clientConfig, isAccessDenied, type Credentials } from '../aws/context.js';
import { EngineError, quoteTableName, type EngineQueryInfo, type EngineQueryOptions, type PageSink, type RollupEngine } from './engine.js';

/** Where and how to run Athena queries. */
export interface AthenaOptions {
  /** `database.table` of the CloudTrail table (AWS's documented DDL, partition projection on `timestamp`). */
  table: string;
  /** Workgroup (default `primary`). Its settings (output location, encryption, per-query scan cutoff) apply. */
  workgroup?: string;
  /** Data catalog (default `AwsDataCatalog`). */
  catalog?: string;
  /** s3://bucket/prefix/ for query results; default: the workgroup's. */
  outputLocation?: string;
  region: string;
  credentials?: Credentials;
  /** Poll interval bounds in ms (default 200 → 2000, doubling). */
  pollMs?: { min: number; max: number };
  /** An existing client (tests). */
  client?: AthenaClient;
}

/** Athena as a rollup engine. */
export class AthenaEngine implements RollupEngine {
  readonly kind = 'athena' as const;
  readonly tableSql: string;
  private readonly client: AthenaClient;

  constructor(private readonly opts: AthenaOptions) {
    this.tableSql = quoteTableName(opts.table, [2]);
    this.client = opts.client ?? new AthenaClient(clientConfig(opts.region, opts.credentials));
  }

  describe(): string {
    return `${this.opts.region} workgroup ${this.opts.workgroup ?? 'primary'} ${this.opts.table}`;
  }

  async run(sql: string, onPage: PageSink, options: EngineQueryOptions = {}): Promise<EngineQueryInfo> {
    const [database] = this.opts.table.split('.');
    let id: string | undefined;
    try {
      const started = await this.client.send(new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.opts.workgroup ?? 'primary',
        QueryExecutionContext: { Database: database, Catalog: this.opts.catalog ?? 'AwsDataCatalog' },
        ...(this.opts.outputLocation ? { ResultConfiguration: { OutputLocation: this.opts.outputLocation } } : {}),
      }), options.signal ? { abortSignal: options.signal } : {});
      id = started.QueryExecutionId;
      if (!id) throw new EngineError('Athena StartQueryExecution returned no QueryExecutionId', 'failed');
      const done = await this.wait(id, options);
      const scanned = done.Statistics?.DataScannedInBytes ?? null;
      let rows = 0;
      let columns: string[] | undefined;
      let token: string | undefined;
      let first = true;
      do {
        if (options.signal?.aborted) throw new EngineError(`Athena query ${id} cancelled while reading results`, 'cancelled', id);
        const page = await this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
        columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
        // The first row of the first page repeats the column names (SELECT results).
        const data = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
        first = false;
        if (data.length > 0) {
          rows += data.length;
          await onPage(columns, data);
        }
        token = page.NextToken;
      } while (token);
      return { queryId: id, scannedBytes: scanned, rows };
    } catch (e) {
      if (e instanceof EngineError) throw e;
      if (isAccessDenied(e)) throw new EngineError(`Athena ${this.describe()}: ${redact(errorMessage(e))}`, 'access-denied', id, { cause: e });
      if (options.signal?.aborted) {
        if (id) await this.stop(id);
        throw new EngineError(`Athena query ${id ?? '(not started)'} cancelled`, 'cancelled', id, { cause: e });
      }
      throw new EngineError(`Athena ${this.describe()}: ${redact(errorMessage(e))}`, 'failed', id, { cause: e });
    }
  }

  /** Poll until the query ends; stop it when it scans too much or the run is cancelled. */
  private async wait(id: string, options: EngineQueryOptions): Promise<QueryExecution> {
    const { min, max } = this.opts.pollMs ?? { min: 200, max: 2000 };
    let delay = min;
    for (;;) {
      const { QueryExecution: q } = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = q?.Status?.State;
      const scanned = q?.Statistics?.DataScannedInBytes ?? 0;
      if (state === 'SUCCEEDED') return q!;
      if (state === 'FAILED') {
        const why = q?.Status?.StateChangeReason ?? 'no reason given';
        const denied = /access ?denied|not authorized|AccessDenied/i.test(why);
        throw new EngineError(`Athena query ${id} failed: ${redact(why)}`, denied ? 'access-denied' : 'failed', id);
      }
      if (state === 'CANCELLED') throw new EngineError(`Athena query ${id} was cancelled: ${redact(q?.Status?.StateChangeReason ?? 'by someone else')}`, 'cancelled', id);
      if (options.maxScanBytes !== undefined && scanned > options.maxScanBytes) {
        await this.stop(id);
        throw new EngineError(`Athena query ${id} stopped: it had scanned ${scanned} bytes, more than --max-scan-bytes ${options.maxScanBytes}`, 'scan-limit', id);
      }
      if (options.signal?.aborted) {
        await this.stop(id);
        throw new EngineError(`Athena query ${id} cancelled`, 'cancelled', id);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(max, delay * 2);
    }
  }

  private async stop(id: string): Promise<void> {
    await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
  }
}
