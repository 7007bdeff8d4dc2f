import { createHash, createHmac } from 'node:crypto';
import { TOOL_NAME, TOOL_VERSION } from '../kernel/version.js';
import { postWithRetry, printableUrl, type RetryOptions } from './http.js';
import type { DeliveryResult, Sink, SinkEvent } from './types.js';

/**
 * Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed with SHADOWSCAN_WEBHOOK_SECRET.
 * The timestamp is signed with the body, so a captured request cannot be replayed later with a new time.
 */
export const SIGNATURE_HEADER = 'x-shadowscan-signature-256';

/** Header carrying the signing time (Unix seconds); receivers reject requests outside their tolerance (e.g. 5 min). */
export const TIMESTAMP_HEADER = 'x-shadowscan-timestamp';

/** Header carrying a delivery id (hash of the body): equal across retries, so receivers can drop duplicates. */
export const DELIVERY_HEADER = 'x-shadowscan-delivery';

/** The signature header value of a body signed at `timestamp` (receivers recompute it and compare in constant time). */
export function signBody(body: string, secret: string, timestamp: number): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Options of the webhook sink. */
export interface WebhookOptions extends RetryOptions {
  /** HMAC key; without one the request is sent unsigned (the CLI warns). */
  secret?: string;
  /** Events per POST (default 100). */
  batchSize?: number;
  /** Clock for the signing timestamp (tests). */
  now?: () => number;
}

/** JSON POST of `{ source, version, events: [...] }` batches, signed, retried with backoff. */
export class WebhookSink implements Sink {
  readonly name: string;
  constructor(private readonly url: string, private readonly opts: WebhookOptions = {}) {
    this.name = `webhook:${printableUrl(url)}`;
  }

  async deliver(events: SinkEvent[]): Promise<DeliveryResult> {
    const size = Math.max(1, this.opts.batchSize ?? 100);
    let delivered = 0;
    let attempts = 0;
    for (let i = 0; i < events.length; i += size) {
      const batch = events.slice(i, i + size);
      const body = JSON.stringify({ source: TOOL_NAME, version: TOOL_VERSION, events: batch });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': `${TOOL_NAME}/${TOOL_VERSION}`,
        [DELIVERY_HEADER]: createHash('sha256').update(body).digest('hex').slice(0, 32),
      };
      if (this.opts.secret) {
        // Signed once per batch: retries (seconds apart) carry the same time, within any receiver's tolerance.
        const timestamp = Math.floor((this.opts.now?.() ?? Date.now()) / 1000);
        headers[TIMESTAMP_HEADER] = String(timestamp);
        headers[SIGNATURE_HEADER] = signBody(body, this.opts.secret, timestamp);
      }
      const r = await postWithRetry(this.url, body, headers, this.opts);
      attempts += r.attempts;
      if (!r.ok) return { ok: false, delivered, attempts, error: `${r.error} after ${r.attempts} attempt(s)` };
      delivered += batch.length;
    }
    return { ok: true, delivered, attempts };
  }
}
