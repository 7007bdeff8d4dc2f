/**
 * The rollup on a Trino cluster, through Trino's HTTP client protocol (the `trino-client` package): the
 * statement is POSTed, result pages are followed by `nextUri`, a cancelled run DELETEs the query.
 */
import { BasicAuth, Trino, type QueryResult } from 'trino-client';
import { errorMessage } from '../../kernel/errors.js';
import { redact } from '../../kernel/redact.js';
import { EngineError, quoteTableName, type EngineQueryInfo, type EngineQueryOptions, type PageSink, type RollupEngine } from './engine.js';

/** How to reach a Trino cluster. */
export interface TrinoOptions {
  /** Coordinator URL, e.g. https://trino.example.com:8443 */
  url: string;
  /** `catalog.schema.table` of the CloudTrail table (the standard Athena shape; see README). */
  table: string;
  /** User (X-Trino-User); default `shadowscan`. */
  user?: string;
  /** Password for HTTP basic auth (LDAP/password file); default none. Never printed. */
  password?: string;
  /** Source name sent with each query; default `shadowscan`. */
  source?: string;
}

/** A Trino cluster as a rollup engine. */
export class TrinoEngine implements RollupEngine {
  readonly kind = 'trino' as const;
  readonly tableSql: string;
  private readonly client: Trino;
  private readonly user: string;

  constructor(private readonly opts: TrinoOptions) {
    this.tableSql = quoteTableName(opts.table, [3]);
    this.user = opts.user ?? 'shadowscan';
    this.client = Trino.create({
      server: opts.url,
      source: opts.source ?? 'shadowscan',
      ...(opts.password !== undefined ? { auth: new BasicAuth(this.user, opts.password) } : {}),
    });
  }

  describe(): string {
    const u = new URL(this.opts.url);
    return `${u.protocol}//${u.host} ${this.opts.table}`;
  }

  async run(sql: string, onPage: PageSink, options: EngineQueryOptions = {}): Promise<EngineQueryInfo> {
    const session: Record<string, string> = {};
    // Trino stops the query itself when it has read more than this (EXCEEDED_SCAN_LIMIT).
    if (options.maxScanBytes !== undefined) session['query_max_scan_physical_bytes'] = `${options.maxScanBytes}B`;
    let queryId: string | undefined;
    let rows = 0;
    let scanned: number | null = null;
    let columns: string[] | undefined;
    const cancel = (): void => { if (queryId) void this.client.cancel(queryId).catch(() => undefined); };
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (options.signal?.aborted) throw new EngineError('Trino query cancelled before it started', 'cancelled');
      const it = await this.client.query({ query: sql, user: this.user, session });
      for await (const page of it as AsyncIterable<QueryResult>) {
        queryId ??= page.id;
        if (page.error) throw this.failure(page, queryId);
        if (options.signal?.aborted) { cancel(); throw new EngineError(`Trino query ${queryId} cancelled`, 'cancelled', queryId); }
        if (page.stats?.physicalInputBytes !== undefined) scanned = page.stats.physicalInputBytes;
        // Trino enforces its limit on a timer, so a short query can end first: the client checks every page too.
        if (options.maxScanBytes !== undefined && scanned !== null && scanned > options.maxScanBytes) {
          cancel();
          throw new EngineError(`Trino query ${queryId} failed: EXCEEDED_SCAN_LIMIT: it read ${scanned} bytes, more than --max-scan-bytes ${options.maxScanBytes} (checked by shadowscan)`, 'scan-limit', queryId);
        }
        if (page.columns && !columns) columns = page.columns.map((c) => c.name);
        if (page.data && page.data.length > 0) {
          if (!columns) throw new EngineError(`Trino query ${queryId}: rows without columns`, 'failed', queryId);
          rows += page.data.length;
          await onPage(columns, page.data);
        }
      }
      return { queryId: queryId ?? '?', scannedBytes: scanned, rows };
    } catch (e) {
      if (e instanceof EngineError) throw e;
      const status = (e as { response?: { status?: number } }).response?.status;
      const reason = status === 401 || status === 403 ? 'access-denied' : options.signal?.aborted ? 'cancelled' : 'failed';
      throw new EngineError(`Trino ${this.describe()}: ${redact(errorMessage(e))}`, reason, queryId, { cause: e });
    } finally {
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  private failure(page: QueryResult, queryId: string): EngineError {
    const err = page.error!;
    const reason = err.errorName === 'EXCEEDED_SCAN_LIMIT' ? 'scan-limit'
      : err.errorName === 'PERMISSION_DENIED' ? 'access-denied'
      : err.errorName === 'USER_CANCELED' ? 'cancelled' : 'failed';
    return new EngineError(`Trino query ${queryId} failed: ${err.errorName}: ${redact(err.message)}`, reason, queryId);
  }
}
