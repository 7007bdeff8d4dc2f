import type { Server } from 'node:http';
import { errorMessage } from '../kernel/errors.js';
import { runScan, type AnalysisOptions, type CloudTrailEngineSource, type RunStep } from '../pipeline/pipeline.js';
import { redact } from '../kernel/redact.js';
import type { Classification, ScanReport, Severity } from '../kernel/types.js';
import { Store } from '../store/db.js';
import { runCounts } from '../store/trends.js';
import { Deliverer, type DaemonSink, type DeliveryOptions } from './delivery.js';
import { serve } from './http.js';
import type { DaemonSnapshot, RunSummary } from './metrics.js';
import { enqueue } from './outbox.js';
import { nextRunAt, scheduleInterval, type Schedule } from './schedule.js';
import { SourceClock, type SourceFreshness, type SourceJob } from './sources.js';

/** A structured log line: the CLI writes it as JSON on stderr (redacted); the core never prints. */
export type DaemonLog = (level: 'info' | 'warn' | 'error' | 'debug', msg: string, fields?: Record<string, unknown>) => void;

/** Options of the daemon. Defaults are applied by the CLI layer unless stated. */
export interface DaemonOptions {
  /** Offline export directory read incrementally each run (live collection writes into one too). */
  from: string;
  dbPath: string;
  schedule: Schedule;
  /** Random delay added to each run, 0..jitterMs (default 0). */
  jitterMs?: number;
  /**
   * A run with no new or changed input reuses the previous results while their as-of is at most this old
   * (default 0: only at the same as-of, i.e. never with a clock; the CLI's `--recompute-every`, default 1h).
   */
  recomputeEveryMs?: number;
  /** What each run analyses besides its sources, exactly as `scan` takes it (window, detectors, people, leaks, registry, exceptions). */
  analysis: AnalysisOptions;
  /** CloudTrail from a query engine (Trino/Athena) instead of the trail files under `from`: the rollup reruns each run. */
  cloudtrailEngine?: CloudTrailEngineSource;
  sinks: DaemonSink[];
  delivery?: DeliveryOptions;
  /** Where to serve /healthz and /metrics; null: no server. */
  listen: { host: string; port: number } | null;
  log: DaemonLog;
  /**
   * Collection jobs run before each run, each source on its own cadence (live collection into `from`, or
   * watching an export's files); a source that fails is a coverage gap of the run, not a dead daemon.
   */
  sources?: { mode: SourceFreshness['mode']; jobs: SourceJob[] };
  /** Tests: wait this long at a run step (to kill the process there). */
  pauseAt?: { step: RunStep; ms: number };
  /** How often the delivery loop looks at the outbox when idle (default 1 s). */
  deliveryPollMs?: number;
}

/** A sleep that `wake()` or the stop signal cut short. */
class Waker {
  private resolve: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.wake(), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    });
  }
  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    const r = this.resolve;
    this.resolve = null;
    this.timer = null;
    r?.();
  }
}

const ms = (d: Date | string): number => (typeof d === 'string' ? Date.parse(d) : d.getTime());

function summarize(report: ScanReport): RunSummary {
  const identities: Partial<Record<Classification, number>> = {};
  for (const i of report.inventory) identities[i.classification] = (identities[i.classification] ?? 0) + 1;
  const findings: Partial<Record<Severity, number>> = {};
  for (const f of report.findings) findings[f.severity] = (findings[f.severity] ?? 0) + 1;
  return {
    id: report.run.id, status: 'ok', started_at: report.run.started_at, finished_at: report.run.finished_at,
    duration_seconds: (ms(report.run.finished_at) - ms(report.run.started_at)) / 1000,
    identities, findings, coverage_gaps: report.run.coverage_gaps.length,
  };
}

/**
 * The analytics daemon: one run at a time on a schedule (a slow run delays the next, never overlaps),
 * incremental ingestion, an outbox written with each run's results and drained to every sink, and
 * /healthz + /metrics. Holds the database (and its lock file) for its whole life.
 */
export class Daemon {
  private stopping = false;
  private current: AbortController | null = null;
  private readonly runWaker = new Waker();
  private readonly deliveryWaker = new Waker();
  private server: Server | null = null;
  private loops: Promise<void>[] = [];
  private nextDue: Date | null = null;
  private runningSince: Date | null = null;
  private lastRun: RunSummary | null = null;
  private lastOk: RunSummary | null = null;
  private readonly runsTotal: DaemonSnapshot['runs_total'] = { ok: 0, failed: 0, abandoned: 0 };
  private readonly lateAfterMs: number;
  private readonly clock: SourceClock;
  /** Where /healthz and /metrics are served (after start). */
  address: string | null = null;

  private constructor(
    private readonly opts: DaemonOptions,
    private readonly store: Store,
    private readonly outboxStore: Store,
    private readonly deliverer: Deliverer,
  ) {
    this.lateAfterMs = Math.max(scheduleInterval(opts.schedule), 60_000) + (opts.jitterMs ?? 0);
    this.clock = new SourceClock(opts.sources?.jobs ?? [], opts.sources?.mode ?? 'export');
  }

  /** Open the database (taking its lock), recover from a previous crash, start serving and scheduling. */
  static async start(opts: DaemonOptions): Promise<Daemon> {
    const store = await Store.open(opts.dbPath);
    let outboxStore: Store | undefined;
    try {
      // A run left 'running' was cut short (kill -9, power loss): nothing of its results was committed.
      await store.run(`UPDATE runs SET status = 'abandoned', finished_at = coalesce(finished_at, now()) WHERE status = 'running'`);
      outboxStore = await store.connect();
      const deliverer = new Deliverer(outboxStore, opts.sinks, opts.delivery ?? {}, (n) => {
        if (n.kind === 'delivered') opts.log('info', 'sink.delivered', { sink: n.sink, events: n.events });
        else opts.log('warn', 'sink.failed', { sink: n.sink, events: n.events, error: n.error, retry_in_ms: n.retry_in_ms, consecutive_failures: n.consecutive_failures });
      });
      const d = new Daemon(opts, store, outboxStore, deliverer);
      await d.loadHistory();
      await deliverer.refreshBacklog();
      if (opts.listen) {
        const { server, address } = await serve(opts.listen.host, opts.listen.port, () => d.snapshot());
        d.server = server;
        d.address = address;
      }
      opts.log('info', 'daemon.started', {
        db: opts.dbPath, from: opts.from, schedule: opts.schedule.text, jitter_ms: opts.jitterMs ?? 0,
        sinks: opts.sinks.map((s) => s.name), listen: d.address, pending_events: Object.fromEntries(deliverer.backlog),
        sources: Object.fromEntries((opts.sources?.jobs ?? []).flatMap((j) => j.sources.map((s) => [s.name, { job: j.name, every_ms: s.everyMs }]))),
      });
      d.loops = [d.runLoop(), d.deliveryLoop()];
      return d;
    } catch (e) {
      outboxStore?.close();
      store.close();
      throw e;
    }
  }

  /** Resolves when both loops have ended (after stop()). */
  async done(): Promise<void> {
    await Promise.all(this.loops);
  }

  /** Stop: abandon the current run at its next step, finish the delivery in flight, close everything. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.opts.log('info', 'daemon.stopping', { reason, run_in_progress: this.current !== null });
    this.current?.abort(new Error(`stopping (${reason})`));
    this.runWaker.wake();
    this.deliveryWaker.wake();
    await this.done();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    await this.deliverer.refreshBacklog().catch(() => undefined);
    this.opts.log('info', 'daemon.stopped', { pending_events: Object.fromEntries(this.deliverer.backlog) });
    this.outboxStore.close();
    this.store.close();
  }

  /** Current state (healthz, metrics). */
  snapshot(now = new Date()): DaemonSnapshot {
    const lag = this.nextDue ? Math.max(0, now.getTime() - this.nextDue.getTime()) : 0;
    return {
      runs_total: { ...this.runsTotal },
      last_run: this.lastRun,
      last_ok_run: this.lastOk,
      running_since: this.runningSince?.toISOString() ?? null,
      next_run_at: this.nextDue?.toISOString() ?? null,
      lag_seconds: lag / 1000,
      late: lag > this.lateAfterMs,
      sink_backlog: Object.fromEntries(this.deliverer.backlog),
      sources: this.clock.snapshot(now, scheduleInterval(this.opts.schedule)),
    };
  }

  /** Counters and the last runs from the database, so metrics survive restarts. */
  private async loadHistory(): Promise<void> {
    for (const r of await this.store.all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status')) {
      if (r.status === 'ok' || r.status === 'failed' || r.status === 'abandoned') this.runsTotal[r.status] = r.n;
    }
    const last = await this.store.one<{ id: string; status: string; started_at: string; finished_at: string | null }>(
      `SELECT id, status, started_at, finished_at FROM runs ORDER BY started_at DESC, id DESC LIMIT 1`);
    const ok = await this.store.one<{ id: string; started_at: string; finished_at: string }>(
      `SELECT id, started_at, finished_at FROM runs WHERE status = 'ok' ORDER BY started_at DESC, id DESC LIMIT 1`);
    if (ok) {
      const counts = await runCounts(this.store, ok.id);
      const identities = counts.identities_by_classification;
      const findings = counts.findings_by_severity;
      const gaps = await this.store.one<{ n: number }>('SELECT count(*) AS n FROM coverage_gaps WHERE run_id = $id', { id: ok.id });
      this.lastOk = {
        id: ok.id, status: 'ok', started_at: ok.started_at, finished_at: ok.finished_at,
        duration_seconds: (ms(ok.finished_at) - ms(ok.started_at)) / 1000, identities, findings, coverage_gaps: gaps?.n ?? 0,
      };
    }
    if (last && (last.status === 'ok' || last.status === 'failed' || last.status === 'abandoned')) {
      const finished = last.finished_at ?? last.started_at;
      this.lastRun = last.id === ok?.id && this.lastOk ? this.lastOk : {
        id: last.id, status: last.status, started_at: last.started_at, finished_at: finished,
        duration_seconds: (ms(finished) - ms(last.started_at)) / 1000, identities: {}, findings: {}, coverage_gaps: 0,
      };
    }
  }

  private async runLoop(): Promise<void> {
    let previous: Date | null = null;
    while (!this.stopping) {
      const due = nextRunAt(this.opts.schedule, previous, new Date());
      this.nextDue = due;
      const jitter = this.opts.jitterMs ? Math.random() * this.opts.jitterMs : 0;
      const wait = due.getTime() + jitter - Date.now();
      if (wait > 0) await this.runWaker.sleep(wait);
      if (this.stopping) break;
      previous = due;
      await this.runOnce();
      this.deliveryWaker.wake();
    }
    this.nextDue = null;
  }

  /** One run; never throws (a failed run is logged and reported by /healthz, the daemon goes on). */
  async runOnce(): Promise<void> {
    const controller = new AbortController();
    this.current = controller;
    this.runningSince = new Date();
    const log = this.opts.log;
    let events = 0;
    let newFiles = 0;
    try {
      const gaps = await this.clock.refresh(controller.signal, log);
      const report = await runScan({
        from: this.opts.from,
        dbPath: this.opts.dbPath,
        store: this.store,
        incremental: true,
        asOf: new Date(),
        reuseWithinSeconds: (this.opts.recomputeEveryMs ?? 0) / 1000,
        ...this.opts.analysis,
        ...(this.opts.cloudtrailEngine ? { cloudtrailEngine: this.opts.cloudtrailEngine } : {}),
        // Source jobs that failed are gaps of this run; its events are the diff against the previous run.
        gaps,
        compareWith: 'previous',
        signal: controller.signal,
        onProgress: (m) => log('debug', 'run.progress', { detail: m }),
        onStep: async (step) => {
          log('debug', 'run.step', { step });
          if (this.opts.pauseAt?.step === step) await new Promise((r) => setTimeout(r, this.opts.pauseAt?.ms));
        },
        onPersist: async (store, run) => {
          // In the transaction that stores the run: its events reach the outbox exactly when its results commit.
          events = run.events.length;
          await enqueue(store, run.events, this.opts.sinks.map((s) => s.name));
          const ingested = await store.one<{ n: number }>('SELECT count(*) AS n FROM ingested_files WHERE run_id = $id', { id: run.report.run.id });
          newFiles = ingested?.n ?? 0;
        },
      });
      // A read-only copy for `report`, `diff` and `ui`, which cannot open the database while the daemon holds it.
      if (this.opts.dbPath !== ':memory:') {
        const t0 = Date.now();
        await this.store.writeSnapshot().then(
          (file) => log('debug', 'snapshot.written', { file, seconds: (Date.now() - t0) / 1000 }),
          (e: unknown) => log('warn', 'snapshot.failed', { error: redact(errorMessage(e)) }),
        );
      }
      const summary = summarize(report);
      this.lastRun = summary;
      this.lastOk = summary;
      this.runsTotal.ok += 1;
      log('info', 'run.ok', {
        run_id: report.run.id, duration_seconds: summary.duration_seconds, new_files: newFiles,
        cloudtrail_records: report.run.counts.cloudtrail_records, identities: report.inventory.length,
        findings: report.findings.length, events, coverage_gaps: report.run.coverage_gaps.length,
      });
      for (const g of report.run.coverage_gaps) log('warn', 'run.coverage_gap', { run_id: report.run.id, source: g.source, detail: g.detail });
    } catch (e) {
      const abandoned = controller.signal.aborted;
      const finished = new Date();
      const id = (await this.store.one<{ id: string }>('SELECT id FROM runs WHERE started_at >= $s::TIMESTAMP ORDER BY started_at DESC LIMIT 1',
        { s: this.runningSince.toISOString().replace('Z', '') }).catch(() => undefined))?.id ?? '(not started)';
      this.lastRun = {
        id, status: abandoned ? 'abandoned' : 'failed', started_at: this.runningSince.toISOString(), finished_at: finished.toISOString(),
        duration_seconds: (finished.getTime() - this.runningSince.getTime()) / 1000, identities: {}, findings: {}, coverage_gaps: 0,
        ...(abandoned ? {} : { error: redact(errorMessage(e)) }),
      };
      this.runsTotal[abandoned ? 'abandoned' : 'failed'] += 1;
      if (abandoned) log('info', 'run.abandoned', { run_id: id });
      else log('error', 'run.failed', { run_id: id, error: redact(errorMessage(e)) });
    } finally {
      this.current = null;
      this.runningSince = null;
    }
  }

  private async deliveryLoop(): Promise<void> {
    const poll = this.opts.deliveryPollMs ?? 1000;
    while (!this.stopping) {
      try {
        await this.deliverer.pass();
      } catch (e) {
        this.opts.log('error', 'delivery.error', { error: redact(errorMessage(e)) });
      }
      if (this.stopping) break;
      await this.deliveryWaker.sleep(Math.min(poll, this.deliverer.msUntilDue()));
    }
  }
}
