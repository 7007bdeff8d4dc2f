/**
 * CloudTrail LookupEvents for accounts without a trail: every region, every page, at most
 * 2 requests/s per account and region, 50 events per page. Resumable: the time ranges fully
 * read and the ids already written are kept in DuckDB, ranges still missing are re-queried with
 * inclusive boundaries and de-duplicated by event id, so no event is dropped or written twice
 * across pages, failures or runs. Written as DIR/aws/lookup-events-<account>-<region>-<stamp>-<n>.json
 * in the `aws cloudtrail lookup-events` shape the offline loader reads.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import pLimit from 'p-limit';
import type { Store } from '../../store/db.js';
import { clientConfig, recordGap, sleep as realSleep, type AccountTarget, type CollectLog } from './context.js';
import { cliJson, writeAtomic } from './write.js';

/** LookupEvents' documented limits. */
export const LOOKUP_MAX_RESULTS = 50;
export const LOOKUP_MIN_INTERVAL_MS = 500; // 2 requests per second per account per region
/** LookupEvents keeps 90 days. */
export const LOOKUP_RETENTION_MS = 90 * 86_400_000;
/** Events can appear in LookupEvents up to ~15 minutes late: the newest 15 minutes are re-read next run. */
export const LOOKUP_SETTLE_MS = 15 * 60_000;

/** Spaces calls at least `intervalMs` apart (one limiter per account and region). */
export class RateLimiter {
  private next = 0;
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
  ) {}

  /** Resolve when the next call may go out. */
  async wait(): Promise<void> {
    const t = this.now();
    const at = Math.max(t, this.next);
    this.next = at + this.intervalMs;
    if (at > t) await this.sleep(at - t);
  }
}

/** Options of one LookupEvents collection. */
export interface LookupCollectOptions {
  outDir: string;
  windowStart: Date;
  windowEnd: Date;
  regions: string[];
  /** Regions read in parallel per account (default 4); each region keeps its own 2 req/s budget. */
  regionConcurrency?: number;
  /** Minimum ms between calls per account and region (default 500 = 2 req/s). */
  minIntervalMs?: number;
  /** Events per output file (default 5000); each file is a resume point. */
  chunkEvents?: number;
  /** Clock and sleep, injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Run stamp used in file names (default: the current time). */
  stamp?: string;
}

/** What one account's LookupEvents collection did. */
export interface LookupCollectResult {
  calls: number;
  events: number;
  duplicatesSkipped: number;
  files: string[];
}

type Range = [number, number];

/** Merge overlapping/adjacent closed ranges. */
export function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r[0] <= r[1]).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Parts of [from, to] not covered by `covered`, newest first. */
export function missingRanges(from: number, to: number, covered: Range[]): Range[] {
  const out: Range[] = [];
  let cursor = from;
  for (const [a, b] of mergeRanges(covered)) {
    if (b < cursor) continue;
    if (a > to) break;
    if (a > cursor) out.push([cursor, Math.min(a, to)]);
    cursor = Math.max(cursor, b);
  }
  if (cursor < to) out.push([cursor, to]);
  return out.reverse();
}

const fileStem = (account: string, region: string) => `lookup-events-${account}-${region}-`;

/** Collect LookupEvents for one account across `opts.regions`. */
export async function collectLookupEvents(store: Store, target: AccountTarget, opts: LookupCollectOptions, log: CollectLog): Promise<LookupCollectResult> {
  const result: LookupCollectResult = { calls: 0, events: 0, duplicatesSkipped: 0, files: [] };
  const limit = pLimit(opts.regionConcurrency ?? 4);
  await Promise.all(opts.regions.map((region) => limit(() => collectRegion(store, target, region, opts, log, result))));
  result.files.sort();
  return result;
}

async function collectRegion(store: Store, target: AccountTarget, region: string, opts: LookupCollectOptions, log: CollectLog, result: LookupCollectResult): Promise<void> {
  const now = opts.now ?? Date.now;
  const account = target.accountId;
  const outDir = resolve(opts.outDir);
  const awsDir = join(outDir, 'aws');
  const key = { o: outDir, a: account, r: region };
  const stem = fileStem(account, region);

  // State is only valid while the files it describes are still there.
  const haveFiles = existsSync(awsDir) && readdirSync(awsDir).some((f) => f.startsWith(stem) && f.endsWith('.json'));
  const state = await store.exclusive(async () => {
    if (!haveFiles) {
      await store.run('DELETE FROM aws_lookup_coverage WHERE out_dir = $o AND account_id = $a AND region = $r', key);
      await store.run('DELETE FROM aws_lookup_seen WHERE out_dir = $o AND account_id = $a AND region = $r', key);
    }
    const row = await store.one<{ ranges: string | Range[] | null }>(
      'SELECT ranges FROM aws_lookup_coverage WHERE out_dir = $o AND account_id = $a AND region = $r', key);
    const ids = await store.all<{ event_id: string }>('SELECT event_id FROM aws_lookup_seen WHERE out_dir = $o AND account_id = $a AND region = $r', key);
    return { ranges: row?.ranges, ids };
  });
  let covered: Range[] = state.ranges ? (typeof state.ranges === 'string' ? JSON.parse(state.ranges) as Range[] : state.ranges) : [];
  const seen = new Set(state.ids.map((r) => r.event_id));

  const start = Math.max(opts.windowStart.getTime(), now() - LOOKUP_RETENTION_MS);
  const end = opts.windowEnd.getTime();
  const settled = now() - LOOKUP_SETTLE_MS;
  const todo = missingRanges(start, end, covered);
  if (todo.length === 0) return;

  const ct = new CloudTrailClient(clientConfig(region, target.credentials));
  const limiter = new RateLimiter(opts.minIntervalMs ?? LOOKUP_MIN_INTERVAL_MS, now, opts.sleep ?? realSleep);
  const chunk = opts.chunkEvents ?? 5000;
  const stamp = opts.stamp ?? new Date(now()).toISOString().replace(/[-:.]/g, '').slice(0, 15);
  let seq = 0;
  let buffer: Event[] = [];

  /** Write buffered events, remember their ids, and mark [from, to] as fully read. */
  const commit = async (from: number, to: number): Promise<void> => {
    if (buffer.length > 0) {
      let file: string;
      do file = join(awsDir, `${stem}${stamp}-${String(++seq).padStart(4, '0')}.json`); while (existsSync(file));
      writeAtomic(file, cliJson({ Events: buffer }));
      result.files.push(file);
      result.events += buffer.length;
      const rows = buffer.map((e) => [outDir, account, region, e.EventId ?? null, e.EventTime ?? null]);
      await store.exclusive(() => store.append('aws_lookup_seen', new Array(5).fill(''), rows));
      buffer = [];
    }
    // Never claim the unsettled tail: late events there are read again next run (and de-duplicated).
    const claimTo = Math.min(to, settled);
    if (claimTo >= from) {
      covered = mergeRanges([...covered, [from, claimTo]]);
      const ranges = JSON.stringify(covered);
      await store.exclusive(() => store.transaction(async () => {
        await store.run('DELETE FROM aws_lookup_coverage WHERE out_dir = $o AND account_id = $a AND region = $r', key);
        await store.run('INSERT INTO aws_lookup_coverage (out_dir, account_id, region, ranges) VALUES ($o, $a, $r, $ranges)', { ...key, ranges });
      }));
    }
  };

  log.progress(`${account} ${region}: LookupEvents, ${todo.length} time range(s) to read`);
  for (const [from, to] of todo) {
    // Inclusive whole-second bounds: events on a boundary second are read again and de-duplicated by id.
    const startTime = new Date(Math.floor(from / 1000) * 1000);
    const endTime = new Date(Math.ceil(to / 1000) * 1000);
    let token: string | undefined;
    let oldest = to; // events arrive newest first: everything in [oldest, to] has been read
    let pages = 0;
    try {
      do {
        await limiter.wait();
        result.calls++;
        const page = await ct.send(new LookupEventsCommand({
          StartTime: startTime, EndTime: endTime, MaxResults: LOOKUP_MAX_RESULTS, ...(token ? { NextToken: token } : {}),
        }));
        pages++;
        for (const e of page.Events ?? []) {
          const t = e.EventTime ? new Date(e.EventTime).getTime() : undefined;
          if (t !== undefined) oldest = Math.min(oldest, t);
          if (!e.EventId || seen.has(e.EventId)) {
            result.duplicatesSkipped++;
            continue;
          }
          seen.add(e.EventId);
          buffer.push(e);
        }
        token = page.NextToken;
        if (token && buffer.length >= chunk) await commit(Math.max(from, oldest), to);
        if (pages % 20 === 0) log.progress(`${account} ${region}: ${pages} page(s), back to ${new Date(oldest).toISOString()}`);
      } while (token);
      await commit(from, to);
    } catch (e) {
      // Keep what was read: the next run resumes from `oldest` (inclusive) instead of starting over.
      await commit(Math.max(from, oldest), oldest < to ? to : to - 1);
      const loses = pages === 0
        ? `management events from ${startTime.toISOString()} to ${endTime.toISOString()}`
        : `management events before ${new Date(oldest).toISOString()} (resumed on the next run)`;
      recordGap(log, { account, region, action: 'cloudtrail:LookupEvents', loses }, e);
      return;
    }
  }
}
