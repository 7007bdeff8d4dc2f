/**
 * Recorded response shapes for AWS mocks (aws-sdk-client-mock): a synthetic account's IAM, an
 * in-memory CloudTrail bucket, and a LookupEvents event store with the real paging rules.
 */
import { IAMServiceException } from '@aws-sdk/client-iam';
import type { Event } from '@aws-sdk/client-cloudtrail';
import { CREDENTIAL_REPORT_COLUMNS } from '../../src/store/load-iam.js';

/** An AccessDenied error exactly as the SDK raises it for the query protocol. */
export function accessDenied(action: string, account = '111111111111'): Error {
  return new IAMServiceException({
    name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403, requestId: 'req-1' },
    message: `User: arn:aws:sts::${account}:assumed-role/scanner/s is not authorized to perform: ${action} on resource: *`,
  });
}

/** A service error with the given code (e.g. ReportInProgress, Throttling). */
export function serviceError(name: string, status = 400, message = name): Error {
  return new IAMServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

const policy = (statements: unknown[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }));

/** A synthetic account: users (some holding keys), roles, groups, managed policies. */
export interface SyntheticAccount {
  accountId: string;
  users: { UserName: string; Arn: string; UserId: string; CreateDate: Date; Path: string; GroupList: string[]; AttachedManagedPolicies: { PolicyName: string; PolicyArn: string }[]; UserPolicyList: { PolicyName: string; PolicyDocument: string }[]; Tags: { Key: string; Value: string }[] }[];
  roles: { RoleName: string; Arn: string; RoleId: string; CreateDate: Date; Path: string; AssumeRolePolicyDocument: string; AttachedManagedPolicies: { PolicyName: string; PolicyArn: string }[]; RolePolicyList: never[]; Tags: never[]; InstanceProfileList: never[] }[];
  groups: { GroupName: string; Arn: string; GroupId: string; CreateDate: Date; Path: string; GroupPolicyList: never[]; AttachedManagedPolicies: never[] }[];
  policies: { PolicyName: string; Arn: string; PolicyId: string; DefaultVersionId: string; AttachmentCount: number; IsAttachable: boolean; Path: string; PolicyVersionList: { Document: string; VersionId: string; IsDefaultVersion: boolean; CreateDate: Date }[] }[];
  /** user name → access key ids */
  keys: Map<string, string[]>;
}

/** Build an account with `users` users, `roles` roles and `keys` access keys (two per key-holding user). */
export function syntheticAccount(accountId: string, n: { users: number; roles: number; keys: number }): SyntheticAccount {
  const created = new Date('2025-01-01T00:00:00Z');
  const policies = Array.from({ length: 20 }, (_, i) => ({
    PolicyName: `policy-${i}`, Arn: `arn:aws:iam::${accountId}:policy/policy-${i}`, PolicyId: `ANPA${String(i).padStart(17, '0')}`,
    DefaultVersionId: 'v1', AttachmentCount: 1, IsAttachable: true, Path: '/',
    PolicyVersionList: [{ Document: policy([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }]), VersionId: 'v1', IsDefaultVersion: true, CreateDate: created }],
  }));
  const users = Array.from({ length: n.users }, (_, i) => ({
    UserName: `user-${i}`, Arn: `arn:aws:iam::${accountId}:user/user-${i}`, UserId: `AIDA${String(i).padStart(17, '0')}`,
    CreateDate: created, Path: '/', GroupList: [], Tags: i === 0 ? [{ Key: 'owner', Value: 'team-a' }] : [],
    AttachedManagedPolicies: [{ PolicyName: `policy-${i % 20}`, PolicyArn: `arn:aws:iam::${accountId}:policy/policy-${i % 20}` }],
    UserPolicyList: i === 0 ? [{ PolicyName: 'inline', PolicyDocument: policy([{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }]) }] : [],
  }));
  const roles = Array.from({ length: n.roles }, (_, i) => ({
    RoleName: `role-${i}`, Arn: `arn:aws:iam::${accountId}:role/role-${i}`, RoleId: `AROA${String(i).padStart(17, '0')}`,
    CreateDate: created, Path: '/', Tags: [] as never[], RolePolicyList: [] as never[], InstanceProfileList: [] as never[],
    AssumeRolePolicyDocument: policy([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    AttachedManagedPolicies: [{ PolicyName: `policy-${i % 20}`, PolicyArn: `arn:aws:iam::${accountId}:policy/policy-${i % 20}` }],
  }));
  const groups = Array.from({ length: 10 }, (_, i) => ({
    GroupName: `group-${i}`, Arn: `arn:aws:iam::${accountId}:group/group-${i}`, GroupId: `AGPA${String(i).padStart(17, '0')}`,
    CreateDate: created, Path: '/', GroupPolicyList: [] as never[], AttachedManagedPolicies: [] as never[],
  }));
  const keys = new Map<string, string[]>();
  let k = 0;
  for (let i = 0; k < n.keys && i < n.users; i++) {
    const ids = [];
    for (let j = 0; j < 2 && k < n.keys; j++, k++) ids.push(`AKIA${accountId.slice(0, 4)}${String(k).padStart(12, '0')}`);
    keys.set(`user-${i}`, ids);
  }
  return { accountId, users, roles, groups, policies, keys };
}

/** The account's credential report CSV (AWS's columns), keys in slots 1/2. */
export function credentialReportCsv(a: SyntheticAccount): string {
  const rows = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  rows.push(['<root_account>', `arn:aws:iam::${a.accountId}:root`, '2025-01-01T00:00:00+00:00', 'not_supported', 'N/A', 'not_supported', 'not_supported', 'true',
    'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'].join(','));
  for (const u of a.users) {
    const ks = a.keys.get(u.UserName) ?? [];
    const slot = (i: number) => ks[i] ? ['true', '2025-02-01T00:00:00+00:00', '2026-11-01T10:00:00+00:00', 'us-east-1', 's3'] : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    rows.push([u.UserName, u.Arn, '2025-01-01T00:00:00+00:00', 'false', 'N/A', 'N/A', 'N/A', 'false', ...slot(0), ...slot(1), 'false', 'N/A', 'false', 'N/A'].join(','));
  }
  return rows.join('\n') + '\n';
}

/** GetAccountAuthorizationDetails pages: every entity type in one sequence, `MaxItems` per page, Marker = offset. */
export function authDetailsPage(a: SyntheticAccount, input: { Marker?: string | undefined; MaxItems?: number | undefined }) {
  const all: [string, unknown][] = [
    ...a.users.map((u) => ['UserDetailList', u] as [string, unknown]),
    ...a.groups.map((g) => ['GroupDetailList', g] as [string, unknown]),
    ...a.roles.map((r) => ['RoleDetailList', r] as [string, unknown]),
    ...a.policies.map((p) => ['Policies', p] as [string, unknown]),
  ];
  const from = Number(input.Marker ?? 0);
  const size = input.MaxItems ?? 100;
  const page = all.slice(from, from + size);
  const out: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const [k, v] of page) out[k]!.push(v);
  const more = from + size < all.length;
  return { ...out, IsTruncated: more, ...(more ? { Marker: String(from + size) } : {}) };
}

/** LookupEvents over a fixed event list with the service's rules: inclusive time bounds, newest first, MaxResults per page, opaque NextToken. */
export function lookupEventsPage(events: Event[], input: { StartTime?: Date | undefined; EndTime?: Date | undefined; MaxResults?: number | undefined; NextToken?: string | undefined }) {
  const start = input.StartTime?.getTime() ?? -Infinity;
  const end = input.EndTime?.getTime() ?? Infinity;
  const matching = events
    .filter((e) => e.EventTime!.getTime() >= start && e.EventTime!.getTime() <= end)
    .sort((a, b) => b.EventTime!.getTime() - a.EventTime!.getTime() || (a.EventId! < b.EventId! ? -1 : 1));
  const from = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString()) : 0;
  const size = input.MaxResults ?? 50;
  const next = from + size < matching.length ? Buffer.from(String(from + size)).toString('base64') : undefined;
  return { Events: matching.slice(from, from + size), ...(next ? { NextToken: next } : {}) };
}

/** A LookupEvents event, CloudTrailEvent string included, as the API returns it. */
export function lookupEvent(id: string, time: Date, account = '111111111111', region = 'us-east-1'): Event {
  const record = {
    eventVersion: '1.09', eventID: id, eventTime: time.toISOString().replace('.000', ''), eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers', awsRegion: region, sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2.15.0',
    readOnly: true, eventType: 'AwsApiCall', recipientAccountId: account,
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${account}:user/ci-bot`, accountId: account, accessKeyId: 'AKIAEXAMPLEKEY000001', userName: 'ci-bot' },
  };
  return { EventId: id, EventName: 'ListUsers', ReadOnly: 'true', EventTime: time, EventSource: 'iam.amazonaws.com', Username: 'ci-bot', AccessKeyId: 'AKIAEXAMPLEKEY000001', Resources: [], CloudTrailEvent: JSON.stringify(record) };
}
