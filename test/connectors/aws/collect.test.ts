import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  GenerateCredentialReportCommand, GetAccessKeyLastUsedCommand, GetAccountAuthorizationDetailsCommand, GetCredentialReportCommand,
  IAMClient, ListAccessKeysCommand, ListOpenIDConnectProvidersCommand, ListServiceSpecificCredentialsCommand,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectAws } from '../../../src/connectors/aws/collect.js';
import { Store } from '../../../src/store/db.js';
import { accessDenied, authDetailsPage, credentialReportCsv, lookupEvent, lookupEventsPage, syntheticAccount, type SyntheticAccount } from '../../helpers/aws.js';
import { scanDir, tempDir } from '../../helpers/scan.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const LOCKED = '333333333333';
const sts = mockClient(STSClient);
const org = mockClient(OrganizationsClient);
const iam = mockClient(IAMClient);
const account = mockClient(AccountClient);
const ct = mockClient(CloudTrailClient);

/** Which account a mocked call runs in: the access key id the client would sign with. */
async function accountOf(getClient: () => { config: { credentials?: unknown } }): Promise<string> {
  const provider = getClient().config.credentials as () => Promise<{ accessKeyId: string }>;
  const id = (await provider()).accessKeyId;
  return id === 'AKIAMGMTEXAMPLE00001' ? MGMT : id.slice(4, 16);
}

const env: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION']) env[k] = process.env[k];
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIAMGMTEXAMPLE00001';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'not-a-real-secret-value-used-only-in-tests';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
  process.env['AWS_REGION'] = 'us-east-1';
});
afterAll(() => {
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
});
afterEach(() => { for (const m of [sts, org, iam, account, ct]) m.reset(); });

function serveOrg(accounts: Map<string, SyntheticAccount>): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: MGMT, Arn: `arn:aws:iam::${MGMT}:user/scanner`, UserId: 'AIDAEXAMPLE' });
  org.on(ListAccountsCommand)
    .resolvesOnce({ Accounts: [{ Id: MGMT, State: 'ACTIVE' }, { Id: MEMBER, State: 'ACTIVE' }], NextToken: 'page-2' })
    .resolves({ Accounts: [{ Id: LOCKED, State: 'ACTIVE' }, { Id: '444444444444', State: 'SUSPENDED' }] });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const id = input.RoleArn.split(':')[4]!;
    if (id === LOCKED) throw accessDenied('sts:AssumeRole', MGMT);
    return { Credentials: { AccessKeyId: `ASIA${id}0000`, SecretAccessKey: 'session-secret-never-written', SessionToken: 'session-token-never-written', Expiration: new Date(Date.now() + 3600_000) } };
  });
  iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async (input, getClient) => {
    const id = await accountOf(getClient);
    if (id === MEMBER) throw accessDenied('iam:GetAccountAuthorizationDetails', MEMBER);
    return authDetailsPage(accounts.get(id)!, input);
  });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).callsFake(async (_i, getClient) => ({ Content: new TextEncoder().encode(credentialReportCsv(accounts.get(await accountOf(getClient))!)) }));
  iam.on(ListAccessKeysCommand).callsFake(async (input: { UserName: string }, getClient) => ({
    AccessKeyMetadata: (accounts.get(await accountOf(getClient))!.keys.get(input.UserName) ?? []).map((k) => ({ UserName: input.UserName, AccessKeyId: k, Status: 'Active', CreateDate: new Date('2025-02-01T00:00:00Z') })),
  }));
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-19T00:00:00Z'), ServiceName: 'sts', Region: 'us-east-1' } });
  iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [] });
  iam.on(ListServiceSpecificCredentialsCommand).resolves({ ServiceSpecificCredentials: [] });
  account.on(ListRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }, { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }] });
  ct.on(LookupEventsCommand).callsFake(async (input, getClient) => {
    const id = await accountOf(getClient);
    const region = await (getClient().config as unknown as { region: () => Promise<string> }).region();
    const events = [0, 1, 2].map((i) => lookupEvent(`${id}-${region}-${i}`, new Date(Date.UTC(2026, 10, 18, 10, i)), id, region));
    return lookupEventsPage(events, input);
  });
}

describe('collect: organisation-wide', () => {
  it('collects every reachable account; AccessDenied on one account or API is a gap, the rest goes on; scan --from reads the gaps', async () => {
    const accounts = new Map([[MGMT, syntheticAccount(MGMT, { users: 3, roles: 2, keys: 2 })], [MEMBER, syntheticAccount(MEMBER, { users: 2, roles: 1, keys: 1 })]]);
    serveOrg(accounts);
    const out = tempDir();
    const store = await Store.open(':memory:');
    let r;
    try {
      r = await collectAws(store, {
        outDir: out, profiles: [], org: true, roleName: 'OrganizationAccountAccessRole', cloudtrailApi: true,
        windowStart: new Date('2026-11-01T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z'),
        lookup: { minIntervalMs: 0 },
      });
    } finally {
      store.close();
    }
    expect(r.accounts.map((a) => a.id)).toEqual([MGMT, MEMBER]);
    expect(r.accounts[1]!.via).toBe(`role arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`);
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(2);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn).sort()).toEqual([
      `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, `arn:aws:iam::${LOCKED}:role/OrganizationAccountAccessRole`,
    ]);
    expect(r.gaps.map((g) => [g.account, g.api, g.permission])).toEqual([
      [MEMBER, 'GetAccountAuthorizationDetails', 'iam:GetAccountAuthorizationDetails'],
      [LOCKED, 'AssumeRole', 'sts:AssumeRole'],
    ]);
    expect(r.lookup).toEqual([
      { account: MGMT, calls: 2, events: 6, duplicatesSkipped: 0 },
      { account: MEMBER, calls: 2, events: 6, duplicatesSkipped: 0 },
    ]);
    expect(existsSync(join(out, 'aws/iam', MGMT, 'get-account-authorization-details.json'))).toBe(true);
    expect(existsSync(join(out, 'aws/iam', MEMBER, 'get-account-authorization-details.json'))).toBe(false);
    expect(existsSync(join(out, 'aws/iam', MEMBER, 'credential-report.csv'))).toBe(true);

    // No credential material ever reaches the disk.
    const written = readFileSync(join(out, 'coverage-gaps.json'), 'utf8');
    expect(written).not.toMatch(/session-secret|session-token|not-a-real-secret/);
    const gapsDoc = JSON.parse(written);
    expect(gapsDoc.gaps[1].detail).toMatch(/AccessDenied: sts:AssumeRole denied in account 333333333333.*deploy it/);

    const report = await scanDir(out);
    const gapSources = report.run.coverage_gaps.map((g) => g.source);
    expect(gapSources).toContain(`aws:${MEMBER}:global:iam:GetAccountAuthorizationDetails`);
    expect(gapSources).toContain(`aws:${LOCKED}:global:sts:AssumeRole`);
    expect(report.run.coverage_gaps.find((g) => g.source.includes(LOCKED))!.detail).toMatch(/^collect: AccessDenied/);
    expect(report.run.counts.cloudtrail_records).toBe(12);
    expect(report.inventory.some((i) => i.arn === `arn:aws:iam::${MGMT}:role/role-1`)).toBe(true);
  });

  it('--accounts restricts the Organization; an unreachable requested account is named', async () => {
    serveOrg(new Map([[MGMT, syntheticAccount(MGMT, { users: 1, roles: 1, keys: 0 })], [MEMBER, syntheticAccount(MEMBER, { users: 1, roles: 1, keys: 0 })]]));
    const store = await Store.open(':memory:');
    try {
      const r = await collectAws(store, {
        outDir: tempDir(), profiles: [], org: true, roleName: 'Scanner', accounts: [MEMBER, '555555555555'], cloudtrailApi: false,
        windowStart: new Date('2026-11-01T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z'),
      });
      expect(r.accounts.map((a) => a.id)).toEqual([MEMBER]);
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
      expect(r.gaps.map((g) => g.source)).toContain('aws:555555555555:global:accounts');
    } finally {
      store.close();
    }
  });

  it('a --lookback longer than LookupEvents keeps is a gap, not a silent cut', async () => {
    serveOrg(new Map([[MGMT, syntheticAccount(MGMT, { users: 1, roles: 1, keys: 0 })]]));
    const store = await Store.open(':memory:');
    try {
      const r = await collectAws(store, {
        outDir: tempDir(), profiles: [], org: false, roleName: 'x', regions: ['us-east-1'], cloudtrailApi: true,
        windowStart: new Date(Date.now() - 200 * 86_400_000), windowEnd: new Date(), lookup: { minIntervalMs: 0 },
      });
      expect(r.gaps.find((g) => g.api === 'LookupEvents')?.detail).toMatch(/LookupEvents keeps 90 days.*only come from a trail/);
      // Only the retained 90 days are asked for.
      const start = ct.commandCalls(LookupEventsCommand)[0]!.args[0].input.StartTime!.getTime();
      expect(Date.now() - start).toBeLessThanOrEqual(90 * 86_400_000 + 60_000);
    } finally {
      store.close();
    }
  });
});
