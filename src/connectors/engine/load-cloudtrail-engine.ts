/**
 * CloudTrail from a query engine (Trino or Athena) instead of local files: the rollup runs where the logs
 * live, over the partitions of the scan window, and only its rows come back into `cloudtrail_events` —
 * the same table, with the same columns, the local `read_json` path fills. Everything after is the same code.
 */
import { EngineError, type EngineQueryInfo, type RollupEngine } from './engine.js';
import type { CoverageGap } from '../../kernel/types.js';
import { ROLLUP_COLUMNS, ROLLUP_KEYS, rollupAggregates, rollupKeyColumns, rollupRecordColumns } from '../../store/cloudtrail-rollup.js';
import { emptyRecordCounts, EVENT_COLUMNS, REDACTED_COLUMNS, type RecordCounts } from '../../store/load-cloudtrail.js';
import { quoteIdent, quoteLiteral, type Store } from '../../store/db.js';

/** Which partitions of the CloudTrail table the query reads. */
export interface EnginePartitions {
  /**
   * The table's date partition column, values `yyyy/MM/dd` (the `timestamp` projection of AWS's documented
   * partition-projected CloudTrail table); null: the table is not partitioned by date (every file is read).
   */
  dateColumn: string | null;
  /** Window start and end; partitions from a day before the start to a day after the end are read. */
  from: Date;
  to: Date;
}

/** What one engine load did. */
export interface EngineLoadResult {
  records: number;
  /** What became of the records the engine read (its totals row); duplicates are not detected there (README). */
  counts?: RecordCounts;
  rows: number;
  query?: EngineQueryInfo;
  gaps: CoverageGap[];
  /** The line for the run's sources: engine, table, query id, bytes scanned. */
  source: string;
}

const day = (d: Date): string => d.toISOString().slice(0, 10).replace(/-/g, '/');

/** The rollup rendered for Trino/Athena over `tableSql`, limited to the window's partitions. */
export function engineRollupSql(tableSql: string, partitions: EnginePartitions): string {
  let where = '';
  if (partitions.dateColumn !== null) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(partitions.dateColumn)) throw new Error(`partition column ${JSON.stringify(partitions.dateColumn)}: expected a plain identifier`);
    const lo = day(new Date(partitions.from.getTime() - 86_400_000));
    const hi = day(new Date(partitions.to.getTime() + 86_400_000));
    // Literals from dates we format ourselves (yyyy/MM/dd): nothing from input reaches the SQL text.
    where = `WHERE e."${partitions.dateColumn}" BETWEEN '${lo}' AND '${hi}'`;
  }
  // Records without a readable event time (missing, unparseable or outside 2005–2099: not `ok`) are skipped, as the
  // local path skips them: their hour is NULL or outside the window's years, so they fall in groups of their own
  // whose n is 0, which the loader drops. The grouping set () adds one row of totals: records read, skipped and
  // loaded without userIdentity.
  return `SELECT count(*) FILTER (WHERE ok) AS n, ${rollupAggregates('trino')},
  grouping(event_hour) AS g_total, count(*) AS records_read, count(*) FILTER (WHERE no_time) AS missing_event_time,
  count(*) FILTER (WHERE NOT ok AND NOT no_time) AS invalid_event_time, count(*) FILTER (WHERE ok AND anonymous) AS unattributable
FROM (
  SELECT ${rollupKeyColumns('trino')}, no_time, anonymous, ok
  FROM (SELECT e.*, e.eventtime IS NULL AS no_time, e.useridentity IS NULL AS anonymous,
      coalesce(t >= TIMESTAMP '2005-01-01 00:00:00' AND t < TIMESTAMP '2100-01-01 00:00:00', false) AS ok
    FROM (SELECT e.*, ${rollupRecordColumns('trino')} FROM ${tableSql} e ${where}) e) e
) y
GROUP BY GROUPING SETS ((${ROLLUP_KEYS.join(', ')}), ())`;
}

/** The totals row's columns (engineRollupSql); a result without them (an older query) counts read = loaded. */
const TOTAL_COLUMNS = ['g_total', 'records_read', 'missing_event_time', 'invalid_event_time', 'unattributable'] as const;

const STAGE = 'ct_engine_stage';

/**
 * Run the rollup on `engine` and load its rows. A query that fails, is cancelled, is denied or would scan
 * more than allowed is a coverage gap naming the engine and the query id; nothing already loaded is lost.
 */
export async function loadCloudTrailFromEngine(
  store: Store,
  runId: string,
  engine: RollupEngine,
  partitions: EnginePartitions,
  options: { signal?: AbortSignal; maxScanBytes?: number } = {},
): Promise<EngineLoadResult> {
  const columns = ['n', ...ROLLUP_COLUMNS];
  await store.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} (${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
  const what = `${engine.kind} ${engine.describe()}`;
  const sourceName = `aws-cloudtrail-${engine.kind}:${engine.describe()}`;
  let records = 0;
  let eventRows = 0;
  let totals: Totals | undefined;
  const gaps: CoverageGap[] = [];
  try {
    const sql = engineRollupSql(engine.tableSql, partitions);
    const paged = async (): Promise<EngineQueryInfo> => {
      const query = await engine.run(sql, async (names, rows) => {
        const at = columns.map((c) => names.indexOf(c));
        if (at.some((i) => i < 0)) throw new EngineError(`${what}: the result lacks column(s) ${columns.filter((_, i) => at[i]! < 0).join(', ')}`, 'failed');
        const tat = TOTAL_COLUMNS.map((c) => names.indexOf(c));
        const isTotal = (r: unknown[]): boolean => tat[0]! >= 0 && Number(r[tat[0]!] ?? 0) === 1;
        for (const r of rows.filter(isTotal)) totals = Object.fromEntries(TOTAL_COLUMNS.map((c, i) => [c, Number(r[tat[i]!] ?? 0)])) as Totals;
        // groups of records without a usable time only (n = 0) are not events
        const events = rows.filter((r) => !isTotal(r) && Number(r[at[0]!] ?? 0) > 0);
        await store.append(STAGE, columns, events.map((r) => at.map((i) => cell(r[i]))));
        for (const r of events) records += Number(r[at[0]!] ?? 0);
        eventRows += events.length;
      }, options);
      await store.transaction(async () => {
        // VARCHAR → the table's types by DuckDB's assignment casts (timestamps, booleans, counts, JSON); free-text
        // columns redacted exactly as the local path redacts them, before anything is stored.
        await store.run(`INSERT INTO cloudtrail_events (run_id, source_file, ${EVENT_COLUMNS})
          SELECT $run, $src, ${columns.join(', ')} FROM (SELECT * REPLACE (${REDACTED_COLUMNS}) FROM ${STAGE})`, { run: runId, src: `${engine.kind}:${query.queryId}` });
      });
      return query;
    };
    let query: EngineQueryInfo;
    let via: string | undefined;
    const path = engine.resultPath?.() ?? { path: 'paged' as const };
    if (path.path === 'unload' && engine.runToParquet) {
      try {
        const q = await engine.runToParquet(sql, async (files, queryId) => {
          const r = await loadParquetResult(store, files, columns, runId, `${engine.kind}:${queryId}`, what);
          ({ records, eventRows } = r);
          totals = r.totals;
        }, options);
        query = { queryId: q.queryId, scannedBytes: q.scannedBytes, rows: eventRows };
        via = q.notes.join('; ');
        for (const p of q.problems) gaps.push({ source: sourceName, detail: `query ${q.queryId}: ${p}` });
      } catch (e) {
        if (!(e instanceof EngineError) || !e.fallback) throw e;
        // UNLOAD was denied or is unsupported where a SELECT is not: the same rollup through paged results (the table
        // is read again, and billed again), and paged from now on in this process.
        engine.disableUnload?.(e.message);
        for (const p of e.problems) gaps.push({ source: sourceName, detail: p });
        gaps.push({ source: sourceName, detail: `${e.reason}${e.queryId ? ` (query ${e.queryId})` : ''}: ${e.message}; fell back to paged results (no records missing; the rollup ran twice)` });
        query = await paged();
        via = `paged results: UNLOAD failed${e.queryId ? ` (query ${e.queryId})` : ''}, see coverage gaps`;
      }
    } else {
      query = await paged();
      if (path.why) via = `paged results: ${path.why}`;
    }
    const source = `${sourceName} (query ${query.queryId}, ${query.scannedBytes ?? '?'} bytes scanned, ${eventRows} rollup rows${via ? `; ${via}` : ''})`;
    const counts = { ...emptyRecordCounts(), read: totals?.records_read ?? records, loaded: records, unattributable: totals?.unattributable ?? 0 };
    counts.skipped.missing_event_time = totals?.missing_event_time ?? 0;
    counts.skipped.invalid_event_time = totals?.invalid_event_time ?? 0;
    return { records, counts, rows: eventRows, query, gaps, source };
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    const id = e.queryId ? ` (query ${e.queryId})` : '';
    const hint = e.reason === 'access-denied' ? '; grant the permissions in policies/shadowscan-athena.json (Athena) or SELECT on the table (Trino)'
      : e.reason === 'scan-limit' ? '; raise --max-scan-bytes or narrow --lookback' : '';
    return {
      records: 0, rows: 0,
      gaps: [...gaps, ...e.problems.map((p) => ({ source: sourceName, detail: p })), { source: sourceName, detail: `${e.reason}${id}: ${e.message}${hint}; no CloudTrail records loaded from it` }],
      source: `${sourceName} (failed${id})`,
    };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${STAGE}`);
  }
}

type Totals = Record<(typeof TOTAL_COLUMNS)[number], number>;

/**
 * Load a result written as Parquet (Athena's UNLOAD) into `cloudtrail_events` with `source_file` = `sourceFile`:
 * the same rows the paged path stores for the same result. The engine's types are taken as they are (a timestamp
 * with a time zone is first put in UTC, as the engine's text would give it), the totals row and the groups without
 * a usable time (n = 0) are left out, and the free-text columns are redacted in the same INSERT, before anything is
 * stored.
 */
export async function loadParquetResult(store: Store, files: string[], columns: string[], runId: string, sourceFile: string, what: string): Promise<{ records: number; eventRows: number; totals?: Totals }> {
  if (files.length === 0) return { records: 0, eventRows: 0 };
  const src = `read_parquet([${files.map(quoteLiteral).join(', ')}])`;
  const described = await store.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${src}`);
  const types = new Map(described.map((d) => [d.column_name.toLowerCase(), d.column_type]));
  const missing = columns.filter((c) => !types.has(c));
  if (missing.length > 0) throw new EngineError(`${what}: the result lacks column(s) ${missing.join(', ')}`, 'failed');
  const hasTotals = TOTAL_COLUMNS.every((c) => types.has(c));
  const value = (c: string): string => (/WITH TIME ZONE/i.test(types.get(c) ?? '') ? `timezone('UTC', ${quoteIdent(c)}) AS ${c}` : quoteIdent(c));
  const events = `SELECT ${columns.map(value).join(', ')} FROM ${src} WHERE n > 0${hasTotals ? ' AND coalesce(g_total, 0) <> 1' : ''}`;
  let totals: Totals | undefined;
  if (hasTotals) {
    const t = await store.one<Record<string, unknown>>(`SELECT ${TOTAL_COLUMNS.join(', ')} FROM ${src} WHERE g_total = 1 LIMIT 1`);
    if (t) totals = Object.fromEntries(TOTAL_COLUMNS.map((c) => [c, Number(t[c] ?? 0)])) as Totals;
  }
  const sum = await store.one<{ records: unknown; rows: unknown }>(`SELECT coalesce(sum(n), 0) AS records, count(*) AS rows FROM (${events})`);
  await store.transaction(async () => {
    await store.run(`INSERT INTO cloudtrail_events (run_id, source_file, ${EVENT_COLUMNS})
      SELECT $run, $src, ${columns.join(', ')} FROM (SELECT * REPLACE (${REDACTED_COLUMNS}) FROM (${events}))`, { run: runId, src: sourceFile });
  });
  return { records: Number(sum?.records ?? 0), eventRows: Number(sum?.rows ?? 0), ...(totals ? { totals } : {}) };
}

/** One result value as text for the staging table (engines give JSON values; Athena gives text already). */
function cell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
