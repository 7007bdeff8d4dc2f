import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseDurationMs } from '../../src/kernel/duration.js';
import { UsageError } from '../../src/kernel/errors.js';
import { Deliverer } from '../../src/daemon/delivery.js';
import { parseListen } from '../../src/daemon/http.js';
import { health, renderMetrics, type DaemonSnapshot } from '../../src/daemon/metrics.js';
import { backlog, enqueue } from '../../src/daemon/outbox.js';
import { nextRunAt, parseSchedule } from '../../src/daemon/schedule.js';
import { Store } from '../../src/store/db.js';
import { ingestCloudTrail } from '../../src/store/ingest.js';
import { listCloudTrailFiles } from '../../src/store/load-cloudtrail.js';
import type { Finding } from '../../src/kernel/types.js';
import type { SinkEvent } from '../../src/sinks/types.js';
import { daemonFixture, parsePrometheus } from '../helpers/daemon.js';

describe('durations and schedules', () => {
  it('parses ms durations and rejects nonsense with the flag named', () => {
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDurationMs('500ms', '--every')).toBe(500);
    expect(parseDurationMs('15m', '--every')).toBe(900_000);
    expect(parseDurationMs('30s', '--jitter')).toBe(30_000);
    // a bare number has no unit: refused, not guessed (issue 16: durations carry a unit everywhere)
    expect(() => parseDurationMs('30', '--jitter')).toThrow(/--jitter: invalid duration "30": give a number with a unit/);
    expect(() => parseDurationMs('soon', '--every')).toThrow(/--every: invalid duration "soon"/);
  });

  it('a run that overran its slot is followed at once; otherwise the interval is kept', () => {
    const s = parseSchedule(1000, '1s', undefined);
    const t0 = new Date('2026-11-20T00:00:00Z');
    expect(nextRunAt(s, null, t0)).toEqual(t0);
    expect(nextRunAt(s, t0, new Date(t0.getTime() + 200))).toEqual(new Date(t0.getTime() + 1000));
    const late = new Date(t0.getTime() + 3500);
    expect(nextRunAt(s, t0, late)).toEqual(late);
  });

  it('cron schedules through croner; exactly one of --every/--schedule', () => {
    const s = parseSchedule(undefined, undefined, '*/15 * * * *');
    expect(nextRunAt(s, null, new Date('2026-11-20T00:07:00Z')).toISOString()).toBe('2026-11-20T00:15:00.000Z');
    expect(() => parseSchedule(undefined, undefined, 'bogus')).toThrow(UsageError);
    expect(() => parseSchedule(1000, '1s', '* * * * *')).toThrow(/exactly one/);
    expect(() => parseSchedule(undefined, undefined, undefined)).toThrow(/exactly one/);
    expect(parseListen('[::1]:9477')).toEqual({ host: '::1', port: 9477 });
    expect(() => parseListen('localhost')).toThrow(/HOST:PORT/);
  });
});

describe('metrics and health', () => {
  const snap: DaemonSnapshot = {
    runs_total: { ok: 3, failed: 1, abandoned: 0 },
    last_run: { id: 'r3', status: 'failed', started_at: '2026-11-20T00:00:00Z', finished_at: '2026-11-20T00:00:02Z', duration_seconds: 2, identities: {}, findings: {}, coverage_gaps: 0, error: 'boom' },
    last_ok_run: { id: 'r2', status: 'ok', started_at: '2026-11-19T23:00:00Z', finished_at: '2026-11-19T23:00:01Z', duration_seconds: 1, identities: { agent: 2 }, findings: { high: 1 }, coverage_gaps: 1 },
    running_since: null, next_run_at: null, lag_seconds: 0, late: false,
    sink_backlog: { 'webhook:https://x.example/"q"': 4 },
    sources: [],
  };

  it('renders valid Prometheus text with escaped labels', () => {
    const { samples } = parsePrometheus(renderMetrics(snap));
    const get = (n: string, l: Record<string, string> = {}) => samples.find((s) => s.name === n && Object.entries(l).every(([k, v]) => s.labels[k] === v))?.value;
    expect(get('shadowscan_runs_total', { status: 'failed' })).toBe(1);
    expect(get('shadowscan_identities', { classification: 'agent' })).toBe(2);
    expect(get('shadowscan_findings', { severity: 'critical' })).toBe(0);
    expect(get('shadowscan_sink_backlog', { sink: 'webhook:https://x.example/"q"' })).toBe(4);
    expect(get('shadowscan_last_run_success')).toBe(0);
    expect(get('shadowscan_coverage_gaps')).toBe(1);
  });

  it('healthz: 503 when the last run failed or the schedule is late, 200 otherwise', () => {
    expect(health(snap).code).toBe(503);
    expect(health(snap).body['status']).toBe('failing');
    const ok = { ...snap, last_run: snap.last_ok_run };
    expect(health(ok).code).toBe(200);
    expect(health({ ...ok, late: true, lag_seconds: 900 }).code).toBe(503);
  });
});

const finding = (id: string): Finding => ({
  id, detector: 'aws/x', category: 'stale', severity: 'low', confidence: 'low', title: 't', subject: { type: 'iam-user', id, arn: null, account: null },
  reason: 'r', evidence: {}, remediation: { summary: 's', steps: [], commands: [] }, owasp_nhi: [], mitre_attack: [], first_seen: null, last_seen: null,
});

describe('outbox and incremental ingestion', () => {
  it('a failing sink keeps its events (in order) and gets them all once it recovers', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.run(`INSERT INTO runs (id, started_at, as_of, lookback, status) VALUES ('r1', now(), now(), '90d', 'ok')`);
      const events: SinkEvent[] = ['a', 'b', 'c'].map((id) => ({ type: 'finding.new', run_id: 'r1', finding: finding(id) }));
      await store.transaction(() => enqueue(store, events, ['s1']));
      let up = false;
      const got: string[] = [];
      const d = new Deliverer(store, [{ name: 's1', deliver: async (evs) => {
        if (!up) return { ok: false, delivered: 0, attempts: 1, error: 'HTTP 503' };
        got.push(...evs.map((e) => e.finding.id));
        return { ok: true, delivered: evs.length, attempts: 1 };
      } }], { backoffMs: 1 });
      await d.pass();
      await d.pass(Date.now() + 10);
      expect((await backlog(store)).get('s1')).toBe(3);
      const row = await store.one<{ attempts: number; last_error: string }>('SELECT attempts, last_error FROM outbox ORDER BY id LIMIT 1');
      expect(row).toEqual({ attempts: 2, last_error: 'HTTP 503' });
      up = true;
      await d.pass(Date.now() + 1000);
      expect(got).toEqual(['a', 'b', 'c']);
      expect((await backlog(store)).get('s1') ?? 0).toBe(0);
      await d.pass(Date.now() + 2000);
      expect(got).toHaveLength(3); // delivered rows are never sent again
    } finally {
      store.close();
    }
  });

  it('ingests each file once; a changed file is replaced, not added twice', async () => {
    const fx = daemonFixture();
    const file = fx.addTrailFile();
    const store = await Store.open(':memory:');
    try {
      const files = () => listCloudTrailFiles(join(fx.dir, 'aws', 'AWSLogs'));
      const a = await ingestCloudTrail(store, 'r1', 's3', files());
      expect([a.new_files, a.records]).toEqual([1, fx.records]);
      const b = await ingestCloudTrail(store, 'r2', 's3', files());
      expect([b.new_files, b.records]).toEqual([0, fx.records]);
      // Rewritten with different content (size changes): dropped and read again.
      fx.addTrailFile();
      const { utimesSync } = await import('node:fs');
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const c = await ingestCloudTrail(store, 'r3', 's3', files());
      expect(c.new_files).toBe(1);
      const total = await store.one<{ n: number }>('SELECT sum(event_count) AS n FROM cloudtrail_events');
      expect(total?.n).toBe(fx.records);
    } finally {
      store.close();
    }
  });
});
