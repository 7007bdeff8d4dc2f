/**
 * The GitHub API client: @octokit/rest with the retry (5xx) and throttling (primary and secondary rate
 * limits, `retry-after`) plugins, token or GitHub App auth, GHES base URLs, a pause when the primary rate
 * limit runs low, and conditional requests (ETag → 304, which GitHub does not count against the rate
 * limit) backed by a small on-disk cache. Secret-scanning bodies are stripped of the secret here, before
 * any other code (or the cache) sees them.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { Agent, fetch as undiciFetch } from 'undici';
import { UsageError } from '../../kernel/errors.js';
import { redact, redactValue } from '../../kernel/redact.js';
import { sanitizeDeployKey, sanitizeSecretAlert } from '../../store/github-layout.js';

/** Octokit with the plugins every shadowscan client uses. */
export const ShadowOctokit = Octokit.plugin(retry, throttling);
export type GithubClient = InstanceType<typeof ShadowOctokit>;

/** How to reach and authenticate to GitHub. */
export interface GithubAuthOptions {
  /** REST base URL (default https://api.github.com; GHES: https://HOST/api/v3). */
  baseUrl?: string;
  /** A token (GITHUB_TOKEN / GH_TOKEN): classic or fine-grained PAT, or an Actions token. */
  token?: string;
  /** GitHub App credentials; the installation is looked up per org when not given. Required for PAT grants. */
  app?: { appId: string; privateKey: string; installationId?: number };
}

/** Tuning, mostly for tests. */
export interface GithubClientTuning {
  /** Milliseconds per retry-after second and per retry backoff step (default 1000). */
  retryBaseMs?: number;
  /** Retries for 5xx responses (default 3) and for rate limits (default 4). */
  retries?: number;
  /** Keep this many primary-rate-limit requests in reserve: below it, wait for the reset (default 20). */
  rateLimitReserve?: number;
  /** Longest wait for a primary rate-limit reset before giving up on a request (default 15 min). */
  maxRateLimitWaitMs?: number;
  /**
   * The throttling plugin (secondary limits, retry-after, GraphQL calls spaced 1 s apart as GitHub asks).
   * Default true; request-count measurements turn it off to run fast.
   */
  throttling?: boolean;
  /**
   * Longest wait for one HTTP attempt, connecting and reading the whole answer included, and the longest silence
   * while headers or body are awaited (default 30 s, or
   * SHADOWSCAN_GITHUB_TIMEOUT_MS): a server that accepts and never answers fails the attempt, which is retried
   * (`retries`), so one request is bounded by about (retries + 1) × this plus the backoff.
   */
  requestTimeoutMs?: number;
  /**
   * Longest wait for the TCP (and TLS) connection of one attempt (default 5 s, or SHADOWSCAN_GITHUB_CONNECT_TIMEOUT_MS):
   * a host that never accepts (a dropped SYN, a firewall) fails fast instead of using the whole attempt bound.
   */
  connectTimeoutMs?: number;
  /** Called every `waitNoticeMs` (default 5 s) while a request is unanswered, with a line saying what it waits for. */
  onWait?: (message: string) => void;
  waitNoticeMs?: number;
}

/** Default per-attempt timeout of GitHub requests. */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000;
/** Default connect timeout of GitHub requests (the AWS clients use the same). */
export const GITHUB_CONNECT_TIMEOUT_MS = 5_000;

function envMs(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** The per-attempt timeout: tuning, then SHADOWSCAN_GITHUB_TIMEOUT_MS, then 30 s. */
export function githubTimeoutMs(tuning: GithubClientTuning, env: NodeJS.ProcessEnv = process.env): number {
  return tuning.requestTimeoutMs ?? envMs(env, 'SHADOWSCAN_GITHUB_TIMEOUT_MS') ?? GITHUB_REQUEST_TIMEOUT_MS;
}

/** The connect timeout: tuning, then SHADOWSCAN_GITHUB_CONNECT_TIMEOUT_MS, then 5 s (never more than the attempt bound). */
export function githubConnectTimeoutMs(tuning: GithubClientTuning, env: NodeJS.ProcessEnv = process.env): number {
  return Math.min(tuning.connectTimeoutMs ?? envMs(env, 'SHADOWSCAN_GITHUB_CONNECT_TIMEOUT_MS') ?? GITHUB_CONNECT_TIMEOUT_MS, githubTimeoutMs(tuning, env));
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * fetch with a bounded attempt: the connection must be made within `connectMs` (undici's connect timeout), and
 * the whole attempt — connect, headers and body — ends after `timeoutMs` (an AbortSignal that stays on the body,
 * so a server that sends headers and then stalls is aborted too); a progress line every `noticeMs` while waiting.
 */
function boundedFetch(timeoutMs: number, connectMs: number, onWait: ((m: string) => void) | undefined, noticeMs: number): (url: string, init: RequestInit) => Promise<Response> {
  // One connection pool per client; headers/body idle timeouts are the attempt bound (undici's defaults are 5 min).
  const dispatcher = new Agent({ connect: { timeout: connectMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return async (url, init) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const started = Date.now();
    const host = /^[a-z]+:\/\/([^/]+)/i.exec(url)?.[1] ?? url;
    const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, '');
    const timer = onWait ? setInterval(() => onWait(`github: waiting for ${init.method ?? 'GET'} ${path} (${Math.round((Date.now() - started) / 1000)} s, gives up after ${Math.round(timeoutMs / 1000)} s per attempt)`), noticeMs) : undefined;
    try {
      return await undiciFetch(url, { ...(init as unknown as Parameters<typeof undiciFetch>[1]), signal, dispatcher }) as unknown as Response;
    } catch (e) {
      const code = (e as { cause?: { code?: unknown } }).cause?.code;
      if (code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new Error(`timed out: could not connect to ${host} within ${seconds(connectMs)} (no answer to the connection request)`, { cause: e });
      }
      if ((e as Error).name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
        || (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError')) {
        throw new Error(`timed out: no complete answer from ${path} within ${seconds(timeoutMs)}`, { cause: e });
      }
      throw e;
    } finally {
      if (timer) clearInterval(timer);
    }
  };
}

/** Counters one client accumulates. */
export interface RequestStats {
  /** HTTP requests sent (retries included). */
  requests: number;
  /** Of those, answered 304 Not Modified from the ETag cache. */
  notModified: number;
  /** Retries after primary or secondary rate limits. */
  retries: number;
  /** Milliseconds spent waiting for a primary rate-limit reset. */
  rateLimitWaitMs: number;
}

interface CacheEntry { etag: string; link?: string; data: unknown }

/** ETag cache: URL → {etag, link, data}, persisted as one JSON file (no secret values: bodies are sanitised first). */
export class EtagCache {
  private entries: Record<string, CacheEntry> = {};
  private dirty = false;
  constructor(readonly file: string | null) {
    if (file && existsSync(file)) {
      try {
        this.entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, CacheEntry>;
      } catch {
        this.entries = {};
      }
    }
  }
  get(url: string): CacheEntry | undefined {
    return this.entries[url];
  }
  set(url: string, entry: CacheEntry): void {
    this.entries[url] = entry;
    this.dirty = true;
  }
  save(): void {
    if (!this.file || !this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file + '.tmp', JSON.stringify(this.entries));
    renameSync(this.file + '.tmp', this.file);
    this.dirty = false;
  }
}

/** Auth from the environment: GITHUB_TOKEN, then GH_TOKEN (on an Enterprise Server host GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN first). */
export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env, enterprise = false): string | undefined {
  // As gh: on a GitHub Enterprise Server host GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN come first.
  if (enterprise) return env['GH_ENTERPRISE_TOKEN'] || env['GITHUB_ENTERPRISE_TOKEN'] || env['GITHUB_TOKEN'] || env['GH_TOKEN'] || undefined;
  return env['GITHUB_TOKEN'] || env['GH_TOKEN'] || undefined;
}

const SENSITIVE_ROUTE = /\/secret-scanning\/alerts(?:\/\d+)?(?:\?|$)/;
const DEPLOY_KEYS_ROUTE = /\/repos\/[^/]+\/[^/]+\/keys(?:\/\d+)?(?:\?|$)/;

/**
 * A GET body with the secret-bearing parts removed (route-specific), then redacted (src/kernel/redact.ts) as
 * any other source, before it is cached or handed out. (POST bodies are left alone: they are never cached,
 * and one of them is the App installation token the client itself needs.)
 */
function sanitize(url: string, data: unknown): unknown {
  if (typeof data === 'string') return redact(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const text = Buffer.from(data as ArrayBuffer).toString('utf8');
    const clean = redact(text);
    return clean === text ? data : clean;
  }
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '');
  if (SENSITIVE_ROUTE.test(path)) {
    if (Array.isArray(data)) return redactValue(data.map((a) => sanitizeSecretAlert(a as Record<string, unknown>)));
    if (data && typeof data === 'object') return redactValue(sanitizeSecretAlert(data as Record<string, unknown>));
  }
  if (DEPLOY_KEYS_ROUTE.test(path) && Array.isArray(data)) return redactValue(data.map((k) => sanitizeDeployKey(k as Record<string, unknown>)));
  return redactValue(redactFileContent(data));
}

/** A contents-API file (`{encoding: 'base64', content}`) with secrets in its decoded text redacted. */
function redactFileContent(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const o = data as Record<string, unknown>;
  if (o['encoding'] !== 'base64' || typeof o['content'] !== 'string') return data;
  const text = Buffer.from(o['content'], 'base64').toString('utf8');
  const clean = redact(text);
  return clean === text ? data : { ...o, content: Buffer.from(clean, 'utf8').toString('base64') };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Build a client for one org (App auth: that org's installation). */
export async function createGithubClient(
  auth: GithubAuthOptions, org: string | null, cache: EtagCache, stats: RequestStats, tuning: GithubClientTuning = {},
): Promise<GithubClient> {
  const baseUrl = (auth.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const base = baseOptions(baseUrl, tuning, stats);
  let client: GithubClient;
  if (auth.app) {
    let installationId = auth.app.installationId;
    if (installationId === undefined) {
      if (!org) throw new UsageError('GitHub App auth needs --github-app-installation or an org to look the installation up');
      const appClient = new ShadowOctokit({ ...base, authStrategy: createAppAuth, auth: { appId: auth.app.appId, privateKey: auth.app.privateKey } });
      instrument(appClient, cache, stats, tuning);
      const { data } = await appClient.request('GET /orgs/{org}/installation', { org });
      installationId = data.id;
    }
    client = new ShadowOctokit({ ...base, authStrategy: createAppAuth, auth: { appId: auth.app.appId, privateKey: auth.app.privateKey, installationId } });
  } else {
    client = new ShadowOctokit({ ...base, ...(auth.token ? { auth: auth.token } : {}) });
  }
  instrument(client, cache, stats, tuning);
  return client;
}

function baseOptions(baseUrl: string, tuning: GithubClientTuning, stats: RequestStats): ConstructorParameters<typeof ShadowOctokit>[0] {
  const retries = tuning.retries ?? 4;
  const baseMs = tuning.retryBaseMs ?? 1000;
  const bounded = boundedFetch(githubTimeoutMs(tuning), githubConnectTimeoutMs(tuning), tuning.onWait, tuning.waitNoticeMs ?? 5000);
  return {
    baseUrl,
    userAgent: 'shadowscan (+https://github.com/shadowscan)',
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    retry: { retries: tuning.retries ?? 3, retryAfterBaseValue: baseMs },
    throttle: {
      id: `shadowscan-${baseUrl}`,
      retryAfterBaseValue: baseMs,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (_after: number, _opts: unknown, _o: unknown, retryCount: number) => { stats.retries++; return retryCount < retries; },
      onSecondaryRateLimit: (_after: number, _opts: unknown, _o: unknown, retryCount: number) => { stats.retries++; return retryCount < retries; },
      enabled: tuning.throttling ?? true,
    },
    // Count what goes on the wire (retries included); every attempt is bounded in time.
    request: { fetch: (url: string, init: RequestInit) => { stats.requests++; return bounded(url, init); } },
  };
}

/**
 * Request hook, outermost: primary-rate-limit pacing, If-None-Match from the cache, 304 → cached body,
 * sanitising sensitive bodies, counting.
 */
function instrument(client: GithubClient, cache: EtagCache, stats: RequestStats, tuning: GithubClientTuning): void {
  const reserve = tuning.rateLimitReserve ?? 20;
  const maxWait = tuning.maxRateLimitWaitMs ?? 15 * 60_000;
  let remaining: number | null = null;
  let resetAt = 0;
  client.hook.wrap('request', async (request, options) => {
    if (remaining !== null && remaining <= reserve && resetAt > Date.now()) {
      const wait = resetAt - Date.now() + 500;
      if (wait > maxWait) throw new Error(`primary rate limit exhausted until ${new Date(resetAt).toISOString()} (longer than the ${Math.round(maxWait / 1000)} s wait allowed)`);
      stats.rateLimitWaitMs += wait;
      await sleep(wait);
      remaining = null;
    }
    const method = String(options.method ?? 'GET').toUpperCase();
    const url = client.request.endpoint.parse(options as never).url;
    const cached = method === 'GET' ? cache.get(url) : undefined;
    if (cached) options.headers = { ...options.headers, 'if-none-match': cached.etag };
    const note = (headers: Record<string, string | number | undefined> | undefined): void => {
      const rem = headers?.['x-ratelimit-remaining'];
      const reset = headers?.['x-ratelimit-reset'];
      if (rem !== undefined) remaining = Number(rem);
      if (reset !== undefined) resetAt = Number(reset) * 1000;
    };
    try {
      const response = await request(options);
      note(response.headers as Record<string, string>);
      const data = method === 'GET' ? sanitize(url, response.data) : response.data;
      const etag = (response.headers as Record<string, string | undefined>)['etag'];
      // paginate() rewrites list bodies in place: cache a copy, hand out copies
      if (method === 'GET' && etag) cache.set(url, { etag, data: structuredClone(data), ...(response.headers.link ? { link: response.headers.link } : {}) });
      return { ...response, data } as typeof response;
    } catch (e) {
      const err = e as { status?: number; response?: { headers?: Record<string, string> } };
      note(err.response?.headers);
      if (err.status === 304 && cached) {
        stats.notModified++;
        return { status: 200, url, headers: { ...(err.response?.headers ?? {}), ...(cached.link ? { link: cached.link } : {}) }, data: structuredClone(cached.data) } as never;
      }
      throw e;
    }
  });
}
