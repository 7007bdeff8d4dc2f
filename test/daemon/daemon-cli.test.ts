import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { addQuietFile, daemonFixture, parsePrometheus, spawnCli, type CliProcess } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

interface Event { type: string; run_id: string; finding: { id: string; detector: string } }

const readEvents = (file: string): Event[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event) : [];

const running: CliProcess[] = [];
function daemon(args: string[], env: Record<string, string> = {}): CliProcess {
  const p = spawnCli(['daemon', ...args], env);
  running.push(p);
  return p;
}
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

async function stop(p: CliProcess): Promise<number | null> {
  p.child.kill('SIGTERM');
  return (await p.exit).code;
}

const runsOk = (p: CliProcess) => p.logs.filter((l) => l.msg === 'run.ok').length;

describe('shadowscan daemon (built CLI, real processes)', () => {
  it('runs on short intervals, ingests only new files, delivers exactly one new finding; serves /metrics and /healthz', async () => {
    const fx = daemonFixture();
    addQuietFile(fx.dir);
    const work = tempDir();
    const sink = join(work, 'events.jsonl');
    const p = daemon(['--from', fx.dir, '--db', join(work, 'db.duckdb'), '--every', '300ms', '--sink', `jsonl:${sink}`, '--listen', '127.0.0.1:0']);
    const started = await p.waitFor((l) => l.msg === 'daemon.started');
    const base = `http://${String(started.listen)}`;

    // Two runs over the same files: the second ingests nothing and queues nothing.
    const first = await p.waitFor((l) => l.msg === 'run.ok');
    expect(first.new_files).toBe(1);
    const second = await p.waitFor((l) => l.msg === 'run.ok' && l.run_id !== first.run_id);
    expect(second.new_files).toBe(0);
    expect(second.events).toBe(0);
    await p.waitFor((l) => l.msg === 'sink.delivered');
    const baseline = readEvents(sink);
    expect(baseline.length).toBe(first.events);
    expect(baseline.every((e) => e.type === 'finding.new')).toBe(true);

    // A CloudTrail file appears between runs: one run ingests it, exactly one new finding goes out.
    const beforeAdd = p.logs.length;
    const added = fx.addTrailFile();
    const addedAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000); // newer than every other file
    utimesSync(added, addedAt, addedAt);
    const grew = await p.waitFor((l) => l.msg === 'run.ok' && l.new_files === 1 && l.run_id !== first.run_id);
    expect(grew.cloudtrail_records).toBe(fx.records + 1);
    const mark = p.logs.length;
    // The delivery loop can deliver the run's events before the run logs run.ok: look from the file's arrival.
    await p.waitFor((l) => l.msg === 'sink.delivered', 20_000, beforeAdd);
    await p.waitFor((l) => l.msg === 'run.ok', 20_000, mark); // and one more quiet run after it
    const after = readEvents(sink).slice(baseline.length);
    const fresh = after.filter((e) => e.type === 'finding.new');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.finding.detector).toBe('aws/static-key-automation');
    expect(fresh[0]?.run_id).toBe(grew.run_id);
    expect(after.every((e) => e.run_id === grew.run_id)).toBe(true);

    // /metrics parses as Prometheus text and agrees with the runs.
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parsePrometheus(await res.text());
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(types.get('shadowscan_runs_total')).toBe('counter');
    expect(value('shadowscan_runs_total', { status: 'ok' })).toBeGreaterThanOrEqual(runsOk(p));
    expect(value('shadowscan_sink_backlog', { sink: `jsonl:${sink}` })).toBe(0);
    expect(value('shadowscan_last_run_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(value('shadowscan_run_duration_seconds')).toBeGreaterThan(0);
    expect(value('shadowscan_coverage_gaps')).toBe(0);
    // --from: each source's freshness is the newest file the exporter wrote (the CloudTrail file added above).
    expect(value('shadowscan_source_last_refresh_timestamp_seconds', { source: 'cloudtrail' })).toBe(addedAt.getTime() / 1000);
    expect(value('shadowscan_source_last_refresh_timestamp_seconds', { source: 'iam' })).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(value('shadowscan_source_refresh_interval_seconds', { source: 'iam' })).toBeUndefined(); // not a live cadence
    const findings = samples.filter((s) => s.name === 'shadowscan_findings').reduce((a, s) => a + s.value, 0);
    expect(findings).toBe(3);
    const identities = samples.filter((s) => s.name === 'shadowscan_identities');
    expect(identities.map((s) => s.labels['classification']).sort()).toEqual(['agent', 'aws-service', 'human', 'unknown', 'workload']);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const body = await health.json() as { status: string; last_run: { status: string }; lag_seconds: number };
    expect(body.status).toBe('ok');
    expect(body.last_run.status).toBe('ok');
    expect(body.lag_seconds).toBeLessThan(5);

    expect(await stop(p)).toBe(0);
    expect(existsSync(join(work, 'db.duckdb.lock'))).toBe(false);
    // Every log line is JSON with a time, level and message.
    expect(p.stderr().trim().split('\n').every((l) => { const o = JSON.parse(l); return o.time && o.level && o.msg; })).toBe(true);
  });

  it('a sink that is down delays delivery and raises the backlog; everything arrives once it is back', async () => {
    const fx = daemonFixture();
    fx.addTrailFile();
    addQuietFile(fx.dir);
    let up = false;
    let refused = 0;
    const received: Event[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        if (!up) { refused++; res.writeHead(503).end(); return; }
        received.push(...(JSON.parse(body) as { events: Event[] }).events);
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const work = tempDir();
    const p = daemon(['--from', fx.dir, '--db', join(work, 'db.duckdb'), '--every', '400ms', '--sink', `webhook:${url}`,
      '--listen', '127.0.0.1:0', '--delivery-backoff', '200ms']);
    const started = await p.waitFor((l) => l.msg === 'daemon.started');
    const run = await p.waitFor((l) => l.msg === 'run.ok');
    await p.waitFor((l) => l.msg === 'sink.failed');
    const failedTwice = await p.waitFor((l) => l.msg === 'sink.failed' && Number(l.consecutive_failures) >= 2);
    expect(Number(failedTwice.retry_in_ms)).toBeGreaterThan(0);
    const metrics = parsePrometheus(await (await fetch(`http://${String(started.listen)}/metrics`)).text());
    const backlog = metrics.samples.find((s) => s.name === 'shadowscan_sink_backlog')?.value;
    expect(backlog).toBe(run.events);
    expect(received).toHaveLength(0);

    up = true;
    await p.waitFor((l) => l.msg === 'sink.delivered');
    expect(refused).toBeGreaterThan(1);
    expect(received.map((e) => e.finding.id).sort()).toEqual([...new Set(received.map((e) => e.finding.id))].sort());
    expect(received).toHaveLength(Number(run.events));
    expect(received.every((e) => e.type === 'finding.new' && e.run_id === run.run_id)).toBe(true);
    const m2 = parsePrometheus(await (await fetch(`http://${String(started.listen)}/metrics`)).text());
    expect(m2.samples.find((s) => s.name === 'shadowscan_sink_backlog')?.value).toBe(0);
    expect(await stop(p)).toBe(0);
    server.close();
  });

  it('kill -9 mid-ingest and mid-commit, then restart: consistent database, nothing ingested twice, outbox intact', async () => {
    const fx = daemonFixture();
    fx.addTrailFile();
    addQuietFile(fx.dir);
    const work = tempDir();
    const db = join(work, 'db.duckdb');
    const sink = join(work, 'events.jsonl');
    const args = ['--from', fx.dir, '--db', db, '--every', '300ms', '--sink', `jsonl:${sink}`, '--no-listen', '--log-level', 'debug'];

    // 1. Killed inside the ingestion transaction (rows staged, file bookkeeping not committed).
    let p = daemon(args, { SHADOWSCAN_TEST_PAUSE: 'ingest-commit:30000' });
    await p.waitFor((l) => l.msg === 'run.step' && l.step === 'ingest-commit');
    p.child.kill('SIGKILL');
    expect((await p.exit).signal).toBe('SIGKILL');
    expect(existsSync(`${db}.lock`)).toBe(true); // left behind; the next start takes it over

    // 2. Killed inside the results transaction (outbox rows written, not committed).
    p = daemon(args, { SHADOWSCAN_TEST_PAUSE: 'persist-commit:30000' });
    await p.waitFor((l) => l.msg === 'run.step' && l.step === 'persist-commit');
    p.child.kill('SIGKILL');
    await p.exit;
    expect(readEvents(sink)).toHaveLength(0);

    // 3. A clean start resumes: one run ingests nothing new, and the events of the first complete run go out once.
    p = daemon(args);
    const ok = await p.waitFor((l) => l.msg === 'run.ok');
    expect(ok.new_files).toBe(0); // the files were committed by the run killed in step 2
    await p.waitFor((l) => l.msg === 'sink.delivered');
    await p.waitFor((l) => l.msg === 'run.ok' && l.run_id !== ok.run_id);
    expect(await stop(p)).toBe(0);

    const events = readEvents(sink);
    expect(events.length).toBe(ok.events);
    expect(events.length).toBe(ok.findings);
    expect(new Set(events.map((e) => e.finding.id)).size).toBe(events.length);

    const store = await Store.open(db);
    try {
      const files = await store.all<{ path: string; n: number }>('SELECT path, count(*) AS n FROM ingested_files GROUP BY path');
      expect(files).toHaveLength(2);
      expect(files.every((f) => f.n === 1)).toBe(true);
      const records = await store.one<{ n: number }>('SELECT sum(event_count) AS n FROM cloudtrail_events');
      expect(records?.n).toBe(fx.records + 1);
      const runs = await store.all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status');
      // the two killed runs, and maybe the one SIGTERM interrupted
      expect(runs.find((r) => r.status === 'abandoned')?.n).toBeGreaterThanOrEqual(2);
      expect(runs.find((r) => r.status === 'running')).toBeUndefined();
      const outbox = await store.one<{ total: number; pending: number }>(
        'SELECT count(*) AS total, count(*) FILTER (WHERE delivered_at IS NULL) AS pending FROM outbox');
      expect(outbox).toEqual({ total: events.length, pending: 0 });
    } finally {
      store.close();
    }
  });

  it('lock: a second daemon and a concurrent scan get a clear error naming the holder; report and diff read its snapshot', async () => {
    const fx = daemonFixture();
    fx.addTrailFile();
    const work = tempDir();
    const db = join(work, 'db.duckdb');
    const p = daemon(['--from', fx.dir, '--db', db, '--every', '1s', '--no-listen']);
    await p.waitFor((l) => l.msg === 'daemon.started');
    const pid = p.child.pid;

    const second = spawnCli(['daemon', '--from', fx.dir, '--db', db, '--every', '1s', '--no-listen']);
    expect((await second.exit).code).toBe(2);
    expect(second.stderr()).toContain(`database ${db} is in use by shadowscan daemon (pid ${pid}`);

    const scan = spawnCli(['scan', '--from', fx.dir, '--db', db, '--format', 'json']);
    expect((await scan.exit).code).toBe(2);
    expect(scan.stderr()).toContain(`is in use by shadowscan daemon (pid ${pid}`);
    expect(scan.stdout()).toBe('');

    const ok = await p.waitFor((l) => l.msg === 'run.ok');
    // While it runs, report and diff read the snapshot it writes after each run (the database itself stays locked).
    const report = spawnCli(['report', '--db', db, '--format', 'json']);
    expect((await report.exit).code).toBe(0);
    expect(report.stderr()).toContain(`is in use by shadowscan daemon (pid ${pid}`);
    expect(report.stderr()).toContain(`reading its latest snapshot ${db}.snapshot.duckdb`);
    // The daemon runs every second (idle runs take well under one), so the snapshot may already hold a later run:
    // whichever it is, it must be a run the daemon completed (run ids are not ordered within a second).
    const read = String(JSON.parse(report.stdout()).run.id);
    await p.waitFor((l) => l.msg === 'run.ok' && l.run_id === read, 20_000);
    const list = spawnCli(['diff', '--db', db, '--list']);
    expect((await list.exit).code).toBe(0);
    expect(list.stdout()).toContain(String(ok['run_id']));
    expect(statSync(`${db}.snapshot.duckdb`).mode & 0o777).toBe(0o600);

    expect(await stop(p)).toBe(0);
    // Released: a scan now works on the same file.
    const later = spawnCli(['scan', '--from', fx.dir, '--db', db, '--format', 'json']);
    expect((await later.exit).code).toBe(0);
  });
});
