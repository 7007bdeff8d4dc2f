import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { UsageError } from '../../src/kernel/errors.js';
import { scanDir, tempDir } from '../helpers/scan.js';

const record = (i: number) => ({
  eventVersion: '1.09', eventTime: `2026-11-10T0${i % 10}:00:00Z`, eventSource: 's3.amazonaws.com', eventName: 'GetObject',
  awsRegion: 'us-east-1', sourceIPAddress: '3.3.3.3', userAgent: 'Boto3/1.35.0 md/Botocore#1.35.0 ua/2.1',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/svc', accountId: '111122223333', accessKeyId: 'AKIAGOODKEY000000001', userName: 'svc' },
  eventID: `e-${i}`, readOnly: true, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
});

/** A small export with `good` intact files of 5 records each, plus whatever `bad` adds. */
function exportWith(bad: (trailDir: string, iamDir: string) => void, good = 2): string {
  const base = readFixture(join(projectRoot(), 'fixtures/detectors/aws/static-key-automation/hit.json'));
  const dir = materializeFixture({ ...base, records: [] }, tempDir());
  const trailDir = join(dir, 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/10');
  mkdirSync(trailDir, { recursive: true });
  for (let f = 0; f < good; f++) {
    writeFileSync(join(trailDir, `good-${f}.json.gz`), gzipSync(JSON.stringify({ Records: [0, 1, 2, 3, 4].map((i) => record(f * 10 + i)) })));
  }
  bad(trailDir, join(dir, 'aws/iam/111122223333'));
  return dir;
}

describe('bad input: each broken file is a named coverage gap, everything else loads', () => {
  it('corrupt (truncated) gzip', async () => {
    const dir = exportWith((t) => {
      const gz = gzipSync(JSON.stringify({ Records: [record(1), record(2)] }));
      writeFileSync(join(t, 'corrupt.json.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    });
    const r = await scanDir(dir);
    expect(r.run.counts.cloudtrail_records).toBe(10);
    expect(r.run.counts.cloudtrail_files).toBe(2);
    expect(r.run.coverage_gaps.map((g) => g.source)).toContainEqual(expect.stringMatching(/corrupt\.json\.gz$/));
  });

  it('not gzip at all, named .json.gz', async () => {
    const dir = exportWith((t) => writeFileSync(join(t, 'garbage.json.gz'), 'this is not gzip'));
    const r = await scanDir(dir);
    expect(r.run.counts.cloudtrail_records).toBe(10);
    const gap = r.run.coverage_gaps.find((g) => g.source.endsWith('garbage.json.gz'));
    expect(gap?.detail).toMatch(/unreadable|no data/);
  });

  it('truncated JSON', async () => {
    const dir = exportWith((t) => writeFileSync(join(t, 'trunc.json'), JSON.stringify({ Records: [record(1), record(2), record(3)] }).slice(0, -30)));
    const r = await scanDir(dir);
    expect(r.run.counts.cloudtrail_records).toBe(10);
    const gap = r.run.coverage_gaps.find((g) => g.source.endsWith('trunc.json'));
    expect(gap?.detail).toMatch(/Malformed JSON|unreadable/);
  });

  it('JSON that is not CloudTrail', async () => {
    const dir = exportWith((t) => writeFileSync(join(t, 'other.json'), JSON.stringify({ hello: 'world', items: [1, 2] })));
    const r = await scanDir(dir);
    expect(r.run.counts.cloudtrail_records).toBe(10);
    expect(r.run.coverage_gaps.find((g) => g.source.endsWith('other.json'))?.detail).toMatch(/not a CloudTrail log file/);
  });

  it('several broken files at once, and intact records in between are all counted', async () => {
    const dir = exportWith((t) => {
      writeFileSync(join(t, 'a-trunc.json'), '{"Records": [');
      writeFileSync(join(t, 'b-garbage.json.gz'), 'nope');
      writeFileSync(join(t, 'c-other.json'), '[1,2,3]');
    }, 4);
    const r = await scanDir(dir);
    expect(r.run.counts.cloudtrail_records).toBe(20);
    const sources = r.run.coverage_gaps.map((g) => g.source.split('/').pop());
    expect(sources).toEqual(expect.arrayContaining(['a-trunc.json', 'b-garbage.json.gz', 'c-other.json']));
  });

  it('credential report with the wrong header', async () => {
    const dir = exportWith((_t, iam) => writeFileSync(join(iam, 'credential-report.csv'), 'name,email\nsvc,svc@example.com\n'));
    const r = await scanDir(dir);
    const gap = r.run.coverage_gaps.find((g) => g.source.endsWith('credential-report.csv'));
    expect(gap?.detail).toMatch(/not an AWS credential report: header lacks user, arn/);
    expect(r.run.counts.cloudtrail_records).toBe(10);
    expect(r.inventory.some((i) => i.name === 'svc-bot')).toBe(true);
  });

  it('authorization details cut short', async () => {
    const dir = exportWith((_t, iam) => {
      const p = join(iam, 'get-account-authorization-details.json');
      const text = readFileSync(p, 'utf8');
      writeFileSync(p, text.slice(0, Math.floor(text.length / 2)));
    });
    const r = await scanDir(dir);
    const gap = r.run.coverage_gaps.find((g) => g.source.endsWith('get-account-authorization-details.json'));
    expect(gap?.detail).toMatch(/invalid or truncated JSON/);
    // CloudTrail still loads; the key is still seen acting.
    expect(r.run.counts.cloudtrail_records).toBe(10);
    expect(r.inventory.some((i) => i.id === 'AKIAGOODKEY000000001')).toBe(true);
  });

  it('nothing usable at all is a usage error that lists the gaps', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'aws/AWSLogs/x'), { recursive: true });
    writeFileSync(join(dir, 'aws/AWSLogs/x/broken.json'), '{"Records": [');
    await expect(scanDir(dir)).rejects.toThrow(UsageError);
    await expect(scanDir(dir)).rejects.toThrow(/nothing usable[\s\S]*broken\.json/);
  });

  it('a missing --from directory is a usage error', async () => {
    await expect(scanDir('/nonexistent/shadowscan')).rejects.toThrow(/no such directory/);
  });
});
