import { closeSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { redact, redactSqlJson, redactSqlText } from '../core/redact.js';
import type { CoverageGap } from '../core/types.js';
import { ROLLUP_COLUMNS, ROLLUP_KEYS, rollupAggregates, rollupKeyColumns, rollupRecordColumns } from './cloudtrail-rollup.js';
import { RECORD_TYPE } from './cloudtrail-schema.js';
import { quoteLiteral, type Store } from './db.js';

/** Which shape a CloudTrail file has. */
export type CloudTrailFileKind = 's3' | 'lookup-events';

export interface CloudTrailLoadResult {
  files: number;
  records: number;
  gaps: CoverageGap[];
}

export interface CloudTrailLoadOptions {
  /**
   * Called inside the transaction that commits the loaded rows, with every file read (records per
   * file): incremental ingestion records the files there, so rows and bookkeeping commit together.
   */
  onCommit?: (loaded: { file: string; records: number }[]) => Promise<void>;
}

/** Folders CloudTrail writes next to the logs that hold no log records. */
const NOT_LOGS = new Set(['cloudtrail-digest', 'cloudtrail-insight']);

/**
 * Every CloudTrail log file below `root` at any depth (key prefixes, org-trail layouts), sorted.
 * Extensions are matched case-insensitively (`.JSON.GZ`); digest and insight folders are skipped.
 * Each real directory and each real file is visited once, however many symlinks lead to it, so a
 * symlink loop cannot multiply the files. `skip(path, isDir)` leaves out other entries.
 */
export function listCloudTrailFiles(root: string, skip: (path: string, isDir: boolean) => boolean = () => false): string[] {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  // Two passes: real entries first, so a file keeps its own path; then symlinks, adding only what the
  // first pass did not reach (a symlink to a folder elsewhere), each real folder and file once.
  const walk = (dir: string, followLinks: boolean): void => {
    let entries: string[];
    try {
      const real = realpathSync(dir);
      if (seenDirs.has(`${followLinks}:${real}`)) return;
      seenDirs.add(`${followLinks}:${real}`);
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const p = join(dir, name);
      let st;
      try { st = followLinks ? statSync(p) : lstatSync(p); } catch { continue; }
      if (st.isDirectory()) {
        if (NOT_LOGS.has(name.toLowerCase()) || skip(p, true)) continue;
        walk(p, followLinks);
      } else if (st.isFile() && /\.json(\.gz)?$/i.test(name) && !skip(p, false)) {
        let realFile: string;
        try { realFile = realpathSync(p); } catch { continue; }
        if (seenFiles.has(realFile)) continue;
        seenFiles.add(realFile);
        out.push(p);
      }
    }
  };
  walk(root, false);
  walk(root, true);
  return out.sort();
}

/**
 * The trail files of an export's aws/ folder: at any depth (`aws s3 sync s3://bucket ./aws` keeps the
 * bucket's key prefix: aws/<prefix>/AWSLogs/...), except the IAM exports (aws/iam/) and the LookupEvents
 * exports (aws/lookup-events*.json), which have loaders of their own.
 */
export function trailFilesOf(awsDir: string): string[] {
  const iam = join(awsDir, 'iam');
  return listCloudTrailFiles(awsDir, (p, isDir) => (isDir && p === iam) || (!isDir && dirname(p) === awsDir && LOOKUP_EVENTS_FILE.test(basename(p))));
}

/** Name of an `aws cloudtrail lookup-events` export at the top of aws/ (DESIGN.md §3). */
export const LOOKUP_EVENTS_FILE = /^lookup-events.*\.json$/i;

/** Whether a file starts with the gzip magic bytes (whatever its name says). */
function isGzip(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `read_json` over `files` with `columns`, one reader per compression: gzip is recognised by its magic
 * bytes, not by the name (`.JSON.GZ`, or a gzipped `.json` as some downloads leave it).
 */
function readJson(files: string[], columns: string): string {
  const opts = `filename = true, format = 'unstructured', records = true, maximum_object_size = 1073741824`;
  const gz = files.filter(isGzip);
  const plain = files.filter((f) => !gz.includes(f));
  const list = (fs: string[]) => `[${fs.map(quoteLiteral).join(', ')}]`;
  const parts: [string[], string][] = [[gz, 'gzip'], [plain, 'uncompressed']];
  return parts.filter(([fs]) => fs.length > 0)
    .map(([fs, c]) => `SELECT * FROM read_json(${list(fs)}, columns = ${columns}, compression = '${c}', ${opts})`)
    .join(' UNION ALL ');
}

/** The `read_json` source yielding (source_file, no_records, r) for each file kind. */
function sourceSql(kind: CloudTrailFileKind, files: string[]): string {
  if (kind === 's3') {
    return `SELECT filename AS source_file, Records IS NULL AS no_records, coalesce(len(Records), 0) = 0 AS injected,
        unnest(CASE WHEN Records IS NULL OR len(Records) = 0 THEN [NULL] ELSE Records END) AS r
      FROM (${readJson(files, `{Records: '${RECORD_TYPE}[]'}`)})`;
  }
  return `SELECT source_file, no_records, injected, TRY_CAST(ev.CloudTrailEvent::JSON AS ${RECORD_TYPE}) AS r
    FROM (SELECT filename AS source_file, Events IS NULL AS no_records, coalesce(len(Events), 0) = 0 AS injected,
            unnest(CASE WHEN Events IS NULL OR len(Events) = 0 THEN [NULL] ELSE Events END) AS ev
          FROM (${readJson(files, `{Events: 'STRUCT(EventId VARCHAR, CloudTrailEvent VARCHAR)[]'}`)}))`;
}

/**
 * One aggregating query over all files: the hourly rollup (cloudtrail-rollup.ts, shared with the Trino and
 * Athena path) plus per-file counts (GROUPING SETS).
 */
export function rollupSql(kind: CloudTrailFileKind, files: string[]): string {
  const keys = ROLLUP_KEYS.join(', ');
  return `
    WITH src AS (${sourceSql(kind, files)}),
    x AS (
      -- r IS NULL and eventTime as scalars: aggregates over the whole struct would carry every
      -- record (request bodies included) through the hash table.
      SELECT source_file, no_records, injected, e IS NULL AS r_null, e, ${rollupRecordColumns('duckdb')}
      FROM (SELECT source_file, no_records, injected, r AS e FROM src)
    ),
    y AS (SELECT source_file, no_records, injected, r_null, ${rollupKeyColumns('duckdb')} FROM x)
    SELECT
      GROUPING(source_file) AS g_file,
      source_file,
      any_value(source_file) AS any_file,
      bool_or(no_records) AS no_records,
      count(*) FILTER (WHERE NOT r_null) AS n,
      count(*) FILTER (WHERE r_null AND NOT injected) AS invalid,
      ${rollupAggregates('duckdb')}
    FROM y
    GROUP BY GROUPING SETS ((${keys}), (source_file))`;
}

/** cloudtrail_events' rollup columns (`event_count` is the rollup's `n`). */
export const EVENT_COLUMNS = `event_count, ${ROLLUP_COLUMNS.join(', ')}`;

/**
 * Free-text columns redacted (src/core/redact.ts) as the rollup is materialised, before anything is
 * stored: per rollup row, not per record, and inside the one bulk query.
 */
const REDACTED_COLUMNS = [
  ...['user_agent', 'session_name', 'resource'].map((c) => `${redactSqlText(c)} AS ${c}`),
  ...['request_parameters', 'response_elements'].map((c) => `${redactSqlJson(c)} AS ${c}`),
].join(', ');

/** Name of the file a DuckDB read error points at, if it names one of `files`. */
function blamedFile(message: string, files: string[]): string | undefined {
  const quoted = /file "([^"]+)"/i.exec(message)?.[1];
  if (quoted && files.includes(quoted)) return quoted;
  return files.find((f) => message.includes(f));
}

/**
 * Load CloudTrail files with one aggregating query over all of them. When DuckDB rejects a
 * file, that file is recorded as a coverage gap and the query reruns without it (bisecting
 * when the error names no file); files that yield nothing at all (truncated gzip) and JSON
 * that is not CloudTrail are gaps too. Nothing already loaded is lost.
 */
export async function loadCloudTrail(
  store: Store,
  runId: string,
  kind: CloudTrailFileKind,
  files: string[],
  options: CloudTrailLoadOptions = {},
): Promise<CloudTrailLoadResult> {
  const gaps: CoverageGap[] = [];
  const what = kind === 's3' ? 'CloudTrail log file' : 'LookupEvents export';
  const stage = `ct_stage_${kind.replace('-', '_')}`;
  // Reads (which may fail and are retried without the broken file) fill a connection-local staging
  // table, one batch at a time (a failed read adds nothing); one transaction then moves everything
  // into the store, so a crash never leaves half a load. Rows are copied once, at the commit.
  const rollup = `${stage}_rollup`;
  await store.run(`DROP TABLE IF EXISTS ${rollup}`);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${stage}_acc_files AS SELECT file, run_id, records, status, detail FROM cloudtrail_files LIMIT 0`);

  const good: string[] = [];
  const perFile = new Map<string, number>();
  let records = 0;
  let batches = 0;
  const attempt = async (batch: string[]): Promise<void> => {
    if (batch.length === 0) return;
    try {
      const n = batches + 1;
      const rows = `SELECT ${n} AS batch, * REPLACE (${REDACTED_COLUMNS}) FROM (${rollupSql(kind, batch)})`;
      await store.run(batches === 0 ? `CREATE TEMP TABLE ${rollup} AS ${rows}` : `INSERT INTO ${rollup} ${rows}`);
      batches = n;
      const fileRows = await store.all<{ source_file: string; no_records: boolean; n: number; invalid: number }>(
        `SELECT source_file, no_records, n, invalid FROM ${rollup} WHERE g_file = 0 AND batch = ${n}`,
      );
      const seen = new Set<string>();
      for (const f of fileRows) {
        seen.add(f.source_file);
        perFile.set(f.source_file, f.no_records ? 0 : f.n);
        if (!f.no_records) records += f.n;
        if (f.no_records) gaps.push({ source: f.source_file, detail: `not a ${what}: no ${kind === 's3' ? 'Records' : 'Events'} array; skipped` });
        else if (f.invalid > 0) gaps.push({ source: f.source_file, detail: `${f.invalid} event(s) are not valid CloudTrail JSON; skipped, ${f.n} loaded` });
      }
      for (const file of batch) {
        if (!seen.has(file)) gaps.push({ source: file, detail: `no data could be read (corrupt or truncated gzip, or empty file); skipped` });
        else good.push(file);
      }
    } catch (e) {
      const message = redact(errorMessage(e));
      const bad = blamedFile(message, batch);
      if (bad && batch.length > 1) {
        // DuckDB sometimes blames the wrong file of a multi-file read (format sniffed from a broken
        // neighbour): read the rest without it, then the blamed file on its own to be sure.
        await attempt(batch.filter((f) => f !== bad));
        await attempt([bad]);
      } else if (bad) {
        gaps.push({ source: bad, detail: `unreadable ${what}: ${firstLine(message)}; skipped` });
        await store.run(`INSERT INTO ${stage}_acc_files (file, run_id, records, status, detail) VALUES ($f, $run, 0, 'error', $d)`,
          { f: bad, run: runId, d: firstLine(message) });
      } else if (batch.length > 1) {
        const mid = Math.floor(batch.length / 2);
        await attempt(batch.slice(0, mid));
        await attempt(batch.slice(mid));
      } else {
        const only = batch[0] ?? '?';
        gaps.push({ source: only, detail: `unreadable ${what}: ${firstLine(message)}; skipped` });
      }
    }
  };
  await attempt(files);
  await store.transaction(async () => {
    if (batches > 0) {
      await store.run(`INSERT INTO cloudtrail_events (run_id, source_file, ${EVENT_COLUMNS})
        SELECT $run, any_file, ${EVENT_COLUMNS.replace('event_count', 'n')} FROM ${rollup} WHERE g_file = 1 AND n > 0`, { run: runId });
      await store.run(`INSERT INTO cloudtrail_files (file, run_id, records, status, detail)
        SELECT source_file, $run, n, CASE WHEN no_records THEN 'invalid' ELSE 'ok' END, NULL FROM ${rollup} WHERE g_file = 0`, { run: runId });
    }
    await store.run(`INSERT INTO cloudtrail_files (file, run_id, records, status, detail) SELECT * FROM ${stage}_acc_files`);
    await options.onCommit?.(good.map((file) => ({ file, records: perFile.get(file) ?? 0 })));
  });
  for (const t of [rollup, `${stage}_acc_files`]) await store.run(`DROP TABLE IF EXISTS ${t}`);
  return { files: good.length, records, gaps };
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).trim();
}
