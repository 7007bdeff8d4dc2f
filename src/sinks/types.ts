import type { FindingEvent } from '../pipeline/diff.js';

/** A finding lifecycle event, what every sink delivers (and the daemon's outbox stores): defined with the diff. */
export type SinkEvent = FindingEvent;

/** Outcome of one delivery: expected failures are values, not exceptions. */
export type DeliveryResult =
  | { ok: true; delivered: number; attempts: number }
  | { ok: false; delivered: number; attempts: number; error: string };

/** A destination for events. `name` is safe to print (no tokens, no query strings). */
export interface Sink {
  readonly name: string;
  deliver(events: SinkEvent[]): Promise<DeliveryResult>;
}
