import { errorMessage } from '../kernel/errors.js';
import { redact } from '../kernel/redact.js';

/** Retry policy of HTTP sinks. */
export interface RetryOptions {
  /** Attempts per batch, the first included (default 4). */
  attempts?: number;
  /** First backoff in ms, doubled each retry, ±20% jitter (default 500). */
  backoffMs?: number;
  /** Longest wait between attempts, also the cap on Retry-After (default 30 000). */
  maxBackoffMs?: number;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
}

/** A URL safe to print: scheme, host and path; no credentials, query or fragment. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * POST a body with retries on network errors, 408, 429 and 5xx (exponential backoff, Retry-After honoured).
 * Other 4xx answers are final: retrying a rejected token or payload only repeats the failure.
 */
export async function postWithRetry(url: string, body: string, headers: Record<string, string>, opts: RetryOptions = {}): Promise<{ ok: true; attempts: number } | { ok: false; attempts: number; error: string }> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const base = opts.backoffMs ?? 500;
  const cap = opts.maxBackoffMs ?? 30_000;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    let wait = Math.min(cap, base * 2 ** (i - 1) * (0.8 + Math.random() * 0.4));
    try {
      const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: i };
      last = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      if (!retryable) return { ok: false, attempts: i, error: last };
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) wait = Math.min(cap, after * 1000);
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      last = redact(errorMessage(e) + (cause ? `: ${errorMessage(cause)}` : ''));
    }
    if (i < attempts) await sleep(wait);
  }
  return { ok: false, attempts, error: last };
}
