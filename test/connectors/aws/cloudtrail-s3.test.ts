import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectCloudTrailS3, monthListings, parseBucketUrl } from '../../../src/connectors/aws/cloudtrail-s3.js';
import type { CollectLog } from '../../../src/connectors/aws/context.js';
import { Store } from '../../../src/store/db.js';
import { accessDenied } from '../../helpers/aws.js';
import { scanDir, tempDir } from '../../helpers/scan.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
const newLog = (): CollectLog => ({ gaps: [], progress: () => undefined });

/** An in-memory bucket served with ListObjectsV2's rules (prefix, delimiter, 1,000 keys per page). */
class Bucket {
  readonly objects = new Map<string, { body: Uint8Array; etag: string }>();
  put(key: string, body: Uint8Array): void {
    this.objects.set(key, { body, etag: `"${key.length.toString(16)}-${body.byteLength}-${this.objects.size}"` });
  }
  serve(): void {
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; Delimiter?: string; ContinuationToken?: string; MaxKeys?: number; StartAfter?: string }) => {
      const prefix = input.Prefix ?? '';
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (!input.StartAfter || k > input.StartAfter)).sort();
      if (input.Delimiter) {
        const cps = [...new Set(keys.map((k) => k.slice(prefix.length)).filter((r) => r.includes('/')).map((r) => prefix + r.split('/')[0] + '/'))];
        return { CommonPrefixes: cps.map((Prefix) => ({ Prefix })), IsTruncated: false };
      }
      const from = Number(input.ContinuationToken ?? 0);
      const size = Math.min(input.MaxKeys ?? 1000, 1000);
      const page = keys.slice(from, from + size);
      const more = from + size < keys.length;
      return {
        Contents: page.map((Key) => ({ Key, ETag: this.objects.get(Key)!.etag, Size: this.objects.get(Key)!.body.byteLength, LastModified: new Date('2026-11-19T00:00:00Z') })),
        IsTruncated: more, ...(more ? { NextContinuationToken: String(from + size) } : {}), KeyCount: page.length,
      };
    });
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      const o = this.objects.get(input.Key);
      if (!o) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      return { ETag: o.etag, Body: { transformToByteArray: async () => o.body } };
    });
  }
}

const ORG = 'o-a1b2c3d4e5';
const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['us-east-1', 'eu-west-1'];

/** An organization trail: files for every account/region/day of November, 5 per day, plus a digest to ignore. */
function orgTrail(perDay = 5): Bucket {
  const b = new Bucket();
  for (const account of ACCOUNTS) for (const region of REGIONS) for (let day = 1; day <= 30; day++) for (let i = 0; i < perDay; i++) {
    const d = String(day).padStart(2, '0');
    const t = `2026-11-${d}T${String(i).padStart(2, '0')}:00:00Z`;
    const records = { Records: [{ eventVersion: '1.09', eventID: `${account}-${region}-${d}-${i}`, eventTime: t, eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity',
      awsRegion: region, sourceIPAddress: '203.0.113.7', userAgent: 'Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux lang/python#3.12',
      readOnly: true, eventType: 'AwsApiCall', recipientAccountId: account,
      userIdentity: { type: 'IAMUser', principalId: 'AIDAX', arn: `arn:aws:iam::${account}:user/etl`, accountId: account, accessKeyId: 'AKIAETLKEY0000000001', userName: 'etl' } }] };
    b.put(`trail/AWSLogs/${ORG}/${account}/CloudTrail/${region}/2026/11/${d}/${account}_CloudTrail_${region}_202611${d}T${String(i).padStart(2, '0')}00Z_x${i}.json.gz`, gzipSync(JSON.stringify(records)));
  }
  b.put(`trail/AWSLogs/${ORG}/111111111111/CloudTrail-Digest/us-east-1/2026/11/01/digest.json.gz`, gzipSync('{}'));
  return b;
}

const window = { windowStart: new Date('2026-11-10T12:00:00Z'), windowEnd: new Date('2026-11-19T12:00:00Z') };

/** The distinct day folders (DD) of the cached trail files below `root`. */
function scanDays(root: string): string[] {
  const days = new Set<string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else days.add(/\/2026\/11\/(\d{2})\//.exec(p)?.[1] ?? '?');
    }
  };
  walk(root);
  return [...days].sort();
}

describe('CloudTrail S3 archive', () => {
  it('parses bucket URLs; one listing per month, starting after the day before the window', () => {
    expect(parseBucketUrl('s3://my-trail/org/')).toEqual({ bucket: 'my-trail', prefix: 'org/' });
    expect(parseBucketUrl('s3://my-trail/org/AWSLogs')).toEqual({ bucket: 'my-trail', prefix: 'org/' });
    expect(parseBucketUrl('s3://my-trail')).toEqual({ bucket: 'my-trail', prefix: '' });
    expect(() => parseBucketUrl('https://x')).toThrow(/--cloudtrail-bucket https:\/\/x: expected s3:\/\/bucket/);
    expect(monthListings(new Date('2026-09-29T05:00:00Z'), new Date('2026-11-02T00:00:00Z'))).toEqual([
      { month: '2026/09/', startAfterDay: '2026/09/28/~' }, { month: '2026/10/' }, { month: '2026/11/' },
    ]);
    expect(monthListings(new Date('2026-12-01T00:00:00Z'), new Date('2027-01-05T00:00:00Z'))).toEqual([{ month: '2026/12/' }, { month: '2027/01/' }]);
    // Every key of the first day sorts after StartAfter, every key of the day before does not.
    expect('r/2026/09/29/a.json.gz' > 'r/2026/09/28/~').toBe(true);
    expect('r/2026/09/28/zzzz.json.gz' > 'r/2026/09/28/~').toBe(false);
  });

  it('accepts S3 locations as users write them: a key prefix, then any folder of the layout', () => {
    expect(parseBucketUrl(`s3://trail-bucket/trail/AWSLogs/${ORG}`)).toEqual({ bucket: 'trail-bucket', prefix: 'trail/', org: ORG });
    expect(parseBucketUrl(`s3://trail-bucket/trail/AWSLogs/${ORG}/222222222222/`)).toEqual({ bucket: 'trail-bucket', prefix: 'trail/', org: ORG, account: '222222222222' });
    expect(parseBucketUrl('s3://bkt/AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11'))
      .toEqual({ bucket: 'bkt', prefix: '', account: '111111111111', region: 'eu-west-1' });
    expect(parseBucketUrl('s3://bkt/AWSLogs/')).toEqual({ bucket: 'bkt', prefix: '' });
    expect(() => parseBucketUrl('s3://bkt/AWSLogs/111111111111/elsewhere')).toThrow(/"elsewhere" is not part of the CloudTrail layout/);
  });

  it('collects from an organization or account folder; a location with no logs is a gap saying what was listed and found', async () => {
    const bucket = orgTrail(1);
    bucket.serve();
    const store = await Store.open(':memory:');
    try {
      const org = await collectCloudTrailS3(store, { location: parseBucketUrl(`s3://trail-bucket/trail/AWSLogs/${ORG}`), outDir: tempDir(), ...window }, newLog());
      expect(org.listed).toBe(40); // 10 days × 2 accounts × 2 regions
      const one = await collectCloudTrailS3(store, { location: parseBucketUrl(`s3://trail-bucket/trail/AWSLogs/${ORG}/222222222222/CloudTrail/eu-west-1`), outDir: tempDir(), ...window }, newLog());
      expect(one.listed).toBe(10);
      expect(one.files.every((f) => f.includes('/222222222222/CloudTrail/eu-west-1/'))).toBe(true);

      // The prefix is missing from the URL: AWSLogs/ is not at the top of this bucket.
      const log = newLog();
      const none = await collectCloudTrailS3(store, { location: parseBucketUrl(`s3://trail-bucket/AWSLogs/${ORG}`), outDir: tempDir(), ...window }, log);
      expect(none.listed).toBe(0);
      expect(log.gaps).toHaveLength(1);
      expect(log.gaps[0]).toMatchObject({ source: 's3://trail-bucket/AWSLogs/', api: 'ListObjectsV2' });
      expect(log.gaps[0]?.detail).toMatch(/no CloudTrail log object in the window \(2026-11-10 to 2026-11-19\) for organization o-a1b2c3d4e5; listed s3:\/\/trail-bucket\/AWSLogs\/ and found nothing there/);
      // An account the trail does not hold: the gap names what is there.
      const log2 = newLog();
      await collectCloudTrailS3(store, { location: parseBucketUrl('s3://trail-bucket/trail/AWSLogs/999999999999'), outDir: tempDir(), ...window }, log2);
      expect(log2.gaps[0]?.detail).toMatch(/for account 999999999999; listed s3:\/\/trail-bucket\/trail\/AWSLogs\/ and found o-a1b2c3d4e5 there/);
    } finally {
      store.close();
    }
  });

  it('org trail: lists only the window, downloads once; a re-run with nothing new downloads nothing', async () => {
    const bucket = orgTrail();
    bucket.serve();
    const out = tempDir();
    const store = await Store.open(':memory:');
    try {
      const opts = { location: parseBucketUrl('s3://trail-bucket/trail'), outDir: out, ...window };
      const first = await collectCloudTrailS3(store, opts, newLog());
      // 10 days (10th..19th) × 5 files × 2 accounts × 2 regions.
      expect(first).toMatchObject({ listed: 200, downloaded: 200, skipped: 0 });
      const listCalls1 = s3.commandCalls(ListObjectsV2Command).length;
      // discovery: AWSLogs/, the org, 2 accounts → regions; then one month listing per account-region
      expect(listCalls1).toBe(1 + 1 + 2 + 4);
      expect(s3.commandCalls(ListObjectsV2Command).filter((c) => c.args[0].input.StartAfter?.endsWith('/2026/11/09/~'))).toHaveLength(4);
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(200);
      expect(s3.commandCalls(ListObjectsV2Command).some((c) => String(c.args[0].input.Prefix).includes('CloudTrail-Digest'))).toBe(false);
      const local = join(out, 'aws/AWSLogs', ORG, '111111111111/CloudTrail/us-east-1/2026/11/15/111111111111_CloudTrail_us-east-1_20261115T0000Z_x0.json.gz');
      expect(existsSync(local)).toBe(true);

      s3.resetHistory();
      const second = await collectCloudTrailS3(store, opts, newLog());
      expect(second).toMatchObject({ listed: 200, downloaded: 0, skipped: 200 });
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
      expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(listCalls1);

      // New objects, a changed object (new ETag) and a deleted local copy are fetched; nothing else.
      bucket.put('trail/AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/eu-west-1/2026/11/19/new.json.gz', gzipSync('{"Records":[]}'));
      bucket.put('trail/AWSLogs/o-a1b2c3d4e5/111111111111/CloudTrail/us-east-1/2026/11/12/111111111111_CloudTrail_us-east-1_20261112T0100Z_x1.json.gz', gzipSync('{"Records":[]}'));
      rmSync(local);
      s3.resetHistory();
      const third = await collectCloudTrailS3(store, opts, newLog());
      expect(third).toMatchObject({ listed: 201, downloaded: 3, skipped: 198 });
      expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key!.split('/').pop()).sort()).toEqual([
        '111111111111_CloudTrail_us-east-1_20261112T0100Z_x1.json.gz', '111111111111_CloudTrail_us-east-1_20261115T0000Z_x0.json.gz', 'new.json.gz',
      ]);
    } finally {
      store.close();
    }
    // The cache is the offline layout: scan --from reads it.
    const report = await scanDir(out, '2026-11-20T00:00:00Z', 30);
    expect(report.run.counts.cloudtrail_records).toBe(199); // 200 - the one rewritten empty
  });

  it('a live cache drops days before the window (a day of slack); collect --out keeps everything', async () => {
    orgTrail(1).serve();
    const location = parseBucketUrl('s3://trail-bucket/trail');
    const later = { windowStart: new Date('2026-11-15T06:00:00Z'), windowEnd: new Date('2026-11-22T00:00:00Z') };
    const daysIn = (out: string): string[] => scanDays(join(out, 'aws/AWSLogs'));
    for (const prune of [false, true]) {
      const out = tempDir();
      const store = await Store.open(':memory:');
      try {
        await collectCloudTrailS3(store, { location, outDir: out, ...window }, newLog());
        expect(daysIn(out)).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19']);
        const r = await collectCloudTrailS3(store, { location, outDir: out, ...later, ...(prune ? { pruneBeforeWindow: true } : {}) }, newLog());
        if (prune) {
          // Days 10-13 are gone (files and records: 4 days × 2 accounts × 2 regions); day 14 stays as slack.
          expect(r.pruned).toBe(16);
          expect(daysIn(out)).toEqual(['14', '15', '16', '17', '18', '19', '20', '21', '22']);
          const recorded = await store.all<{ n: number }>("SELECT count(*)::INTEGER AS n FROM aws_s3_objects WHERE key LIKE '%/2026/11/1_/%' AND key < 'z'");
          expect(recorded[0]!.n).toBe(6 * 4);
        } else {
          expect(r.pruned).toBeUndefined();
          expect(daysIn(out)).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22']);
        }
      } finally {
        store.close();
      }
    }
  });

  it('--accounts/--regions restrict the listing; single-account layout works too', async () => {
    const b = new Bucket();
    for (const region of REGIONS) b.put(`AWSLogs/111111111111/CloudTrail/${region}/2026/11/15/f.json.gz`, gzipSync('{"Records":[]}'));
    b.put('AWSLogs/222222222222/CloudTrail/us-east-1/2026/11/15/g.json.gz', gzipSync('{"Records":[]}'));
    b.serve();
    const store = await Store.open(':memory:');
    try {
      const r = await collectCloudTrailS3(store, { location: parseBucketUrl('s3://logs'), outDir: tempDir(), ...window, accounts: ['111111111111'], regions: ['eu-west-1'] }, newLog());
      expect(r).toMatchObject({ listed: 1, downloaded: 1 });
      expect(r.files[0]).toMatch(/AWSLogs\/111111111111\/CloudTrail\/eu-west-1\/2026\/11\/15\/f\.json\.gz$/);
    } finally {
      store.close();
    }
  });

  it('AccessDenied on GetObject is one gap naming s3:GetObject; nothing is recorded as fetched', async () => {
    const b = orgTrail(1);
    b.serve();
    s3.on(GetObjectCommand).rejects(accessDenied('s3:GetObject'));
    const store = await Store.open(':memory:');
    try {
      const log = newLog();
      const r = await collectCloudTrailS3(store, { location: parseBucketUrl('s3://trail-bucket/trail'), outDir: tempDir(), ...window, concurrency: 1 }, log);
      expect(r.downloaded).toBe(0);
      expect(log.gaps).toHaveLength(1);
      expect(log.gaps[0]).toMatchObject({ api: 'GetObject', permission: 's3:GetObject' });
      expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM aws_s3_objects'))?.n).toBe(0);
    } finally {
      store.close();
    }
  });
});
