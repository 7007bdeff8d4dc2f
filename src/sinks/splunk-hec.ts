import { ocsfFinding, type OcsfActivity } from '../../reports/ocsf.js';
import type { RunInfo } from '../kernel/types.js';
import { TOOL_NAME } from '../kernel/version.js';
import { postWithRetry, printableUrl, type RetryOptions } from './http.js';
import type { DeliveryResult, Sink, SinkEvent } from './types.js';

const ACTIVITY: Record<SinkEvent['type'], OcsfActivity> = { 'finding.new': 'create', 'finding.changed': 'update', 'finding.resolved': 'close' };

/** Options of the Splunk HTTP Event Collector sink. */
export interface SplunkHecOptions extends RetryOptions {
  /** HEC token (from SPLUNK_HEC_TOKEN); sent as `Authorization: Splunk <token>`, never printed. */
  token: string;
  /** The run the events belong to (OCSF `time`, metadata). */
  run: RunInfo;
  /** Events per request (default 100). */
  batchSize?: number;
  /** Splunk sourcetype (default `ocsf:detection_finding`). */
  sourcetype?: string;
}

/** Resolve the HEC endpoint: a bare host gets `/services/collector/event`. */
export function hecEndpoint(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/services/collector/event';
  return u.toString();
}

/** Splunk HEC: each event as an OCSF Detection Finding (Create, Update or Close), batched, retried. */
export class SplunkHecSink implements Sink {
  readonly name: string;
  private readonly url: string;
  constructor(url: string, private readonly opts: SplunkHecOptions) {
    this.url = hecEndpoint(url);
    this.name = `splunk-hec:${printableUrl(this.url)}`;
  }

  async deliver(events: SinkEvent[]): Promise<DeliveryResult> {
    const size = Math.max(1, this.opts.batchSize ?? 100);
    const time = Date.parse(this.opts.run.finished_at) / 1000;
    let delivered = 0;
    let attempts = 0;
    for (let i = 0; i < events.length; i += size) {
      const batch = events.slice(i, i + size);
      const body = batch.map((e) => JSON.stringify({
        time,
        source: TOOL_NAME,
        sourcetype: this.opts.sourcetype ?? 'ocsf:detection_finding',
        event: ocsfFinding(e.finding, this.opts.run, { activity: ACTIVITY[e.type] }),
      })).join('\n');
      const r = await postWithRetry(this.url, body, { authorization: `Splunk ${this.opts.token}`, 'content-type': 'application/json' }, this.opts);
      attempts += r.attempts;
      if (!r.ok) return { ok: false, delivered, attempts, error: `${r.error} after ${r.attempts} attempt(s)` };
      delivered += batch.length;
    }
    return { ok: true, delivered, attempts };
  }
}
