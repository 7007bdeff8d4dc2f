import { UsageError } from '../kernel/errors.js';
import type { RunInfo } from '../kernel/types.js';
import type { RetryOptions } from './http.js';
import { JsonlSink } from './jsonl.js';
import { SplunkHecSink } from './splunk-hec.js';
import type { Sink } from './types.js';
import { WebhookSink } from './webhook.js';

export type { DeliveryResult, Sink, SinkEvent } from './types.js';
/** Events are computed by the pipeline's diff step (pipeline/diff.ts); re-exported for the commands that deliver them. */
export { eventsFromDiff } from '../pipeline/diff.js';

/** Environment variables the sinks read. */
export const SINK_ENV = { webhookSecret: 'SHADOWSCAN_WEBHOOK_SECRET', splunkToken: 'SPLUNK_HEC_TOKEN' } as const;

/** A parsed `--sink KIND:TARGET`, before it is bound to a run. */
export interface SinkSpec {
  kind: 'jsonl' | 'webhook' | 'splunk-hec';
  target: string;
}

/** Parse `jsonl:PATH`, `webhook:URL` or `splunk-hec:URL`; bad specs and missing tokens are usage errors. */
export function parseSinkSpec(text: string, env: NodeJS.ProcessEnv = process.env): SinkSpec {
  const i = text.indexOf(':');
  const kind = i > 0 ? text.slice(0, i) : '';
  const target = i > 0 ? text.slice(i + 1) : '';
  if (kind !== 'jsonl' && kind !== 'webhook' && kind !== 'splunk-hec') {
    // Name only the kind: the rest may be a URL with credentials in it.
    throw new UsageError(`--sink ${i > 0 ? text.slice(0, i) : '(no kind)'}: expected jsonl:PATH, webhook:URL or splunk-hec:URL`);
  }
  if (!target) throw new UsageError(`--sink ${kind}: missing ${kind === 'jsonl' ? 'PATH' : 'URL'}`);
  if (kind !== 'jsonl') {
    let u: URL;
    try { u = new URL(target); } catch { throw new UsageError(`--sink ${kind}: not a URL`); }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`--sink ${kind}: URL must be http(s)`);
    if (kind === 'splunk-hec' && !env[SINK_ENV.splunkToken]) throw new UsageError(`--sink splunk-hec: set the HEC token in ${SINK_ENV.splunkToken}`);
  }
  return { kind, target };
}

/** Build the sink for a spec and run. */
export function createSink(spec: SinkSpec, run: RunInfo, env: NodeJS.ProcessEnv = process.env, retry: RetryOptions = {}): Sink {
  switch (spec.kind) {
    case 'jsonl': return new JsonlSink(spec.target);
    case 'webhook': {
      const secret = env[SINK_ENV.webhookSecret];
      return new WebhookSink(spec.target, { ...retry, ...(secret ? { secret } : {}) });
    }
    case 'splunk-hec': return new SplunkHecSink(spec.target, { ...retry, token: env[SINK_ENV.splunkToken] ?? '', run });
  }
}

