import { closeSync, lstatSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { parseByteSize } from '../kernel/byte-size.js';
import { errorMessage, UsageError } from '../kernel/errors.js';
import { redact, redactSqlJson, redactSqlText } from '../kernel/redact.js';
import type { CoverageGap } from '../kernel/types.js';
import { splitEventsArray } from './json-split.js';
import { ROLLUP_COLUMNS, ROLLUP_KEYS, rollupAggregates, rollupKeyColumns, rollupRecordColumns } from './cloudtrail-rollup.js';
import { RECORD_TYPE } from './cloudtrail-schema.js';
import { isResourceError, quoteLiteral, type Store } from './db.js';

/** Which shape a CloudTrail file has. */
export type CloudTrailFileKind = 's3' | 'lookup-events';

export interface CloudTrailLoadResult {
  files: number;
  /** Records loaded (each event once). */
  records: number;
  gaps: CoverageGap[];
  /** What became of every record read. */
  counts: RecordCounts;
}

export interface CloudTrailLoadOptions {
  /**
   * Called inside the transaction that commits the loaded rows, with every file read (records per
   * file): incremental ingestion records the files there, so rows and bookkeeping commit together.
   */
  onCommit?: (loaded: { file: string; records: number }[]) => Promise<void>;
  /**
   * Read the files in batches of about this many bytes (of gzip: plain JSON counts a tenth of its size; default: defaultBatchBytes), in path order, so one
   * query's hash tables stay bounded however large the trail; the rollup rows of all batches are summed into
   * one row per rollup key as they are stored, as one query over all files would give them.
   */
  batchBytes?: number;
  /** LookupEvents exports larger than this are read in chunks (default SPLIT_BYTES; tests set it low). */
  splitBytes?: number;
}

/** Largest default batch of a CloudTrail load: ~1.5M records of gzipped trail files. */
export const BATCH_BYTES = 128 * 1024 * 1024;

/**
 * The default batch size for DuckDB's memory limit: a 128 MB batch's aggregate does not fit in 700 MB (measured at
 * 10M records: out of memory), a 48 MB one does; so a fourteenth of the limit, between 16 and 128 MB.
 */
export async function defaultBatchBytes(store: Store): Promise<number> {
  const row = await store.one<{ m: string }>(`SELECT current_setting('memory_limit') AS m`).catch(() => undefined);
  const limit = parseByteSize(String(row?.m ?? '').replace(/\s*bytes$/i, ' B'));
  if (limit === undefined) return BATCH_BYTES;
  return Math.round(Math.min(BATCH_BYTES, Math.max(16 * 1024 * 1024, limit / 14)));
}

/**
 * How many times larger CloudTrail JSON is than its gzip (10–17×; 17× in the bench's trail files): a batch holds
 * about as many records whether its files are gzipped or not (a LookupEvents export, a trail synced unzipped).
 */
const GZIP_RATIO = 10;

/** `files` cut, in order, into runs of about `bytes` bytes of gzip (each at least one file; plain JSON counted at its gzipped size). */
export function batchesOf(files: string[], bytes: number): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const f of files) {
    let s = 0;
    try { s = statSync(f).size / (isGzip(f) ? 1 : GZIP_RATIO); } catch { /* unreadable: the read says so */ }
    if (cur.length > 0 && size + s > bytes) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(f);
    size += s;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * The stored rollup rows from the staged rows of every batch: one row per rollup key (and attribution), the
 * counts summed, first/last time the earliest/latest, the detail bodies any one (a detail row's key holds its
 * event id: copies of one event).
 */
function mergedEventColumns(): string {
  const merged: Record<string, string> = { first_time: 'min', last_time: 'max', request_parameters: 'any_value', response_elements: 'any_value' };
  return ROLLUP_COLUMNS.map((c) => {
    if (ROLLUP_KEYS.includes(c)) return c;
    const f = merged[c];
    if (!f) throw new Error(`rollup column ${c}: no rule to merge it across batches`);
    return `${f}(${c}) AS ${c}`;
  }).join(', ');
}

/**
 * Store the staged rollup rows: one read's rows as they are; with several batches, rows of one key from different
 * batches summed. Batches follow the files' path order (account, region, day), so few keys span two batches: the
 * keys several batches hold are found by their `key_hash` alone (a one-column GROUP BY, small in memory), only their
 * rows are grouped by every key column, and every other row is stored as it is. A hash shared by two different keys
 * only sends both to the full grouping, which keeps them apart.
 */
export async function commitRollup(store: Store, rollup: string, runId: string, batches: number): Promise<void> {
  const insert = `INSERT INTO cloudtrail_events (run_id, source_file, ${EVENT_COLUMNS})`;
  const single = `SELECT $run, any_file, ${EVENT_COLUMNS.replace('event_count', 'n')} FROM ${rollup} WHERE g_file = 1 AND n > 0`;
  if (batches === 1) {
    await store.run(`${insert} ${single}`, { run: runId });
    return;
  }
  const shared = `${rollup}_shared`;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${shared} AS SELECT key_hash FROM ${rollup} WHERE g_file = 1 AND n > 0 GROUP BY key_hash HAVING count(*) > 1`);
  try {
    await store.run(`${insert} ${single} AND key_hash NOT IN (SELECT key_hash FROM ${shared})`, { run: runId });
    await store.run(`${insert} SELECT $run, any_value(any_file), sum(n), ${mergedEventColumns()} FROM ${rollup}
      WHERE g_file = 1 AND n > 0 AND key_hash IN (SELECT key_hash FROM ${shared}) GROUP BY ${ROLLUP_KEYS.join(', ')}, anonymous`, { run: runId });
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${shared}`);
  }
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
function readJson(files: string[], columns: string, objectSize: ObjectSize = 'fit'): string {
  const opts = `filename = true, format = 'unstructured', records = true`;
  const gz = files.filter(isGzip);
  const plain = files.filter((f) => !gz.includes(f));
  const list = (fs: string[]) => `[${fs.map(quoteLiteral).join(', ')}]`;
  const parts: [string[], string][] = [[gz, 'gzip'], [plain, 'uncompressed']];
  return parts.filter(([fs]) => fs.length > 0)
    .map(([fs, c]) => `SELECT * FROM read_json(${list(fs)}, columns = ${columns}, compression = '${c}', ${opts}, maximum_object_size = ${objectSize === 'max' ? MAX_OBJECT : fittingObjectSize(fs, c === 'gzip')})`)
    .join(' UNION ALL ');
}

/**
 * `max`: read_json's maximum_object_size at 1 GiB (each file is one JSON object, so this bounds a file);
 * `fit`: just above the largest file of the read (its size, or for gzip the uncompressed size its trailer
 * gives). read_json reserves a buffer of twice this for each file it reads at a time, all of it counted
 * against DuckDB's memory limit: at 1 GiB, two threads reserve 4 GiB to read files of 1 MB.
 */
type ObjectSize = 'fit' | 'max';
/** LookupEvents exports larger than this are read in chunks. */
const SPLIT_BYTES = 64 * 1024 * 1024;
const MAX_OBJECT = 1024 * 1024 * 1024;
const MIN_OBJECT = 16 * 1024 * 1024;

function fittingObjectSize(files: string[], gzip: boolean): number {
  let largest = 0;
  for (const f of files) {
    let size: number;
    try {
      size = statSync(f).size;
      if (gzip) {
        // ISIZE, the last 4 bytes: the uncompressed size modulo 2^32 (of the last member). Smaller than the
        // compressed file means it wrapped or is not the whole story: read at the maximum.
        const fd = openSync(f, 'r');
        const tail = Buffer.alloc(4);
        try { readSync(fd, tail, 0, 4, Math.max(0, size - 4)); } finally { closeSync(fd); }
        const isize = tail.readUInt32LE(0);
        if (isize + 65536 < size) return MAX_OBJECT;
        size = isize;
      }
    } catch {
      return MAX_OBJECT;
    }
    largest = Math.max(largest, size);
  }
  return Math.min(MAX_OBJECT, Math.max(MIN_OBJECT, largest + 1024 * 1024));
}

/** Whether a read failed because a JSON object was larger than maximum_object_size. */
function isObjectSizeError(message: string): boolean {
  return /maximum_object_size/i.test(message);
}

/**
 * How a file is read. `fast`: every record straight into the typed struct (one bad record fails the
 * read, and the file is read again `careful`ly). `careful`: each record as JSON first, so a record that
 * is not an object or does not fit the struct is counted and skipped alone. `repaired`: a careful read of
 * a copy whose invalid UTF-8 was replaced (U+FFFD); records holding a replacement character are skipped.
 */
type ReadMode = 'fast' | 'careful' | 'repaired';

/** Why a record was not loaded (run.counts.skipped; README "What is counted as skipped"). */
export const SKIP_REASONS = ['not_an_object', 'invalid_record', 'invalid_utf8', 'missing_event_time', 'invalid_event_time'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What a load did with the records of its files; every record read is loaded, a duplicate, or skipped. */
export interface RecordCounts {
  /** Records found in files that could be read. */
  read: number;
  /** Records in the store's rollup (each event once). */
  loaded: number;
  /** Records dropped as copies of an event already loaded (same eventID and recipientAccountId). */
  duplicates: number;
  /** Loaded records without a userIdentity to attribute them to (no principal: no identity, no finding). */
  unattributable: number;
  /** Records skipped, by reason. */
  skipped: Record<SkipReason, number>;
  /** Files that could not be read at all (or are not CloudTrail); their records are unknown. */
  files_skipped: number;
}

/** All zero. */
export function emptyRecordCounts(): RecordCounts {
  return { read: 0, loaded: 0, duplicates: 0, unattributable: 0, skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>, files_skipped: 0 };
}

/** a += b, field by field. */
export function addRecordCounts(a: RecordCounts, b: RecordCounts): RecordCounts {
  a.read += b.read; a.loaded += b.loaded; a.duplicates += b.duplicates; a.unattributable += b.unattributable; a.files_skipped += b.files_skipped;
  for (const r of SKIP_REASONS) a.skipped[r] += b.skipped[r];
  return a;
}

/** The character invalid UTF-8 is replaced by in a repaired copy. */
const REPLACEMENT = '\uFFFD';

/**
 * The source yielding (source_file, no_records, injected, bad, r) for each file kind: `r` the record as
 * RECORD_TYPE, `bad` the skip reason when the record is not one (careful reads only). `rename` maps a
 * repaired copy's path back to the file it was made from.
 */
function sourceSql(kind: CloudTrailFileKind, files: string[], mode: ReadMode, rename: Map<string, string> = new Map(), objectSize: ObjectSize = 'fit'): string {
  const array = kind === 's3' ? 'Records' : 'Events';
  const file = rename.size === 0 ? 'filename'
    : `CASE filename ${[...rename].map(([from, to]) => `WHEN ${quoteLiteral(from)} THEN ${quoteLiteral(to)}`).join(' ')} ELSE filename END`;
  const element = mode === 'fast' && kind === 's3' ? `${RECORD_TYPE}[]` : mode === 'fast' ? 'STRUCT(CloudTrailEvent VARCHAR)[]' : 'JSON[]';
  const rows = `SELECT ${file} AS source_file, ${array} IS NULL AS no_records, coalesce(len(${array}), 0) = 0 AS injected,
      unnest(CASE WHEN ${array} IS NULL OR len(${array}) = 0 THEN [NULL] ELSE ${array} END) AS e
    FROM (${readJson(files, `{${array}: '${element}'}`, objectSize)})`;
  if (mode === 'fast' && kind === 's3') return `SELECT source_file, no_records, injected, NULL::VARCHAR AS bad, e AS r FROM (${rows})`;
  // j: the record as JSON (a LookupEvents entry carries it as a string in CloudTrailEvent); a JSON null
  // entry of Records is SQL NULL, a CloudTrailEvent that does not parse is NULL too.
  const j = kind === 's3' ? 'e' : mode === 'fast' ? 'TRY_CAST(e.CloudTrailEvent AS JSON)' : `TRY_CAST(json_extract_string(e, '$.CloudTrailEvent') AS JSON)`;
  const utf8 = mode === 'repaired' ? `WHEN contains(j::VARCHAR, '${REPLACEMENT}') THEN 'invalid_utf8'` : '';
  return `SELECT source_file, no_records, injected,
      CASE WHEN injected THEN NULL WHEN j IS NULL THEN '${kind === 's3' ? 'not_an_object' : 'invalid_record'}' WHEN json_type(j) <> 'OBJECT' THEN 'not_an_object' ${utf8}
        WHEN r IS NULL THEN 'invalid_record' END AS bad, r
    FROM (SELECT *, CASE WHEN json_type(j) = 'OBJECT' THEN TRY_CAST(j AS ${RECORD_TYPE}) END AS r
          FROM (SELECT source_file, no_records, injected, ${j} AS j FROM (${rows})))`;
}

/**
 * One aggregating query over all files (GROUPING SETS): the hourly rollup (cloudtrail-rollup.ts, shared with
 * the Trino and Athena path), and per file its counts and the keys (hash of eventID + recipientAccountId) of
 * its records. Each record gets a state: `ok`, a skip reason, or `duplicate` when its key is in `priorKeys`
 * (relations of keys loaded before: `table` or `table WHERE …`); only `ok` records have a time and a detail
 * flag, so only they reach the rollup's aggregates. With `distinct`, copies among the files read here (which
 * fall into the same rollup group) are counted once; without it (cheaper, and exact when the keys show no
 * copies) every record counts.
 */
export function rollupSql(kind: CloudTrailFileKind, files: string[], mode: ReadMode = 'fast', priorKeys: string[] = [], rename?: Map<string, string>, distinct = false, objectSize: ObjectSize = 'fit', loadKeys?: string): string {
  const keys = ROLLUP_KEYS.join(', ');
  const prior = priorKeys.map((t) => `event_key IN (SELECT event_key FROM ${t})`).join(' OR ') || 'false';
  return `
    WITH src AS (${sourceSql(kind, files, mode, rename, objectSize)}),
    x0 AS (
      SELECT source_file, no_records, injected, bad, e, ${rollupRecordColumns('duckdb')}
      FROM (SELECT source_file, no_records, injected, bad, r AS e FROM src)
    ),
    x1 AS (
      SELECT *, CASE WHEN injected THEN 'none' WHEN bad IS NOT NULL THEN bad
          WHEN coalesce(e.eventtime, e."@timestamp") IS NULL THEN 'missing_event_time'
          WHEN t IS NULL OR t < TIMESTAMP '2005-01-01' OR t >= TIMESTAMP '2100-01-01' THEN 'invalid_event_time'
          WHEN ${prior} THEN 'duplicate' ${loadKeys ? `WHEN event_key IN (SELECT event_key FROM ${loadKeys}) THEN 'duplicate_load'` : ''} ELSE 'ok' END AS state
      FROM (SELECT *, CASE WHEN e.eventid IS NOT NULL THEN hash(e.eventid, coalesce(e.recipientaccountid, '')) END AS event_key FROM x0)
    ),
    x AS (
      -- state, time and key as scalars: aggregates over the whole struct would carry every record
      -- (request bodies included) through the hash table.
      SELECT source_file, no_records, injected, state, event_key, e.useridentity IS NULL AS anonymous, e,
        CASE WHEN state = 'ok' THEN t END AS t, state = 'ok' AND is_detail AS is_detail, rpv
      FROM x1
    ),
    y AS (SELECT source_file, no_records, injected, state, event_key, anonymous, ${rollupKeyColumns('duckdb')} FROM x)
    SELECT
      GROUPING(source_file) AS g_file,
      source_file,
      any_value(source_file) FILTER (WHERE state = 'ok') AS any_file,
      bool_or(no_records) AS no_records,
      ${distinct ? `count(DISTINCT event_key) FILTER (WHERE state = 'ok') + count(*) FILTER (WHERE state = 'ok' AND event_key IS NULL)` : `count(*) FILTER (WHERE state = 'ok')`} AS n,
      list(event_key) FILTER (WHERE state = 'ok' AND event_key IS NOT NULL) AS keys,
      count(*) FILTER (WHERE NOT injected) AS read,
      count(*) FILTER (WHERE state = 'ok') AS ok_rows,
      count(*) FILTER (WHERE state = 'ok' AND anonymous) AS no_identity,
      count(*) FILTER (WHERE state IN ('duplicate', 'duplicate_load')) AS prior_duplicates,
      count(*) FILTER (WHERE state = 'duplicate_load') AS load_duplicates,
      ${SKIP_REASONS.map((reason) => `count(*) FILTER (WHERE state = '${reason}') AS ${reason}`).join(', ')},
      anonymous,
      ${rollupAggregates('duckdb')}
    FROM y
    GROUP BY GROUPING SETS ((${keys}, anonymous), (source_file))`;
}

/** cloudtrail_events' rollup columns (`event_count` is the rollup's `n`). */
export const EVENT_COLUMNS = `event_count, ${ROLLUP_COLUMNS.join(', ')}`;

/**
 * Free-text columns redacted (src/kernel/redact.ts) as the rollup is materialised, before anything is
 * stored: per rollup row, not per record, and inside the one bulk query.
 */
export const REDACTED_COLUMNS = [
  ...['user_agent', 'session_name', 'resource'].map((c) => `${redactSqlText(c)} AS ${c}`),
  ...['request_parameters', 'response_elements'].map((c) => `${redactSqlJson(c)} AS ${c}`),
].join(', ');

/** Name of the file a DuckDB read error points at, if it names one of `files`. */
function blamedFile(message: string, files: string[]): string | undefined {
  const quoted = /file "([^"]+)"/i.exec(message)?.[1];
  if (quoted && files.includes(quoted)) return quoted;
  return files.find((f) => message.includes(f));
}

/** Whether a DuckDB read error is about invalid UTF-8 (the file is then read from a repaired copy). */
function isUtf8Error(message: string): boolean {
  return /invalid UTF-8|invalid unicode|byte sequence mismatch/i.test(message);
}

/**
 * A copy of `file` (decompressed) with each invalid UTF-8 sequence replaced by U+FFFD, in a private
 * temporary folder; undefined when the file has none (the read failed for another reason).
 */
function repairedCopy(file: string, dir: string): string | undefined {
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    const copy = join(dir, `${String(readdirSync(dir).length)}.json`);
    writeFileSync(copy, new TextDecoder('utf-8').decode(bytes), { mode: 0o600 });
    return copy;
  }
}

/** The gap text for a file some of whose records were skipped, duplicates or cannot be attributed, or undefined. */
function fileGapDetail(f: FileRow, duplicates = 0): string | undefined {
  const parts: string[] = [];
  const label: Record<SkipReason, string> = {
    not_an_object: 'not a JSON object', invalid_record: 'not CloudTrail-shaped (a field of the wrong type)',
    invalid_utf8: 'invalid UTF-8', missing_event_time: 'no eventTime', invalid_event_time: 'unparseable or out-of-range eventTime',
  };
  const skipped = SKIP_REASONS.reduce((a, r) => a + Number(f[r]), 0);
  for (const r of SKIP_REASONS) if (Number(f[r]) > 0) parts.push(`${f[r]} ${label[r]}`);
  const out: string[] = [];
  if (skipped > 0) out.push(`${skipped} of ${f.read} record(s) skipped (${parts.join(', ')})`);
  if (duplicates > 0) out.push(`${duplicates} of ${f.read} record(s) duplicates of records already loaded (same eventID and recipientAccountId: a copied file, overlapping exports or redelivery), dropped`);
  if (Number(f.no_identity) > 0) out.push(`${f.no_identity} record(s) loaded without a userIdentity: counted, attributed to no identity`);
  return out.length > 0 ? `${out.join('; ')}; the rest loaded` : undefined;
}

interface FileRow extends Record<SkipReason, number> {
  source_file: string; no_records: boolean; read: number; ok_rows: number; no_identity: number; prior_duplicates: number; load_duplicates: number;
}

/**
 * Load CloudTrail files with one aggregating query over all of them. When DuckDB rejects a file,
 * the query reruns without it (bisecting when the error names no file) and the file is read again
 * carefully, record by record as JSON, so one bad record costs only itself; a file with invalid UTF-8
 * is read from a repaired copy. Skipped records are counted per file and reason and named in the
 * gaps; files that yield nothing (truncated gzip) or are not CloudTrail are gaps. Records already
 * loaded (same eventID + recipientAccountId, in the store's key table or earlier in this load) are
 * counted as duplicates and not loaded again. Nothing already loaded is lost.
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
  const keys = `${stage}_keys`;
  // The staged keys name their file by a number (its rank by path, per batch: min(file) is the first file by
  // path, as min(source_file) would be), not by its path: ~10 bytes a key instead of ~160 (10M keys at 10M records).
  const fileIds = `${stage}_file_ids`;
  await store.run(`DROP TABLE IF EXISTS ${rollup}`);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${stage}_acc_files AS SELECT file, run_id, records, status, detail FROM cloudtrail_files LIMIT 0`);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${keys} (event_key UBIGINT, file_id INTEGER, event_hour TIMESTAMP, batch INTEGER)`);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${fileIds} (file_id INTEGER, source_file VARCHAR, batch INTEGER)`);

  const good: string[] = [];
  const perFile = new Map<string, number>();
  const counts = emptyRecordCounts();
  let batches = 0;
  let repairDir: string | undefined;
  // A large LookupEvents export is one JSON object (1.7 GB at 10M records), which read_json would hold whole: it is
  // read as chunk files of its Events (json-split.ts). Each chunk is a unit of reading like a file, so an export of any
  // size is read in bounded batches, and a bad record costs a careful read of its chunk, not of the export; what a
  // chunk yields is named back to its export (counts, gaps and stored rows) once the reads are done.
  let splitDir: string | undefined;
  const split = new Map<string, [string, string][]>();
  const chunksOf = (file: string): [string, string][] => {
    let chunks = split.get(file);
    if (!chunks) {
      chunks = [];
      try {
        if (kind === 'lookup-events' && statSync(file).size > (options.splitBytes ?? SPLIT_BYTES) && !isGzip(file)) {
          splitDir ??= mkdtempSync(join(tmpdir(), 'shadowscan-split-'));
          const dir = mkdtempSync(join(splitDir, 'f'));
          const parts = splitEventsArray(file, dir, 'Events', Math.min(32 * 1024 * 1024, Math.max(1, Math.floor((options.splitBytes ?? SPLIT_BYTES) / 2))));
          if (parts) chunks = parts.map((c) => [c, file]);
          else rmSync(dir, { recursive: true, force: true });
        }
      } catch {
        chunks = []; // read the file as it is
      }
      split.set(file, chunks);
    }
    return chunks;
  };
  // An error naming a chunk names its export.
  const unchunk = (message: string): string => {
    let m = message;
    for (const chunks of split.values()) for (const [c, f] of chunks) m = m.replaceAll(c, f);
    return m;
  };
  const origin = new Map<string, string>();
  const units = files.flatMap((f) => {
    const chunks = chunksOf(f);
    for (const [chunk] of chunks) origin.set(chunk, f);
    return chunks.length > 0 ? chunks.map(([chunk]) => chunk) : [f];
  });
  const nameOf = (unit: string): string => origin.get(unit) ?? unit;
  const origins = `${stage}_origins`;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${origins} (unit VARCHAR, file VARCHAR)`);
  await store.append(origins, ['unit', 'file'], [...origin]);
  // Files (an export, once for all its chunks) counted as skipped, and exports some chunk of which was not read.
  const skippedFiles = new Set<string>();
  const incomplete = new Set<string>();
  const skipFile = (unit: string): void => {
    const name = nameOf(unit);
    if (name !== unit) incomplete.add(name);
    if (!skippedFiles.has(name)) counts.files_skipped++;
    skippedFiles.add(name);
  };
  // The file rows of an export's chunks, summed, and the duplicates among them: its gap is written when all are read.
  const chunked = new Map<string, { row: FileRow; duplicates: number }>();
  const unreadable = async (unit: string, message: string): Promise<void> => {
    skipFile(unit);
    const file = nameOf(unit);
    const line = firstLine(unchunk(message));
    gaps.push({ source: file, detail: `unreadable ${what}: ${line}; skipped` });
    await store.run(`INSERT INTO ${stage}_acc_files (file, run_id, records, status, detail) VALUES ($f, $run, 0, 'error', $d)`,
      { f: file, run: runId, d: line });
  };
  // Set once a batch of this load held records loaded before it (overlapping trails, a LookupEvents export of a logged
  // account): from then on every batch is read with the check at once, not read twice.
  let overlaps = false;
  const read = async (batch: string[], mode: ReadMode, rename: Map<string, string> = new Map()): Promise<void> => {
    const n = batches + 1;
    const copiesOf = (f: string): string[] => { const c = [...rename].filter(([, to]) => to === f).map(([from]) => from); return c.length > 0 ? c : [f]; };
    const paths = batch.flatMap(copiesOf);
    let objectSize: ObjectSize = 'fit';
    // the keys list is kept for the file rows only (the rollup rows' lists hold the same keys again)
    // key_hash: one number for a rollup row's key (as stored, after redaction), so the commit finds the keys that
    // several batches hold by grouping one column, not every key column with the rows' bodies (see commitRollup).
    // The batch is read first without checking each record against the keys loaded before it (that check hashes every
    // earlier key, for every batch: the store's keys in a daemon, the trail's keys for a LookupEvents export); only
    // when one of its keys turns out to be loaded already is it read again with the check.
    let checkPrior = overlaps;
    const rows = (distinct: boolean) => `SELECT *, CASE WHEN g_file = 1 THEN hash(${ROLLUP_KEYS.join(', ')}, anonymous) END AS key_hash
      FROM (SELECT ${n} AS batch, * REPLACE (${REDACTED_COLUMNS}, CASE WHEN g_file = 0 THEN keys END AS keys)
        FROM (${rollupSql(kind, paths, mode, checkPrior ? ['cloudtrail_event_keys'] : [], rename, distinct, objectSize, checkPrior ? `${keys} WHERE batch < ${n}` : undefined)}))`;
    const insert = async (): Promise<void> => {
      await store.run(batches === 0 ? `CREATE TEMP TABLE ${rollup} AS ${rows(false)}` : `INSERT INTO ${rollup} ${rows(false)}`);
      batches = n;
    };
    try {
      await insert();
    } catch (e) {
      if (!isObjectSizeError(errorMessage(e))) throw e;
      objectSize = 'max';
      await insert();
    }
    // A file read short of its size (a gzip whose trailer undersells it) may come back without its records
    // array: read the batch again at the maximum object size, so that only what the file holds decides.
    if (objectSize === 'fit') {
      const odd = await store.one<{ n: number; files: number }>(`SELECT count(*) FILTER (WHERE no_records) AS n, count(*) AS files FROM ${rollup} WHERE batch = ${n} AND g_file = 0`);
      const files = Number(odd?.files ?? 0);
      if (Number(odd?.n ?? 0) > 0 || files < batch.length) {
        await store.run(`DELETE FROM ${rollup} WHERE batch = ${n}`);
        objectSize = 'max';
        await store.run(`INSERT INTO ${rollup} ${rows(false)}`);
      }
    }
    // joins with the batch's keys on the smaller side, so each check reads the earlier keys once instead of hashing them
    const batchKeys = `(SELECT unnest(keys) AS event_key FROM ${rollup} WHERE batch = ${n} AND g_file = 0)`;
    const loadedBefore = checkPrior ? undefined : await store.one<{ n: number }>(`SELECT (SELECT count(*) FROM ${batchKeys} b JOIN cloudtrail_event_keys p USING (event_key))
      + (SELECT count(*) FROM ${batchKeys} b JOIN ${keys} p USING (event_key)) AS n`);
    if (Number(loadedBefore?.n ?? 0) > 0) {
      await store.run(`DELETE FROM ${rollup} WHERE batch = ${n}`);
      checkPrior = true;
      overlaps = true;
      await store.run(`INSERT INTO ${rollup} ${rows(false)}`);
    }
    // The batch's distinct keys; fewer than its keyed records means copies among these files (rare),
    // which are then read again counting each event once.
    const before = await store.one<{ n: number }>(`SELECT count(*) AS n FROM ${keys}`);
    // a key read twice here is owned by the first file holding it (path order); the other copies are that file's duplicates
    // (a chunk ranks by its export's path, then its own)
    await store.run(`INSERT INTO ${fileIds} SELECT (SELECT coalesce(max(file_id), 0) FROM ${fileIds}) + row_number() OVER (ORDER BY coalesce(o.file, r.source_file), r.source_file), r.source_file, ${n}
      FROM ${rollup} r LEFT JOIN ${origins} o ON o.unit = r.source_file WHERE r.batch = ${n} AND r.g_file = 0`);
    await store.run(`INSERT INTO ${keys} SELECT event_key, min(file_id), date_trunc('hour', max(last_time)), ${n}
      FROM (SELECT f.file_id, unnest(r.keys) AS event_key, r.last_time FROM ${rollup} r JOIN ${fileIds} f ON f.batch = ${n} AND f.source_file = r.source_file
            WHERE r.batch = ${n} AND r.g_file = 0) GROUP BY event_key`);
    const counted = await store.one<{ keyed: number; distinct: number }>(
      `SELECT (SELECT coalesce(sum(len(keys)), 0) FROM ${rollup} WHERE batch = ${n} AND g_file = 0) AS keyed, (SELECT count(*) FROM ${keys}) - $before AS distinct`,
      { before: Number(before?.n ?? 0) });
    const copies = new Map<string, number>();
    if (Number(counted?.keyed ?? 0) > Number(counted?.distinct ?? 0)) {
      await store.run(`DELETE FROM ${rollup} WHERE batch = ${n}`);
      await store.run(`INSERT INTO ${rollup} ${rows(true)}`);
      // per file: its keyed records minus the keys it owns
      for (const c of await store.all<{ source_file: string; copies: number }>(`SELECT r.source_file, len(r.keys) - coalesce(o.owned, 0) AS copies
          FROM ${rollup} r LEFT JOIN (SELECT f.source_file, count(*) AS owned FROM ${keys} k JOIN ${fileIds} f USING (file_id) WHERE k.batch = ${n} GROUP BY f.source_file) o USING (source_file)
          WHERE r.batch = ${n} AND r.g_file = 0 AND r.keys IS NOT NULL`)) {
        if (Number(c.copies) > 0) copies.set(c.source_file, Number(c.copies));
      }
    }
    // The batch's keys are in the key table now: its file rows' lists are not needed again (they held every key).
    await store.run(`UPDATE ${rollup} SET keys = NULL WHERE batch = ${n} AND g_file = 0`);
    const batchTotals = await store.one<{ loaded: number; unattributable: number }>(
      `SELECT coalesce(sum(n), 0) AS loaded, coalesce(sum(n) FILTER (WHERE anonymous), 0) AS unattributable
       FROM ${rollup} WHERE batch = ${n} AND g_file = 1 AND n > 0`);
    const fileRows = await store.all<FileRow>(`SELECT source_file, no_records, read, ok_rows, no_identity, prior_duplicates, load_duplicates, ${SKIP_REASONS.join(', ')}
      FROM ${rollup} WHERE g_file = 0 AND batch = ${n}`);
    const seen = new Set<string>();
    let okRows = 0;
    for (const f of fileRows) {
      seen.add(f.source_file);
      const name = nameOf(f.source_file);
      if (f.no_records) {
        skipFile(f.source_file);
        gaps.push({ source: name, detail: `not a ${what}: no ${kind === 's3' ? 'Records' : 'Events'} array; skipped` });
        continue;
      }
      // a file's records: those not loaded before this load (copies among its files count, as in one read)
      perFile.set(name, (perFile.get(name) ?? 0) + Number(f.ok_rows) + Number(f.load_duplicates));
      okRows += Number(f.ok_rows);
      counts.read += Number(f.read);
      counts.duplicates += Number(f.prior_duplicates);
      for (const r of SKIP_REASONS) counts.skipped[r] += Number(f[r]);
      const duplicates = Number(f.prior_duplicates) + (copies.get(f.source_file) ?? 0);
      if (name !== f.source_file) {
        const sum = chunked.get(name) ?? { row: { ...f, source_file: name, read: 0, ok_rows: 0, no_identity: 0, prior_duplicates: 0, load_duplicates: 0, ...Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) } as FileRow, duplicates: 0 };
        for (const k of ['read', 'ok_rows', 'no_identity', 'prior_duplicates', 'load_duplicates', ...SKIP_REASONS] as const) sum.row[k] += Number(f[k]);
        sum.duplicates += duplicates;
        chunked.set(name, sum);
        continue;
      }
      const detail = fileGapDetail(f, duplicates);
      if (detail) gaps.push({ source: name, detail });
    }
    // Copies among this batch's files share a rollup group and were counted once there.
    counts.loaded += Number(batchTotals?.loaded ?? 0);
    counts.unattributable += Number(batchTotals?.unattributable ?? 0);
    counts.duplicates += okRows - Number(batchTotals?.loaded ?? 0);
    for (const file of batch) {
      if (!seen.has(file)) {
        skipFile(file);
        gaps.push({ source: nameOf(file), detail: `no data could be read (corrupt or truncated gzip, or empty file); skipped` });
      } else good.push(file);
    }
  };
  const attempt = async (batch: string[]): Promise<void> => {
    if (batch.length === 0) return;
    try {
      await read(batch, 'fast');
    } catch (e) {
      const message = redact(errorMessage(e));
      stopOnResourceError(unchunk(message), batch.map(nameOf), e);
      const bad = blamedFile(message, batch);
      if (bad && batch.length > 1) {
        // DuckDB sometimes blames the wrong file of a multi-file read (format sniffed from a broken
        // neighbour): read the rest without it, then the blamed file on its own to be sure.
        await attempt(batch.filter((f) => f !== bad));
        await attempt([bad]);
      } else if (batch.length > 1) {
        const mid = Math.floor(batch.length / 2);
        await attempt(batch.slice(0, mid));
        await attempt(batch.slice(mid));
      } else {
        await carefully(batch[0] ?? '?', message);
      }
    }
  };
  // One file the fast read rejected: record by record as JSON, then from a repaired copy if its UTF-8 is broken.
  const carefully = async (file: string, fastError: string): Promise<void> => {
    try {
      await read([file], 'careful');
      return;
    } catch (e) {
      const message = redact(errorMessage(e));
      stopOnResourceError(unchunk(message), [nameOf(file)], e);
      if (!isUtf8Error(message)) return unreadable(file, blamedFile(message, [file]) ? message : fastError);
    }
    try {
      repairDir ??= mkdtempSync(join(tmpdir(), 'shadowscan-utf8-'));
      const copy = repairedCopy(file, repairDir);
      if (!copy) return unreadable(file, fastError);
      await read([file], 'repaired', new Map([[copy, file]]));
    } catch (e) {
      stopOnResourceError(unchunk(redact(errorMessage(e))), [nameOf(file)], e);
      await unreadable(file, redact(errorMessage(e)).replaceAll(repairDir ?? '', ''));
    }
  };
  try {
    for (const batch of batchesOf(units, options.batchBytes ?? await defaultBatchBytes(store))) await attempt(batch);
  } finally {
    if (repairDir) rmSync(repairDir, { recursive: true, force: true });
    if (splitDir) rmSync(splitDir, { recursive: true, force: true });
  }
  for (const { row, duplicates } of chunked.values()) {
    const detail = fileGapDetail(row, duplicates);
    if (detail) gaps.push({ source: row.source_file, detail });
  }
  // What the chunks yielded is the export's: its rows, keys and file row carry its path.
  const readFiles = [...new Set(good.map(nameOf))].filter((f) => !incomplete.has(f));
  if (origin.size > 0 && batches > 0) {
    await store.run(`UPDATE ${rollup} SET any_file = o.file FROM ${origins} o WHERE any_file = o.unit`);
    await store.run(`UPDATE ${rollup} SET source_file = o.file FROM ${origins} o WHERE source_file = o.unit`);
    await store.run(`UPDATE ${fileIds} SET source_file = o.file FROM ${origins} o WHERE source_file = o.unit`);
    // a key's hour is its file's latest hour (a bound for dropping keys that left the window): the export's, not its chunk's
    await store.run(`UPDATE ${keys} SET event_hour = greatest(${keys}.event_hour, x.h) FROM (
        SELECT f.file_id, h.h FROM ${fileIds} f JOIN (SELECT source_file, date_trunc('hour', max(last_time)) AS h FROM ${rollup} WHERE g_file = 0 GROUP BY source_file) h USING (source_file)
        WHERE f.source_file IN (SELECT file FROM ${origins})) x WHERE ${keys}.file_id = x.file_id`);
  }
  await store.transaction(async () => {
    if (batches > 0) {
      await commitRollup(store, rollup, runId, batches);
      await store.run(`INSERT INTO cloudtrail_files (file, run_id, records, status, detail)
        SELECT source_file, $run, sum(ok_rows + load_duplicates), CASE WHEN bool_or(no_records) THEN 'invalid' ELSE 'ok' END, NULL FROM ${rollup} WHERE g_file = 0
        GROUP BY source_file`, { run: runId });
    }
    await store.run(`INSERT INTO cloudtrail_event_keys (event_key, source_file, event_hour) SELECT k.event_key, f.source_file, k.event_hour FROM ${keys} k JOIN ${fileIds} f USING (file_id)`);
    await store.run(`INSERT INTO cloudtrail_files (file, run_id, records, status, detail) SELECT * FROM ${stage}_acc_files`);
    await options.onCommit?.(readFiles.map((file) => ({ file, records: perFile.get(file) ?? 0 })));
  });
  for (const t of [rollup, keys, fileIds, origins, `${stage}_acc_files`]) await store.run(`DROP TABLE IF EXISTS ${t}`);
  return { files: readFiles.length, records: counts.loaded, gaps, counts };
}

/**
 * Out of memory or disk says nothing about the files: calling each one unreadable would report a full trail as
 * 0 records and a gap per file. Stop the load, say why and what to change; nothing from this load is stored.
 */
function stopOnResourceError(message: string, batch: string[], cause: unknown): void {
  if (!isResourceError(message)) return;
  throw new UsageError(`loading CloudTrail (${batch.length} file(s), from ${batch[0] ?? '?'}): DuckDB ran out of memory or disk: ${firstLine(message)}; `
    + 'give it more (SHADOWSCAN_MEMORY_LIMIT, free disk for its temp files), use fewer threads (SHADOWSCAN_THREADS) or a shorter --lookback; no CloudTrail records from this load were stored', { cause });
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).trim();
}
