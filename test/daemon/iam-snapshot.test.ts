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
