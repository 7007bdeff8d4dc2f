import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '../kernel/errors.js';
import { redact } from '../kernel/redact.js';
import type { DeliveryResult, Sink, SinkEvent } from './types.js';

/** Append events to a file, one JSON object per line (a log shipper tails it). */
export class JsonlSink implements Sink {
  readonly name: string;
  constructor(private readonly path: string) {
    this.name = `jsonl:${path}`;
  }

  async deliver(events: SinkEvent[]): Promise<DeliveryResult> {
    if (events.length === 0) return { ok: true, delivered: 0, attempts: 0 };
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, events.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
      return { ok: true, delivered: events.length, attempts: 1 };
    } catch (e) {
      return { ok: false, delivered: 0, attempts: 1, error: redact(errorMessage(e)) };
    }
  }
}
