/**
 * The real SDK over HTTP against local emulators: AWS_ENDPOINT_URL_<SERVICE> is honoured, and
 * throttling is retried by the SDK's adaptive retry until it succeeds.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3 } from '../../../tools/bench/fake-s3.js';
import { collectLookupEvents } from '../../../src/connectors/aws/cloudtrail-lookup.js';
import { collectCloudTrailS3, parseBucketUrl } from '../../../src/connectors/aws/cloudtrail-s3.js';
import type { CollectLog } from '../../../src/connectors/aws/context.js';
import { Store } from '../../../src/store/db.js';
import { lookupEvent } from '../../helpers/aws.js';
import { tempDir } from '../../helpers/scan.js';

const KEYS = ['SHADOWSCAN_AWS_REQUEST_TIMEOUT_MS', 'SHADOWSCAN_AWS_MAX_ATTEMPTS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_CLOUDTRAIL'];
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const k of KEYS) saved[k] = process.env[k];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIAHTTPTESTEXAMPLE1';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'http-test-only-not-a-secret';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
  process.env['AWS_REGION'] = 'us-east-1';
});
afterAll(() => { for (const k of KEYS) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; });
afterEach(() => { delete process.env['AWS_ENDPOINT_URL_S3']; delete process.env['AWS_ENDPOINT_URL_CLOUDTRAIL']; });
const newLog = (): CollectLog => ({ gaps: [], progress: () => undefined });

describe('live APIs over HTTP (emulators)', () => {
  it('AWS_ENDPOINT_URL_S3 points the S3 collector at an emulator; the re-run downloads nothing', async () => {
    const fake = await startFakeS3('emulated-trail');
    try {
      for (let d = 10; d <= 12; d++) {
        fake.objects.set(`AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/${d}/f${d}.json.gz`,
          { body: gzipSync('{"Records":[]}'), etag: `"e${d}"`, lastModified: new Date() });
      }
      process.env['AWS_ENDPOINT_URL_S3'] = fake.url;
      const store = await Store.open(':memory:');
      try {
        const opts = { location: parseBucketUrl('s3://emulated-trail'), outDir: tempDir(), windowStart: new Date('2026-11-11T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z') };
        const log = newLog();
        expect(await collectCloudTrailS3(store, opts, log)).toMatchObject({ listed: 2, downloaded: 2 });
        expect(log.gaps).toEqual([]);
        expect(fake.stats.get).toBe(2);
        expect(await collectCloudTrailS3(store, opts, log)).toMatchObject({ listed: 2, downloaded: 0, skipped: 2 });
        expect(fake.stats.get).toBe(2);
      } finally {
        store.close();
      }
    } finally {
      await fake.close();
    }
  });

  it('LookupEvents: ThrottlingException twice, then success (SDK adaptive retry); every attempt signed with the key id of the chain', async () => {
    let calls = 0;
    const targets: string[] = [];
    const auth: string[] = [];
    const maxResults: number[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        calls++;
        targets.push(String(req.headers['x-amz-target']));
        auth.push(String(req.headers['authorization']));
        if (calls <= 2) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `r${calls}` })
            .end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
          return;
        }
        maxResults.push((JSON.parse(body) as { MaxResults: number }).MaxResults);
        const e = lookupEvent('ev-http-1', new Date('2026-11-15T10:00:00Z'));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ Events: [{ ...e, EventTime: e.EventTime!.getTime() / 1000 }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env['AWS_ENDPOINT_URL_CLOUDTRAIL'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const store = await Store.open(':memory:');
    try {
      const log = newLog();
      const r = await collectLookupEvents(store, { accountId: '111111111111', via: 'test' }, {
        outDir: tempDir(), windowStart: new Date('2026-11-10T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z'), regions: ['us-east-1'], minIntervalMs: 0,
      }, log);
      expect(log.gaps).toEqual([]);
      expect(calls).toBe(3);
      expect(targets.every((t) => t === 'CloudTrail_20131101.LookupEvents')).toBe(true);
      expect(r).toMatchObject({ calls: 1, events: 1 });
      expect(maxResults).toEqual([50]);
      expect(auth.every((a) => a.startsWith('AWS4-HMAC-SHA256 Credential=AKIAHTTPTESTEXAMPLE1/'))).toBe(true);
    } finally {
      store.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a call that hangs times out and becomes a gap; the collection returns', async () => {
    const server = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env['AWS_ENDPOINT_URL_CLOUDTRAIL'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env['SHADOWSCAN_AWS_REQUEST_TIMEOUT_MS'] = '300';
    process.env['SHADOWSCAN_AWS_MAX_ATTEMPTS'] = '1';
    const store = await Store.open(':memory:');
    try {
      const log = newLog();
      const t0 = Date.now();
      const r = await collectLookupEvents(store, { accountId: '111111111111', via: 'test' }, {
        outDir: tempDir(), windowStart: new Date('2026-11-10T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z'), regions: ['us-east-1'], minIntervalMs: 0,
      }, log);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.events).toBe(0);
      expect(log.gaps).toHaveLength(1);
      expect(log.gaps[0]!.detail).toMatch(/^ETIMEDOUT: cloudtrail:LookupEvents timed out in account 111111111111, region us-east-1/);
    } finally {
      delete process.env['SHADOWSCAN_AWS_REQUEST_TIMEOUT_MS'];
      delete process.env['SHADOWSCAN_AWS_MAX_ATTEMPTS'];
      store.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
