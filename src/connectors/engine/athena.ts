/**
 * The rollup on Athena (managed Trino) over the standard CloudTrail table: StartQueryExecution, poll
 * GetQueryExecution (stopping the query when it has scanned more than allowed, or when the run is cancelled),
 * then either UNLOAD the result to Parquet under the output location and download it (the default; see
 * athena-unload.ts) or page GetQueryResults (1,000 rows a call). Errors become EngineErrors, which the loader records as
 * coverage gaps: AccessDenied (Athena, Glue or the S3 output/trail bucket), a failed or cancelled query.
 */
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { rm } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from '../../kernel/errors.js';
import { redact } from '../../kernel/redact.js';
import { clientConfig, isAccessDenied, type Credentials } from '../aws/context.js';
import { deleteWritten, downloadAll, parseS3Url, readManifest, s3Client, unloadPrefix, type S3Object } from './athena-unload.js';
import {
  EngineError, quoteTableName, type EngineQueryInfo, type EngineQueryOptions, type PageSink, type ParquetQueryInfo, type ParquetSink, type RollupEngine,
} from './engine.js';

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
  /** How results come back: `unload` (default; UNLOAD to Parquet under outputLocation) or `paged` (GetQueryResults). */
  results?: 'unload' | 'paged';
  /** Parallel downloads of UNLOAD's Parquet files (default 4). */
  downloadConcurrency?: number;
  /** Existing clients (tests). */
  client?: AthenaClient;
  s3?: S3Client;
}

/**
 * An UNLOAD that failed where a plain SELECT would not have: Athena denied writing the result prefix (the message
 * names it, or says "writing"), UNLOAD is not supported (an engine or workgroup without it), or the prefix was
 * not empty. These fall back to paged results; anything else (the table, the trail bucket) fails both ways.
 */
function unloadFailure(e: unknown, prefix: string): unknown {
  if (!(e instanceof EngineError) || (e.reason !== 'access-denied' && e.reason !== 'failed')) return e;
  const bucket = parseS3Url(prefix)?.bucket ?? prefix;
  const own = e.reason === 'access-denied'
    ? e.message.includes(prefix) || e.message.includes(`s3://${bucket}`) || /writ(e|ing)/i.test(e.message)
    : /\bUNLOAD\b|NOT_SUPPORTED|HIVE_PATH_ALREADY_EXISTS/i.test(e.message.replace(/^Athena query \S+ failed: /, ''));
  if (!own) return e;
  const grant = e.reason === 'access-denied'
    ? `; Athena writes UNLOAD's files with the caller's s3:PutObject (and s3:ListBucket, s3:GetBucketLocation, s3:AbortMultipartUpload) on ${prefix} (policies/shadowscan-athena.json)` : '';
  return new EngineError(`${e.message}${grant}`, e.reason, e.queryId, { cause: e, fallback: true });
}

/** Athena as a rollup engine. */
export class AthenaEngine implements RollupEngine {
  readonly kind = 'athena' as const;
  readonly tableSql: string;
  private readonly client: AthenaClient;
  private s3: S3Client | undefined;
  /** Why UNLOAD is off for the rest of this process (it was denied or unsupported once: a daemon does not pay twice each run). */
  private unloadOff: string | undefined;

  constructor(private readonly opts: AthenaOptions) {
    this.tableSql = quoteTableName(opts.table, [2]);
    this.client = opts.client ?? new AthenaClient(clientConfig(opts.region, opts.credentials));
    this.s3 = opts.s3;
  }

  describe(): string {
    return `${this.opts.region} workgroup ${this.opts.workgroup ?? 'primary'} ${this.opts.table}`;
  }

  /** Which result path the next query takes: UNLOAD unless asked for paged, without an output location, or after UNLOAD was denied. */
  resultPath(): { path: 'unload' | 'paged'; why?: string } {
    if ((this.opts.results ?? 'unload') === 'paged') return { path: 'paged', why: '--athena-results paged' };
    if (this.unloadOff) return { path: 'paged', why: this.unloadOff };
    if (!this.opts.outputLocation) return { path: 'paged', why: 'UNLOAD needs --athena-output (its Parquet files go under that location)' };
    return { path: 'unload' };
  }

  disableUnload(why: string): void {
    this.unloadOff = `UNLOAD failed earlier in this process (${why})`;
  }

  async run(sql: string, onPage: PageSink, options: EngineQueryOptions = {}): Promise<EngineQueryInfo> {
    return this.guard(options, async (started) => {
      const { id, done } = await this.execute(sql, options, started);
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
    });
  }

  /**
   * The query as `UNLOAD (sql) TO '<output>/shadowscan-unload/<uuid>/' WITH (format = 'PARQUET', compression = 'SNAPPY')`:
   * after it succeeds, the files its data manifest lists are downloaded into a private directory, handed to
   * `onFiles`, then removed here and (best effort) in S3. An error the paged path would not meet (the result prefix
   * denied, UNLOAD unsupported) is an EngineError with `fallback` set.
   */
  async runToParquet(sql: string, onFiles: ParquetSink, options: EngineQueryOptions = {}): Promise<ParquetQueryInfo> {
    if (!this.opts.outputLocation) throw new EngineError('Athena UNLOAD needs an output location (--athena-output)', 'failed', undefined, { fallback: true });
    const prefix = unloadPrefix(this.opts.outputLocation);
    const s3 = this.s3 ??= s3Client(this.opts.region, this.opts.credentials);
    let written: S3Object[] = [];
    let manifest: S3Object | undefined;
    let begun: { id?: string } = {};
    const problems: string[] = [];
    let caught: unknown;
    try {
      return await this.guard(options, async (started) => {
        begun = started;
        // UNLOAD writes under a prefix that must be empty: a fresh uuid per query. The literal is ours (s3:// URL
        // checked by the flag parser; quotes doubled) and the SELECT is the rendered rollup.
        const unload = `UNLOAD (${sql}) TO '${prefix.replace(/'/g, "''")}' WITH (format = 'PARQUET', compression = 'SNAPPY')`;
        let id: string;
        let done: QueryExecution;
        try {
          ({ id, done } = await this.execute(unload, options, started));
        } catch (e) {
          throw unloadFailure(e, prefix);
        }
        const scanned = done.Statistics?.DataScannedInBytes ?? null;
        const manifestUrl = done.Statistics?.DataManifestLocation ?? (done.ResultConfiguration?.OutputLocation ? `${done.ResultConfiguration.OutputLocation}-manifest.csv` : undefined);
        manifest = manifestUrl ? parseS3Url(manifestUrl) : undefined;
        const withScan = (e: unknown): unknown => (e instanceof EngineError && e.fallback
          ? new EngineError(`${e.message} (query ${id} had scanned ${scanned ?? '?'} bytes)`, e.reason, id, { cause: e, fallback: true }) : e);
        try {
          written = await readManifest(s3, manifestUrl ?? '', prefix, id, options.signal);
        } catch (e) {
          throw withScan(e);
        }
        let got: { dir: string; files: string[]; bytes: number };
        try {
          got = await downloadAll(s3, written, id, { concurrency: this.opts.downloadConcurrency ?? 4, ...(options.signal ? { signal: options.signal } : {}) });
        } catch (e) {
          throw withScan(e);
        }
        try {
          await onFiles(got.files, id);
        } finally {
          await rm(got.dir, { recursive: true, force: true });
        }
        return { queryId: id, scannedBytes: scanned, rows: -1, notes: [`UNLOAD to Parquet, ${got.files.length} file(s), ${got.bytes} bytes downloaded`], problems };
      });
    } catch (e) {
      caught = e;
      throw e;
    } finally {
      // Whatever the outcome, the result objects (unredacted rollup rows) do not stay in S3 if we can help it: a query
      // that failed or was stopped may have written some (Athena does not delete them), its manifest lists them.
      const queryId = begun.id;
      let manifestRead = written.length > 0;
      if (queryId && !manifestRead) {
        manifest ??= await this.manifestOf(queryId);
        if (manifest) {
          const at = manifest;
          written = await readManifest(s3, `s3://${at.bucket}/${at.key}`, prefix, queryId).then((w) => { manifestRead = true; return w; }, () => []);
        }
      }
      // the manifest only when it was there to read (nothing to report about objects that were never written)
      const objects = [...written, ...(manifest && manifestRead ? [manifest] : [])];
      const left = objects.length > 0 ? await deleteWritten(s3, objects) : undefined;
      if (left) (caught instanceof EngineError ? caught.problems : problems).push(left);
    }
  }

  /** Errors of one query (start, poll, read) as EngineErrors; a cancelled run stops the query on Athena. */
  private async guard<T>(options: EngineQueryOptions, body: (started: { id?: string }) => Promise<T>): Promise<T> {
    const started: { id?: string } = {};
    try {
      return await body(started);
    } catch (e) {
      const id = started.id;
      if (e instanceof EngineError) throw e;
      if (isAccessDenied(e)) throw new EngineError(`Athena ${this.describe()}: ${redact(errorMessage(e))}`, 'access-denied', id, { cause: e });
      if (options.signal?.aborted) {
        if (id) await this.stop(id);
        throw new EngineError(`Athena query ${id ?? '(not started)'} cancelled`, 'cancelled', id, { cause: e });
      }
      throw new EngineError(`Athena ${this.describe()}: ${redact(errorMessage(e))}`, 'failed', id, { cause: e });
    }
  }

  /** Start `sql` and wait until it has succeeded. */
  private async execute(sql: string, options: EngineQueryOptions, started: { id?: string }): Promise<{ id: string; done: QueryExecution }> {
    const [database] = this.opts.table.split('.');
    const out = await this.client.send(new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: this.opts.workgroup ?? 'primary',
      QueryExecutionContext: { Database: database, Catalog: this.opts.catalog ?? 'AwsDataCatalog' },
      ...(this.opts.outputLocation ? { ResultConfiguration: { OutputLocation: this.opts.outputLocation } } : {}),
    }), options.signal ? { abortSignal: options.signal } : {});
    const id = out.QueryExecutionId;
    if (!id) throw new EngineError('Athena StartQueryExecution returned no QueryExecutionId', 'failed');
    started.id = id;
    return { id, done: await this.wait(id, options) };
  }

  /** The data manifest of a query that did not succeed (to delete what it wrote); undefined when unknown. */
  private async manifestOf(id: string): Promise<S3Object | undefined> {
    try {
      const { QueryExecution: q } = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const url = q?.Statistics?.DataManifestLocation ?? (q?.ResultConfiguration?.OutputLocation ? `${q.ResultConfiguration.OutputLocation}-manifest.csv` : undefined);
      return url ? parseS3Url(url) : undefined;
    } catch {
      return undefined;
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
