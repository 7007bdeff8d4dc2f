import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand, GetAccessKeyLastUsedCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand, IAMClient, ListAccessKeysCommand, ListOpenIDConnectProvidersCommand, ListServiceSpecificCredentialsCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectIam, fetchCredentialReport } from '../../../src/connectors/aws/iam.js';
import type { CollectLog } from '../../../src/connectors/aws/context.js';
import { Store } from '../../../src/store/db.js';
import { loadIam } from '../../../src/store/load-iam.js';
import { accessDenied, authDetailsPage, credentialReportCsv, serviceError, syntheticAccount, type SyntheticAccount } from '../../helpers/aws.js';
import { tempDir } from '../../helpers/scan.js';

const iam = mockClient(IAMClient);
const ACCOUNT = '111111111111';
const target = { accountId: ACCOUNT, via: 'default credentials' };
const newLog = (): CollectLog => ({ gaps: [], progress: () => undefined });

/** Answer every IAM call for `a` the way IAM does (pages, per-user keys, last use). */
function serve(a: SyntheticAccount): void {
  iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input) => authDetailsPage(a, input));
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(credentialReportCsv(a)), ReportFormat: 'text/csv', GeneratedTime: new Date() });
  iam.on(ListAccessKeysCommand).callsFake((input: { UserName?: string }) => ({
    AccessKeyMetadata: (a.keys.get(input.UserName ?? '') ?? []).map((id) => ({ UserName: input.UserName, AccessKeyId: id, Status: 'Active', CreateDate: new Date('2025-02-01T00:00:00Z') })),
    IsTruncated: false,
  }));
  iam.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId?: string }) => ({
    UserName: 'x', AccessKeyLastUsed: input.AccessKeyId?.endsWith('1')
      ? { LastUsedDate: new Date('2026-11-18T09:00:00Z'), ServiceName: 'bedrock', Region: 'us-east-1' }
      : { ServiceName: 'N/A', Region: 'N/A' },
  }));
  iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [
    { Arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
    { Arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC` },
  ] });
  iam.on(GetOpenIDConnectProviderCommand).callsFake((input: { OpenIDConnectProviderArn?: string }) => ({
    Url: input.OpenIDConnectProviderArn?.split('oidc-provider/')[1], ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [], CreateDate: new Date('2025-03-01T00:00:00Z'), Tags: [],
  }));
  iam.on(ListServiceSpecificCredentialsCommand).resolves({ ServiceSpecificCredentials: [
    { UserName: 'user-3', ServiceName: 'bedrock.amazonaws.com', ServiceSpecificCredentialId: 'ACCA000000000000000001', ServiceCredentialAlias: 'user-3-at-111111111111',
      Status: 'Active', CreateDate: new Date('2026-10-01T00:00:00Z'), ExpirationDate: new Date('2027-10-01T00:00:00Z') },
  ], IsTruncated: false });
}

beforeEach(() => iam.reset());
afterEach(() => iam.reset());

describe('IAM collection', () => {
  it('merges every GetAccountAuthorizationDetails page into one CLI-shaped file the offline loader reads', async () => {
    const a = syntheticAccount(ACCOUNT, { users: 30, roles: 150, keys: 10 });
    serve(a);
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input) => authDetailsPage(a, { ...input, MaxItems: 50 })); // force 5 pages
    const root = tempDir();
    const dir = join(root, ACCOUNT);
    const log = newLog();
    const r = await collectIam(target, dir, log, { reportPollMs: 1 });
    expect(log.gaps).toEqual([]);
    expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(5);
    expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand)[1]!.args[0].input.Marker).toBe('50');
    expect(r).toMatchObject({ users: 30, roles: 150, keys: 10 });

    const doc = JSON.parse(readFileSync(join(dir, 'get-account-authorization-details.json'), 'utf8'));
    expect(Object.keys(doc).sort()).toEqual(['GroupDetailList', 'Policies', 'RoleDetailList', 'UserDetailList']);
    expect(doc.RoleDetailList).toHaveLength(150);
    // CLI shape: policy documents decoded to JSON objects, dates as ISO strings, no SDK metadata.
    expect(doc.RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe('lambda.amazonaws.com');
    expect(doc.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Action).toBe('bedrock:InvokeModel');
    expect(doc.UserDetailList[0].CreateDate).toBe('2025-01-01T00:00:00.000Z');

    const keys = JSON.parse(readFileSync(join(dir, 'list-access-keys.json'), 'utf8')).AccessKeyMetadata;
    expect(keys).toHaveLength(10);
    expect(keys.find((k: { AccessKeyId: string }) => k.AccessKeyId.endsWith('1')).AccessKeyLastUsed.ServiceName).toBe('bedrock');

    // The same loaders as an offline scan: every file loads, with the new sources.
    const store = await Store.open(':memory:');
    try {
      const loaded = await loadIam(store, 'run-test', root);
      expect(loaded.gaps).toEqual([]);
      expect(loaded).toMatchObject({ principals: 180, keys: 10, oidcProviders: 2, serviceCredentials: 1 });
      const used = await store.all<{ access_key_id: string; last_used_service: string | null; last_used_at: string | null }>(
        `SELECT access_key_id, last_used_service, last_used_at FROM iam_access_keys ORDER BY access_key_id`);
      expect(used.filter((k) => k.last_used_service === 'bedrock')).toHaveLength(1);
      expect(used.filter((k) => k.last_used_service === null && k.last_used_at === null)).toHaveLength(9); // "N/A" is not a service
      const oidc = await store.all<{ url: string }>('SELECT url FROM iam_oidc_providers ORDER BY url');
      expect(oidc.map((o) => o.url)).toEqual(['oidc.eks.us-east-1.amazonaws.com/id/ABC', 'token.actions.githubusercontent.com']);
      const bedrock = await store.one<{ user_name: string; service_name: string; expires_at: string }>('SELECT * FROM iam_service_credentials');
      expect(bedrock).toMatchObject({ user_name: 'user-3', service_name: 'bedrock.amazonaws.com', expires_at: '2027-10-01T00:00:00.000Z' });
      const report = await store.one<{ n: number }>('SELECT count(*) AS n FROM iam_credential_report');
      expect(report?.n).toBe(31);
    } finally {
      store.close();
    }
  });

  it('credential report: ReportInProgress is polled, ReportNotPresent regenerates, then the CSV is decoded', async () => {
    const a = syntheticAccount(ACCOUNT, { users: 2, roles: 0, keys: 1 });
    iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand)
      .rejectsOnce(serviceError('ReportInProgress', 410, 'Report is in progress'))
      .rejectsOnce(serviceError('ReportNotPresent', 410, 'Report not present'))
      .resolves({ Content: new TextEncoder().encode(credentialReportCsv(a)) });
    const csv = await fetchCredentialReport(new IAMClient({ region: 'us-east-1' }), { reportPollMs: 1 });
    expect(csv.split('\n')[0]).toMatch(/^user,arn,user_creation_time/);
    expect(csv).toContain('user-0,arn:aws:iam::111111111111:user/user-0');
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(3);
  });

  it('a credential report that never finishes is a gap naming the account; the rest is still collected', async () => {
    const a = syntheticAccount(ACCOUNT, { users: 2, roles: 1, keys: 2 });
    serve(a);
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    iam.on(GetCredentialReportCommand).rejects(serviceError('ReportInProgress', 410));
    const log = newLog();
    const r = await collectIam(target, tempDir(), log, { reportPollMs: 1, reportTimeoutMs: 30 });
    expect(log.gaps).toHaveLength(1);
    expect(log.gaps[0]).toMatchObject({ account: ACCOUNT, api: 'GetCredentialReport' });
    expect(log.gaps[0]!.detail).toMatch(/ReportInProgress/);
    // Without the report, access keys are listed for every user from the authorization details.
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(2);
    expect(r.keys).toBe(2);
  });

  it('AccessDenied on one API is one gap with account, API and the missing permission; other APIs still run', async () => {
    const a = syntheticAccount(ACCOUNT, { users: 3, roles: 2, keys: 4 });
    serve(a);
    iam.on(GetAccessKeyLastUsedCommand).rejects(accessDenied('iam:GetAccessKeyLastUsed'));
    iam.on(ListServiceSpecificCredentialsCommand).rejects(accessDenied('iam:ListServiceSpecificCredentials'));
    const dir = tempDir();
    const log = newLog();
    const r = await collectIam(target, dir, log, { reportPollMs: 1, concurrency: 1 });
    expect(log.gaps.map((g) => [g.account, g.api, g.permission])).toEqual([
      [ACCOUNT, 'GetAccessKeyLastUsed', 'iam:GetAccessKeyLastUsed'],
      [ACCOUNT, 'ListServiceSpecificCredentials', 'iam:ListServiceSpecificCredentials'],
    ]);
    expect(log.gaps[0]!.detail).toMatch(/AccessDenied: iam:GetAccessKeyLastUsed denied in account 111111111111; grant iam:GetAccessKeyLastUsed/);
    // Denied once: not retried for every other key.
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(1);
    expect(r).toMatchObject({ users: 3, roles: 2, keys: 4 });
    expect(JSON.parse(readFileSync(join(dir, 'list-access-keys.json'), 'utf8')).AccessKeyMetadata).toHaveLength(4);
  });

  it('2,000 roles, 500 users, 800 keys: one call family per account, no N+1 beyond the per-key last-used call', async () => {
    const a = syntheticAccount(ACCOUNT, { users: 500, roles: 2000, keys: 800 });
    serve(a);
    const r = await collectIam(target, tempDir(), newLog(), { reportPollMs: 1 });
    expect(r).toMatchObject({ users: 500, roles: 2000, keys: 800 });
    const counts: Record<string, number> = {};
    for (const c of iam.calls()) {
      const name = (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
    }
    // 2,530 entities at 1,000 per page; keys listed only for the 400 users the credential report shows holding keys.
    expect(counts).toEqual({
      GetAccountAuthorizationDetails: 3, GenerateCredentialReport: 1, GetCredentialReport: 1,
      ListAccessKeys: 400, GetAccessKeyLastUsed: 800,
      ListOpenIDConnectProviders: 1, GetOpenIDConnectProvider: 2, ListServiceSpecificCredentials: 1,
    });
    expect(iam.calls()).toHaveLength(1209);
  });
});
