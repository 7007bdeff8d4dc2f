import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/kernel/types.js';
import { createSink, parseSinkSpec, type SinkEvent } from '../../src/sinks/index.js';
import { JsonlSink } from '../../src/sinks/jsonl.js';
import { SplunkHecSink } from '../../src/sinks/splunk-hec.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookSink } from '../../src/sinks/webhook.js';
import { cli } from '../helpers/cli.js';
import { exportOf, goldenReport, orgV1 } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

interface Hit { headers: IncomingMessage['headers']; body: string }

/** A local HTTP server answering with the given status codes in turn (the last one repeats). */
async function server(statuses: number[]): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const srv: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses[Math.min(hits.length - 1, statuses.length - 1)] ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, hits, close: () => new Promise((r) => srv.close(() => r())) };
}

let report: ScanReport;
let events: SinkEvent[];
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  report = await goldenReport();
  events = report.findings.map((finding) => ({ type: 'finding.new', run_id: report.run.id, finding }));
});
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

describe('webhook sink', () => {
  it('POSTs signed JSON and retries after a 500', async () => {
    const s = await server([500, 200]);
    closers.push(s.close);
    const sink = new WebhookSink(s.url, { secret: 'test-secret', backoffMs: 5, now: () => 1_763_800_000_123 });
    const r = await sink.deliver(events);
    expect(r).toEqual({ ok: true, delivered: events.length, attempts: 2 });
    expect(s.hits).toHaveLength(2);
    const hit = s.hits[1]!;
    expect(hit.headers['content-type']).toBe('application/json');
    // The signature covers "<timestamp>.<body>": a receiver verifies both, and a replay with a new time fails.
    expect(hit.headers[TIMESTAMP_HEADER]).toBe('1763800000');
    const expected = 'sha256=' + createHmac('sha256', 'test-secret').update(`1763800000.${hit.body}`).digest('hex');
    expect(hit.headers[SIGNATURE_HEADER]).toBe(expected);
    expect(hit.headers[SIGNATURE_HEADER]).not.toBe('sha256=' + createHmac('sha256', 'test-secret').update(`1763800001.${hit.body}`).digest('hex'));
    const body = JSON.parse(hit.body);
    expect(body.events.map((e: SinkEvent) => [e.type, e.finding.id])).toEqual(events.map((e) => ['finding.new', e.finding.id]));
    // Same body and delivery id both times: a retry is the same delivery, receivers can deduplicate.
    expect(s.hits[0]!.body).toBe(hit.body);
    expect(s.hits[0]!.headers[DELIVERY_HEADER]).toMatch(/^[0-9a-f]{32}$/);
    expect(s.hits[0]!.headers[DELIVERY_HEADER]).toBe(hit.headers[DELIVERY_HEADER]);
  });

  it('batches large deliveries', async () => {
    const s = await server([200]);
    closers.push(s.close);
    const r = await new WebhookSink(s.url, { secret: 'k', batchSize: 2 }).deliver(events);
    expect(r.ok).toBe(true);
    const sizes = Array.from({ length: Math.ceil(events.length / 2) }, (_, i) => Math.min(2, events.length - 2 * i));
    expect(events.length).toBeGreaterThan(2);
    expect(s.hits.map((h) => JSON.parse(h.body).events.length)).toEqual(sizes);
  });

  it('reports failure after the retries are used up, and does not retry a 4xx', async () => {
    const down = await server([503]);
    closers.push(down.close);
    const r = await new WebhookSink(down.url, { attempts: 3, backoffMs: 1 }).deliver(events);
    expect(r).toMatchObject({ ok: false, delivered: 0, attempts: 3 });
    expect(!r.ok && r.error).toMatch(/HTTP 503/);
    const reject = await server([401]);
    closers.push(reject.close);
    const r2 = await new WebhookSink(reject.url, { attempts: 3, backoffMs: 1 }).deliver(events);
    expect(r2).toMatchObject({ ok: false, attempts: 1 });
    expect(reject.hits).toHaveLength(1);
  });

  it('reports an unreachable endpoint as a failure, not an exception', async () => {
    const s = await server([200]);
    await s.close();
    const r = await new WebhookSink(s.url, { attempts: 2, backoffMs: 1 }).deliver(events);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/fetch failed|ECONNREFUSED/);
  });
});

describe('splunk-hec sink', () => {
  it('sends OCSF events with the token as a Splunk Authorization header', async () => {
    const s = await server([200]);
    closers.push(s.close);
    const sink = new SplunkHecSink(s.url, { token: 'hec-token-123', run: report.run });
    const r = await sink.deliver([...events.slice(0, 1), { type: 'finding.resolved', run_id: report.run.id, finding: report.findings[1]! }]);
    expect(r.ok).toBe(true);
    expect(s.hits[0]!.headers['authorization']).toBe('Splunk hec-token-123');
    const lines = s.hits[0]!.body.split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.sourcetype, l.event.class_uid, l.event.activity_id, l.event.finding_info.uid])).toEqual([
      ['ocsf:detection_finding', 2004, 1, report.findings[0]!.id],
      ['ocsf:detection_finding', 2004, 3, report.findings[1]!.id],
    ]);
    expect(sink.name).not.toContain('hec-token-123');
  });

  it('needs SPLUNK_HEC_TOKEN', () => {
    expect(() => parseSinkSpec('splunk-hec:https://splunk.example.com:8088', {})).toThrow(/SPLUNK_HEC_TOKEN/);
    const spec = parseSinkSpec('splunk-hec:https://splunk.example.com:8088', { SPLUNK_HEC_TOKEN: 't' });
    expect(createSink(spec, report.run, { SPLUNK_HEC_TOKEN: 't' }).name).toBe('splunk-hec:https://splunk.example.com:8088/services/collector/event');
  });
});

describe('jsonl sink and --sink on scan', () => {
  it('appends one event per line', async () => {
    const file = join(tempDir(), 'out', 'events.jsonl');
    const sink = new JsonlSink(file);
    expect((await sink.deliver(events)).ok).toBe(true);
    expect((await sink.deliver(events.slice(0, 1))).ok).toBe(true);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(events.length + 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'finding.new', run_id: report.run.id });
  });

  it('scan delivers new findings, then only changes on the next run', async () => {
    const work = tempDir();
    const db = join(work, 's.duckdb');
    const file = join(work, 'events.jsonl');
    const from = exportOf(orgV1());
    const args = ['scan', '--from', from, '--db', db, '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--sink', `jsonl:${file}`];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/sink jsonl:.*delivered \d+ event\(s\)/);
    const n = readFileSync(file, 'utf8').trimEnd().split('\n').length;
    expect(n).toBe(JSON.parse(first.out).findings.length);
    const second = await cli(...args);
    expect(second.err).toMatch(/delivered 0 event\(s\)/);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(n);
  });

  it('a failed delivery is reported on stderr, listed as a coverage gap, and exits 3; secrets are never printed', async () => {
    const s = await server([500]);
    closers.push(s.close);
    process.env['SPLUNK_HEC_TOKEN'] = 'super-secret-hec-token';
    try {
      const r = await cli('scan', '--from', exportOf(orgV1()), '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json',
        '--sink', `splunk-hec:${s.url}?x=1`);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/sink splunk-hec:http:\/\/127\.0\.0\.1:\d+\/hook: delivery failed: HTTP 500/);
      const doc = JSON.parse(r.out) as ScanReport;
      expect(doc.run.coverage_gaps.some((g) => g.source.startsWith('sink splunk-hec:') && /delivery failed/.test(g.detail))).toBe(true);
      expect(r.err + r.out).not.toContain('super-secret-hec-token');
      expect(s.hits.length).toBe(4);
      expect(s.hits[0]!.headers['authorization']).toBe('Splunk super-secret-hec-token');
      // A policy violation takes precedence over a delivery failure.
      const gated = await cli('scan', '--from', exportOf(orgV1()), '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json',
        '--sink', `splunk-hec:${s.url}`, '--fail-on', 'high');
      expect(gated.code).toBe(1);
    } finally {
      delete process.env['SPLUNK_HEC_TOKEN'];
    }
  }, 60_000);

  it('rejects unknown sink kinds with exit 2', async () => {
    const r = await cli('scan', '--from', exportOf(orgV1()), '--db', ':memory:', '--sink', 'kafka:topic');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--sink kafka: expected jsonl:PATH, webhook:URL or splunk-hec:URL/);
    expect(existsSync('kafka')).toBe(false);
  });
});
