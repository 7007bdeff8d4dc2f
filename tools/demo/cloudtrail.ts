/**
 * CloudTrail record shapes: the identities that appear in `userIdentity`, the `Call` that actors
 * emit, and the function that turns a call into a record with AWS's field order.
 */
import { sessionKeyId, type Rng } from './rand.js';
import { HOUR, isoZ } from './time.js';
import { principalId, roleArn, userArn } from './world.js';

/** A CloudTrail `userIdentity` object (already in AWS's shape). */
export type UserIdentity = Record<string, unknown>;

/** One API call (or sign-in, or service event) an actor makes; becomes one CloudTrail record. */
export interface Call {
  /** Epoch milliseconds. */
  t: number;
  who: UserIdentity;
  /** eventSource, e.g. `s3.amazonaws.com`. */
  src: string;
  op: string;
  region: string;
  ip: string;
  ua: string;
  ro: boolean;
  /** Data event (S3 objects, DynamoDB items, Lambda Invoke, Bedrock KB retrieve): trail only, never in LookupEvents. */
  data?: boolean;
  type?: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  req?: unknown;
  resp?: unknown;
  err?: { code: string; msg: string };
  extra?: Record<string, unknown>;
  resources?: Record<string, unknown>[];
  /** tlsDetails.clientProvidedHostHeader; null for calls without tlsDetails (AWS-internal). */
  host: string | null;
  vpce?: string;
  console?: boolean;
  /** S3-style request ids (16 upper-case alphanumerics) instead of UUIDs. */
  s3ReqId?: boolean;
  sharedEventId?: boolean;
  apiVersion?: string;
  serviceEventDetails?: Record<string, unknown>;
  version?: '1.08' | '1.09';
}

// ---------------------------------------------------------------------------------------------
// userIdentity builders

// Identity objects are shared between records (serialisation does not mutate them): at 1M
// records, rebuilding them per call is most of the garbage the generator makes.
const identityCache = new Map<string, UserIdentity>();
function memo(key: string, make: () => UserIdentity): UserIdentity {
  let v = identityCache.get(key);
  if (v === undefined) {
    if (identityCache.size > 100_000) identityCache.clear();
    v = make();
    identityCache.set(key, v);
  }
  return v;
}

/** IAM user calling with a long-term access key. */
export function iamUserKey(account: string, name: string, key: string, path = '/'): UserIdentity {
  return memo(`key|${account}|${name}|${key}|${path}`, () => ({
    type: 'IAMUser', principalId: principalId('user', account, name), arn: userArn(account, name, path), accountId: account, accessKeyId: key, userName: name,
  }));
}

/** IAM user identity without a key (ConsoleLogin records). */
export function iamUserSignIn(account: string, name: string, path = '/'): UserIdentity {
  return { type: 'IAMUser', principalId: principalId('user', account, name), arn: userArn(account, name, path), accountId: account, userName: name };
}

/** IAM user inside a console session (temporary ASIA key minted by sign-in). */
export function iamUserConsole(seed: string, account: string, name: string, sessionStart: number, mfa: boolean, t: number, path = '/'): UserIdentity {
  return {
    type: 'IAMUser',
    principalId: principalId('user', account, name),
    arn: userArn(account, name, path),
    accountId: account,
    accessKeyId: hourlyKey(seed, `${account}/${name}/console/${sessionStart}`, t),
    userName: name,
    sessionContext: { attributes: { creationDate: isoZ(sessionStart), mfaAuthenticated: mfa ? 'true' : 'false' } },
  };
}

export interface RoleSessionOpts {
  /** Session start (creationDate); the ASIA key changes every hour after it. */
  start: number;
  mfa?: boolean;
  webIdProvider?: string;
  ec2RoleDelivery?: '1.0' | '2.0';
  invokedBy?: string;
  /** Session key fixed for the whole session (e.g. one CI job) instead of hourly. */
  fixedKey?: boolean;
}

/** An assumed-role session (Lambda, EC2 instance profile, OIDC, SSO, service-linked, cross-account). */
export function roleSession(seed: string, account: string, role: string, path: string, session: string, t: number, o: RoleSessionOpts): UserIdentity {
  const slot = o.fixedKey ? 'fixed' : Math.floor(t / HOUR);
  const key = `role|${seed}|${account}|${role}|${path}|${session}|${slot}|${o.start}|${o.mfa}|${o.webIdProvider}|${o.ec2RoleDelivery}|${o.invokedBy}`;
  return memo(key, () => buildRoleSession(seed, account, role, path, session, t, o));
}

function buildRoleSession(seed: string, account: string, role: string, path: string, session: string, t: number, o: RoleSessionOpts): UserIdentity {
  const roleId = principalId('role', account, role);
  const keyLabel = `${account}/${role}/${session}/${o.start}`;
  const ctx: Record<string, unknown> = {
    sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn(account, role, path), accountId: account, userName: role },
    webIdFederationData: o.webIdProvider ? { federatedProvider: o.webIdProvider, attributes: {} } : {},
    attributes: { creationDate: isoZ(o.start), mfaAuthenticated: o.mfa ? 'true' : 'false' },
  };
  if (o.ec2RoleDelivery) ctx['ec2RoleDelivery'] = o.ec2RoleDelivery;
  const id: UserIdentity = {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    accessKeyId: o.fixedKey ? sessionKeyId(`${seed}/${keyLabel}`) : hourlyKey(seed, keyLabel, t),
    sessionContext: ctx,
  };
  if (o.invokedBy) id['invokedBy'] = o.invokedBy;
  return id;
}

/** An AWS service acting on its own (KMS calls by DynamoDB, service-linked role assumption …). */
export function awsService(invokedBy: string): UserIdentity {
  return { type: 'AWSService', invokedBy };
}

const keyCache = new Map<string, string>();
/** A fresh ASIA key id per session per hour (STS credentials are rotated that often). */
export function hourlyKey(seed: string, label: string, t: number): string {
  const k = `${seed}/${label}/${Math.floor(t / HOUR)}`;
  let v = keyCache.get(k);
  if (v === undefined) {
    if (keyCache.size > 200_000) keyCache.clear();
    v = sessionKeyId(k);
    keyCache.set(k, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// TLS and record assembly

const TLS13 = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' };
const TLS12 = { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256' };

/** Endpoint host a client sends for a service in a region. */
export function endpoint(service: string, region: string): string {
  switch (service) {
    case 'iam':
      return 'iam.amazonaws.com';
    case 'sts-global':
      return 'sts.amazonaws.com';
    case 'signin':
      return 'signin.aws.amazon.com';
    case 'cloudfront':
      return 'cloudfront.amazonaws.com';
    default:
      return `${service}.${region}.amazonaws.com`;
  }
}

/**
 * Turn a call into a CloudTrail record. Field order follows real records; absent fields are
 * omitted as AWS does (requestParameters/responseElements are null when empty).
 */
export function toRecord(c: Call, recipient: string, rng: Rng): Record<string, unknown> {
  const r: Record<string, unknown> = {
    eventVersion: c.version ?? '1.09',
    userIdentity: c.who,
    eventTime: isoZ(c.t),
    eventSource: c.src,
    eventName: c.op,
    awsRegion: c.region,
    sourceIPAddress: c.ip,
    userAgent: c.ua,
  };
  if (c.err) {
    r['errorCode'] = c.err.code;
    r['errorMessage'] = c.err.msg;
  }
  r['requestParameters'] = c.req ?? null;
  r['responseElements'] = c.resp ?? null;
  if (c.extra) r['additionalEventData'] = c.extra;
  r['requestID'] = c.s3ReqId ? rng.upper(16) : rng.uuid();
  r['eventID'] = rng.uuid();
  r['readOnly'] = c.ro;
  if (c.resources) r['resources'] = c.resources;
  r['eventType'] = c.type ?? 'AwsApiCall';
  if (c.apiVersion) r['apiVersion'] = c.apiVersion;
  r['managementEvent'] = !c.data;
  r['recipientAccountId'] = recipient;
  if (c.sharedEventId) r['sharedEventID'] = rng.uuid();
  if (c.vpce) {
    r['vpcEndpointId'] = c.vpce;
    r['vpcEndpointAccountId'] = recipient;
  }
  if (c.serviceEventDetails) r['serviceEventDetails'] = c.serviceEventDetails;
  r['eventCategory'] = c.data ? 'Data' : 'Management';
  if (c.host !== null) {
    const tls = c.host.startsWith('signin.') || c.src === 'sts.amazonaws.com' ? TLS12 : TLS13;
    r['tlsDetails'] = { ...tls, clientProvidedHostHeader: c.host };
  }
  if (c.console) r['sessionCredentialFromConsole'] = 'true';
  return r;
}

/**
 * The entry `aws cloudtrail lookup-events` prints for a record: summary fields plus the record
 * itself as a JSON string.
 */
export function toLookupEvent(rec: Record<string, unknown>, json: string): Record<string, unknown> {
  const id = (rec['userIdentity'] ?? {}) as Record<string, unknown>;
  const e: Record<string, unknown> = {
    EventId: rec['eventID'],
    EventName: rec['eventName'],
    ReadOnly: String(rec['readOnly']),
  };
  if (typeof id['accessKeyId'] === 'string') e['AccessKeyId'] = id['accessKeyId'];
  e['EventTime'] = String(rec['eventTime']).replace('Z', '+00:00');
  e['EventSource'] = rec['eventSource'];
  const username = lookupUsername(id);
  if (username !== undefined) e['Username'] = username;
  e['Resources'] = lookupResources(rec);
  e['CloudTrailEvent'] = json;
  return e;
}

function lookupUsername(id: Record<string, unknown>): string | undefined {
  if (typeof id['userName'] === 'string') return id['userName'];
  if (id['type'] === 'AssumedRole' && typeof id['arn'] === 'string') return id['arn'].split('/').pop();
  return undefined;
}

function lookupResources(rec: Record<string, unknown>): { ResourceType: string; ResourceName: string }[] {
  const out: { ResourceType: string; ResourceName: string }[] = [];
  const req = rec['requestParameters'];
  if (req && typeof req === 'object') {
    const p = req as Record<string, unknown>;
    if (typeof p['userName'] === 'string') out.push({ ResourceType: 'AWS::IAM::User', ResourceName: p['userName'] });
    if (typeof p['roleName'] === 'string') out.push({ ResourceType: 'AWS::IAM::Role', ResourceName: p['roleName'] });
    if (typeof p['policyArn'] === 'string') out.push({ ResourceType: 'AWS::IAM::Policy', ResourceName: p['policyArn'] });
    if (typeof p['bucketName'] === 'string') out.push({ ResourceType: 'AWS::S3::Bucket', ResourceName: p['bucketName'] });
    if (typeof p['roleArn'] === 'string') out.push({ ResourceType: 'AWS::IAM::Role', ResourceName: p['roleArn'] });
  }
  const resp = rec['responseElements'];
  if (resp && typeof resp === 'object') {
    const ak = (resp as Record<string, unknown>)['accessKey'];
    if (ak && typeof ak === 'object') {
      const id = (ak as Record<string, unknown>)['accessKeyId'];
      if (typeof id === 'string') out.push({ ResourceType: 'AWS::IAM::AccessKey', ResourceName: id });
    }
  }
  return out;
}
