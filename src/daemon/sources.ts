/**
 * Source refresh on their own cadences: before each run the daemon asks every collection job to refresh
 * the sources that are due (CloudTrail every run, IAM every `--iam-every`, GitHub every `--github-every`);
 * the others are reused from what the last refresh left in the export directory. The same bookkeeping
 * gives each source's freshness for /healthz and /metrics.
 */
import { join } from 'node:path';
import { errorMessage } from '../kernel/errors.js';
import { lookupEventFiles } from '../pipeline/pipeline.js';
import { trailFilesOf } from '../store/load-cloudtrail.js';
import { redact } from '../kernel/redact.js';
import { statFiles } from '../store/reuse.js';

/** Sources whose refresh the daemon tracks. */
export const SOURCE_NAMES = ['cloudtrail', 'iam', 'github'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** One source a job refreshes, and how often. */
export interface SourceCadence {
  name: SourceName;
  /** Least time between two successful refreshes; 0: every run. */
  everyMs: number;
  /** True when the source's data is not on disk (first start, a wiped cache): due whatever the cadence. */
  missing?: () => boolean;
}

/** What a job did with the sources it was asked to refresh. */
export interface RefreshOutcome {
  /**
   * Sources refreshed, with the time their data dates from: live collection, when it finished (the
   * default, `undefined`); an export written by someone else, its newest file's modification time.
   */
  refreshed: Partial<Record<SourceName, Date | undefined>>;
  /** Sources that could not be refreshed, with why: a coverage gap of the run, retried at the next run. */
  failed?: Partial<Record<SourceName, string>>;
  /** Extra fields for the log line. */
  detail?: Record<string, unknown>;
}

/** A collection job: one call that refreshes one or more sources (AWS collection serves CloudTrail and IAM at once). */
export interface SourceJob {
  name: string;
  sources: SourceCadence[];
  /** Refresh the `due` sources (a subset of `sources`). Throwing fails all of them. */
  run(due: SourceName[], signal: AbortSignal): Promise<RefreshOutcome>;
}

/** Freshness of one source, as /healthz and /metrics report it. */
export interface SourceFreshness {
  source: SourceName;
  /** How the source is refreshed: `live` (collected by the daemon) or `export` (files someone else writes into --from). */
  mode: 'live' | 'export';
  /** Cadence of a live source (null for an export: re-read every run). */
  every_seconds: number | null;
  /** When the source's data was last renewed (live: a successful collection; export: its newest file). */
  last_refresh_at: string | null;
  /** When the daemon last tried (live) or looked (export). */
  last_attempt_at: string | null;
  consecutive_failures: number;
  last_error: string | null;
  /** A live source not refreshed for more than twice its cadence plus two schedule intervals (it stopped refreshing). */
  stale: boolean;
}

/** A log line the clock asks the daemon to write. */
export type SourceLog = (level: 'info' | 'warn' | 'debug', msg: string, fields: Record<string, unknown>) => void;

interface State { lastOk: number | null; dataAt: Date | null; lastAttempt: Date | null; failures: number; error: string | null }

/** Decides which sources are due, runs their jobs, and remembers each source's freshness (in memory: a restart refreshes everything once). */
export class SourceClock {
  private readonly state = new Map<SourceName, State>();

  constructor(private readonly jobs: SourceJob[], private readonly mode: SourceFreshness['mode']) {}

  /** The sources of `job` due at `now`. */
  due(job: SourceJob, now: number): SourceName[] {
    return job.sources.filter((s) => {
      const st = this.state.get(s.name);
      return st?.lastOk == null || now - st.lastOk >= s.everyMs || (s.missing?.() ?? false);
    }).map((s) => s.name);
  }

  /** Refresh what is due; returns the coverage gaps of the run (sources that failed). Never throws. */
  async refresh(signal: AbortSignal, log: SourceLog, now: () => Date = () => new Date()): Promise<{ source: string; detail: string }[]> {
    const gaps: { source: string; detail: string }[] = [];
    for (const job of this.jobs) {
      const started = now();
      const due = this.due(job, started.getTime());
      for (const s of job.sources) {
        if (!due.includes(s.name)) log('debug', 'source.reused', { source: s.name, last_refresh_at: this.state.get(s.name)?.dataAt?.toISOString() ?? null });
      }
      if (due.length === 0) continue;
      let outcome: RefreshOutcome;
      try {
        outcome = await job.run(due, signal);
      } catch (e) {
        const error = redact(errorMessage(e)).split('\n')[0] ?? 'failed';
        outcome = { refreshed: {}, failed: Object.fromEntries(due.map((s) => [s, error])) };
      }
      const finished = now();
      for (const name of due) {
        const error = outcome.failed?.[name];
        if (error === undefined && !(name in outcome.refreshed)) continue; // nothing there (an export without that source)
        const st = this.state.get(name) ?? { lastOk: null, dataAt: null, lastAttempt: null, failures: 0, error: null };
        this.state.set(name, st);
        st.lastAttempt = finished;
        if (error !== undefined) {
          st.failures += 1;
          st.error = error;
          gaps.push({ source: `collect ${name}`, detail: `refresh failed: ${error}; ${st.dataAt ? `analysed the data of the last refresh (${st.dataAt.toISOString()})` : 'nothing of it collected yet'}` });
          log('warn', 'source.failed', { source: name, job: job.name, error, consecutive_failures: st.failures });
        } else {
          const before = st.dataAt?.getTime();
          st.lastOk = finished.getTime();
          st.dataAt = outcome.refreshed[name] ?? finished;
          st.failures = 0;
          st.error = null;
          // An export whose files did not change is worth a debug line only.
          log(before === st.dataAt.getTime() ? 'debug' : 'info', 'source.refreshed', {
            source: name, job: job.name, data_at: st.dataAt.toISOString(), duration_ms: finished.getTime() - started.getTime(), ...outcome.detail,
          });
        }
      }
    }
    return gaps;
  }

  /**
   * Freshness of every source refreshed or tried so far, in SOURCE_NAMES order. `intervalMs` is the
   * schedule's interval: a refresh can only happen at a run, so staleness allows two of them.
   */
  snapshot(now: Date, intervalMs: number): SourceFreshness[] {
    const cadence = new Map(this.jobs.flatMap((j) => j.sources.map((s) => [s.name, s.everyMs] as const)));
    return SOURCE_NAMES.flatMap((name) => {
      const st = this.state.get(name);
      if (!st) return [];
      const every = cadence.get(name) ?? 0;
      const since = st.lastOk ?? st.lastAttempt?.getTime() ?? now.getTime();
      return [{
        source: name, mode: this.mode, every_seconds: this.mode === 'live' ? every / 1000 : null,
        last_refresh_at: st.dataAt?.toISOString() ?? null, last_attempt_at: st.lastAttempt?.toISOString() ?? null,
        consecutive_failures: st.failures, last_error: st.error,
        stale: this.mode === 'live' && (st.lastOk === null ? st.failures > 0 : now.getTime() - since > 2 * every + 2 * intervalMs),
      }];
    });
  }
}

/**
 * The job of an export someone else keeps writing (`--from`): every run reads what changed in it, so a
 * source's freshness is the newest modification time of its files (what the exporter last wrote).
 */
export function exportJob(from: string): SourceJob {
  const aws = join(from, 'aws');
  const paths: Record<SourceName, () => string[]> = {
    cloudtrail: () => [...trailFilesOf(aws), ...lookupEventFiles(aws)],
    iam: () => [join(aws, 'iam')],
    github: () => [join(from, 'github')],
  };
  return {
    name: 'export',
    sources: SOURCE_NAMES.map((name) => ({ name, everyMs: 0 })),
    run: async (due) => {
      const refreshed: RefreshOutcome['refreshed'] = {};
      for (const name of due) {
        const at = newestMtime(paths[name]());
        if (at) refreshed[name] = at;
      }
      return { refreshed };
    },
  };
}

/** Newest modification time of the files under `paths` (directories walked), or null when there are none. */
export function newestMtime(paths: string[]): Date | null {
  const newest = statFiles(paths).reduce((a, f) => Math.max(a, f.mtimeMs), 0);
  return newest > 0 ? new Date(newest) : null;
}
