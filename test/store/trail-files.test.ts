import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trailFilesOf } from '../../src/store/load-cloudtrail.js';
import { scanDir, tempDir } from '../helpers/scan.js';

const rec = (i: number) => ({
  eventVersion: '1.09', eventID: `tf-${i}`, eventTime: `2026-11-10T0${i % 10}:00:00Z`, eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity',
  awsRegion: 'us-east-1', sourceIPAddress: '3.3.3.3', userAgent: 'Boto3/1.35.0', recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/svc', accountId: '111122223333', accessKeyId: 'AKIATRAILFILES000001', userName: 'svc' },
});
const put = (file: string, records: unknown[], gz = true): void => {
  mkdirSync(join(file, '..'), { recursive: true });
  const body = JSON.stringify({ Records: records });
  writeFileSync(file, gz ? gzipSync(body) : body);
};

describe('trail files at any depth under aws/', () => {
  it('finds key-prefixed layouts, upper-case extensions and walks a symlink loop once', async () => {
    const dir = tempDir();
    const day = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/10';
    put(join(dir, 'aws', day, 'a.json.gz'), [rec(1), rec(2)]);
    // `aws s3 sync s3://bucket ./aws` keeps the key prefix; org trails add the org id.
    put(join(dir, 'aws/my-prefix/logs', day, 'b.json.gz'), [rec(3)]);
    put(join(dir, 'aws/other', day.replace('AWSLogs/', 'AWSLogs/o-abc123defg/'), 'C.JSON.GZ'), [rec(4), rec(5)]);
    put(join(dir, 'aws', day, 'plain.JSON'), [rec(6)], false);
    // gzip named .json: recognised by its bytes
    put(join(dir, 'aws', day, 'zipped-but-named.json'), [rec(7)]);
    symlinkSync(join(dir, 'aws/AWSLogs'), join(dir, 'aws', day, 'loop'));
    symlinkSync(join(dir, 'aws', day, 'a.json.gz'), join(dir, 'aws', day, 'a-again.json.gz'));
    // neither is a trail file: IAM exports and LookupEvents exports have their own loaders
    mkdirSync(join(dir, 'aws/iam/111122223333'), { recursive: true });
    writeFileSync(join(dir, 'aws/iam/111122223333/list-access-keys.json'), '{"AccessKeyMetadata":[]}');
    writeFileSync(join(dir, 'aws/lookup-events-111122223333-us-east-1.json'), '{"Events":[]}');

    const files = trailFilesOf(join(dir, 'aws')).map((f) => f.slice(dir.length + 5));
    expect(files).toEqual([
      `${day}/a.json.gz`, `${day}/plain.JSON`, `${day}/zipped-but-named.json`,
      `my-prefix/logs/${day}/b.json.gz`, `other/${day.replace('AWSLogs/', 'AWSLogs/o-abc123defg/')}/C.JSON.GZ`,
    ]);
    const r = await scanDir(dir);
    expect(r.run.counts.cloudtrail_records).toBe(7);
    expect(r.run.counts.cloudtrail_files).toBe(6); // 5 trail files + the (empty) LookupEvents export
    expect(r.run.coverage_gaps.filter((g) => /CloudTrail|lookup/.test(g.detail))).toEqual([]);
  });
});

describe('a requested source that yields nothing', () => {
  it('an export with IAM but no CloudTrail record is a gap; the CLI exits 2 unless --allow-empty', async () => {
    const { cli } = await import('../helpers/cli.js');
    const dir = tempDir();
    mkdirSync(join(dir, 'aws/iam/111122223333'), { recursive: true });
    writeFileSync(join(dir, 'aws/iam/111122223333/get-account-authorization-details.json'), JSON.stringify({
      UserDetailList: [{ UserName: 'svc', Arn: 'arn:aws:iam::111122223333:user/svc', UserId: 'AIDASVC', Path: '/', CreateDate: '2025-01-01T00:00:00Z' }],
      RoleDetailList: [], GroupDetailList: [], Policies: [] }));
    const r = await scanDir(dir);
    expect(r.run.coverage_gaps.find((g) => g.detail.startsWith('requested source yielded nothing'))?.detail)
      .toMatch(/no CloudTrail record loaded from .*aws: 0 trail file\(s\).* and 0 lookup-events\*\.json/);
    const db = join(tempDir(), 'db.duckdb');
    const strict = await cli('scan', '--from', dir, '--db', db, '--format', 'json', '--as-of', '2026-11-20T00:00:00Z', '-q');
    expect(strict.code).toBe(2);
    expect(JSON.parse(strict.out).run.coverage_gaps.some((g: { detail: string }) => g.detail.startsWith('requested source yielded nothing'))).toBe(true);
    const allowed = await cli('scan', '--from', dir, '--db', db, '--format', 'json', '--as-of', '2026-11-20T00:00:00Z', '--allow-empty', '-q');
    expect(allowed.code).toBe(0);
  });
});
