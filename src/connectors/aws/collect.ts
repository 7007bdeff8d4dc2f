/**
 * Live AWS collection into the offline layout (DESIGN.md §3): accounts (profiles, default
 * chain, Organization), IAM per account, CloudTrail from S3 and/or LookupEvents, and the
 * coverage gaps of the run in DIR/coverage-gaps.json. Fetch and write only.
 */
import type { ProgressFn } from '../../kernel/progress.js';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import pLimit from 'p-limit';
import type { Store } from '../../store/db.js';
import { COVERAGE_GAPS_FILE, type CoverageGapsFile } from '../../store/load-gaps.js';
import { enabledRegions, profileRegion, resolveAccounts, type AccountOptions } from './accounts.js';
import { collectLookupEvents, LOOKUP_RETENTION_MS, type LookupCollectOptions } from './cloudtrail-lookup.js';
import { collectCloudTrailS3, parseBucketUrl, type S3CollectResult } from './cloudtrail-s3.js';
import type { AccountTarget, CollectGap, CollectLog } from './context.js';
import { collectIam, type IamCollectOptions } from './iam.js';
import { cliJson, writeAtomic } from './write.js';


/** Options of one live collection (the CLI's source flags). */
export interface AwsCollectOptions extends AccountOptions {
  /** Export directory to write (created). */
  outDir: string;
  /** `--regions`; default: every enabled region of each account. */
  regions?: string[];
  /** `--cloudtrail-bucket s3://bucket/prefix`. */
  cloudtrailBucket?: string;
  /** `--cloudtrail-profile`: profile that reads the bucket (default: the first profile, else the default chain). */
  cloudtrailProfile?: string;
  /** `--cloudtrail-api`: LookupEvents in every region. */
  cloudtrailApi: boolean;
  /** CloudTrail window. */
  windowStart: Date;
  windowEnd: Date;
  /** Accounts collected in parallel (default 4). */
  accountConcurrency?: number;
  /** Tuning passed through to the collectors (tests shorten waits with these). */
  iam?: IamCollectOptions;
  lookup?: Pick<LookupCollectOptions, 'minIntervalMs' | 'chunkEvents' | 'now' | 'sleep' | 'regionConcurrency'>;
  s3Concurrency?: number;
  onProgress?: ProgressFn;
  /** Keep the IAM files already in `outDir` instead of collecting IAM again (the daemon's `--iam-every`). */
  skipIam?: boolean;
  /** Delete cached CloudTrail objects of days before the window (the live scan's and daemon's own cache). */
  pruneCache?: boolean;
}

/** What a collection did. */
export interface AwsCollectResult {
  accounts: { id: string; via: string }[];
  iam: { account: string; users: number; roles: number; keys: number }[];
  s3?: S3CollectResult;
  lookup: { account: string; calls: number; events: number; duplicatesSkipped: number }[];
  gaps: CollectGap[];
}


/** Collect from live AWS into `opts.outDir`. */
export async function collectAws(store: Store, opts: AwsCollectOptions): Promise<AwsCollectResult> {
  const log: CollectLog = { gaps: [], progress: opts.onProgress ?? (() => undefined) };
  const outDir = resolve(opts.outDir);
  const location = opts.cloudtrailBucket ? parseBucketUrl(opts.cloudtrailBucket) : undefined;

  log.progress('resolving accounts');
  const targets = await resolveAccounts(opts, log);
  const result: AwsCollectResult = { accounts: targets.map((t) => ({ id: t.accountId, via: t.via })), iam: [], lookup: [], gaps: log.gaps };
  log.progress(`${targets.length} account(s): ${targets.map((t) => t.accountId).join(', ') || 'none'}`);

  const perAccount = async (t: AccountTarget): Promise<void> => {
    const dir = join(outDir, 'aws', 'iam', t.accountId);
    let iam = { users: 0, roles: 0, keys: 0 };
    if (!opts.skipIam) {
      rmSync(dir, { recursive: true, force: true }); // a stale file must never pass for this run's data
      iam = await collectIam(t, dir, log, opts.iam);
      result.iam.push({ account: t.accountId, users: iam.users, roles: iam.roles, keys: iam.keys });
    }
    if (opts.cloudtrailApi) {
      const regions = opts.regions?.length ? opts.regions : await enabledRegions(t, log);
      const lookup = await collectLookupEvents(store, t, {
        outDir, windowStart: opts.windowStart, windowEnd: opts.windowEnd, regions, ...opts.lookup,
      }, log);
      result.lookup.push({ account: t.accountId, calls: lookup.calls, events: lookup.events, duplicatesSkipped: lookup.duplicatesSkipped });
    }
    log.progress(`${t.accountId}: done (${iam.users} users, ${iam.roles} roles, ${iam.keys} keys)`);
  };
  if (opts.cloudtrailApi && opts.windowStart.getTime() < Date.now() - LOOKUP_RETENTION_MS) {
    log.gaps.push({
      source: 'aws:*:*:cloudtrail:LookupEvents', account: null, region: null, api: 'LookupEvents', permission: null,
      detail: `LookupEvents keeps 90 days: events before ${new Date(Date.now() - LOOKUP_RETENTION_MS).toISOString().slice(0, 10)} (start of the --lookback window: ${opts.windowStart.toISOString().slice(0, 10)}) can only come from a trail (--cloudtrail-bucket)`,
    });
  }
  const limit = pLimit(opts.accountConcurrency ?? 4);
  const jobs: Promise<unknown>[] = targets.map((t) => limit(() => perAccount(t)));
  if (location) {
    const bucketProfile = opts.cloudtrailProfile ?? opts.profiles[0];
    jobs.push(collectCloudTrailS3(store, {
      location, outDir, windowStart: opts.windowStart, windowEnd: opts.windowEnd,
      ...(opts.accounts?.length ? { accounts: opts.accounts } : {}),
      ...(opts.regions?.length ? { regions: opts.regions } : {}),
      ...(opts.s3Concurrency ? { concurrency: opts.s3Concurrency } : {}),
      ...(opts.pruneCache ? { pruneBeforeWindow: true } : {}),
      ...(bucketProfile ? { credentials: fromIni({ profile: bucketProfile }) } : {}),
      region: await profileRegion(bucketProfile),
    }, log).then((r) => { result.s3 = r; }));
  }
  await Promise.all(jobs);

  result.iam.sort((a, b) => a.account.localeCompare(b.account));
  result.lookup.sort((a, b) => a.account.localeCompare(b.account));
  log.gaps.sort((a, b) => a.source.localeCompare(b.source) || a.detail.localeCompare(b.detail));
  const doc: CoverageGapsFile = { version: 1, collected_at: new Date().toISOString(), accounts: result.accounts, gaps: log.gaps };
  writeAtomic(join(outDir, COVERAGE_GAPS_FILE), cliJson(doc));
  return result;
}
