/**
 * Trino's client protocol against a local HTTP server answering with recorded response shapes (POST
 * /v1/statement, nextUri pages, stats.physicalInputBytes, DELETE to cancel). What the real server in
 * test/store/rollup-equivalence.test.ts cannot show deterministically: Trino checks query_max_scan_physical_bytes
 * on a timer, so a short query can finish over the limit without EXCEEDED_SCAN_LIMIT; the client must refuse it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TrinoEngine } from '../../../src/connectors/engine/trino.js';
import { ROLLUP_COLUMNS } from '../../../src/store/cloudtrail-rollup.js';
import { Store } from '../../../src/store/db.js';
import { loadCloudTrailFromEngine } from '../../../src/connectors/engine/load-cloudtrail-engine.js';

const QUERY = '20261207_154500_00007_x7k2p';
const COLUMNS = ['n', ...ROLLUP_COLUMNS];
const WINDOW = { dateColumn: 'timestamp', from: new Date('2026-08-22T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z') };

function row(): (string | null)[] {
  const v: Record<string, string> = {
    n: '3', event_hour: '2026-11-19 10:00:00.000', first_time: '2026-11-19 10:05:00.000', last_time: '2026-11-19 10:55:00.000',
    event_source: 'bedrock.amazonaws.com', event_name: 'InvokeModel', aws_region: 'us-east-1', source_ip: '203.0.113.9',
    user_agent: 'Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux lib/langchain-aws', read_only: 'false', event_type: 'AwsApiCall',
    recipient_account_id: '210987654321', identity_type: 'IAMUser', principal_arn: 'arn:aws:iam::210987654321:user/agent', account_id: '210987654321',
    access_key_id: 'AKIAEXAMPLEAGENT0001', user_name: 'agent', mfa_authenticated: 'false', console_session: 'false',
  };
  return COLUMNS.map((c) => v[c] ?? null);
}

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A coordinator whose query reads `bytes`; it records the requests it saw (method, path, session header). */
async function coordinator(bytes: number): Promise<{ url: string; seen: string[]; sessions: string[] }> {
  const seen: string[] = [];
  const sessions: string[] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    if (typeof req.headers['x-trino-session'] === 'string') sessions.push(req.headers['x-trino-session']);
    req.resume();
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const send = (body: unknown): void => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    const stats = (state: string, scanned: number) => ({ state, queued: false, scheduled: true, nodes: 1, totalSplits: 4, completedSplits: 4, physicalInputBytes: scanned, processedRows: 10, processedBytes: scanned });
    if (req.method === 'POST' && req.url === '/v1/statement') return send({ id: QUERY, infoUri: `${base}/ui/query.html?${QUERY}`, nextUri: `${base}/v1/statement/queued/${QUERY}/1`, stats: stats('QUEUED', 0) });
    if (req.method === 'GET' && req.url === `/v1/statement/queued/${QUERY}/1`) {
      return send({ id: QUERY, nextUri: `${base}/v1/statement/executing/${QUERY}/2`, columns: COLUMNS.map((name) => ({ name, type: 'varchar' })), data: [row()], stats: stats('RUNNING', bytes) });
    }
    if (req.method === 'GET' && req.url === `/v1/statement/executing/${QUERY}/2`) return send({ id: QUERY, columns: COLUMNS.map((name) => ({ name, type: 'varchar' })), stats: stats('FINISHED', bytes) });
    if (req.method === 'DELETE') { res.writeHead(204); return res.end(); }
    res.writeHead(404); res.end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, sessions };
}

async function load(url: string, maxScanBytes?: number) {
  const store = await Store.open(':memory:');
  const r = await loadCloudTrailFromEngine(store, 'run-1', new TrinoEngine({ url, table: 'hive.cloudtrail.logs', user: 'scanner' }), WINDOW,
    maxScanBytes !== undefined ? { maxScanBytes } : {});
  const [{ n }] = await store.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cloudtrail_events') as [{ n: number }];
  store.close();
  return { ...r, stored: n };
}

describe('Trino engine: --max-scan-bytes', () => {
  it('a query that finished having read more than the limit (Trino\'s timer did not fire) is a scan-limit gap; nothing loaded; the query is cancelled', async () => {
    const c = await coordinator(5_000);
    const r = await load(c.url, 1_000);
    expect(r.stored).toBe(0);
    expect(r.records).toBe(0);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.detail).toBe(`scan-limit (query ${QUERY}): Trino query ${QUERY} failed: EXCEEDED_SCAN_LIMIT: it read 5000 bytes, more than --max-scan-bytes 1000 (checked by shadowscan); raise --max-scan-bytes or narrow --lookback; no CloudTrail records loaded from it`);
    expect(c.sessions[0]).toBe('query_max_scan_physical_bytes=1000B');
    expect(c.seen).toContain(`DELETE /v1/query/${QUERY}`);
  });

  it('under the limit, the rows load and the bytes read are in the source', async () => {
    const c = await coordinator(5_000);
    const r = await load(c.url, 10_000);
    expect(r.gaps).toEqual([]);
    expect(r.stored).toBe(1);
    expect(r.records).toBe(3);
    expect(r.source).toBe(`aws-cloudtrail-trino:http://127.0.0.1:${new URL(c.url).port} hive.cloudtrail.logs (query ${QUERY}, 5000 bytes scanned, 1 rollup rows)`);
    expect(c.seen.some((s) => s.startsWith('DELETE'))).toBe(false);
  });
});
