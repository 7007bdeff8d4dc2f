/**
 * Incremental (daemon) runs that have nothing new to read reuse the previous run's results instead of rebuilding
 * the model and re-running every detector.
 *
 * Why that is exact: a run's findings, inventory and suppressed list are a function of (a) the rows the model
 * reads, (b) the analysis inputs (roster, leak reports, registry, exceptions, detectors and their parameters,
 * the selection, the lookback), (c) the code, the model, reference and signal files, and (d) the as-of. The
 * fingerprint below covers (a)–(c): the CloudTrail files ingested so far (path, size, mtime, records: the rows are
 * a function of those files and the as-of's prune), the IAM and GitHub folder signatures the loads keyed their
 * reuse on, the inputs' content, and the files of the model, reference data, signals, detectors and the built code.
 * Coverage gaps and sources are not in it: no detector reads them, and a reused run reports its own (so a file whose
 * bad records were reported when it was ingested does not force the next run to recompute). When the fingerprint equals the one stored with the
 * latest completed run and the run is evaluated at that run's as-of, every input of every SQL statement is the
 * same, so the results are the same (a test compares a reused run with a full recompute at the same as-of).
 *
 * The as-of: a scan evaluates at the as-of it is given. The daemon's as-of is "now", which moves every run, and
 * time alone can change results (a key crossing 90 days unused, a countdown expiring) at any instant, so there is
 * no granularity below which a moved as-of is provably harmless. The daemon therefore may keep evaluating at the
 * previous as-of for a bounded time (`reuseWithinSeconds`, `shadowscan daemon --recompute-every`): the reused run
 * says so in its sources and reports that as-of, so it is exactly what a full scan at that as-of reports; a
 * time-only change shows up at most that much later. Any new or changed input recomputes at once, at the new as-of.
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../detect/loader.js';
import type { Store } from '../store/db.js';
import { statFiles } from '../store/reuse.js';
import type { CoverageGap } from '../kernel/types.js';
import { TOOL_VERSION } from '../kernel/version.js';

/** What a completed incremental run leaves for the next one to compare with (daemon_state key `results`). */
export interface ResultsRecord {
  fingerprint: string;
  run_id: string;
  /** The as-of the results were evaluated at (ISO). */
  as_of: string;
  /** Gaps the detectors reported (a reused run has no detector run of its own). */
  detector_gaps: CoverageGap[];
}

export const RESULTS_KEY = 'results';

/** Files whose content decides what the model and detectors compute: model, reference, signals, detectors, the built code. */
function codeFiles(extraDetectorDirs: readonly string[]): string {
  const root = projectRoot();
  const built = dirname(dirname(fileURLToPath(import.meta.url))); // dist/src (or src under a TypeScript runner)
  const h = createHash('sha256');
  for (const f of statFiles([join(root, 'model'), join(root, 'reference'), join(root, 'signals'), join(root, 'detectors'), built, ...extraDetectorDirs])) {
    h.update(`${f.path}\t${f.size}\t${f.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/**
 * Fingerprint of everything a run's results depend on except the as-of. `inputs` is any JSON-serialisable
 * description of the run's analysis inputs (parsed files, options).
 */
export async function inputFingerprint(store: Store, inputs: unknown, extraDetectorDirs: readonly string[] = []): Promise<string> {
  const files = await store.one<{ n: number; h: string | null }>(`SELECT count(*) AS n,
      md5(string_agg(concat_ws('|', kind, path, size, mtime_ms, records, status), chr(10) ORDER BY kind, path)) AS h FROM ingested_files`);
  const loads = await store.all<{ key: string; value: string }>(`SELECT key, value FROM daemon_state WHERE key IN ('loaded:iam', 'loaded:github') ORDER BY key`);
  const signatures = loads.map((l) => `${l.key}=${(JSON.parse(l.value) as { signature?: string }).signature ?? ''}`);
  return createHash('sha256').update(JSON.stringify({
    version: TOOL_VERSION,
    code: codeFiles(extraDetectorDirs),
    ingested: [files?.n ?? 0, files?.h ?? ''],
    loads: signatures,
    inputs,
  })).digest('hex');
}

/** The record of the latest completed run, when that run left one (a full scan or a failed run in between: none). */
export async function latestResults(store: Store): Promise<ResultsRecord | null> {
  const latest = await store.one<{ id: string }>(`SELECT id FROM runs WHERE status = 'ok' ORDER BY started_at DESC, id DESC LIMIT 1`);
  const rec = await store.one<{ value: string }>('SELECT value FROM daemon_state WHERE key = $k ORDER BY updated_at DESC LIMIT 1', { k: RESULTS_KEY });
  if (!latest || !rec) return null;
  const r = JSON.parse(rec.value) as ResultsRecord;
  return r.run_id === latest.id ? r : null;
}

/** Whether results evaluated at `prevAsOf` may stand for a run at `asOf`: the same instant, or later by at most `withinSeconds`. */
export function asOfReusable(prevAsOf: Date, asOf: Date, withinSeconds: number): boolean {
  const d = asOf.getTime() - prevAsOf.getTime();
  return d === 0 || (d > 0 && d <= withinSeconds * 1000);
}

/** Replace the record (inside the run's persist transaction). */
export async function writeResults(store: Store, rec: ResultsRecord): Promise<void> {
  await store.run('DELETE FROM daemon_state WHERE key = $k', { k: RESULTS_KEY });
  await store.run('INSERT INTO daemon_state (key, value) VALUES ($k, $v)', { k: RESULTS_KEY, v: JSON.stringify(rec) });
}

/**
 * Store a reused run's results by copying the previous run's rows in the database (findings, inventory,
 * suppressed, the history and UI rows), in their order; coverage gaps are the reused run's own.
 */
export async function copyRunResults(store: Store, fromRun: string, toRun: string): Promise<void> {
  const p = { from: fromRun, to: toRun };
  const tables = ['run_findings', 'run_inventory', 'run_suppressed', 'run_detectors', 'run_iam_snapshots', 'run_identity_summary', 'ui_inventory', 'ui_findings'];
  // The store drops insertion order for speed; these copies keep it (reports read a run's rows in rowid order).
  await store.run('SET preserve_insertion_order = true');
  try {
    for (const t of tables) {
      const cols = (await store.all<{ name: string }>(`SELECT name FROM pragma_table_info('${t}') ORDER BY cid`)).map((c) => c.name);
      const list = cols.map((c) => `"${c}"`).join(', ');
      const select = cols.map((c) => (c === 'run_id' ? '$to' : `"${c}"`)).join(', ');
      await store.run(`INSERT INTO ${t} (${list}) SELECT ${select} FROM ${t} WHERE run_id = $from ORDER BY rowid`, p);
    }
  } finally {
    await store.run('SET preserve_insertion_order = false');
  }
}
