/**
 * What every AWS collector shares: client configuration (adaptive retry, timeouts, endpoints from
 * the environment), the account it works in, progress, and the one wrapper that turns a tolerable
 * API error (AccessDenied, opt-in region, throttling past the retries) into a coverage gap.
 */
import type { ProgressFn } from '../../kernel/progress.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { errorMessage } from '../../kernel/errors.js';
import { redact } from '../../kernel/redact.js';
import type { RecordedGap } from '../../store/load-gaps.js';

/** Milliseconds a single HTTP request may stay silent before it fails (default 30 s; env SHADOWSCAN_AWS_REQUEST_TIMEOUT_MS). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Milliseconds to establish a connection (default 5 s; env SHADOWSCAN_AWS_CONNECT_TIMEOUT_MS). */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Attempts per call, first included (default 8; env SHADOWSCAN_AWS_MAX_ATTEMPTS); throttling is retried with the SDK's adaptive rate limiter. */
export const MAX_ATTEMPTS = 8;

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Credentials for one account: a provider the SDK calls (and refreshes); values never leave memory. */
export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * Configuration for every client. Endpoints are not set: the SDK reads AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_<SERVICE> itself, so emulators keep working.
 */
export function clientConfig(region: string, credentials?: Credentials): {
  region: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: true };
  credentials?: Credentials;
} {
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: envNumber('SHADOWSCAN_AWS_MAX_ATTEMPTS', MAX_ATTEMPTS),
    // Without throwOnRequestTimeout the SDK only logs a warning and the call can hang for ever.
    requestHandler: {
      requestTimeout: envNumber('SHADOWSCAN_AWS_REQUEST_TIMEOUT_MS', REQUEST_TIMEOUT_MS),
      connectionTimeout: envNumber('SHADOWSCAN_AWS_CONNECT_TIMEOUT_MS', CONNECT_TIMEOUT_MS),
      throwOnRequestTimeout: true,
    },
    ...(credentials ? { credentials } : {}),
  };
}

/** One account we collect from. */
export interface AccountTarget {
  accountId: string;
  /** How we got in: "profile dev", "default credentials", "role arn:aws:iam::…:role/…". */
  via: string;
  /** Undefined: the SDK default provider chain. */
  credentials?: Credentials;
  /** Region for global APIs (IAM, STS, Account): the profile's (profileRegion); default homeRegion(). */
  region?: string;
}

/** A coverage gap with the facts collect records in DIR/coverage-gaps.json. */
export type CollectGap = RecordedGap;

/** Sink for gaps and progress shared by the collectors of one run. */
export interface CollectLog {
  gaps: CollectGap[];
  progress: ProgressFn;
}

const ACCESS_DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedException',
  'AWSOrganizationsNotInUseException', 'NotAuthorized',
]);
const REGION_DISABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'OptInRequired', 'AuthFailure']);

/** The error code an SDK error carries (`name`, or `Code` for some XML services). */
export function errorCode(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; Code?: unknown; code?: unknown };
    for (const v of [o.Code, o.code, o.name]) if (typeof v === 'string' && v !== 'Error') return v;
  }
  return 'Error';
}

/** True for an authorisation failure (missing permission, SCP, no org). */
export function isAccessDenied(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return ACCESS_DENIED.has(errorCode(e)) || status === 403;
}

/** Where a call ran, for gaps: account, region ("global" for IAM), API name and IAM action. */
export interface CallSite {
  account: string | null;
  region: string | null;
  /** e.g. "iam:GetAccountAuthorizationDetails" — the IAM action, which is also the API name. */
  action: string;
  /** What the report lacks when this call fails, e.g. "IAM users, roles and grants". */
  loses: string;
}

/** Build the coverage gap for a failed call. */
export function gapFor(site: CallSite, e: unknown): CollectGap {
  const code = errorCode(e);
  const where = `account ${site.account ?? '?'}${site.region ? `, region ${site.region}` : ''}`;
  let detail: string;
  const message = redact(errorMessage(e));
  // SSE-KMS trail objects: S3 answers AccessDenied, but the missing permission is the key's.
  const kms = isAccessDenied(e) && /\bkms\b|KMS/.test(message);
  // One site can make several calls (the credential report is Generate then Get): AWS names the denied one.
  const named = isAccessDenied(e) && !kms ? deniedAction(message) : undefined;
  if (named && named.split(':')[0] === site.action.split(':')[0]) site = { ...site, action: named };
  if (kms) {
    detail = `${code}: ${site.action} denied in ${where} by the KMS key policy; grant kms:Decrypt on the trail's key — ${site.loses} not collected`;
  } else if (isAccessDenied(e)) {
    const policy = /^(sts:AssumeRole|organizations:)/.test(site.action) ? 'policies/shadowscan-org-scanner.json' : 'policies/shadowscan-readonly.json';
    detail = `${code}: ${site.action} denied in ${where}; grant ${site.action} (see ${policy}) — ${site.loses} not collected`;
  } else if (code === 'ETIMEDOUT' || code === 'TimeoutError' || (e as { name?: unknown } | undefined)?.name === 'TimeoutError') {
    detail = `${code}: ${site.action} timed out in ${where} (no answer within the request timeout, after retries) — ${site.loses} not collected`;
  } else if (REGION_DISABLED.has(code)) {
    detail = `${code}: ${site.action} not usable in ${where} (region not enabled for this account?) — ${site.loses} not collected`;
  } else {
    detail = `${code}: ${site.action} failed in ${where}: ${firstLine(message)} — ${site.loses} not collected`;
  }
  return {
    source: `aws:${site.account ?? '?'}:${site.region ?? 'global'}:${site.action}`,
    detail,
    account: site.account,
    region: site.region,
    api: site.action.split(':')[1] ?? site.action,
    permission: kms ? 'kms:Decrypt' : isAccessDenied(e) ? site.action : null,
  };
}

/** Expected outcome of one guarded call. */
export type Guarded<T> = { ok: true; value: T } | { ok: false; gap: CollectGap };

/**
 * Run one API call (or paginated family); a failure becomes a coverage gap in `log` instead of
 * an exception, so the rest of the collection goes on. Bugs in our own code still surface: only
 * errors that come from AWS (with `$metadata`) or the network are caught.
 */
export async function guarded<T>(log: CollectLog, site: CallSite, fn: () => Promise<T>): Promise<Guarded<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (!isAwsOrNetworkError(e)) throw e;
    const gap = gapFor(site, e);
    log.gaps.push(gap);
    return { ok: false, gap };
  }
}

/** Record `e` as a gap for `site` (rethrowing bugs, like `guarded`). */
export function recordGap(log: CollectLog, site: CallSite, e: unknown): CollectGap {
  if (!isAwsOrNetworkError(e)) throw e;
  const gap = gapFor(site, e);
  log.gaps.push(gap);
  return gap;
}

function isAwsOrNetworkError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const o = e as { $metadata?: unknown; $fault?: unknown; code?: unknown; name?: unknown };
  if (o.$metadata !== undefined || o.$fault !== undefined) return true;
  if (typeof o.code === 'string' && /^E[A-Z]+/.test(o.code)) return true; // ECONNREFUSED, ETIMEDOUT, …
  return ['TimeoutError', 'AbortError', 'CredentialsProviderError', 'ProviderError', 'RequestTimeout'].includes(String(o.name));
}

/** The action an AccessDenied message names ("… is not authorized to perform: iam:GenerateCredentialReport on …"). */
export function deniedAction(message: string): string | undefined {
  return /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)\b/.exec(message)?.[1];
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).trim().slice(0, 300);
}

/** Sleep (injectable in tests through the rate limiter). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
