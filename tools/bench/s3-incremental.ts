/**
 * Incremental CloudTrail S3 collection: time of a re-run with nothing new against the first run.
 *
 *   npm run -s build && node dist/tools/bench/s3-incremental.js [--objects 1000] [--latency-ms 20] [--reps 3] [--concurrency 16]
 *
 * Serves N gzip CloudTrail files (an organization trail, 2 accounts × 2 regions, spread over the window)
 * from a local S3 emulator with a per-request latency, then runs the real collector (SDK over HTTP, via
 * AWS_ENDPOINT_URL_S3) twice against the same DuckDB state: a first run that downloads everything and a
 * re-run that finds nothing new. Prints requests, bytes and seconds of each, and the ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectCloudTrailS3, parseBucketUrl } from '../../src/connectors/aws/cloudtrail-s3.js';
import { Store } from '../../src/store/db.js';
import { startFakeS3 } from './fake-s3.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const n = arg('--objects', 1000);
  const latency = arg('--latency-ms', 20);
  const reps = arg('--reps', 3);
  const concurrency = arg('--concurrency', 16);
  const fake = await startFakeS3('bench-trail', latency);
  process.env['AWS_ENDPOINT_URL_S3'] = fake.url;
  process.env['AWS_ACCESS_KEY_ID'] ??= 'AKIABENCHEXAMPLE0001';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'bench-only-not-a-secret';
  process.env['AWS_REGION'] ??= 'us-east-1';
  const accounts = ['111111111111', '222222222222'];
  const regions = ['us-east-1', 'eu-west-1'];
  const windowEnd = new Date('2026-11-20T00:00:00Z');
  const windowStart = new Date('2026-10-22T00:00:00Z'); // 29 days
  for (let i = 0; i < n; i++) {
    const account = accounts[i % 2]!;
    const region = regions[Math.floor(i / 2) % 2]!;
    const t = new Date(windowStart.getTime() + ((i * 2_500_000) % (windowEnd.getTime() - windowStart.getTime())));
    const day = t.toISOString().slice(0, 10).replace(/-/g, '/');
    const record = { eventVersion: '1.09', eventID: `ev-${i}`, eventTime: t.toISOString(), eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: region, recipientAccountId: account,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/etl`, accountId: account, accessKeyId: 'AKIAETLKEY0000000001' } };
    const body = gzipSync(JSON.stringify({ Records: Array.from({ length: 20 }, (_, j) => ({ ...record, eventID: `ev-${i}-${j}` })) }));
    fake.objects.set(`org/AWSLogs/o-benchorg01/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${i}.json.gz`,
      { body, etag: `"etag-${i}"`, lastModified: t });
  }

  const results: { first: number; rerun: number; firstGets: number; rerunGets: number; lists: number }[] = [];
  for (let r = 0; r < reps; r++) {
    const out = mkdtempSync(join(tmpdir(), 'shadowscan-s3bench-'));
    const store = await Store.open(':memory:');
    const log = { gaps: [], progress: () => undefined };
    const opts = { location: parseBucketUrl('s3://bench-trail/org'), outDir: out, windowStart, windowEnd, concurrency };
    fake.stats.get = 0; fake.stats.list = 0;
    let t0 = performance.now();
    const a = await collectCloudTrailS3(store, opts, log);
    const first = (performance.now() - t0) / 1000;
    const firstGets = fake.stats.get;
    fake.stats.get = 0; fake.stats.list = 0;
    t0 = performance.now();
    const b = await collectCloudTrailS3(store, opts, log);
    const rerun = (performance.now() - t0) / 1000;
    if (a.downloaded !== n || b.downloaded !== 0 || b.skipped !== n) throw new Error(`unexpected: first ${JSON.stringify(a)} rerun ${JSON.stringify(b)}`);
    results.push({ first, rerun, firstGets, rerunGets: fake.stats.get, lists: fake.stats.list });
    store.close();
    rmSync(out, { recursive: true, force: true });
  }
  await fake.close();
  const best = (k: 'first' | 'rerun') => Math.min(...results.map((x) => x[k]));
  const f = best('first');
  const re = best('rerun');
  const last = results[results.length - 1]!;
  process.stdout.write([
    `objects: ${n}, latency per request: ${latency} ms, download concurrency: ${concurrency}, reps: ${reps} (best of)`,
    `first run : ${f.toFixed(2)} s  (${last.firstGets} GetObject, ${last.lists} ListObjectsV2)`,
    `re-run    : ${re.toFixed(2)} s  (${last.rerunGets} GetObject, ${last.lists} ListObjectsV2)`,
    `re-run / first = ${(re / f).toFixed(3)}`,
  ].join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`s3-incremental: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
