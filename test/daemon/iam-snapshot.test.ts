import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { spawnCli, type CliProcess } from '../helpers/daemon.js';
import { scanDir, tempDir } from '../helpers/scan.js';

const ACCT = '111122223333';
const NEW_KEY = 'AKIANEWAGENTKEY00001';
const running: CliProcess[] = [];
afterAll(() => { for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL'); });

/**
 * Yesterday's IAM export (svc-bot with its old key), and today's CloudTrail: a key created since - absent from
 * the export - drives LangChain on Bedrock every hour around the clock.
 */
function scenario(now: Date): string {
  const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/static-key-automation/hit.json'));
  const dir = materializeFixture({ ...spec, records: [] }, tempDir('shadowscan-snapshot-'));
  const yesterday = new Date(now.getTime() - 30 * 3_600_000);
  const iamDir = join(dir, 'aws/iam', ACCT);
  for (const f of readdirSync(iamDir)) utimesSync(join(iamDir, f), yesterday, yesterday);
  const records = Array.from({ length: 24 }, (_, i) => ({
    eventVersion: '1.09', eventID: `new-key-${i}`, eventTime: new Date(now.getTime() - (24 - i) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'bedrock.amazonaws.com', eventName: 'InvokeModel', awsRegion: 'us-east-1', sourceIPAddress: '3.80.10.10',
    userAgent: 'Boto3/1.35.40 md/Botocore#1.35.40 ua/2.1 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.3 x-client-framework:langchain-aws',
    readOnly: true, eventType: 'AwsApiCall', managementEvent: false, recipientAccountId: ACCT,
    requestParameters: { modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0' },
    userIdentity: { type: 'IAMUser', principalId: 'AIDASVCBOT', arn: `arn:aws:iam::${ACCT}:user/svc-bot`, accountId: ACCT, accessKeyId: NEW_KEY, userName: 'svc-bot' },
  }));
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  const d = join(dir, 'aws/AWSLogs', ACCT, 'CloudTrail/us-east-1', day);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, `${ACCT}_CloudTrail_us-east-1_today.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  return dir;
}

describe('keys newer than the IAM snapshot are live', () => {
  it('scan: the new key is a finding, marked "not in the IAM snapshot of <time>"; the snapshot time is in the report', async () => {
    const now = new Date();
    const dir = scenario(now);
    const r = await scanDir(dir, now.toISOString(), 7);
    const f = r.findings.find((x) => x.detector === 'aws/static-key-automation' && x.subject.id === NEW_KEY);
    expect(f).toBeDefined();
    expect(String(f?.evidence['key_status'])).toMatch(/^not in the IAM snapshot of \d{4}-\d{2}-\d{2}T/);
    expect(r.run.iam_snapshots?.[0]).toMatchObject({ account: ACCT });
    expect(Date.parse(r.run.iam_snapshots?.[0]?.at ?? '')).toBeLessThan(now.getTime() - 29 * 3_600_000);
  });

  it('daemon: the next run after such a day delivers a finding for the new key to its sink', async () => {
    const dir = scenario(new Date());
    const work = tempDir();
    const sink = join(work, 'events.jsonl');
    const p = spawnCli(['daemon', '--from', dir, '--db', join(work, 'db.duckdb'), '--every', '300ms', '--sink', `jsonl:${sink}`, '--no-listen', '--lookback', '7d']);
    running.push(p);
    await p.waitFor((l) => l.msg === 'sink.delivered', 60_000);
    p.child.kill('SIGTERM');
    await p.exit;
    const events = existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; finding: { detector: string; subject: { id: string } } }) : [];
    expect(events.some((e) => e.type === 'finding.new' && e.finding.detector === 'aws/static-key-automation' && e.finding.subject.id === NEW_KEY)).toBe(true);
  }, 90_000);
});

/**
 * An IAM export taken 200 days ago. Key LIVE_KEY of svc-bot is absent from it and acted daily from 180 to 150 days
 * ago (after the snapshot, so it is live: created since); key GONE_KEY is absent too but last acted 220 days ago,
 * before the snapshot (deleted since). Both are in a gitleaks report.
 */
const LIVE_KEY = 'AKIALIVEAFTERSNAP001';
const GONE_KEY = 'AKIAGONEBEFORESNAP01';
function oldSnapshotScenario(now: Date): { dir: string; leaks: string } {
  const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/static-key-automation/hit.json'));
  const dir = materializeFixture({ ...spec, records: [] }, tempDir('shadowscan-old-snapshot-'));
  const day = 86_400_000;
  const snapshot = new Date(now.getTime() - 200 * day);
  const iamDir = join(dir, 'aws/iam', ACCT);
  for (const f of readdirSync(iamDir)) utimesSync(join(iamDir, f), snapshot, snapshot);
  const rec = (key: string, i: number, at: Date) => ({
    eventVersion: '1.09', eventID: `${key}-${i}`, eventTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', sourceIPAddress: '3.80.10.10',
    userAgent: 'Boto3/1.35.40 md/Botocore#1.35.40 ua/2.1 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.3',
    readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: ACCT,
    userIdentity: { type: 'IAMUser', principalId: 'AIDASVCBOT', arn: `arn:aws:iam::${ACCT}:user/svc-bot`, accountId: ACCT, accessKeyId: key, userName: 'svc-bot' },
  });
  const records = [
    ...Array.from({ length: 31 }, (_, i) => rec(LIVE_KEY, i, new Date(now.getTime() - (180 - i) * day))),
    ...Array.from({ length: 5 }, (_, i) => rec(GONE_KEY, i, new Date(now.getTime() - (224 - i) * day))),
  ];
  const d = join(dir, 'aws/AWSLogs', ACCT, 'CloudTrail/us-east-1/2026/01/01');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, `${ACCT}_CloudTrail_us-east-1_old.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  const leaks = join(dir, 'gitleaks.json');
  writeFileSync(leaks, JSON.stringify([LIVE_KEY, GONE_KEY].map((k, i) => ({
    Description: 'AWS Access Key ID', StartLine: 3 + i, Match: `aws_access_key_id = ${k}`, Secret: k, File: 'config.ini',
    Commit: 'abc123', Date: new Date(now.getTime() - 300 * day).toISOString(), RuleID: 'aws-access-token', Fingerprint: `abc123:config.ini:aws-access-token:${3 + i}`,
  }))));
  return { dir, leaks };
}

describe('every key detector judges a key absent from an older IAM snapshot as live (unless deleted)', () => {
  it('long-lived-credential, stale and leaked-credential report the live key with "not in the IAM snapshot of <time>"; the key last used before the snapshot stays deleted', async () => {
    const now = new Date();
    const { dir, leaks } = oldSnapshotScenario(now);
    const r = await scanDir(dir, now.toISOString(), 365, { leakFiles: [leaks] });
    const of = (detector: string, key: string) => r.findings.find((x) => x.detector === detector && x.subject.id === key);
    const snapshotStatus = /^not in the IAM snapshot of \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

    const long = of('aws/long-lived-credential', LIVE_KEY);
    expect(long, 'long-lived-credential judges the live key').toBeDefined();
    expect(String(long?.evidence['key_status'])).toMatch(snapshotStatus);
    expect(long?.evidence['min_age_days']).toBe(180);
    expect(long?.reason).toContain('in use for at least 180 days');

    const stale = of('aws/stale', LIVE_KEY);
    expect(stale, 'stale judges the live key').toBeDefined();
    expect(String(stale?.evidence['key_status'])).toMatch(snapshotStatus);
    expect(stale?.evidence['idle_days']).toBe(150);

    const leaked = of('aws/leaked-credential', LIVE_KEY);
    expect(leaked?.severity, 'a leaked live key used after the leak is critical, not "deleted" (low)').toBe('critical');
    expect(leaked?.reason).toContain('used 31 time(s) after the leak');
    expect(String(leaked?.evidence['key_status'])).toMatch(snapshotStatus);

    // last used before the snapshot and absent from it: deleted since, so nothing to rotate and nothing stale
    expect(of('aws/long-lived-credential', GONE_KEY)).toBeUndefined();
    expect(of('aws/stale', GONE_KEY)).toBeUndefined();
    expect(of('aws/leaked-credential', GONE_KEY)?.severity).toBe('low');
    expect(of('aws/leaked-credential', GONE_KEY)?.evidence['key_status']).toBe('deleted');
  });
});

