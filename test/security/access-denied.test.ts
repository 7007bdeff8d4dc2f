/**
 * A live scan whose calls are denied says so: one coverage gap per denied call naming the API call and the IAM
 * permission it needs, and — when nothing at all could be read — a summary of what was denied instead of an
 * error about the export layout. AWS errors are the SDK's own exception classes with the messages AWS sends
 * (IAM: query protocol, 403 AccessDenied; CloudTrail: JSON protocol, 400 AccessDeniedException).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountClient, AccountServiceException, ListRegionsCommand } from '@aws-sdk/client-account';
import { AccessDeniedException, CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  GenerateCredentialReportCommand, GetAccessKeyLastUsedCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand,
  IAMClient, IAMServiceException, ListAccessKeysCommand, ListOpenIDConnectProvidersCommand, ListServiceSpecificCredentialsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { authDetailsPage, syntheticAccount } from '../helpers/aws.js';
import { capture } from '../helpers/capture.js';
import { tempDir } from '../helpers/scan.js';

const ACCOUNT = '210987654321';
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/NoIamAccess/scanner`;
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const ct = mockClient(CloudTrailClient);
const acct = mockClient(AccountClient);

/** IAM (awsQuery): HTTP 403, <Code>AccessDenied</Code>, the message AWS writes. */
function iamDenied(action: string): Error {
  return new IAMServiceException({
    name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403, requestId: '6b1d9a2e-4c1f-4b7e-9f0a-000000000001' },
    message: `User: ${CALLER} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
  });
}

/** CloudTrail (awsJson1_1): HTTP 400, __type AccessDeniedException. */
function cloudtrailDenied(): Error {
  return new AccessDeniedException({
    $metadata: { httpStatusCode: 400, requestId: '0d3c2b1a-0000-4000-8000-000000000002' },
    message: `User: ${CALLER} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
  });
}

/** Account (restJson1): HTTP 403, AccessDeniedException. */
function accountDenied(): Error {
  return new AccountServiceException({
    name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 },
    message: `User: ${CALLER} is not authorized to perform: account:ListRegions on resource: arn:aws:account::${ACCOUNT}:account`,
  });
}

function denyAllIam(): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: CALLER, UserId: 'AROAEXAMPLE:scanner' });
  iam.on(GetAccountAuthorizationDetailsCommand).rejects(iamDenied('iam:GetAccountAuthorizationDetails'));
  iam.on(GenerateCredentialReportCommand).rejects(iamDenied('iam:GenerateCredentialReport'));
  iam.on(GetCredentialReportCommand).rejects(iamDenied('iam:GetCredentialReport'));
  iam.on(ListAccessKeysCommand).rejects(iamDenied('iam:ListAccessKeys'));
  iam.on(GetAccessKeyLastUsedCommand).rejects(iamDenied('iam:GetAccessKeyLastUsed'));
  iam.on(ListOpenIDConnectProvidersCommand).rejects(iamDenied('iam:ListOpenIDConnectProviders'));
  iam.on(ListServiceSpecificCredentialsCommand).rejects(iamDenied('iam:ListServiceSpecificCredentials'));
}

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION']) saved[k] = process.env[k];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIADENIEDEXAMPLE001';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'access-denied-test-only-not-a-secret';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
  process.env['AWS_REGION'] = 'us-east-1';
});
afterAll(() => { for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v; });
afterEach(() => { for (const m of [sts, iam, ct, acct]) m.reset(); process.exitCode = undefined; });

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  try {
    const code = await main(['node', 'shadowscan', ...args]);
    return { code, out: c.out.join(''), err: c.err.join('') };
  } finally {
    c.restore();
  }
}

describe('live scan with denied calls', () => {
  it('every IAM call denied: the scan says which calls were denied and which permissions they need', async () => {
    denyAllIam();
    const cache = tempDir();
    const r = await run(['scan', '--cache', cache, '--db', ':memory:', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/expected an offline export/);
    expect(r.err).toMatch(/every AWS call that would read identities or activity was denied \(AccessDenied\)/);
    // One line per denied call: the API call and the IAM permission it needs.
    for (const [api, permission] of [
      ['GetAccountAuthorizationDetails', 'iam:GetAccountAuthorizationDetails'],
      ['GenerateCredentialReport', 'iam:GenerateCredentialReport'],
      ['ListOpenIDConnectProviders', 'iam:ListOpenIDConnectProviders'],
      ['ListServiceSpecificCredentials', 'iam:ListServiceSpecificCredentials'],
    ]) {
      expect(r.err).toMatch(new RegExp(`account ${ACCOUNT}: ${api} denied — needs ${permission}`));
    }
    expect(r.err).toMatch(/policies\/shadowscan-readonly\.json/);
    // The same gaps are recorded for the export, each naming call and permission.
    const recorded = JSON.parse(readFileSync(join(cache, 'coverage-gaps.json'), 'utf8')) as { gaps: { api: string; permission: string }[] };
    expect(recorded.gaps.map((g) => [g.api, g.permission])).toEqual(expect.arrayContaining([
      ['GetAccountAuthorizationDetails', 'iam:GetAccountAuthorizationDetails'],
      ['GenerateCredentialReport', 'iam:GenerateCredentialReport'],
    ]));
  });

  it('every IAM call and LookupEvents denied: CloudTrail denials are named per region too', async () => {
    denyAllIam();
    ct.on(LookupEventsCommand).rejects(cloudtrailDenied());
    acct.on(ListRegionsCommand).rejects(accountDenied());
    const cache = tempDir();
    const r = await run(['scan', '--cache', cache, '--db', ':memory:', '--format', 'json', '--cloudtrail-api', '--regions', 'us-east-1,eu-west-1']);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/expected an offline export/);
    expect(r.err).toMatch(/every AWS call that would read identities or activity was denied/);
    expect(r.err).toMatch(new RegExp(`account ${ACCOUNT}, region eu-west-1: LookupEvents denied — needs cloudtrail:LookupEvents`));
    expect(r.err).toMatch(new RegExp(`account ${ACCOUNT}, region us-east-1: LookupEvents denied — needs cloudtrail:LookupEvents`));
    expect(r.err).toMatch(/GetAccountAuthorizationDetails denied — needs iam:GetAccountAuthorizationDetails/);
  });

  it('partly denied: what was allowed loads, each denied call is a gap in the report naming its permission', async () => {
    const a = syntheticAccount(ACCOUNT, { users: 3, roles: 2, keys: 2 });
    denyAllIam();
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input) => authDetailsPage(a, input));
    ct.on(LookupEventsCommand).rejects(cloudtrailDenied());
    const cache = tempDir();
    const r = await run(['scan', '--cache', cache, '--db', ':memory:', '--format', 'json', '--cloudtrail-api', '--regions', 'us-east-1', '--allow-empty', '--as-of', '2026-11-20T00:00:00Z', '--lookback', '30d']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { inventory: { arn: string }[]; run: { coverage_gaps: { source: string; detail: string }[] } };
    expect(report.inventory.filter((i) => /:user\/user-\d$/.test(i.arn))).toHaveLength(3);
    expect(report.inventory.filter((i) => /:role\/role-\d$/.test(i.arn))).toHaveLength(2);
    const details = report.run.coverage_gaps.map((g) => g.detail).join('\n');
    expect(details).toMatch(/AccessDenied: iam:GenerateCredentialReport denied in account 210987654321; grant iam:GenerateCredentialReport/);
    expect(details).toMatch(/AccessDenied: iam:ListAccessKeys denied in account 210987654321; grant iam:ListAccessKeys/);
    expect(details).toMatch(/AccessDeniedException: cloudtrail:LookupEvents denied in account 210987654321, region us-east-1; grant cloudtrail:LookupEvents/);
    expect(details).not.toMatch(/GetAccountAuthorizationDetails denied/);
  });
});
