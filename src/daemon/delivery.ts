import { errorMessage } from '../kernel/errors.js';
import { redact } from '../kernel/redact.js';
import type { Store } from '../store/db.js';
import type { RunInfo } from '../kernel/types.js';
import type { DeliveryResult, SinkEvent } from '../sinks/types.js';
import { backlog, markDelivered, markFailed, pending, runInfo } from './outbox.js';

/** A sink as the daemon holds it: a stable name (the outbox key) and delivery of one run's events. */
export interface DaemonSink {
  readonly name: string;
  deliver(events: SinkEvent[], run: RunInfo): Promise<DeliveryResult>;
}

/** Retry policy of the outbox (on top of any retries a sink makes within one delivery). */
export interface DeliveryOptions {
  /** Events per delivery call (default 100). */
  batch?: number;
  /** First wait after a failed delivery, doubled per consecutive failure, ±20% jitter (default 5 s). */
  backoffMs?: number;
  /** Longest wait between attempts (default 5 min). */
  maxBackoffMs?: number;
}

/** What the delivery loop reports (for logs and metrics). */
export type DeliveryNote =
  | { kind: 'delivered'; sink: string; events: number }
  | { kind: 'failed'; sink: string; events: number; error: string; retry_in_ms: number; consecutive_failures: number };

interface SinkState { failures: number; nextAt: number }

/**
 * Drains the outbox, per sink, oldest first: an event is marked delivered only after its sink
 * acknowledged it; a failing sink is retried with exponential backoff while its backlog grows, and
 * the events behind a failing one wait (order is kept). Nothing is ever dropped.
 */
export class Deliverer {
  private readonly state = new Map<string, SinkState>();
  private readonly batch: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  /** Undelivered events per sink, as of the last pass. */
  readonly backlog = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly sinks: DaemonSink[],
    opts: DeliveryOptions = {},
    private readonly note: (n: DeliveryNote) => void = () => undefined,
  ) {
    this.batch = opts.batch ?? 100;
    this.backoffMs = opts.backoffMs ?? 5_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 300_000;
    for (const s of sinks) this.state.set(s.name, { failures: 0, nextAt: 0 });
  }

  /** Milliseconds until some sink is due again (0 when one is due now). */
  msUntilDue(now = Date.now()): number {
    let min = Infinity;
    for (const s of this.sinks) {
      const st = this.state.get(s.name);
      if ((this.backlog.get(s.name) ?? 0) > 0) min = Math.min(min, Math.max(0, (st?.nextAt ?? 0) - now));
    }
    return min;
  }

  /** One pass: every due sink gets its pending events (in batches) until it is drained or fails. */
  async pass(now = Date.now()): Promise<void> {
    for (const sink of this.sinks) {
      const st = this.state.get(sink.name) ?? { failures: 0, nextAt: 0 };
      if (st.nextAt > now) continue;
      for (;;) {
        const all = await pending(this.store, sink.name, this.batch);
        if (all.length === 0) break;
        // One run per call: sinks stamp events with their run (OCSF time, metadata).
        const runId = all[0]?.run_id ?? '';
        const cut = all.findIndex((r) => r.run_id !== runId);
        const rows = cut < 0 ? all : all.slice(0, cut);
        let result: DeliveryResult;
        try {
          result = await sink.deliver(rows.map((r) => r.event), await runInfo(this.store, runId));
        } catch (e) {
          result = { ok: false as const, delivered: 0, attempts: 1, error: redact(errorMessage(e)) };
        }
        const acked = rows.slice(0, result.ok ? rows.length : Math.max(0, Math.min(result.delivered, rows.length)));
        await markDelivered(this.store, acked.map((r) => r.id));
        this.backlog.set(sink.name, Math.max(0, (this.backlog.get(sink.name) ?? 0) - acked.length));
        if (result.ok) {
          st.failures = 0;
          st.nextAt = 0;
          this.note({ kind: 'delivered', sink: sink.name, events: acked.length });
          continue;
        }
        st.failures += 1;
        const wait = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (st.failures - 1)) * (0.8 + Math.random() * 0.4);
        st.nextAt = Date.now() + wait;
        const failed = rows.slice(acked.length);
        await markFailed(this.store, failed.map((r) => r.id), result.error, new Date(st.nextAt));
        this.note({ kind: 'failed', sink: sink.name, events: failed.length, error: result.error, retry_in_ms: Math.round(wait), consecutive_failures: st.failures });
        break;
      }
      this.state.set(sink.name, st);
    }
    await this.refreshBacklog();
  }

  /** Re-read the backlog per configured sink. */
  async refreshBacklog(): Promise<void> {
    const b = await backlog(this.store);
    for (const s of this.sinks) this.backlog.set(s.name, b.get(s.name) ?? 0);
  }
}
