import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { health, renderMetrics, type DaemonSnapshot } from '../../src/daemon/metrics.js';
import { exportJob, SourceClock, type SourceJob, type SourceName } from '../../src/daemon/sources.js';
import { parsePrometheus } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-11-20T00:00:00Z');

/** A fake clock and a job that records what it was asked to refresh; `fail` makes it throw. */
function fixture(sources: { name: SourceName; everyMs: number }[]) {
  let now = t0;
  const calls: SourceName[][] = [];
  const state = { fail: false, missing: false };
  const job: SourceJob = {
    name: 'aws',
    sources: sources.map((s) => ({ ...s, missing: () => s.name === 'iam' && state.missing })),
    run: async (due) => {
      calls.push(due);
      if (state.fail) throw new Error('AccessDenied: token ghp_0123456789abcdefghijklmnopqrstuvwxyz expired');
      return { refreshed: Object.fromEntries(due.map((d) => [d, undefined])) };
    },
  };
  const clock = new SourceClock([job], 'live');
  const logs: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const refresh = () => clock.refresh(new AbortController().signal, (level, msg, fields) => logs.push({ level, msg, fields }), () => new Date(now));
  return { clock, calls, state, logs, refresh, advance: (ms: number) => { now += ms; }, now: () => new Date(now) };
}

describe('source refresh cadences (one mechanism for --iam-every and --github-every)', () => {
  it('refreshes each source on its own cadence and reuses it in between', async () => {
    const f = fixture([{ name: 'cloudtrail', everyMs: 0 }, { name: 'iam', everyMs: 4 * HOUR }]);
    expect(await f.refresh()).toEqual([]);
    f.advance(15 * 60_000);
    await f.refresh();
    f.advance(4 * HOUR);
    await f.refresh();
    expect(f.calls).toEqual([['cloudtrail', 'iam'], ['cloudtrail'], ['cloudtrail', 'iam']]);
    expect(f.logs.filter((l) => l.msg === 'source.reused').map((l) => l.fields['source'])).toEqual(['iam']);

    // Data gone from the cache (wiped): due whatever the cadence.
    f.state.missing = true;
    f.advance(60_000);
    await f.refresh();
    expect(f.calls.at(-1)).toEqual(['cloudtrail', 'iam']);
  });

  it('a failed refresh is a redacted coverage gap, retried at the next run; freshness keeps the last success', async () => {
    const f = fixture([{ name: 'github', everyMs: HOUR }]);
    f.state.fail = true;
    expect((await f.refresh())[0]?.detail).toMatch(/; nothing of it collected yet$/);
    f.state.fail = false;
    await f.refresh();
    const okAt = f.now().toISOString();
    f.advance(HOUR);
    f.state.fail = true;
    const gaps = await f.refresh();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.source).toBe('collect github');
    expect(gaps[0]?.detail).toContain(`analysed the data of the last refresh (${okAt})`);
    expect(gaps[0]?.detail).not.toContain('ghp_0123456789');
    f.advance(60_000);
    await f.refresh(); // not waiting an hour after a failure
    expect(f.calls).toHaveLength(4);

    const [gh] = f.clock.snapshot(f.now(), 15 * 60_000);
    expect(gh).toMatchObject({ source: 'github', mode: 'live', every_seconds: 3600, last_refresh_at: okAt, consecutive_failures: 2, stale: false });
    f.advance(2 * HOUR);
    expect(f.clock.snapshot(f.now(), 15 * 60_000)[0]?.stale).toBe(true); // 3h+ since the last success > 2h + 2 × 15 min

    f.state.fail = false;
    await f.refresh();
    expect(f.clock.snapshot(f.now(), 15 * 60_000)[0]).toMatchObject({ last_refresh_at: f.now().toISOString(), consecutive_failures: 0, last_error: null, stale: false });
  });

  it('an export (--from) is re-read every run; its freshness is the newest file of each source', async () => {
    const dir = tempDir();
    const file = (p: string, at: string): void => {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), '{}');
      utimesSync(join(dir, p), new Date(at), new Date(at));
    };
    file('aws/iam/111122223333/get-account-authorization-details.json', '2026-11-19T08:00:00Z');
    file('aws/iam/111122223333/credential-report.csv', '2026-11-19T09:00:00Z');
    file('aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/19/a.json.gz', '2026-11-19T10:00:00Z');
    file('aws/lookup-events-111122223333.json', '2026-11-19T11:00:00Z');
    const clock = new SourceClock([exportJob(dir)], 'export');
    const gaps = await clock.refresh(new AbortController().signal, () => undefined);
    expect(gaps).toEqual([]);
    const snap = clock.snapshot(new Date(), 60_000);
    expect(snap.map((s) => [s.source, s.last_refresh_at, s.every_seconds, s.stale])).toEqual([
      ['cloudtrail', '2026-11-19T11:00:00.000Z', null, false],
      ['iam', '2026-11-19T09:00:00.000Z', null, false],
    ]); // no github/ folder: not tracked
  });

  it('/metrics and /healthz expose each source: last refresh, cadence, failures, staleness', () => {
    const snap: DaemonSnapshot = {
      runs_total: { ok: 1, failed: 0, abandoned: 0 }, last_run: null, last_ok_run: null, running_since: null, next_run_at: null,
      lag_seconds: 0, late: false, sink_backlog: {},
      sources: [
        { source: 'cloudtrail', mode: 'live', every_seconds: 0, last_refresh_at: '2026-11-20T00:00:00.000Z', last_attempt_at: '2026-11-20T00:00:00.000Z', consecutive_failures: 0, last_error: null, stale: false },
        { source: 'github', mode: 'live', every_seconds: 3600, last_refresh_at: '2026-11-19T20:00:00.000Z', last_attempt_at: '2026-11-20T00:00:00.000Z', consecutive_failures: 3, last_error: 'acme: forbidden (401)', stale: true },
      ],
    };
    const { samples } = parsePrometheus(renderMetrics(snap));
    const get = (n: string, source: string) => samples.find((s) => s.name === n && s.labels['source'] === source)?.value;
    expect(get('shadowscan_source_last_refresh_timestamp_seconds', 'cloudtrail')).toBe(t0 / 1000);
    expect(get('shadowscan_source_last_refresh_timestamp_seconds', 'github')).toBe(t0 / 1000 - 4 * 3600);
    expect(get('shadowscan_source_refresh_interval_seconds', 'github')).toBe(3600);
    expect(get('shadowscan_source_refresh_failures', 'github')).toBe(3);
    expect(get('shadowscan_source_last_refresh_timestamp_seconds', 'iam')).toBeUndefined();

    const h = health(snap, new Date(t0));
    expect(h.code).toBe(200); // a stale source is reported, not a failing daemon
    expect(h.body['stale_sources']).toEqual(['github']);
    expect((h.body['sources'] as Record<string, Record<string, unknown>>)['github']).toMatchObject({ age_seconds: 4 * 3600, consecutive_failures: 3, last_error: 'acme: forbidden (401)', stale: true });
  });
});
