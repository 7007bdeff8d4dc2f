/**
 * Builders for the API operations the demo actors perform, with request/response bodies shaped
 * like real CloudTrail records. Each returns the parts of a Call that do not depend on who calls.
 */
import type { Call } from './cloudtrail.js';
import { endpoint } from './cloudtrail.js';
import type { Rng } from './rand.js';
import { awsLongDate, HOUR } from './time.js';

/** The caller-independent part of a call. */
export type Op = Omit<Call, 't' | 'who' | 'region' | 'ip' | 'ua'>;

/** Combine an op with the caller. */
export function call(t: number, who: Record<string, unknown>, region: string, ip: string, ua: string, op: Op): Call {
  return { t, who, region, ip, ua, ...op };
}

/** Same op, failed with an error (AccessDenied and friends). */
export function failed(op: Op, code: string, msg: string): Op {
  return { ...op, err: { code, msg }, resp: null };
}

/** The message AWS writes for an identity-policy denial. */
export function deniedMessage(arn: string, action: string, resource?: string): string {
  const on = resource ? ` on resource: ${resource}` : '';
  return `User: ${arn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`;
}

const S3_EXTRA = { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', AuthenticationMethod: 'AuthHeader' };

// --- S3 -----------------------------------------------------------------------------------------

export function s3Object(op: 'GetObject' | 'PutObject' | 'HeadObject', account: string, bucket: string, key: string, region: string, bytes: number): Op {
  const host = `${bucket}.s3.${region}.amazonaws.com`;
  const get = op !== 'PutObject';
  return {
    src: 's3.amazonaws.com', op, ro: get, data: true, host, s3ReqId: true,
    req: { bucketName: bucket, Host: host, key },
    resp: get ? null : { 'x-amz-server-side-encryption': 'AES256' },
    extra: { ...S3_EXTRA, bytesTransferredIn: get ? 0 : bytes, bytesTransferredOut: get ? bytes : 0 },
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
  };
}

export function s3ListObjects(account: string, bucket: string, prefix: string, region: string): Op {
  const host = `${bucket}.s3.${region}.amazonaws.com`;
  return {
    src: 's3.amazonaws.com', op: 'ListObjects', ro: true, data: true, host, s3ReqId: true,
    req: { 'list-type': '2', bucketName: bucket, 'encoding-type': 'url', prefix, Host: host },
    extra: { ...S3_EXTRA, bytesTransferredIn: 0, bytesTransferredOut: 2048 },
    resources: [{ type: 'AWS::S3::Object', ARNPrefix: `arn:aws:s3:::${bucket}/${prefix}` }, { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
  };
}

export function s3ListBuckets(region: string): Op {
  const host = `s3.${region}.amazonaws.com`;
  return { src: 's3.amazonaws.com', op: 'ListBuckets', ro: true, host, s3ReqId: true, req: { Host: host }, extra: { ...S3_EXTRA, bytesTransferredIn: 0, bytesTransferredOut: 4211 } };
}

export function s3BucketRead(op: 'GetBucketLocation' | 'GetBucketPolicy' | 'GetBucketAcl' | 'GetBucketVersioning', account: string, bucket: string, region: string): Op {
  const host = `${bucket}.s3.${region}.amazonaws.com`;
  const sub = { GetBucketLocation: 'location', GetBucketPolicy: 'policy', GetBucketAcl: 'acl', GetBucketVersioning: 'versioning' }[op];
  return {
    src: 's3.amazonaws.com', op, ro: true, host, s3ReqId: true,
    req: { bucketName: bucket, Host: host, [sub]: '' },
    extra: { ...S3_EXTRA, bytesTransferredIn: 0, bytesTransferredOut: 137 },
    resources: [{ accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
  };
}

// --- Bedrock ------------------------------------------------------------------------------------

export function bedrockRuntime(op: 'InvokeModel' | 'Converse' | 'InvokeModelWithResponseStream' | 'ConverseStream', modelId: string, region: string): Op {
  return { src: 'bedrock.amazonaws.com', op, ro: true, host: `bedrock-runtime.${region}.amazonaws.com`, req: { modelId }, extra: { inferenceRegion: region } };
}

export function bedrockRetrieve(account: string, kb: string, region: string): Op {
  return {
    src: 'bedrock.amazonaws.com', op: 'Retrieve', ro: true, data: true, host: `bedrock-agent-runtime.${region}.amazonaws.com`,
    req: { knowledgeBaseId: kb, retrievalQuery: { text: 'HIDDEN_DUE_TO_SECURITY_REASONS' } },
    resources: [{ accountId: account, type: 'AWS::Bedrock::KnowledgeBase', ARN: `arn:aws:bedrock:${region}:${account}:knowledge-base/${kb}` }],
  };
}

export function bedrockControl(op: 'ListFoundationModels' | 'GetFoundationModelAvailability', region: string, modelId?: string): Op {
  return { src: 'bedrock.amazonaws.com', op, ro: true, host: `bedrock.${region}.amazonaws.com`, req: modelId ? { modelId } : null };
}

export function agentCoreMemory(op: 'ListEvents' | 'CreateEvent' | 'RetrieveMemoryRecords', account: string, memoryId: string, actor: string, region: string): Op {
  return {
    src: 'bedrock-agentcore.amazonaws.com', op, ro: op !== 'CreateEvent', data: true, host: `bedrock-agentcore.${region}.amazonaws.com`,
    req: { memoryId, actorId: actor, sessionId: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    resources: [{ accountId: account, type: 'AWS::BedrockAgentCore::Memory', ARN: `arn:aws:bedrock-agentcore:${region}:${account}:memory/${memoryId}` }],
  };
}

// --- DynamoDB -----------------------------------------------------------------------------------

export function dynamoItem(op: 'GetItem' | 'PutItem' | 'Query', account: string, table: string, region: string): Op {
  const req: Record<string, unknown> = { tableName: table };
  if (op === 'Query') {
    req['keyConditionExpression'] = 'ticketId = :t';
    req['limit'] = 25;
  } else {
    req['key'] = { pk: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
  }
  if (op === 'GetItem') req['consistentRead'] = false;
  return {
    src: 'dynamodb.amazonaws.com', op, ro: op !== 'PutItem', data: true, host: `dynamodb.${region}.amazonaws.com`, req,
    resources: [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: `arn:aws:dynamodb:${region}:${account}:table/${table}` }],
  };
}

// --- STS / IAM ----------------------------------------------------------------------------------

export function getCallerIdentity(region: string, global = false): Op {
  return { src: 'sts.amazonaws.com', op: 'GetCallerIdentity', ro: true, host: global ? 'sts.amazonaws.com' : endpoint('sts', region) };
}

export interface AssumeRoleArgs {
  roleArn: string;
  roleAccount: string;
  session: string;
  sessionKey: string;
  assumedRoleId: string;
  t: number;
  duration?: number;
  externalId?: string;
  region: string;
  /** Host null for service-initiated assumptions (no TLS details). */
  host: string | null;
}

export function assumeRole(a: AssumeRoleArgs): Op {
  const dur = a.duration ?? 3600;
  const req: Record<string, unknown> = { roleArn: a.roleArn, roleSessionName: a.session, durationSeconds: dur };
  if (a.externalId) req['externalId'] = a.externalId;
  return {
    src: 'sts.amazonaws.com', op: 'AssumeRole', ro: true, host: a.host, sharedEventId: true, req,
    resp: {
      credentials: { accessKeyId: a.sessionKey, expiration: awsLongDate(a.t + dur * 1000) },
      assumedRoleUser: { assumedRoleId: `${a.assumedRoleId}:${a.session}`, arn: `arn:aws:sts::${a.roleAccount}:assumed-role/${a.roleArn.split('/').pop()}/${a.session}` },
    },
    resources: [{ accountId: a.roleAccount, type: 'AWS::IAM::Role', ARN: a.roleArn }],
  };
}

export function iamRead(op: string, req: Record<string, unknown> | null = null): Op {
  return { src: 'iam.amazonaws.com', op, ro: true, host: 'iam.amazonaws.com', req };
}

export function iamWrite(op: string, req: Record<string, unknown>, resp: Record<string, unknown> | null = null): Op {
  return { src: 'iam.amazonaws.com', op, ro: false, host: 'iam.amazonaws.com', req, resp };
}

// --- Generic services ---------------------------------------------------------------------------

/** A management-event call to a regional service (host `<service>.<region>.amazonaws.com`). */
export function svc(service: string, op: string, region: string, ro: boolean, req: Record<string, unknown> | null = null, resp: Record<string, unknown> | null = null): Op {
  return { src: `${service}.amazonaws.com`, op, ro, host: endpoint(service, region), req, resp };
}

export function secretValue(secretArn: string, region: string): Op {
  return svc('secretsmanager', 'GetSecretValue', region, true, { secretId: secretArn });
}

export function kmsDecrypt(keyArn: string, context: Record<string, string>): Op {
  return {
    src: 'kms.amazonaws.com', op: 'Decrypt', ro: true, host: null, sharedEventId: true,
    req: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: context },
    resources: [{ accountId: keyArn.split(':')[4], type: 'AWS::KMS::Key', ARN: keyArn }],
  };
}

export function kmsGenerateDataKey(keyArn: string, context: Record<string, string>): Op {
  return {
    src: 'kms.amazonaws.com', op: 'GenerateDataKey', ro: true, host: null, sharedEventId: true,
    req: { keySpec: 'AES_256', encryptionContext: context, keyId: keyArn },
    resources: [{ accountId: keyArn.split(':')[4], type: 'AWS::KMS::Key', ARN: keyArn }],
  };
}

export function lambdaOp(op: 'ListFunctions20150331' | 'GetFunction20150331v2' | 'UpdateFunctionCode20150331v2' | 'CreateFunction20150331', region: string, fn?: string, extra: Record<string, unknown> = {}): Op {
  const ro = op.startsWith('List') || op.startsWith('Get');
  return { src: 'lambda.amazonaws.com', op, ro, host: endpoint('lambda', region), req: fn ? { functionName: fn, ...extra } : null };
}

export function lambdaInvoke(account: string, fn: string, region: string): Op {
  const arn = `arn:aws:lambda:${region}:${account}:function:${fn}`;
  return {
    src: 'lambda.amazonaws.com', op: 'Invoke', ro: false, data: true, host: endpoint('lambda', region),
    req: { functionName: arn, sourceArn: null }, extra: { functionVersion: `${arn}:$LATEST` },
    resources: [{ accountId: account, type: 'AWS::Lambda::Function', ARN: arn }],
  };
}

export function ecrOp(op: string, account: string, region: string, repo: string | null, docker: boolean, rng: Rng): Op {
  const host = docker ? `${account}.dkr.ecr.${region}.amazonaws.com` : `api.ecr.${region}.amazonaws.com`;
  const req: Record<string, unknown> | null = repo ? { repositoryName: repo, registryId: account } : null;
  if (req && op === 'PutImage') req['imageTag'] = `sha-${rng.hex(7)}`;
  if (req && op === 'UploadLayerPart') req['uploadId'] = rng.uuid();
  const resources = repo ? [{ accountId: account, ARN: `arn:aws:ecr:${region}:${account}:repository/${repo}` }] : undefined;
  const ro = op.startsWith('Get') || op.startsWith('Batch') || op.startsWith('Describe');
  const o: Op = { src: 'ecr.amazonaws.com', op, ro, host, req };
  if (resources) o.resources = resources;
  return o;
}

/** Session expiry an hour after t, AWS long format (STS responses). */
export function expiry(t: number): string {
  return awsLongDate(t + HOUR);
}
