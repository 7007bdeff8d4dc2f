import { statSync } from 'node:fs';
import { addRecordCounts, emptyRecordCounts, loadCloudTrail, type CloudTrailFileKind, type CloudTrailLoadResult } from './load-cloudtrail.js';
import { quoteLiteral, type Store } from './db.js';

/** Incremental load: totals over everything ingested so far, and what this call added (`counts`: the files this call read). */
export interface IngestResult extends CloudTrailLoadResult {
  /** Files read by this call (new or changed since they were ingested). */
  new_files: number;
  /** Records those files added. */
  new_records: number;
}

/** Files per transaction: one query over many files is fast (DESIGN.md §4); a crash loses one batch at most. */
const BATCH = 2000;

/** Options of an incremental load. */
export interface IngestOptions {
  /** Stop between batches when aborted. */
  signal?: AbortSignal;
  /** Called inside each batch's transaction, just before it commits (tests kill the process there). */
  beforeCommit?: () => Promise<void>;
}

interface Seen { size: number; mtime_ms: number }

/**
 * Load only the CloudTrail files not ingested before, identified by path + size + mtime (a file that
 * changed is dropped and read again). The file bookkeeping commits in the same transaction as the
 * file's rows, so a crash at any point leaves either both or neither: the next run neither skips nor
 * double-counts a file. Unreadable files are not recorded, so every run retries and reports them.
 */
export async function ingestCloudTrail(store: Store, runId: string, kind: CloudTrailFileKind, files: string[], opts: IngestOptions = {}): Promise<IngestResult> {
  const known = new Map((await store.all<Seen & { path: string }>(
    'SELECT path, size, mtime_ms FROM ingested_files WHERE kind = $k', { k: kind })).map((r) => [r.path, r]));
  const todo: { file: string; size: number; mtime_ms: number }[] = [];
  const changed: string[] = [];
  for (const file of files) {
    let st;
    try { st = statSync(file); } catch { continue; }
    const cur = { file, size: st.size, mtime_ms: Math.floor(st.mtimeMs) };
    const prev = known.get(file);
    if (prev && prev.size === cur.size && prev.mtime_ms === cur.mtime_ms) continue;
    if (prev) changed.push(file);
    todo.push(cur);
  }
  if (changed.length > 0) {
    const list = changed.map(quoteLiteral).join(', ');
    await store.transaction(async () => {
      await store.run(`DELETE FROM cloudtrail_events WHERE source_file IN (${list})`);
      await store.run(`DELETE FROM cloudtrail_files WHERE file IN (${list})`);
      await store.run(`DELETE FROM cloudtrail_event_keys WHERE source_file IN (${list})`);
      await store.run(`DELETE FROM ingested_files WHERE kind = $k AND path IN (${list})`, { k: kind });
    });
  }
  const result: IngestResult = { files: 0, records: 0, gaps: [], counts: emptyRecordCounts(), new_files: 0, new_records: 0 };
  const meta = new Map(todo.map((t) => [t.file, t]));
  for (let i = 0; i < todo.length; i += BATCH) {
    opts.signal?.throwIfAborted();
    const batch = todo.slice(i, i + BATCH).map((t) => t.file);
    const r = await loadCloudTrail(store, runId, kind, batch, {
      onCommit: async (loaded) => {
        const now = new Date();
        await store.append('ingested_files', ['path', 'kind', 'size', 'mtime_ms', 'run_id', 'records', 'status', 'ingested_at'],
          loaded.map((l) => [l.file, kind, meta.get(l.file)?.size ?? 0, meta.get(l.file)?.mtime_ms ?? 0, runId, l.records, 'ok', now]));
        await opts.beforeCommit?.();
      },
    });
    result.gaps.push(...r.gaps);
    addRecordCounts(result.counts, r.counts);
    result.new_files += r.files;
    result.new_records += r.records;
  }
  const total = await store.one<{ files: number; records: number }>(
    'SELECT count(*) AS files, coalesce(sum(records), 0) AS records FROM ingested_files WHERE kind = $k', { k: kind });
  result.files = total?.files ?? 0;
  result.records = total?.records ?? 0;
  return result;
}
