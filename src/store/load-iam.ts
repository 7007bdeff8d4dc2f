import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AccessKeyLastUsed, AccessKeyMetadata, GetAccountAuthorizationDetailsCommandOutput, GetOpenIDConnectProviderCommandOutput,
  ServiceSpecificCredentialMetadata,
} from '@aws-sdk/client-iam';
import { errorMessage } from '../kernel/errors.js';
import { jsonErrorWithoutText, redact } from '../kernel/redact.js';
import type { CoverageGap } from '../kernel/types.js';
import { expandGrants } from '../iam-policy/grants.js';
import { decodePolicyDocument, parsePolicyDocument } from '../iam-policy/policy.js';
import { quoteLiteral, type Store } from './db.js';
import { COVERAGE_GAPS_FILE } from './load-gaps.js';
import { decodeText, readTextInput, TextEncodingError } from '../kernel/text-input.js';

/** AWS's credential report header, exactly as `aws iam get-credential-report` decodes it. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed',
  'password_next_rotation', 'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated',
  'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
  'access_key_2_last_used_region', 'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated',
  'cert_2_active', 'cert_2_last_rotated',
] as const;

/** File names under DIR/aws/iam/<account>/ (shared with the live collector, src/connectors/aws/iam.ts). */
export const IAM_FILES = {
  authorizationDetails: 'get-account-authorization-details.json',
  credentialReport: 'credential-report.csv',
  accessKeys: 'list-access-keys.json',
  oidcProviders: 'list-open-id-connect-providers.json',
  serviceCredentials: 'list-service-specific-credentials.json',
} as const;

export interface IamLoadResult {
  /** Account folders under iam/, and any other account a principal's ARN names (a shared export). */
  accounts: string[];
  principals: number;
  /** Rows of the credential reports (users and root): a report-only export is usable. */
  reportUsers?: number;
  keys: number;
  oidcProviders: number;
  serviceCredentials: number;
  grants: number;
  gaps: CoverageGap[];
  /** When each account's export was taken (run.iam_snapshots). */
  snapshots: { account: string; at: string }[];
}

/** `collected_at` of the export's coverage-gaps.json (written by `shadowscan collect`), if any. */
function collectedAtOf(exportDir: string): Date | undefined {
  try {
    const doc = JSON.parse(readFileSync(join(exportDir, COVERAGE_GAPS_FILE), 'utf8')) as { collected_at?: unknown };
    const at = typeof doc.collected_at === 'string' ? new Date(doc.collected_at) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}

/** The newest modification time of the files in `dir`: when an export written by hand was last written. */
function newestMtime(dir: string): { at: Date; source: string } | undefined {
  let newest = 0;
  let source = '';
  for (const f of readdirSync(dir)) {
    try {
      const st = statSync(join(dir, f));
      if (st.isFile() && st.mtimeMs > newest) { newest = st.mtimeMs; source = `${f} (modification time)`; }
    } catch { /* unreadable: its loader says so */ }
  }
  return newest > 0 ? { at: new Date(Math.floor(newest / 1000) * 1000), source } : undefined;
}

type AuthDetails = Pick<GetAccountAuthorizationDetailsCommandOutput, 'UserDetailList' | 'RoleDetailList' | 'GroupDetailList' | 'Policies'>;

function readJson(file: string): { ok: true; value: unknown } | { ok: false; error: string } {
  let text: string;
  try {
    text = readTextInput(file);
  } catch (e) {
    return { ok: false, error: e instanceof TextEncodingError ? e.message : `cannot read: ${errorMessage(e)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `invalid or truncated JSON (${jsonErrorWithoutText(e, text)})` };
  }
}

const iso = (d: unknown): string | null => {
  if (d == null) return null;
  const t = new Date(d as string);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
};

/** The account an IAM/STS ARN names (arn:aws:iam::123456789012:user/x, any partition), if it names one. */
export function arnAccount(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] : undefined;
}

/** Tags as a plain object; AWS returns [{Key, Value}]. */
function tagObject(tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> {
  const o: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) o[t.Key] = t.Value ?? '';
  return o;
}

/**
 * Load DIR/aws/iam/<account>/{get-account-authorization-details.json, credential-report.csv, list-access-keys.json}
 * and, when present, list-open-id-connect-providers.json and list-service-specific-credentials.json.
 */
export async function loadIam(store: Store, runId: string, iamRoot: string): Promise<IamLoadResult> {
  const result: IamLoadResult = { accounts: [], principals: 0, keys: 0, oidcProviders: 0, serviceCredentials: 0, grants: 0, gaps: [], snapshots: [] };
  if (!existsSync(iamRoot)) return result;
  const accounts = readdirSync(iamRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const collectedAt = collectedAtOf(join(iamRoot, '..', '..'));
  const snapshotted = new Set<string>();
  for (const account of accounts) {
    result.accounts.push(account);
    const dir = join(iamRoot, account);
    const snapshot = collectedAt ? { at: collectedAt, source: COVERAGE_GAPS_FILE } : newestMtime(dir);
    // The folder names where the export sits; each principal's account comes from its ARN (a shared
    // authorization-details file lists several accounts' principals). Users' account by name, for the files that
    // name users only (list-access-keys, service credentials).
    const users = new Map<string, string>();
    const found = new Set<string>([account]);
    await loadAuthorizationDetails(store, runId, account, join(dir, IAM_FILES.authorizationDetails), result, users, found);
    await loadCredentialReport(store, runId, account, join(dir, IAM_FILES.credentialReport), result, users, found);
    await loadAccessKeys(store, runId, account, join(dir, IAM_FILES.accessKeys), result, users);
    await loadOidcProviders(store, runId, account, join(dir, IAM_FILES.oidcProviders), result);
    await loadServiceCredentials(store, runId, account, join(dir, IAM_FILES.serviceCredentials), result, users);
    if (snapshot) {
      for (const a of [...found].sort()) {
        if (snapshotted.has(a)) continue;
        snapshotted.add(a);
        await store.append('iam_snapshots', ['run_id', 'account_id', 'snapshot_at', 'source'], [[runId, a, snapshot.at, a === account ? snapshot.source : `${snapshot.source} of iam/${account}/`]]);
        result.snapshots.push({ account: a, at: snapshot.at.toISOString() });
      }
    }
    for (const a of found) if (!result.accounts.includes(a)) result.accounts.push(a);
  }
  return result;
}

/** The users of `details` (or of a credential report) by name, with the account their ARN names. */
function noteUser(users: Map<string, string>, found: Set<string>, name: unknown, arn: unknown): void {
  const a = arnAccount(arn);
  if (!a) return;
  found.add(a);
  if (typeof name === 'string' && !users.has(name)) users.set(name, a);
}

/** Split authorization details by the account each principal's ARN names; policies and groups go with every part. */
function byArnAccount(details: AuthDetails, folder: string): Map<string, AuthDetails> {
  const parts = new Map<string, AuthDetails>();
  const part = (arn: unknown): AuthDetails => {
    const a = arnAccount(arn) ?? folder;
    let p = parts.get(a);
    if (!p) {
      p = { UserDetailList: [], RoleDetailList: [], GroupDetailList: details.GroupDetailList ?? [], Policies: details.Policies ?? [] };
      parts.set(a, p);
    }
    return p;
  };
  for (const u of details.UserDetailList ?? []) part(u.Arn).UserDetailList!.push(u);
  for (const r of details.RoleDetailList ?? []) part(r.Arn).RoleDetailList!.push(r);
  if (parts.size === 0) part(undefined);
  return parts;
}

async function loadAuthorizationDetails(store: Store, runId: string, folder: string, file: string, out: IamLoadResult,
  users: Map<string, string>, found: Set<string>): Promise<void> {
  if (!existsSync(file)) {
    out.gaps.push({ source: file, detail: 'missing: no IAM identities or grants for this account' });
    return;
  }
  const parsed = readJson(file);
  if (!parsed.ok) {
    out.gaps.push({ source: file, detail: `${parsed.error}; IAM identities and grants for account ${folder} not loaded` });
    return;
  }
  const raw = parsed.value as AuthDetails | null;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || (!raw.UserDetailList && !raw.RoleDetailList)) {
    out.gaps.push({ source: file, detail: 'not get-account-authorization-details output (no UserDetailList/RoleDetailList); skipped' });
    return;
  }
  // Each list as objects only: an item of the wrong type is skipped and said, never read as an identity.
  const lists = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;
  const details = { ...raw } as AuthDetails;
  for (const key of lists) {
    const v = (raw as Record<string, unknown>)[key];
    (details as Record<string, unknown>)[key] = v === undefined || v === null ? undefined : objectsOnly(v, file, key, out);
  }
  for (const u of details.UserDetailList ?? []) noteUser(users, found, u.UserName, u.Arn);
  for (const r of details.RoleDetailList ?? []) if (arnAccount(r.Arn)) found.add(arnAccount(r.Arn)!);
  for (const [account, part] of byArnAccount(details, folder)) await loadAuthorizationPart(store, runId, account, file, part, out);
}

/** One account's principals of an authorization-details file: rows, grants, policy documents and trusts. */
async function loadAuthorizationPart(store: Store, runId: string, account: string, file: string, details: AuthDetails, out: IamLoadResult): Promise<void> {
  const rows: unknown[][] = [];
  for (const u of details.UserDetailList ?? []) {
    rows.push([runId, file, account, 'user', u.UserName ?? null, u.Arn ?? null, u.UserId ?? null, u.Path ?? null, iso(u.CreateDate),
      JSON.stringify(tagObject(u.Tags)), null, null, null, u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      JSON.stringify(u.GroupList ?? []), JSON.stringify((u.AttachedManagedPolicies ?? []).map((p) => p.PolicyName))]);
  }
  for (const r of details.RoleDetailList ?? []) {
    const trust = r.AssumeRolePolicyDocument ? parsePolicyDocument(r.AssumeRolePolicyDocument, `role/${r.RoleName} trust policy`) : undefined;
    if (trust && !trust.ok) out.gaps.push({ source: file, detail: trust.error });
    rows.push([runId, file, account, 'role', r.RoleName ?? null, r.Arn ?? null, r.RoleId ?? null, r.Path ?? null, iso(r.CreateDate),
      JSON.stringify(tagObject(r.Tags)), trust?.ok ? JSON.stringify(decodedValue(r.AssumeRolePolicyDocument)) : null,
      iso(r.RoleLastUsed?.LastUsedDate), r.RoleLastUsed?.Region ?? null, r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      JSON.stringify([]), JSON.stringify((r.AttachedManagedPolicies ?? []).map((p) => p.PolicyName))]);
  }
  out.principals += await store.append('iam_principals', new Array(16).fill(''), rows);

  const expanded = await expandGrants(details as GetAccountAuthorizationDetailsCommandOutput, account);
  for (const p of expanded.problems) out.gaps.push({ source: file, detail: redact(p) });
  const grantRows = function* () {
    for (const g of expanded.grants) {
      yield [runId, g.principal_arn, g.principal_type, g.account_id, g.action, g.service, g.access_level, g.resource,
        g.conditional, g.source_policy, g.source_kind, g.pattern, g.via_not_action, g.partially_denied];
    }
  };
  out.grants += await store.append('grants', new Array(14).fill(''), grantRows());
  await store.append('iam_policy_documents', new Array(7).fill(''), expanded.documents.map((d) => [
    runId, d.principal_arn, d.principal_type, d.account_id, d.source_policy, d.source_kind, d.statements]));
  await store.append('trusts', new Array(13).fill(''), expanded.trusts.map((t) => [
    runId, t.role_arn, t.account_id, t.effect, t.principal_type, t.principal, JSON.stringify(t.actions),
    t.condition_json, t.has_external_id, t.has_mfa_condition, t.oidc_provider,
    t.oidc_aud ? JSON.stringify(t.oidc_aud) : null, t.oidc_sub ? JSON.stringify(t.oidc_sub) : null,
  ]));
}

/** A policy document as a JSON object, whether given as an object or a URL-encoded string. */
function decodedValue(doc: unknown): unknown {
  const d = decodePolicyDocument(doc);
  return d.ok ? d.value : null;
}

async function loadCredentialReport(store: Store, runId: string, account: string, file: string, out: IamLoadResult,
  users: Map<string, string>, found: Set<string>): Promise<void> {
  if (!existsSync(file)) {
    out.gaps.push({ source: file, detail: 'missing: no password/MFA/key-use data for this account' });
    return;
  }
  let decoded;
  try {
    decoded = decodeText(readFileSync(file));
  } catch (e) {
    out.gaps.push({ source: file, detail: `cannot read: ${errorMessage(e)}; skipped` });
    return;
  }
  if (!decoded.ok) {
    out.gaps.push({ source: file, detail: `${decoded.error}; credential report for account ${account} not loaded` });
    return;
  }
  const header = (decoded.text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim());
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    out.gaps.push({ source: file, detail: `not an AWS credential report: header lacks ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''}; skipped` });
    return;
  }
  // DuckDB reads UTF-8: a report in UTF-16 or with a byte-order mark is read from a UTF-8 copy (0600, deleted after)
  const copyDir = decoded.encoding === 'utf-8' ? undefined : mkdtempSync(join(tmpdir(), 'shadowscan-csv-'));
  const csv = copyDir ? join(copyDir, 'credential-report.csv') : file;
  if (copyDir) writeFileSync(csv, decoded.text, { mode: 0o600 });
  const v = (c: string): string => `NULLIF(NULLIF(NULLIF(NULLIF(${c}, 'N/A'), 'no_information'), 'not_supported'), '')`;
  try {
    await store.run(`INSERT INTO iam_credential_report
      SELECT $run, $file, coalesce(nullif(regexp_extract(arn, '^arn:aws[a-z-]*:iam::([0-9]{12}):', 1), ''), $account), "user", arn, TRY_CAST(${v('user_creation_time')} AS TIMESTAMP),
        ${v('password_enabled')} = 'true', TRY_CAST(${v('password_last_used')} AS TIMESTAMP), ${v('mfa_active')} = 'true',
        ${v('access_key_1_active')} = 'true', TRY_CAST(${v('access_key_1_last_rotated')} AS TIMESTAMP),
        TRY_CAST(${v('access_key_1_last_used_date')} AS TIMESTAMP), ${v('access_key_1_last_used_service')},
        ${v('access_key_2_active')} = 'true', TRY_CAST(${v('access_key_2_last_rotated')} AS TIMESTAMP),
        TRY_CAST(${v('access_key_2_last_used_date')} AS TIMESTAMP), ${v('access_key_2_last_used_service')}
      FROM read_csv(${quoteLiteral(csv)}, header = true, all_varchar = true, auto_detect = true)`,
      { run: runId, file, account });
    const rows = await store.all<{ user_name: string | null; arn: string | null }>(
      'SELECT user_name, arn FROM iam_credential_report WHERE source_file = $file', { file });
    for (const r of rows) noteUser(users, found, r.user_name, r.arn);
    out.reportUsers = (out.reportUsers ?? 0) + rows.length;
  } catch (e) {
    out.gaps.push({ source: file, detail: `unreadable credential report: ${redact(errorMessage(e)).split('\n')[0]}; skipped` });
  } finally {
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
  }
}

async function loadAccessKeys(store: Store, runId: string, folder: string, file: string, out: IamLoadResult, users: Map<string, string>): Promise<void> {
  if (!existsSync(file)) {
    out.gaps.push({ source: file, detail: 'missing: access keys known only from the credential report' });
    return;
  }
  const parsed = readJson(file);
  if (!parsed.ok) {
    out.gaps.push({ source: file, detail: `${parsed.error}; access keys for account ${folder} not loaded` });
    return;
  }
  const meta = (parsed.value as { AccessKeyMetadata?: unknown } | null)?.AccessKeyMetadata;
  if (!Array.isArray(meta)) {
    out.gaps.push({ source: file, detail: 'not list-access-keys output (no AccessKeyMetadata array); skipped' });
    return;
  }
  // Collected files add GetAccessKeyLastUsed's answer to each item as `AccessKeyLastUsed`.
  out.keys += await store.append('iam_access_keys', new Array(11).fill(''),
    objectsOnly<AccessKeyMetadata & { AccessKeyLastUsed?: AccessKeyLastUsed }>(meta, file, 'AccessKeyMetadata', out).map((k) => {
      // the user's account as its ARN says (authorization details or credential report of this folder), else the folder
      const account = (k.UserName && users.get(k.UserName)) || folder;
      return [runId, file, account, k.UserName ?? null, k.UserName ? `arn:aws:iam::${account}:user/${k.UserName}` : null,
      k.AccessKeyId ?? null, k.Status ?? null, iso(k.CreateDate),
      iso(k.AccessKeyLastUsed?.LastUsedDate), usedValue(k.AccessKeyLastUsed?.ServiceName), usedValue(k.AccessKeyLastUsed?.Region)];
    }));
}

/** GetAccessKeyLastUsed says "N/A" for a key never used. */
const usedValue = (v: string | undefined): string | null => (v && v !== 'N/A' ? v : null);

/** Read an optional list file: undefined when absent, a gap when broken, else the array under `field`. */
function readList<T>(file: string, field: string, what: string, out: IamLoadResult): T[] | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = readJson(file);
  if (!parsed.ok) {
    out.gaps.push({ source: file, detail: `${parsed.error}; ${what} not loaded` });
    return undefined;
  }
  const list = (parsed.value as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(list)) {
    out.gaps.push({ source: file, detail: `no ${field} array; ${what} not loaded` });
    return undefined;
  }
  return objectsOnly<T>(list, file, field, out);
}

/** The object items of a list; the others (null, numbers, strings, arrays) are skipped with a gap naming the file. A non-list is a gap and no items. */
function objectsOnly<T>(list: unknown, file: string, field: string, out: IamLoadResult): T[] {
  if (!Array.isArray(list)) {
    out.gaps.push({ source: file, detail: `${field} is not a list; its items were not loaded` });
    return [];
  }
  const objects = list.filter((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  if (objects.length < list.length) {
    out.gaps.push({ source: file, detail: `${list.length - objects.length} of ${list.length} ${field} item(s) are not objects; skipped (the other ${objects.length} loaded)` });
  }
  return objects as T[];
}

/** list-open-id-connect-providers.json: the CLI's list, each item merged with GetOpenIDConnectProvider's answer. */
async function loadOidcProviders(store: Store, runId: string, account: string, file: string, out: IamLoadResult): Promise<void> {
  type Item = Partial<Omit<GetOpenIDConnectProviderCommandOutput, '$metadata'>> & { Arn?: string };
  const list = readList<Item>(file, 'OpenIDConnectProviderList', `OIDC providers of account ${account}`, out);
  if (!list) return;
  out.oidcProviders += await store.append('iam_oidc_providers', new Array(9).fill(''), list.map((p) => [
    runId, file, arnAccount(p.Arn) ?? account, p.Arn ?? null, p.Url ?? null, JSON.stringify(p.ClientIDList ?? []), JSON.stringify(p.ThumbprintList ?? []),
    iso(p.CreateDate), JSON.stringify(tagObject(p.Tags))]));
}

/** list-service-specific-credentials.json: `aws iam list-service-specific-credentials --all-users` (Bedrock API keys and others). */
async function loadServiceCredentials(store: Store, runId: string, folder: string, file: string, out: IamLoadResult, users: Map<string, string>): Promise<void> {
  const list = readList<ServiceSpecificCredentialMetadata>(file, 'ServiceSpecificCredentials', `service-specific credentials of account ${folder}`, out);
  if (!list) return;
  const accountOf = (user: string | undefined): string => (user && users.get(user)) || folder;
  out.serviceCredentials += await store.append('iam_service_credentials', new Array(12).fill(''), list.map((c) => [
    runId, file, accountOf(c.UserName), c.UserName ?? null, c.UserName ? `arn:aws:iam::${accountOf(c.UserName)}:user/${c.UserName}` : null,
    c.ServiceSpecificCredentialId ?? null, c.ServiceName ?? null, c.ServiceUserName ?? null, c.ServiceCredentialAlias ?? null,
    c.Status ?? null, iso(c.CreateDate), iso(c.ExpirationDate)]));
}
