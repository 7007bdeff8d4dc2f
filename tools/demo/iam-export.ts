/**
 * Render the IAM model as the AWS exports shadowscan reads offline: get-account-authorization-
 * details (CLI shape; policy documents as JSON objects or, for one account, URL-encoded strings
 * as the raw API returns them), the credential report CSV and list-access-keys.
 */
import { isoOffset, isoZ } from './time.js';
import { uniqueId } from './rand.js';
import {
  policyArn, principalId, roleArn, userArn, type IamModel, type KeyDef, type ManagedPolicyDef, type PolicyDocument, type UserDef,
} from './world.js';

/** When a credential or role was last used, as CloudTrail showed it during generation. */
export interface UsageStats {
  keys: Map<string, { t: number; region: string; service: string }>;
  roles: Map<string, { t: number; region: string }>;
  /** account/user → last ConsoleLogin. */
  passwords: Map<string, number>;
}

export function emptyUsage(): UsageStats {
  return { keys: new Map(), roles: new Map(), passwords: new Map() };
}

/** How an account's export writes policy documents and dates. */
export interface ExportStyle {
  /** `url`: URL-encoded JSON strings (raw IAM API); `object`: JSON objects (AWS CLI). */
  policyDocs: 'url' | 'object';
  /** `offset`: 2026-11-19T10:11:12+00:00 (CLI v2); `z`: 2026-11-19T10:11:12Z. */
  dates: 'offset' | 'z';
}

/** RFC 3986 percent-encoding, as the IAM API applies to policy documents. */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function docOut(d: PolicyDocument, style: ExportStyle): unknown {
  return style.policyDocs === 'url' ? rfc3986(JSON.stringify(d)) : d;
}

function dateOut(ms: number, style: ExportStyle): string {
  return style.dates === 'offset' ? isoOffset(ms) : isoZ(ms);
}

function tagsOut(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function attached(arns: string[], policies: ManagedPolicyDef[]): { PolicyName: string; PolicyArn: string }[] {
  return arns.map((arn) => {
    const p = policies.find((x) => policyArn(x) === arn);
    return { PolicyName: p?.name ?? arn.split('/').pop() ?? arn, PolicyArn: arn };
  });
}

/** The get-account-authorization-details document for one account. */
export function authorizationDetails(model: IamModel, account: string, usage: UsageStats, style: ExportStyle): Record<string, unknown> {
  const users = model.users.filter((u) => u.account === account);
  const roles = model.roles.filter((r) => r.account === account);
  const groups = model.groups.filter((g) => g.account === account);

  // Managed policies in the export: this account's own, plus AWS managed ones attached here.
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  const count = (m: Map<string, number>, arn: string): void => {
    m.set(arn, (m.get(arn) ?? 0) + 1);
  };
  for (const x of [...users, ...roles, ...groups]) for (const arn of x.managed) count(attachments, arn);
  for (const x of [...users, ...roles]) if ('boundary' in x && x.boundary) count(boundaries, x.boundary);
  const policies = model.policies.filter((p) => p.owner === account || (p.owner === 'aws' && attachments.has(policyArn(p))));

  return {
    UserDetailList: users.map((u) => {
      const o: Record<string, unknown> = {
        Path: u.path,
        UserName: u.name,
        UserId: principalId('user', account, u.name),
        Arn: userArn(account, u.name, u.path),
        CreateDate: dateOut(u.created, style),
        UserPolicyList: u.inline.map((p) => ({ PolicyName: p.name, PolicyDocument: docOut(p.doc, style) })),
        GroupList: u.groups,
        AttachedManagedPolicies: attached(u.managed, model.policies),
      };
      if (u.boundary) o['PermissionsBoundary'] = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: u.boundary };
      o['Tags'] = tagsOut(u.tags);
      return o;
    }),
    GroupDetailList: groups.map((g) => ({
      Path: g.path,
      GroupName: g.name,
      GroupId: principalId('group', account, g.name),
      Arn: `arn:aws:iam::${account}:group${g.path}${g.name}`,
      CreateDate: dateOut(g.created, style),
      GroupPolicyList: g.inline.map((p) => ({ PolicyName: p.name, PolicyDocument: docOut(p.doc, style) })),
      AttachedManagedPolicies: attached(g.managed, model.policies),
    })),
    RoleDetailList: roles.map((r) => {
      const arn = roleArn(account, r.name, r.path);
      const roleSummary = {
        Path: r.path, RoleName: r.name, RoleId: principalId('role', account, r.name), Arn: arn,
        CreateDate: dateOut(r.created, style), AssumeRolePolicyDocument: docOut(r.trust, style),
      };
      const o: Record<string, unknown> = {
        ...roleSummary,
        InstanceProfileList: r.instanceProfile
          ? [{
            Path: '/', InstanceProfileName: r.instanceProfile, InstanceProfileId: uniqueId('AIPA', `${account}/${r.instanceProfile}`),
            Arn: `arn:aws:iam::${account}:instance-profile/${r.instanceProfile}`, CreateDate: dateOut(r.created, style), Roles: [roleSummary],
          }]
          : [],
        RolePolicyList: r.inline.map((p) => ({ PolicyName: p.name, PolicyDocument: docOut(p.doc, style) })),
        AttachedManagedPolicies: attached(r.managed, model.policies),
      };
      if (r.boundary) o['PermissionsBoundary'] = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.boundary };
      o['Tags'] = tagsOut(r.tags);
      const used = usage.roles.get(arn);
      o['RoleLastUsed'] = used ? { LastUsedDate: dateOut(used.t, style), Region: used.region } : {};
      return o;
    }),
    Policies: policies.map((p) => {
      const arn = policyArn(p);
      const latest = p.versions.reduce((a, v) => Math.max(a, v.created), p.created);
      return {
        PolicyName: p.name,
        PolicyId: uniqueId('ANPA', arn),
        Arn: arn,
        Path: p.path,
        DefaultVersionId: p.defaultVersion,
        AttachmentCount: attachments.get(arn) ?? 0,
        PermissionsBoundaryUsageCount: boundaries.get(arn) ?? 0,
        IsAttachable: true,
        CreateDate: dateOut(p.created, style),
        UpdateDate: dateOut(latest, style),
        PolicyVersionList: [...p.versions].reverse().map((v) => ({
          Document: docOut(v.doc, style),
          VersionId: v.id,
          IsDefaultVersion: v.id === p.defaultVersion,
          CreateDate: dateOut(v.created, style),
        })),
      };
    }),
  };
}

/** AWS's credential report header, exactly. */
export const CREDENTIAL_REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function keyColumns(k: KeyDef | undefined, usage: UsageStats): string[] {
  if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const seen = usage.keys.get(k.id);
  const last = seen ?? (k.lastUsedBefore ? { t: k.lastUsedBefore.at, region: k.lastUsedBefore.region, service: k.lastUsedBefore.service } : undefined);
  return [
    String(k.status === 'Active'),
    isoOffset(k.created),
    last ? isoOffset(last.t) : 'N/A',
    last ? last.region : 'N/A',
    last ? last.service : 'N/A',
  ];
}

/** The decoded credential report CSV for one account (root row first, as AWS writes it). */
export function credentialReport(model: IamModel, account: string, usage: UsageStats, rootCreated: number, rootLastSignIn: number | null): string {
  const rows = [CREDENTIAL_REPORT_HEADER];
  rows.push([
    '<root_account>', `arn:aws:iam::${account}:root`, isoOffset(rootCreated), 'not_supported',
    rootLastSignIn === null ? 'no_information' : isoOffset(rootLastSignIn), 'not_supported', 'not_supported', 'true',
    'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A',
  ].join(','));
  for (const u of model.users.filter((x) => x.account === account)) rows.push(userRow(u, usage).join(','));
  return rows.join('\n') + '\n';
}

function userRow(u: UserDef, usage: UsageStats): string[] {
  const pw = u.password;
  const lastSignIn = usage.passwords.get(`${u.account}/${u.name}`);
  return [
    u.name,
    userArn(u.account, u.name, u.path),
    isoOffset(u.created),
    pw ? 'true' : 'false',
    pw ? (lastSignIn !== undefined ? isoOffset(lastSignIn) : 'no_information') : 'N/A',
    pw ? isoOffset(pw.changed) : 'N/A',
    'N/A',
    String(pw?.mfa ?? false),
    ...keyColumns(u.keys[0], usage),
    ...keyColumns(u.keys[1], usage),
    'false', 'N/A', 'false', 'N/A',
  ];
}

/** `aws iam list-access-keys` for every user of an account, merged into one document. */
export function listAccessKeys(model: IamModel, account: string, style: ExportStyle): Record<string, unknown> {
  const meta: Record<string, unknown>[] = [];
  for (const u of model.users.filter((x) => x.account === account)) {
    for (const k of u.keys) meta.push({ UserName: u.name, AccessKeyId: k.id, Status: k.status, CreateDate: dateOut(k.created, style) });
  }
  return { AccessKeyMetadata: meta };
}

/** `aws iam list-service-specific-credentials --all-users` (long-term Bedrock API keys), merged for the account. */
export function listServiceSpecificCredentials(model: IamModel, account: string, style: ExportStyle): Record<string, unknown> {
  const creds: Record<string, unknown>[] = [];
  for (const u of model.users.filter((x) => x.account === account)) {
    for (const k of u.bedrockKeys ?? []) {
      creds.push({
        UserName: u.name, Status: k.status, ServiceUserName: `${u.name}-at-${account}`, CreateDate: dateOut(k.created, style),
        ...(k.expires === null ? {} : { ExpirationDate: dateOut(k.expires, style) }),
        ServiceSpecificCredentialId: k.id, ServiceName: 'bedrock.amazonaws.com', ServiceCredentialAlias: k.alias,
      });
    }
  }
  return { ServiceSpecificCredentials: creds };
}

/** JSON the way the AWS CLI prints it (4-space indent, trailing newline). */
export function cliJson(v: unknown): string {
  return JSON.stringify(v, null, 4) + '\n';
}
