/**
 * IAM collection for one account, written in exactly the offline shapes (DESIGN.md §3) that
 * src/store/load-iam.ts reads: one call family per account (GetAccountAuthorizationDetails), the
 * credential report, access keys with their last use, OIDC providers and service-specific
 * credentials (long-term Bedrock API keys). Fetch and write only; no risk decisions here.
 */
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand, GetAccessKeyLastUsedCommand, GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand, GetOpenIDConnectProviderCommand, IAMClient, ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand, ListServiceSpecificCredentialsCommand,
  type AccessKeyLastUsed, type AccessKeyMetadata, type GetAccountAuthorizationDetailsCommandOutput,
  type GetOpenIDConnectProviderCommandOutput, type ServiceSpecificCredentialMetadata,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { decodePolicyDocument } from '../../iam-policy/policy.js';
import { IAM_FILES } from '../../store/load-iam.js';
import { homeRegion } from './accounts.js';
import { clientConfig, errorCode, guarded, isAccessDenied, sleep, type AccountTarget, type CollectLog } from './context.js';
import { cliJson, writeAtomic } from './write.js';

export { IAM_FILES };

/** Tuning for IAM collection; defaults suit IAM's account-wide request quota. */
export interface IamCollectOptions {
  /** Concurrent ListAccessKeys / GetAccessKeyLastUsed calls per account (default 8). */
  concurrency?: number;
  /** Credential report: first poll delay in ms, doubled up to 8 s (default 1000). */
  reportPollMs?: number;
  /** Credential report: give up after this many ms (default 120000). */
  reportTimeoutMs?: number;
}

/** What one account's IAM collection produced (counts for progress and the note). */
export interface IamCollectResult {
  users: number;
  roles: number;
  keys: number;
  files: string[];
}

type Full = Required<Pick<GetAccountAuthorizationDetailsCommandOutput, 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'>>;
/** The merged pages of GetAccountAuthorizationDetails (every list present). */
type AuthDetails = { [K in keyof Full]: NonNullable<Full[K]> };

/** An access key as written to list-access-keys.json: ListAccessKeys' item plus GetAccessKeyLastUsed's answer. */
export type CollectedAccessKey = AccessKeyMetadata & { AccessKeyLastUsed?: AccessKeyLastUsed };

/** Collect IAM for one account into `dir` (DIR/aws/iam/<account>). */
export async function collectIam(target: AccountTarget, dir: string, log: CollectLog, opts: IamCollectOptions = {}): Promise<IamCollectResult> {
  const iam = new IAMClient(clientConfig(target.region ?? homeRegion(), target.credentials));
  const account = target.accountId;
  const result: IamCollectResult = { users: 0, roles: 0, keys: 0, files: [] };
  const site = (action: string, loses: string) => ({ account, region: null, action, loses });

  log.progress(`${account}: IAM authorization details`);
  const details = await guarded(log, site('iam:GetAccountAuthorizationDetails', 'IAM users, roles, groups, policies and grants'), async () => {
    const merged: AuthDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    let marker: string | undefined;
    do {
      const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }));
      merged.UserDetailList.push(...(page.UserDetailList ?? []));
      merged.GroupDetailList.push(...(page.GroupDetailList ?? []));
      merged.RoleDetailList.push(...(page.RoleDetailList ?? []));
      merged.Policies.push(...(page.Policies ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return merged;
  });
  if (details.ok) {
    result.users = details.value.UserDetailList.length;
    result.roles = details.value.RoleDetailList.length;
    const file = join(dir, IAM_FILES.authorizationDetails);
    writeAtomic(file, cliJson(decodePolicyDocuments(details.value)));
    result.files.push(file);
  }

  log.progress(`${account}: IAM credential report`);
  const report = await guarded(log, site('iam:GetCredentialReport', 'passwords, MFA and key rotation/last use (credential report)'),
    () => fetchCredentialReport(iam, opts));
  let usersWithKeys: string[] | undefined;
  if (report.ok) {
    const file = join(dir, IAM_FILES.credentialReport);
    writeAtomic(file, report.value);
    result.files.push(file);
    usersWithKeys = usersHoldingKeys(report.value);
  } else if (details.ok) {
    usersWithKeys = details.value.UserDetailList.map((u) => u.UserName).filter((n): n is string => Boolean(n));
  }

  if (usersWithKeys) {
    log.progress(`${account}: access keys of ${usersWithKeys.length} user(s)`);
    const keys = await collectAccessKeys(iam, account, usersWithKeys, log, opts.concurrency ?? 8);
    if (keys) {
      result.keys = keys.length;
      const file = join(dir, IAM_FILES.accessKeys);
      writeAtomic(file, cliJson({ AccessKeyMetadata: keys }));
      result.files.push(file);
    }
  }

  const oidc = await guarded(log, site('iam:ListOpenIDConnectProviders', 'OIDC identity providers'), async () => {
    const list = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const out: (Omit<GetOpenIDConnectProviderCommandOutput, '$metadata'> & { Arn: string })[] = [];
    for (const p of list.OpenIDConnectProviderList ?? []) {
      if (!p.Arn) continue;
      const arn = p.Arn;
      const got = await guarded(log, site('iam:GetOpenIDConnectProvider', `URL and audiences of OIDC provider ${arn}`),
        () => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
      out.push({ Arn: arn, ...(got.ok ? stripMeta(got.value) : {}) });
    }
    return out;
  });
  if (oidc.ok) {
    const file = join(dir, IAM_FILES.oidcProviders);
    writeAtomic(file, cliJson({ OpenIDConnectProviderList: oidc.value }));
    result.files.push(file);
  }

  const ssc = await guarded(log, site('iam:ListServiceSpecificCredentials', 'service-specific credentials (long-term Bedrock API keys, CodeCommit/Keyspaces passwords)'), async () => {
    const out: ServiceSpecificCredentialMetadata[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }));
      out.push(...(page.ServiceSpecificCredentials ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return out;
  });
  if (ssc.ok) {
    const file = join(dir, IAM_FILES.serviceCredentials);
    writeAtomic(file, cliJson({ ServiceSpecificCredentials: ssc.value }));
    result.files.push(file);
  }
  return result;
}

function stripMeta<T extends { $metadata?: unknown }>(o: T): Omit<T, '$metadata'> {
  const { $metadata: _m, ...rest } = o;
  return rest;
}

/**
 * GenerateCredentialReport, then GetCredentialReport until it is ready: ReportInProgress waits
 * (doubling up to 8 s), ReportNotPresent/ReportExpired generate again. Returns the decoded CSV.
 */
export async function fetchCredentialReport(iam: IAMClient, opts: IamCollectOptions = {}): Promise<string> {
  const deadline = Date.now() + (opts.reportTimeoutMs ?? 120_000);
  let wait = opts.reportPollMs ?? 1000;
  let state: string | undefined = (await iam.send(new GenerateCredentialReportCommand({}))).State;
  for (;;) {
    if (state === 'COMPLETE' || state === undefined) {
      try {
        const got = await iam.send(new GetCredentialReportCommand({}));
        const content = got.Content;
        if (!content) throw Object.assign(new Error('GetCredentialReport returned no content'), { $metadata: {} });
        return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      } catch (e) {
        const code = errorCode(e);
        if (code === 'ReportInProgress' || code === 'CredentialReportNotReadyException') state = 'INPROGRESS';
        else if (code === 'ReportNotPresent' || code === 'CredentialReportNotPresentException' || code === 'ReportExpired' || code === 'CredentialReportExpiredException') state = 'REGENERATE';
        else throw e;
      }
    }
    if (Date.now() > deadline) {
      throw Object.assign(new Error(`credential report not ready after ${Math.round((opts.reportTimeoutMs ?? 120_000) / 1000)} s`), { name: 'ReportInProgress', $metadata: {} });
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 8000);
    if (state === 'REGENERATE') state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
    else state = 'COMPLETE'; // poll GetCredentialReport again
  }
}

/** Users whose credential-report row shows an access key (active or not); keeps ListAccessKeys bounded by keys, not users. */
export function usersHoldingKeys(csv: string): string[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(',');
  const user = header.indexOf('user');
  const k1 = header.indexOf('access_key_1_last_rotated');
  const k2 = header.indexOf('access_key_2_last_rotated');
  if (user < 0 || k1 < 0 || k2 < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const name = cells[user];
    if (!name || name === '<root_account>') continue;
    const has = (v: string | undefined) => v !== undefined && v !== '' && v !== 'N/A';
    if (has(cells[k1]) || has(cells[k2])) out.push(name);
  }
  return out;
}

/** ListAccessKeys per key-holding user, then GetAccessKeyLastUsed per key; both with bounded concurrency. */
async function collectAccessKeys(iam: IAMClient, account: string, users: string[], log: CollectLog, concurrency: number): Promise<CollectedAccessKey[] | undefined> {
  const limit = pLimit(concurrency);
  let denied = false;
  const listed = await guarded(log, { account, region: null, action: 'iam:ListAccessKeys', loses: 'access key ids and status (keys known only from the credential report)' },
    async () => (await Promise.all(users.map((u) => limit(async () => {
      const keys: AccessKeyMetadata[] = [];
      let marker: string | undefined;
      do {
        const page = await iam.send(new ListAccessKeysCommand({ UserName: u, ...(marker ? { Marker: marker } : {}) }));
        keys.push(...(page.AccessKeyMetadata ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return keys;
    })))).flat());
  if (!listed.ok) return undefined;

  const keys: CollectedAccessKey[] = listed.value;
  await Promise.all(keys.map((k) => limit(async () => {
    if (denied || !k.AccessKeyId) return;
    const id = k.AccessKeyId;
    try {
      const got = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
      if (got.AccessKeyLastUsed) k.AccessKeyLastUsed = got.AccessKeyLastUsed;
    } catch (e) {
      // One gap per account, not one per key: a denied permission is denied for every key.
      if (!denied) {
        denied = isAccessDenied(e);
        await guarded(log, { account, region: null, action: 'iam:GetAccessKeyLastUsed', loses: denied ? 'exact last use of every access key' : `last use of access key ${id}` },
          () => Promise.reject(e));
      }
    }
  })));
  keys.sort((a, b) => (a.UserName ?? '').localeCompare(b.UserName ?? '') || (a.AccessKeyId ?? '').localeCompare(b.AccessKeyId ?? ''));
  return keys;
}

/** The raw API returns policy documents URL-encoded; the CLI (and our offline shape) prints them as JSON. */
export function decodePolicyDocuments<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === 'PolicyDocument' || k === 'AssumeRolePolicyDocument') {
          const d = decodePolicyDocument(x);
          o[k] = d.ok ? d.value : x; // undecodable: keep as fetched, the loader reports it
        } else o[k] = walk(x);
      }
      return o;
    }
    return v;
  };
  return walk(value) as T;
}
