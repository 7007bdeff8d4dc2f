/**
 * CloudTrail's S3 archive, fetched incrementally into the local content cache
 * (DIR/aws/AWSLogs/..., the offline layout). Lists only the date partitions inside the window,
 * for every account (single-account and organization-trail layouts) and region, downloads with
 * bounded concurrency, and records key + ETag in DuckDB so a re-run downloads only new objects.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import { LIST, VARCHAR, jsToDuckDBValue } from '@duckdb/node-api';
import pLimit from 'p-limit';
import { UsageError } from '../../kernel/errors.js';
import type { Store } from '../../store/db.js';
import { homeRegion } from './accounts.js';
import { clientConfig, guarded, isAccessDenied, recordGap, type CollectLog, type Credentials } from './context.js';
import { writeAtomic } from './write.js';

/** A parsed `--cloudtrail-bucket s3://bucket/prefix`. */
export interface BucketLocation {
  bucket: string;
  /** The trail's key prefix before `AWSLogs/`: '' or ending in '/'. */
  prefix: string;
  /** Narrowed by the URL to one organization, account or region (`…/AWSLogs/o-…/<account>/CloudTrail/<region>/`). */
  org?: string;
  account?: string;
  region?: string;
}

/**
 * Parse `s3://bucket[/prefix]` as users write it: the bucket, a key prefix before `AWSLogs/`, or any
 * folder inside the documented layout (`…/AWSLogs/`, `…/AWSLogs/o-abc123defg`, `…/AWSLogs/<account>`,
 * `…/AWSLogs/[o-…/]<account>/CloudTrail/<region>`; date folders below that are ignored: the window decides).
 * A usage error names the flag.
 */
export function parseBucketUrl(url: string): BucketLocation {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
  if (!m || !m[1]) throw new UsageError(`--cloudtrail-bucket ${url}: expected s3://bucket or s3://bucket/prefix`);
  const path = (m[2] ?? '').replace(/^\/+/, '');
  const at = path === 'AWSLogs' || path.startsWith('AWSLogs/') ? 0 : path.indexOf('/AWSLogs/') >= 0 ? path.indexOf('/AWSLogs/') + 1 : path.endsWith('/AWSLogs') ? path.length - 7 : -1;
  let prefix = at >= 0 ? path.slice(0, at) : path;
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  const out: BucketLocation = { bucket: m[1], prefix };
  if (at < 0) return out;
  const parts = path.slice(at + 'AWSLogs'.length).split('/').filter(Boolean);
  let i = 0;
  if (parts[i] && /^o-[a-z0-9]{10,32}$/.test(parts[i] as string)) out.org = parts[i++] as string;
  if (parts[i] && /^\d{12}$/.test(parts[i] as string)) out.account = parts[i++] as string;
  if (parts[i] === 'CloudTrail') { i++; if (parts[i]) out.region = parts[i++] as string; }
  const rest = parts.slice(i);
  if (rest.length > 0 && !(rest.every((p) => /^\d{2,4}$/.test(p)) && (out.region !== undefined))) {
    throw new UsageError(`--cloudtrail-bucket ${url}: "${rest.join('/')}" is not part of the CloudTrail layout (…/AWSLogs/[o-org-id/]<account>/CloudTrail/<region>/)`);
  }
  return out;
}

/** Options of one S3 collection. */
export interface S3CollectOptions {
  location: BucketLocation;
  /** Export directory; objects land in DIR/aws/AWSLogs/<key below AWSLogs/>. */
  outDir: string;
  windowStart: Date;
  windowEnd: Date;
  /** Restrict to these accounts / regions (default: every one the bucket holds). */
  accounts?: string[];
  regions?: string[];
  /** Concurrent GetObject downloads (default 16) and ListObjectsV2 listings (default 8). */
  concurrency?: number;
  listConcurrency?: number;
  /** Credentials that can read the bucket (default: the SDK default chain). */
  credentials?: Credentials;
  /** Region of the first request (S3 follows the bucket's region from there); default homeRegion(). */
  region?: string;
  /**
   * Delete cached objects of days before the window (a day of slack) after collecting: for the cache a live
   * `scan` or the daemon owns, which would otherwise grow forever and be re-read by every scan. Never for
   * `collect --out`, whose directory is the user's.
   */
  pruneBeforeWindow?: boolean;
}

/** What one S3 collection did. */
export interface S3CollectResult {
  listed: number;
  downloaded: number;
  skipped: number;
  bytes: number;
  files: string[];
  /** Cached objects deleted because their day is before the window (pruneBeforeWindow). */
  pruned?: number;
}

/** One listing of a region's log folder: a month partition, started after the window's first day when it begins mid-month. */
export interface MonthListing {
  /** "YYYY/MM/" below …/CloudTrail/<region>/. */
  month: string;
  /** "YYYY/MM/DD/": list keys after this (S3 StartAfter), i.e. from the window's first day on. */
  startAfterDay?: string;
}

/**
 * The month partitions covering [start, end] (CloudTrail partitions by UTC day). One listing per
 * month with StartAfter costs one call per 1,000 objects, where one listing per day costs at least
 * one call per day; listing stops at the first key past the window's last day.
 */
export function monthListings(start: Date, end: Date): MonthListing[] {
  const out: MonthListing[] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  const endKey = end.getUTCFullYear() * 12 + end.getUTCMonth();
  while (y * 12 + m <= endKey) {
    const month = `${y}/${pad(m + 1)}/`;
    const first = y === start.getUTCFullYear() && m === start.getUTCMonth() && start.getUTCDate() > 1;
    // StartAfter is exclusive: every key of day D sorts after "…/DD-1/~", and none of day D-1 does.
    out.push(first ? { month, startAfterDay: `${month}${pad(start.getUTCDate() - 1)}/~` } : { month });
    m++;
    if (m === 12) { m = 0; y++; }
  }
  return out;
}

/** UTC day of a CloudTrail key (…/CloudTrail/<region>/YYYY/MM/DD/…), or undefined. */
function keyDay(key: string): number | undefined {
  const m = /\/CloudTrail\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(key);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** Collect the trail's objects inside the window into the local cache; only new or changed objects are downloaded. */
export async function collectCloudTrailS3(store: Store, opts: S3CollectOptions, log: CollectLog): Promise<S3CollectResult> {
  const { bucket, prefix } = opts.location;
  const s3 = new S3Client({ ...clientConfig(opts.region ?? homeRegion(), opts.credentials), followRegionRedirects: true, ...pathStyleForEmulators() });
  const base = `${prefix}AWSLogs/`;
  const outDir = resolve(opts.outDir);
  const result: S3CollectResult = { listed: 0, downloaded: 0, skipped: 0, bytes: 0, files: [] };
  const site = (action: string, loses: string, account: string | null = null, region: string | null = null) =>
    ({ account, region, action, loses: `${loses} (s3://${bucket}/${base})` });

  const listPrefixes = async (p: string): Promise<string[]> => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: p, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) }));
      for (const cp of page.CommonPrefixes ?? []) if (cp.Prefix) out.push(cp.Prefix.slice(p.length).replace(/\/$/, ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  };

  // Layout: AWSLogs/<account>/CloudTrail/<region>/… or, for organization trails, AWSLogs/<org-id>/<account>/CloudTrail/….
  log.progress(`s3://${bucket}/${base}: discovering accounts and regions`);
  const gapsBefore = log.gaps.length;
  const top = await guarded(log, site('s3:ListBucket', 'CloudTrail S3 archive'), () => listPrefixes(base));
  if (!top.ok) return result;
  const accountRoots: { account: string; root: string }[] = [];
  const { org, account, region } = opts.location;
  for (const name of top.value) {
    if (/^\d{12}$/.test(name)) { if (!org) accountRoots.push({ account: name, root: `${base}${name}/` }); }
    else if (/^o-[a-z0-9]{10,32}$/.test(name) && (!org || name === org)) {
      const members = await guarded(log, site('s3:ListBucket', `organization trail ${name}`), () => listPrefixes(`${base}${name}/`));
      if (members.ok) for (const a of members.value) if (/^\d{12}$/.test(a)) accountRoots.push({ account: a, root: `${base}${name}/${a}/` });
    }
  }
  const wantAccounts = account ? new Set([account]) : opts.accounts?.length ? new Set(opts.accounts) : undefined;
  const wantRegions = region ? new Set([region]) : opts.regions?.length ? new Set(opts.regions) : undefined;
  const listLimit = pLimit(opts.listConcurrency ?? 8);
  const partitions = monthListings(opts.windowStart, opts.windowEnd);
  const firstDay = Date.UTC(opts.windowStart.getUTCFullYear(), opts.windowStart.getUTCMonth(), opts.windowStart.getUTCDate());
  const lastDay = Date.UTC(opts.windowEnd.getUTCFullYear(), opts.windowEnd.getUTCMonth(), opts.windowEnd.getUTCDate());

  const regionRoots: { account: string; region: string; root: string }[] = [];
  await Promise.all(accountRoots.filter((r) => !wantAccounts || wantAccounts.has(r.account)).map((r) => listLimit(async () => {
    const regions = await guarded(log, site('s3:ListBucket', `CloudTrail logs of account ${r.account}`, r.account), () => listPrefixes(`${r.root}CloudTrail/`));
    if (!regions.ok) return;
    for (const region of regions.value) if (!wantRegions || wantRegions.has(region)) regionRoots.push({ account: r.account, region, root: `${r.root}CloudTrail/${region}/` });
  })));

  const objects: _Object[] = [];
  await Promise.all(regionRoots.flatMap((r) => partitions.map((part) => listLimit(() =>
    guarded(log, site('s3:ListBucket', `CloudTrail logs under ${part.month}`, r.account, r.region), async () => {
      let token: string | undefined;
      let pastWindow = false;
      do {
        const page = await s3.send(new ListObjectsV2Command({
          Bucket: bucket, Prefix: `${r.root}${part.month}`,
          ...(token ? { ContinuationToken: token } : part.startAfterDay ? { StartAfter: `${r.root}${part.startAfterDay}` } : {}),
        }));
        for (const o of page.Contents ?? []) {
          if (!o.Key || !/\.json(\.gz)?$/.test(o.Key)) continue;
          const d = keyDay(o.Key);
          if (d !== undefined && d > lastDay) { pastWindow = true; break; } // keys are sorted: the rest is later
          if (d !== undefined && d < firstDay) continue;
          objects.push(o);
        }
        token = page.IsTruncated && !pastWindow ? page.NextContinuationToken : undefined;
      } while (token);
    })))));
  objects.sort((a, b) => (a.Key ?? '').localeCompare(b.Key ?? ''));
  result.listed = objects.length;
  if (objects.length === 0 && log.gaps.length === gapsBefore) {
    // Nothing to read and no error to say why: the location is wrong, or the window holds no logs. Say what was there.
    const scope = [org && `organization ${org}`, account && `account ${account}`, region && `region ${region}`].filter(Boolean).join(', ');
    const found = top.value.length === 0 ? 'nothing' : top.value.slice(0, 10).join(', ') + (top.value.length > 10 ? ', …' : '');
    log.gaps.push({
      source: `s3://${bucket}/${base}`, account: account ?? null, region: region ?? null, api: 'ListObjectsV2', permission: null,
      detail: `no CloudTrail log object in the window (${opts.windowStart.toISOString().slice(0, 10)} to ${opts.windowEnd.toISOString().slice(0, 10)})${scope ? ` for ${scope}` : ''}; `
        + `listed s3://${bucket}/${base} and found ${found === 'nothing' ? 'nothing there' : `${found} there`}`
        + `${accountRoots.length > 0 ? `; ${accountRoots.length} account folder(s), ${regionRoots.length} region folder(s) matched` : ''}`,
    });
  }

  const known = new Map<string, string>();
  for (const row of await store.exclusive(() => store.all<{ key: string; etag: string | null }>(
    'SELECT key, etag FROM aws_s3_objects WHERE out_dir = $o AND bucket = $b', { o: outDir, b: bucket }))) {
    known.set(row.key, row.etag ?? '');
  }
  const localPath = (key: string) => join(outDir, 'aws', 'AWSLogs', ...key.slice(base.length).split('/'));
  const todo = objects.filter((o) => {
    const key = o.Key as string;
    if (known.get(key) === (o.ETag ?? '') && existsSync(localPath(key))) {
      result.skipped++;
      return false;
    }
    return true;
  });
  log.progress(`s3://${bucket}/${base}: ${objects.length} object(s) in the window, ${todo.length} to download`);

  const limit = pLimit(opts.concurrency ?? 16);
  let deniedGet = false;
  const batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch.splice(0);
    await store.exclusive(() => store.transaction(async () => {
      await store.run('DELETE FROM aws_s3_objects WHERE out_dir = $o AND bucket = $b AND list_contains($keys, key)',
        { o: outDir, b: bucket, keys: jsToDuckDBValue(rows.map((r) => r[2] as string), LIST(VARCHAR)) });
      await store.append('aws_s3_objects', new Array(8).fill(''), rows);
    }));
  };
  let done = 0;
  await Promise.all(todo.map((o) => limit(async () => {
    if (deniedGet) return;
    const key = o.Key as string;
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(o.ETag ? { IfMatch: o.ETag } : {}) }));
      const body = got.Body ? await got.Body.transformToByteArray() : new Uint8Array();
      const file = localPath(key);
      writeAtomic(file, body);
      result.downloaded++;
      result.bytes += body.byteLength;
      result.files.push(file);
      batch.push([outDir, bucket, key, got.ETag ?? o.ETag ?? null, body.byteLength,
        o.LastModified ?? null, file, new Date()]);
      if (batch.length >= 500) await flush();
    } catch (e) {
      deniedGet = isAccessDenied(e);
      recordGap(log, site('s3:GetObject', deniedGet ? 'every CloudTrail log object' : `CloudTrail log ${key}`), e);
    }
    done++;
    log.progress(`s3://${bucket}: downloading`, { done, total: todo.length, unit: 'objects' });
  })));
  await flush();
  if (opts.pruneBeforeWindow) result.pruned = await pruneBefore(store, outDir, bucket, firstDay - DAY_MS);
  return result;
}

const DAY_MS = 86_400_000;

/** Delete the cached objects (files and records) of days before `day`; returns how many. */
async function pruneBefore(store: Store, outDir: string, bucket: string, day: number): Promise<number> {
  const rows = await store.exclusive(() => store.all<{ key: string; local_path: string | null }>(
    'SELECT key, local_path FROM aws_s3_objects WHERE out_dir = $o AND bucket = $b', { o: outDir, b: bucket }));
  const old = rows.filter((r) => { const d = keyDay(r.key); return d !== undefined && d < day; });
  if (old.length === 0) return 0;
  for (const r of old) if (r.local_path) rmSync(r.local_path, { force: true });
  await store.exclusive(() => store.run('DELETE FROM aws_s3_objects WHERE out_dir = $o AND bucket = $b AND list_contains($keys, key)',
    { o: outDir, b: bucket, keys: jsToDuckDBValue(old.map((r) => r.key), LIST(VARCHAR)) }));
  return old.length;
}

/**
 * Emulators (LocalStack, MinIO) behind AWS_ENDPOINT_URL(_S3) usually need path-style URLs; the
 * endpoint itself is still left to the SDK.
 */
function pathStyleForEmulators(): { forcePathStyle?: boolean } {
  return process.env['AWS_ENDPOINT_URL_S3'] || process.env['AWS_ENDPOINT_URL'] ? { forcePathStyle: true } : {};
}
