/**
 * Which accounts to collect from, and with which credentials: profiles or the default chain,
 * optionally the whole Organization (ListAccounts + AssumeRole into a named role per member).
 */
import { AccountClient, ListRegionsCommand, type Region } from '@aws-sdk/client-account';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { clientConfig, guarded, type AccountTarget, type CollectLog, type Credentials } from './context.js';

/** Region for global APIs (IAM, STS, Organizations) from the environment: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1. */
export function homeRegion(): string {
  return process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1';
}

/**
 * Region for a profile's clients as the AWS CLI chooses it: AWS_REGION, AWS_DEFAULT_REGION, then the `region` of
 * the profile (`profile`, else AWS_PROFILE, else `default`) in the shared config file (AWS_CONFIG_FILE, default
 * ~/.aws/config), else us-east-1. The profile lookup is the SDK's own (a client's region provider), so
 * `[profile NAME]` sections, sso-session and AWS_SDK_LOAD_CONFIG behave as in the SDK.
 */
export async function profileRegion(profile?: string): Promise<string> {
  const env = process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'];
  if (env) return env;
  try {
    return await new STSClient(profile ? { profile } : {}).config.region();
  } catch {
    return 'us-east-1'; // no region anywhere ("Region is missing"): IAM/STS/Organizations answer there
  }
}

/** Regions enabled in every account by default: the fallback when ListRegions is denied. */
export const DEFAULT_ENABLED_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1',
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
] as const;

/** Options that choose accounts (the CLI's source flags). */
export interface AccountOptions {
  /** `--aws-profile` (repeatable); empty: the SDK default provider chain. */
  profiles: string[];
  /** `--org`: enumerate the Organization's active accounts and assume `roleName` in each. */
  org: boolean;
  /** `--role-name` (default OrganizationAccountAccessRole). */
  roleName: string;
  /** `--external-id` for the member-account role, if its trust policy requires one. */
  externalId?: string;
  /** `--accounts`: restrict to these account ids. */
  accounts?: string[];
}

/** Default member-account role (the one Organizations creates in accounts it creates). */
export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';

/**
 * A credential provider that assumes `roleArn` with `base` credentials, caches the session in
 * memory and refreshes it 5 minutes before it expires (long scans outlive one session).
 */
export function assumeRoleProvider(base: Credentials | undefined, roleArn: string, externalId?: string, region: string = homeRegion()): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const sts = new STSClient(clientConfig(region, base));
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 5 * 60_000)) return cached;
    pending ??= (async () => {
      const out = await sts.send(new AssumeRoleCommand({
        RoleArn: roleArn, RoleSessionName: 'shadowscan', DurationSeconds: 3600, ...(externalId ? { ExternalId: externalId } : {}),
      }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error(`AssumeRole ${roleArn} returned no credentials`), { $metadata: {} });
      cached = {
        accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
      return cached;
    })().finally(() => { pending = undefined; });
    return pending;
  };
}

/** The partition of an ARN ("aws", "aws-us-gov", "aws-cn"). */
function partitionOf(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}

/** Resolve the accounts to collect from. Failures (bad profile, denied AssumeRole) become gaps. */
export async function resolveAccounts(opts: AccountOptions, log: CollectLog): Promise<AccountTarget[]> {
  const bases: { via: string; credentials?: Credentials; region: string }[] = opts.profiles.length > 0
    ? await Promise.all(opts.profiles.map(async (p) => ({ via: `profile ${p}`, credentials: fromIni({ profile: p }), region: await profileRegion(p) })))
    : [{ via: 'default credentials', region: await profileRegion() }];
  const out = new Map<string, AccountTarget>();
  const want = opts.accounts && opts.accounts.length > 0 ? new Set(opts.accounts) : undefined;
  for (const base of bases) {
    const sts = new STSClient(clientConfig(base.region, base.credentials));
    const who = await guarded(log, { account: null, region: null, action: 'sts:GetCallerIdentity', loses: `everything reachable through ${base.via}` },
      () => sts.send(new GetCallerIdentityCommand({})));
    if (!who.ok || !who.value.Account) continue;
    const self = who.value.Account;
    const partition = partitionOf(who.value.Arn);
    if (!out.has(self)) out.set(self, { accountId: self, via: base.via, region: base.region, ...(base.credentials ? { credentials: base.credentials } : {}) });
    if (!opts.org) continue;

    log.progress(`listing Organization accounts (${base.via})`);
    const org = new OrganizationsClient(clientConfig(base.region, base.credentials));
    const listed = await guarded(log, { account: self, region: null, action: 'organizations:ListAccounts', loses: 'member accounts of the Organization' },
      async () => {
        const accounts: Account[] = [];
        let token: string | undefined;
        do {
          const page = await org.send(new ListAccountsCommand({ ...(token ? { NextToken: token } : {}) }));
          accounts.push(...(page.Accounts ?? []));
          token = page.NextToken;
        } while (token);
        return accounts;
      });
    if (!listed.ok) continue;
    for (const a of listed.value) {
      if (!a.Id || a.Id === self || out.has(a.Id)) continue;
      if ((a.State ?? a.Status) !== undefined && String(a.State ?? a.Status).toUpperCase() !== 'ACTIVE') continue;
      if (want && !want.has(a.Id)) continue;
      const roleArn = `arn:${partition}:iam::${a.Id}:role/${opts.roleName}`;
      const provider = assumeRoleProvider(base.credentials, roleArn, opts.externalId, base.region);
      const ok = await guarded(log, { account: a.Id, region: null, action: 'sts:AssumeRole', loses: `account ${a.Id} (role ${roleArn}: deploy it, or check its trust policy and --external-id)` },
        () => provider());
      if (ok.ok) out.set(a.Id, { accountId: a.Id, via: `role ${roleArn}`, region: base.region, credentials: provider });
    }
  }
  const targets = [...out.values()].filter((t) => !want || want.has(t.accountId)).sort((a, b) => a.accountId.localeCompare(b.accountId));
  if (want) {
    for (const id of want) {
      if (!out.has(id)) {
        log.gaps.push({ source: `aws:${id}:global:accounts`, detail: `account ${id} was requested with --accounts but is not reachable with the given credentials${opts.org ? ' or the Organization' : ' (add --org or --aws-profile)'}`, account: id, region: null, api: null, permission: null });
      }
    }
  }
  return targets;
}

/** Enabled regions of one account (Account ListRegions); falls back to the default-enabled set with a gap. */
export async function enabledRegions(target: AccountTarget, log: CollectLog): Promise<string[]> {
  const client = new AccountClient(clientConfig(target.region ?? homeRegion(), target.credentials));
  const res = await guarded(log, { account: target.accountId, region: null, action: 'account:ListRegions', loses: `opt-in regions (using the ${DEFAULT_ENABLED_REGIONS.length} regions enabled by default)` },
    async () => {
      const regions: Region[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, ...(token ? { NextToken: token } : {}) }));
        regions.push(...(page.Regions ?? []));
        token = page.NextToken;
      } while (token);
      return regions;
    });
  if (!res.ok) return [...DEFAULT_ENABLED_REGIONS];
  return res.value.map((r) => r.RegionName).filter((r): r is string => Boolean(r)).sort();
}
