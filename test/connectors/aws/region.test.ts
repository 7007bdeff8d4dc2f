/**
 * The region of the global API clients (IAM, STS, Organizations, Account) follows the AWS CLI: AWS_REGION,
 * AWS_DEFAULT_REGION, then the profile's `region` in the shared config file, else us-east-1. Each test writes its
 * own config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand, IAMClient, ListAccessKeysCommand, ListOpenIDConnectProvidersCommand, ListServiceSpecificCredentialsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { profileRegion } from '../../../src/connectors/aws/accounts.js';
import { collectAws } from '../../../src/connectors/aws/collect.js';
import { Store } from '../../../src/store/db.js';
import { accessDenied, authDetailsPage, syntheticAccount } from '../../helpers/aws.js';
import { tempDir } from '../../helpers/scan.js';

const ENV = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
afterAll(() => { for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v; });

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
afterEach(() => { sts.reset(); iam.reset(); });

/** Fresh config + credentials files (a new path each time: the SDK caches the files it has read by path). */
beforeEach(() => {
  for (const k of ENV) delete process.env[k];
  const dir = tempDir();
  writeFileSync(join(dir, 'config'), [
    '[default]', 'region = eu-central-1', '',
    '[profile gov]', 'region = us-gov-west-1', '',
    '[profile noregion]', 'output = json', '',
  ].join('\n'));
  writeFileSync(join(dir, 'credentials'), ['gov', 'noregion', 'default'].map((p) =>
    `[${p}]\naws_access_key_id = AKIAREGIONTEST${p.slice(0, 3).toUpperCase()}001\naws_secret_access_key = region-test-only-not-a-secret\n`).join('\n'), { mode: 0o600 });
  process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
});

describe('AWS region from the profile', () => {
  it('profileRegion: environment first, then the profile in the config file, else us-east-1', async () => {
    expect(await profileRegion('gov')).toBe('us-gov-west-1');
    expect(await profileRegion()).toBe('eu-central-1'); // [default]
    expect(await profileRegion('noregion')).toBe('us-east-1');
    process.env['AWS_PROFILE'] = 'gov';
    expect(await profileRegion()).toBe('us-gov-west-1');
    process.env['AWS_DEFAULT_REGION'] = 'ap-south-1';
    expect(await profileRegion('gov')).toBe('ap-south-1');
    process.env['AWS_REGION'] = 'sa-east-1';
    expect(await profileRegion('gov')).toBe('sa-east-1');
  });

  it('collect --aws-profile gov sends STS and IAM calls to the profile\'s region; AWS_PROFILE does the same for the default chain', async () => {
    const seen: string[] = [];
    const regionOf = async (getClient: () => unknown) => (getClient() as { config: { region: () => Promise<string> } }).config.region();
    const a = syntheticAccount('123456789012', { users: 1, roles: 1, keys: 0 });
    sts.on(GetCallerIdentityCommand).callsFake(async (_i, getClient) => {
      seen.push(`sts:${await regionOf(getClient)}`);
      return { Account: '123456789012', Arn: 'arn:aws-us-gov:iam::123456789012:user/scanner' };
    });
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async (input, getClient) => {
      seen.push(`iam:${await regionOf(getClient)}`);
      return authDetailsPage(a, input);
    });
    iam.on(GenerateCredentialReportCommand).rejects(accessDenied('iam:GenerateCredentialReport', '123456789012'));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(ListOpenIDConnectProvidersCommand).resolves({ OpenIDConnectProviderList: [] });
    iam.on(ListServiceSpecificCredentialsCommand).resolves({ ServiceSpecificCredentials: [] });
    const store = await Store.open(':memory:');
    try {
      const window = { windowStart: new Date('2026-11-01T00:00:00Z'), windowEnd: new Date('2026-11-20T00:00:00Z') };
      const base = { org: false, roleName: 'OrganizationAccountAccessRole', cloudtrailApi: false, ...window };
      const r = await collectAws(store, { ...base, profiles: ['gov'], outDir: tempDir() });
      expect(r.iam).toEqual([{ account: '123456789012', users: 1, roles: 1, keys: 0 }]);
      expect(seen).toEqual(['sts:us-gov-west-1', 'iam:us-gov-west-1']);

      seen.length = 0;
      process.env['AWS_PROFILE'] = 'gov';
      await collectAws(store, { ...base, profiles: [], outDir: tempDir() });
      expect(seen).toEqual(['sts:us-gov-west-1', 'iam:us-gov-west-1']);

      seen.length = 0;
      process.env['AWS_REGION'] = 'us-gov-east-1'; // the environment still wins, as in the AWS CLI
      await collectAws(store, { ...base, profiles: ['gov'], outDir: tempDir() });
      expect(seen).toEqual(['sts:us-gov-east-1', 'iam:us-gov-east-1']);
    } finally {
      store.close();
    }
  });
});
