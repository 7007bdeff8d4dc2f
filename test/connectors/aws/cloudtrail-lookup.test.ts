import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectLookupEvents, missingRanges, RateLimiter } from '../../../src/connectors/aws/cloudtrail-lookup.js';
import type { CollectLog } from '../../../src/connectors/aws/context.js';
import { Store } from '../../../src/store/db.js';
import { lookupEvent, lookupEventsPage, serviceError } from '../../helpers/aws.js';
import { scanDir, tempDir } from '../../helpers/scan.js';

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());
const ACCOUNT = '111111111111';
const target = { accountId: ACCOUNT, via: 'default credentials' };
const newLog = (): CollectLog => ({ gaps: [], progress: () => undefined });

/** A virtual clock: sleeping advances it, so rate limits are checked without waiting. */
function clock(start: string) {
  let t = new Date(start).getTime();
  return { now: () => t, sleep: async (ms: number) => { t += ms; }, advance: (ms: number) => { t += ms; } };
}

/** Events every 7 minutes, with bursts of 3 in the same second (so page boundaries split equal timestamps). */
function eventStream(from: string, count: number): Event[] {
  const base = new Date(from).getTime();
  const out: Event[] = [];
  for (let i = 0; out.length < count; i++) {
    const t = new Date(Math.floor((base + i * 7 * 60_000) / 1000) * 1000);
    for (let j = 0; j < 3 && out.length < count; j++) out.push(lookupEvent(`ev-${String(out.length).padStart(5, '0')}`, t));
  }
  return out;
}

/** Every event id written to lookup-events files in `dir`, in file order. */
function writtenIds(dir: string): string[] {
  const aws = join(dir, 'aws');
  return readdirSync(aws).filter((f) => f.startsWith('lookup-events-')).sort()
    .flatMap((f) => (JSON.parse(readFileSync(join(aws, f), 'utf8')).Events as { EventId: string }[]).map((e) => e.EventId));
}

const window = { windowStart: new Date('2026-11-10T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z') };

describe('CloudTrail LookupEvents', () => {
  it('reads every page at ≤ 2 requests/s, 50 per page, in every region, nothing dropped or duplicated', async () => {
    const events = eventStream('2026-11-12T00:00:00Z', 1000);
    ct.on(LookupEventsCommand).callsFake((input) => lookupEventsPage(events, input));
    const c = clock('2026-11-21T00:00:00Z');
    const callTimes: number[] = [];
    ct.on(LookupEventsCommand).callsFake((input) => { callTimes.push(c.now()); return lookupEventsPage(events, input); });
    const out = tempDir();
    const store = await Store.open(':memory:');
    try {
      const r = await collectLookupEvents(store, target, { outDir: out, ...window, regions: ['us-east-1'], now: c.now, sleep: c.sleep, chunkEvents: 300 }, newLog());
      expect(r).toMatchObject({ calls: 20, events: 1000, duplicatesSkipped: 0 });
      expect(ct.commandCalls(LookupEventsCommand).every((x) => x.args[0].input.MaxResults === 50)).toBe(true);
      for (let i = 1; i < callTimes.length; i++) expect(callTimes[i]! - callTimes[i - 1]!).toBeGreaterThanOrEqual(500);
      const ids = writtenIds(out);
      expect(ids).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      expect(r.files.length).toBe(4); // 300-event chunks
    } finally {
      store.close();
    }
    const report = await scanDir(out, '2026-11-20T00:00:00Z', 10);
    expect(report.run.counts.cloudtrail_records).toBe(1000);
  });

  it('resumes after a failure mid-way and on the next run: no event dropped, none duplicated', async () => {
    let events = eventStream('2026-11-12T00:00:00Z', 600);
    let calls = 0;
    let failAt = 5;
    ct.on(LookupEventsCommand).callsFake((input) => {
      calls++;
      if (calls === failAt) throw serviceError('ThrottlingException', 400, 'Rate exceeded');
      return lookupEventsPage(events, input);
    });
    // Ten minutes after the window's end: its last 15 minutes are not settled yet.
    const c = clock('2026-11-20T00:10:00Z');
    const out = tempDir();
    const store = await Store.open(':memory:');
    try {
      const opts = { outDir: out, ...window, regions: ['us-east-1'], now: c.now, sleep: c.sleep, chunkEvents: 100 };
      const log = newLog();
      const first = await collectLookupEvents(store, target, opts, log);
      expect(log.gaps).toHaveLength(1);
      expect(log.gaps[0]).toMatchObject({ account: ACCOUNT, region: 'us-east-1', api: 'LookupEvents' });
      expect(log.gaps[0]!.detail).toMatch(/ThrottlingException.*resumed on the next run/);
      expect(first.events).toBe(200); // 4 pages read before the failure

      // Second run: only the missing older part is read (plus the boundary second, de-duplicated).
      failAt = -1;
      calls = 0;
      c.advance(60_000);
      const second = await collectLookupEvents(store, target, opts, newLog());
      expect(second.events).toBe(400);
      // 9 pages for the older 400 (+ the boundary second again, de-duplicated) and 1 for the unsettled tail: not the 12 of a fresh start.
      expect(second.calls).toBe(10);
      expect(second.duplicatesSkipped).toBeGreaterThan(0);
      let ids = writtenIds(out);
      expect(ids).toHaveLength(600);
      expect(new Set(ids)).toEqual(new Set(events.map((e) => e.EventId)));

      // Third run, an hour later: new events since, plus one that showed up late inside the previous runs' unsettled tail.
      c.advance(3600_000);
      const late = lookupEvent('late-1', new Date('2026-11-19T23:58:00Z'));
      const newer = eventStream('2026-11-20T00:20:00Z', 9).map((e, i) => ({ ...e, EventId: `new-${i}` }));
      events = [...events, late, ...newer];
      const third = await collectLookupEvents(store, target, { ...opts, windowEnd: new Date(c.now()) }, newLog());
      ids = writtenIds(out);
      expect(third.events).toBe(10);
      expect(ids).toHaveLength(610);
      expect(new Set(ids).size).toBe(610);
      expect(ids).toContain('late-1');
      expect(third.calls).toBe(1);
    } finally {
      store.close();
    }
  });

  it('a re-run with nothing new reads only the unsettled last 15 minutes', async () => {
    const events = eventStream('2026-11-12T00:00:00Z', 500);
    ct.on(LookupEventsCommand).callsFake((input) => lookupEventsPage(events, input));
    const c = clock('2026-11-20T00:00:00Z');
    const out = tempDir();
    const store = await Store.open(':memory:');
    try {
      const opts = { outDir: out, ...window, regions: ['us-east-1', 'eu-west-1'], now: c.now, sleep: c.sleep };
      const first = await collectLookupEvents(store, target, opts, newLog());
      expect(first).toMatchObject({ calls: 20, events: 1000 }); // 500 events per region (the mock serves both)
      c.advance(60_000);
      const again = await collectLookupEvents(store, target, { ...opts, windowEnd: new Date(c.now()) }, newLog());
      expect(again).toMatchObject({ calls: 2, events: 0 });
      // Each region restarts 15 minutes before the first run's clock (its own start, seconds apart).
      for (const x of ct.commandCalls(LookupEventsCommand).slice(-2)) {
        expect(x.args[0].input.StartTime!.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-19T23:45:00Z'));
        expect(x.args[0].input.StartTime!.getTime()).toBeLessThan(Date.parse('2026-11-19T23:46:00Z'));
      }
    } finally {
      store.close();
    }
  });

  it('missing ranges and the rate limiter', async () => {
    expect(missingRanges(0, 100, [])).toEqual([[0, 100]]);
    expect(missingRanges(0, 100, [[20, 30], [25, 60]])).toEqual([[60, 100], [0, 20]]);
    expect(missingRanges(0, 100, [[0, 100]])).toEqual([]);
    const c = clock('2026-01-01T00:00:00Z');
    const limiter = new RateLimiter(500, c.now, c.sleep);
    const at: number[] = [];
    for (let i = 0; i < 5; i++) { await limiter.wait(); at.push(c.now()); }
    expect(at.map((t) => t - at[0]!)).toEqual([0, 500, 1000, 1500, 2000]);
  });
});
