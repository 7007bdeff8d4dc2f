/**
 * A query engine the CloudTrail rollup is pushed down to (Trino, or Athena: managed Trino), where the logs
 * live; only the rollup's rows come back. Both engines take the rollup's Trino rendering
 * (src/store/cloudtrail-rollup.ts).
 */

/** What an engine reports about one finished query (for the run's sources). */
export interface EngineQueryInfo {
  /** The engine's own query id (Trino query id, Athena QueryExecutionId). */
  queryId: string;
  /** Bytes the engine read to answer (Trino physical input bytes, Athena DataScannedInBytes); null when unknown. */
  scannedBytes: number | null;
  /** Rows returned. */
  rows: number;
}

/** Options of one engine query. */
export interface EngineQueryOptions {
  /** Stop the query (and cancel it on the engine) when aborted. */
  signal?: AbortSignal;
  /** Stop the query when the engine reports more bytes read than this (`--max-scan-bytes`). */
  maxScanBytes?: number;
}

/** The result pages of a query: column names, then rows (values as the engine's JSON gives them). */
export type PageSink = (columns: string[], rows: unknown[][]) => Promise<void>;

/** One engine. `run` resolves with the query's info or rejects with an EngineError. */
export interface RollupEngine {
  /** `trino` or `athena`. */
  readonly kind: 'trino' | 'athena';
  /** Where it runs and on which table, for the run's sources (never a credential). */
  describe(): string;
  /** The table the rollup reads (`catalog.schema.table` or `database.table`, already quoted for SQL). */
  readonly tableSql: string;
  run(sql: string, onPage: PageSink, options?: EngineQueryOptions): Promise<EngineQueryInfo>;
  /**
   * Engines that can also write the result as Parquet files (Athena's UNLOAD): when `resultPath()` is `unload`,
   * the loader calls this instead of `run`. The files are downloaded into a private directory and handed to
   * `onFiles`; after it returns (or throws) they are removed locally and, best effort, where the engine wrote them.
   */
  runToParquet?(sql: string, onFiles: ParquetSink, options?: EngineQueryOptions): Promise<ParquetQueryInfo>;
  /** `unload` when the next query should use runToParquet, `paged` otherwise (with why, for the run's sources). */
  resultPath?(): { path: 'unload' | 'paged'; why?: string };
  /** The UNLOAD path failed in a way the paged path would not (denied on the result prefix, unsupported): use paged from now on. */
  disableUnload?(why: string): void;
}

/** What a Parquet (UNLOAD) query reports besides EngineQueryInfo. */
export interface ParquetQueryInfo extends EngineQueryInfo {
  /** For the run's sources (files and bytes downloaded). */
  notes: string[];
  /** Coverage gaps that do not stop the load (e.g. the written objects could not be deleted). */
  problems: string[];
}

/** The local Parquet files of a result (removed after the sink returns), and the engine's query id. */
export type ParquetSink = (files: string[], queryId: string) => Promise<void>;

/** Why an engine query did not complete: a coverage gap, not a crash. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    /** `access-denied`, `scan-limit`, `cancelled`, `failed`. */
    readonly reason: 'access-denied' | 'scan-limit' | 'cancelled' | 'failed',
    /** The engine's query id when the query got one. */
    readonly queryId?: string,
    options?: { cause?: unknown; fallback?: boolean },
  ) {
    super(message, options);
    this.fallback = options?.fallback ?? false;
  }

  /**
   * True when the failure is the UNLOAD path's own (S3 write/read of its result prefix denied, UNLOAD not
   * supported): the same rollup can still come back through paged results.
   */
  readonly fallback: boolean;

  /** Coverage gaps met on the way that the failure does not already say (e.g. result objects left in S3). */
  readonly problems: string[] = [];
}

/** Quote a dotted table name for Trino SQL (`a.b.c` → `"a"."b"."c"`); only plain identifiers are accepted. */
export function quoteTableName(name: string, parts: number[]): string {
  const segs = name.split('.');
  if (!parts.includes(segs.length) || segs.some((s) => !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s))) {
    throw new Error(`table name ${JSON.stringify(name)}: expected ${parts.map((n) => ['', 'table', 'schema.table', 'catalog.schema.table'][n]).join(' or ')} with letters, digits, _ and -`);
  }
  return segs.map((s) => `"${s}"`).join('.');
}
