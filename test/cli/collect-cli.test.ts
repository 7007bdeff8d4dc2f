import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand, GetAccessKeyLastUsedCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand,
  IAMClient, ListAccessKeysCommand, ListOpenIDConnectProvidersCommand, ListServiceSpecificCredentialsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveJobs } from '../../src/cli/commands/daemon.js';
import { main } from '../../src/cli/main.js';
import { DEFAULT_ROLE_NAME } from '../../src/connectors/aws/accounts.js';
import { SourceClock } from '../../src/daemon/sources.js';
import { accessDenied, authDetailsPage, credentialReportCsv, syntheticAccount } from '../helpers/aws.js';
import { tempDir } from '../helpers/scan.js';
import { capture } from '../helpers/capture.js';

const ACCOUNT = '123456789012';
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);

function serve(): void {
  const a = syntheticAccount(ACCOUNT, { users: 4, roles: 3, keys: 3 });
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/scanner` });
  iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input) => authDetailsPage(a, input));
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(credentialReportCsv(a)) });
  iam.on(ListAccessKeysCommand).callsFake((input: { UserName: string }) => ({
    AccessKeyMetadata: (a.keys.get(input.UserName) ?? []).map((k) => ({ UserName: input.UserName, AccessKeyId: k, Status: 'Active', CreateDate: new Date('2025-02-01T00:00:00Z') })),
  }));
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
  iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [] });
  iam.on(ListServiceSpecificCredentialsCommand).rejects(accessDenied('iam:ListServiceSpecificCredentials', ACCOUNT));
}

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) saved[k] = process.env[k];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIACLITESTEXAMPLE01';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'cli-test-only-not-a-secret';
  process.env['AWS_REGION'] = 'us-east-1';
});
afterAll(() => { for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v; });
afterEach(() => { sts.reset(); iam.reset(); process.exitCode = undefined; vi.restoreAllMocks(); });

describe('shadowscan collect / live scan (CLI)', () => {
  it('collect --out writes the offline layout and coverage-gaps.json; scan --from reads both', async () => {
    serve();
    const out = tempDir();
    const db = join(tempDir(), 'state.duckdb');
    let c = capture();
    const code = await main(['node', 'shadowscan', 'collect', '--out', out, '--db', db]);
    c.restore();
    expect(code).toBe(0);
    expect(c.out.join('')).toBe(''); // nothing on stdout
    expect(c.err.join('')).toMatch(/collected 1 account\(s\)[\s\S]*123456789012: 4 users, 3 roles, 3 access keys[\s\S]*coverage gaps \(1\)/);
    for (const f of ['get-account-authorization-details.json', 'credential-report.csv', 'list-access-keys.json', 'list-open-id-connect-providers.json']) {
      expect(existsSync(join(out, 'aws/iam', ACCOUNT, f))).toBe(true);
    }
    const gaps = JSON.parse(readFileSync(join(out, 'coverage-gaps.json'), 'utf8'));
    expect(gaps.gaps[0]).toMatchObject({ account: ACCOUNT, api: 'ListServiceSpecificCredentials', permission: 'iam:ListServiceSpecificCredentials' });

    c = capture();
    // This export has IAM and no CloudTrail (none was collected): without --allow-empty that is exit 2 (issue 13).
    const scan = await main(['node', 'shadowscan', 'scan', '--from', out, '--db', ':memory:', '--format', 'json', '--as-of', '2026-11-20T00:00:00Z', '--allow-empty']);
    c.restore();
    expect(scan).toBe(0);
    const report = JSON.parse(c.out.join(''));
    expect(report.run.coverage_gaps.map((g: { source: string }) => g.source)).toContain(`aws:${ACCOUNT}:global:iam:ListServiceSpecificCredentials`);
    expect(report.inventory.some((i: { arn: string }) => i.arn === `arn:aws:iam::${ACCOUNT}:role/role-2`)).toBe(true);
  });

  it('scan without --from collects into --cache and scans in one go', async () => {
    serve();
    const cache = tempDir();
    const c = capture();
    const code = await main(['node', 'shadowscan', 'scan', '--cache', cache, '--db', ':memory:', '--format', 'json', '--quiet', '--regions', 'us-east-1']);
    c.restore();
    expect(code).toBe(0);
    expect(c.err.join('')).toBe(''); // --quiet
    const report = JSON.parse(c.out.join(''));
    expect(report.inventory.filter((i: { kind: string }) => i.kind === 'iam-user')).toHaveLength(4);
    expect(existsSync(join(cache, 'aws/iam', ACCOUNT, 'credential-report.csv'))).toBe(true);
  });

  it('bad flags are usage errors naming the flag; --from and live sources do not mix', async () => {
    const cases: [string[], RegExp][] = [
      [['collect', '--out', tempDir(), '--accounts', '12345'], /--accounts 12345: expected comma-separated 12-digit account ids/],
      [['collect', '--out', tempDir(), '--regions', 'mars'], /--regions mars: expected comma-separated region names/],
      [['collect', '--out', tempDir(), '--cloudtrail-bucket', 'my-bucket'], /--cloudtrail-bucket my-bucket: expected s3:\/\/bucket/],
      [['scan', '--from', tempDir(), '--org'], /--from reads an offline export; live source flags/],
      [['collect', '--out', tempDir(), '--cloudtrail-profile', 'logs'], /--cloudtrail-profile needs --cloudtrail-bucket/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      const code = await main(['node', 'shadowscan', ...args, '--db', ':memory:']);
      c.restore();
      expect(code).toBe(2);
      expect(c.err.join('')).toMatch(message);
    }
    expect(sts.calls()).toHaveLength(0); // validated before any API call
  });

  it('no reachable account is a usage error that says why', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } }));
    const c = capture();
    const code = await main(['node', 'shadowscan', 'collect', '--out', tempDir(), '--db', ':memory:']);
    c.restore();
    expect(code).toBe(2);
    expect(c.err.join('')).toMatch(/no AWS account could be read[\s\S]*sts:GetCallerIdentity/);
  });

  it('a live daemon collects IAM on its --iam-every clock and reuses it in between (the mechanism GitHub uses too)', async () => {
    serve();
    const cache = tempDir();
    const db = join(tempDir(), 'state.duckdb');
    const jobs = liveJobs({ awsProfile: [], roleName: DEFAULT_ROLE_NAME, githubOrg: [], db }, cache, '90d', 3_600_000, 3_600_000);
    expect(jobs.map((j) => j.sources.map((s) => s.name))).toEqual([['iam']]); // no CloudTrail flag: IAM only
    const clock = new SourceClock(jobs, 'live');
    let now = Date.now();
    const refresh = () => clock.refresh(new AbortController().signal, () => undefined, () => new Date(now));
    const calls = () => iam.commandCalls(GetAccountAuthorizationDetailsCommand).length;
    const c = capture();
    try {
      expect(await refresh()).toEqual([]);
      const once = calls();
      expect(once).toBeGreaterThan(0);
      now += 300;
      expect(await refresh()).toEqual([]);
      expect(calls()).toBe(once); // reused
      now += 3_600_000;
      await refresh();
      expect(calls()).toBe(2 * once); // due again
      expect(clock.snapshot(new Date(now), 300)).toMatchObject([{ source: 'iam', every_seconds: 3600, last_refresh_at: new Date(now).toISOString(), consecutive_failures: 0 }]);

      // Credentials stop working: a coverage gap of the run, retried at the next run, freshness kept.
      sts.on(GetCallerIdentityCommand).rejects(accessDenied('sts:GetCallerIdentity', ACCOUNT));
      now += 3_600_000;
      const gaps = await refresh();
      expect(gaps).toHaveLength(1);
      expect(gaps[0]?.detail).toMatch(/^refresh failed: no AWS account could be read/);
      expect(clock.snapshot(new Date(now), 300)[0]).toMatchObject({ consecutive_failures: 1, last_refresh_at: new Date(now - 3_600_000).toISOString() });
    } finally {
      c.restore();
    }
  });
});
