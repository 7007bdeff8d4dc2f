/**
 * The one schema for raw CloudTrail records: a minimal TypeScript interface, mirrored by the
 * DuckDB `columns=` type used by every reader (letting DuckDB guess drops fields absent from
 * its sample). Add a field in both places.
 */

/** A CloudTrail record, as far as shadowscan reads it. */
export interface CloudTrailRecord {
  eventVersion?: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: unknown;
  requestID?: string;
  eventID?: string;
  readOnly?: boolean | string;
  eventType?: string;
  managementEvent?: boolean | string;
  recipientAccountId?: string;
  eventCategory?: string;
  vpcEndpointId?: string;
  sessionCredentialFromConsole?: string;
  tlsDetails?: { tlsVersion?: string; cipherSuite?: string; clientProvidedHostHeader?: string };
  userIdentity?: {
    type?: string;
    principalId?: string;
    arn?: string;
    accountId?: string;
    accessKeyId?: string;
    userName?: string;
    invokedBy?: string;
    identityProvider?: string;
    sessionContext?: {
      sessionIssuer?: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
      webIdFederationData?: { federatedProvider?: string; attributes?: unknown };
      attributes?: { creationDate?: string; mfaAuthenticated?: string };
      sourceIdentity?: string;
      ec2RoleDelivery?: string;
    };
  };
}

/** DuckDB type of one record; keep in step with CloudTrailRecord. */
export const RECORD_TYPE = `STRUCT(
  eventVersion VARCHAR, eventTime TIMESTAMP, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR,
  sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR, errorMessage VARCHAR,
  requestParameters JSON, responseElements JSON, additionalEventData JSON,
  requestID VARCHAR, eventID VARCHAR, readOnly VARCHAR, eventType VARCHAR, managementEvent VARCHAR,
  recipientAccountId VARCHAR, eventCategory VARCHAR, vpcEndpointId VARCHAR, sessionCredentialFromConsole VARCHAR,
  tlsDetails STRUCT(tlsVersion VARCHAR, cipherSuite VARCHAR, clientProvidedHostHeader VARCHAR),
  userIdentity STRUCT(
    "type" VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, accessKeyId VARCHAR, userName VARCHAR,
    invokedBy VARCHAR, identityProvider VARCHAR,
    sessionContext STRUCT(
      sessionIssuer STRUCT("type" VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR),
      webIdFederationData STRUCT(federatedProvider VARCHAR, attributes JSON),
      attributes STRUCT(creationDate VARCHAR, mfaAuthenticated VARCHAR),
      sourceIdentity VARCHAR, ec2RoleDelivery VARCHAR
    )
  )
)`.replace(/\s+/g, ' ');

/**
 * Events kept one row each (with request/response bodies) instead of folded into the hourly
 * rollup: IAM writes, sign-ins, role assumptions and compute creation (PassRole targets).
 */
export const DETAIL_PREDICATE = `(
  (r.eventSource = 'iam.amazonaws.com' AND coalesce(r.readOnly, 'false') <> 'true')
  OR r.eventSource = 'signin.amazonaws.com' OR r.eventType = 'AwsConsoleSignIn'
  OR (r.eventSource = 'sts.amazonaws.com' AND r.eventName IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'GetFederationToken', 'GetSessionToken'))
  OR r.eventName IN ('CreateFunction20150331', 'CreateFunction', 'UpdateFunctionConfiguration20150331v2', 'RunInstances',
     'CreateStack', 'UpdateStack', 'CreateJob', 'CreateDevEndpoint', 'CreateNotebookInstance', 'CreateProject',
     'UpdateProject', 'StartBuild', 'CreatePipeline', 'SendCommand', 'CreateAgent', 'CreateAgentRuntime')
)`.replace(/\s+/g, ' ');

/** Request-parameter keys the resource expression reads; extracted in one JSON parse per record. */
const REQUEST_KEYS = ['bucketName', 'key', 'tableName', 'secretId', 'name', 'path', 'modelId', 'functionName', 'topicArn', 'queueUrl', 'keyId'] as const;
const RESOURCE_SOURCES = ['s3', 'dynamodb', 'secretsmanager', 'ssm', 'bedrock', 'bedrock-runtime', 'lambda', 'sns', 'sqs', 'kms']
  .map((s) => `'${s}.amazonaws.com'`).join(', ');

/**
 * The request parameters RESOURCE_EXPR reads, as one list (`rpv`) computed next to the record `r`:
 * one parse of requestParameters instead of one per key, and none for services it does not read.
 */
export const REQUEST_VALUES_EXPR = `CASE WHEN r.requestParameters IS NOT NULL AND r.eventSource IN (${RESOURCE_SOURCES})
  THEN json_extract_string(r.requestParameters, [${REQUEST_KEYS.map((k) => `'$.${k}'`).join(', ')}]) END`.replace(/\s+/g, ' ');

const rp = (key: (typeof REQUEST_KEYS)[number]): string => `rpv[${REQUEST_KEYS.indexOf(key) + 1}]`;
const acct = `coalesce(r.recipientAccountId, r.userIdentity.accountId, '*')`;
const region = `coalesce(r.awsRegion, '*')`;
const arnOr = (value: string, prefix: string, suffix = ''): string =>
  `CASE WHEN starts_with(${value}, 'arn:') THEN ${value} ELSE ${prefix} || ${value} || '${suffix}' END`;

/**
 * The resource a call names in its request parameters, as an ARN or ARN pattern (NULL when the
 * request names none). S3 objects are kept at bucket/first-prefix granularity (`bucket/reports/*`)
 * so the rollup does not grow with the number of object keys. Used for least-privilege suggestions.
 * Reads `rpv` (REQUEST_VALUES_EXPR) and `r`.
 */
export const RESOURCE_EXPR = `CASE
  WHEN r.requestParameters IS NULL THEN NULL
  WHEN r.eventSource = 's3.amazonaws.com' AND ${rp('bucketName')} IS NOT NULL THEN 'arn:aws:s3:::' || ${rp('bucketName')}
    || CASE WHEN ${rp('key')} IS NOT NULL THEN '/' || regexp_extract(${rp('key')}, '^([^/]+/)', 1) || '*' ELSE '' END
  WHEN r.eventSource = 'dynamodb.amazonaws.com' AND ${rp('tableName')} IS NOT NULL
    THEN ${arnOr(rp('tableName'), `'arn:aws:dynamodb:' || ${region} || ':' || ${acct} || ':table/'`)}
  WHEN r.eventSource = 'secretsmanager.amazonaws.com' AND ${rp('secretId')} IS NOT NULL
    THEN ${arnOr(rp('secretId'), `'arn:aws:secretsmanager:' || ${region} || ':' || ${acct} || ':secret:'`, '-*')}
  WHEN r.eventSource = 'ssm.amazonaws.com' AND coalesce(${rp('name')}, ${rp('path')}) IS NOT NULL
    THEN ${arnOr(`coalesce(${rp('name')}, ${rp('path')} || '*')`, `'arn:aws:ssm:' || ${region} || ':' || ${acct} || ':parameter' || CASE WHEN starts_with(coalesce(${rp('name')}, ${rp('path')}), '/') THEN '' ELSE '/' END`)}
  WHEN r.eventSource IN ('bedrock.amazonaws.com', 'bedrock-runtime.amazonaws.com') AND ${rp('modelId')} IS NOT NULL
    THEN ${arnOr(rp('modelId'), `'arn:aws:bedrock:' || ${region} || CASE WHEN regexp_matches(${rp('modelId')}, '^(us|eu|apac|global|us-gov|ca|jp|au)\\.') THEN ':' || ${acct} || ':inference-profile/' ELSE '::foundation-model/' END`)}
  WHEN r.eventSource = 'lambda.amazonaws.com' AND ${rp('functionName')} IS NOT NULL
    THEN ${arnOr(rp('functionName'), `'arn:aws:lambda:' || ${region} || ':' || ${acct} || ':function:'`)}
  WHEN r.eventSource = 'sns.amazonaws.com' AND ${rp('topicArn')} IS NOT NULL THEN ${rp('topicArn')}
  WHEN r.eventSource = 'sqs.amazonaws.com' AND ${rp('queueUrl')} IS NOT NULL
    THEN 'arn:aws:sqs:' || ${region} || ':' || ${acct} || ':' || regexp_extract(${rp('queueUrl')}, '([^/]+)$', 1)
  WHEN r.eventSource = 'kms.amazonaws.com' AND ${rp('keyId')} IS NOT NULL
    THEN ${arnOr(rp('keyId'), `'arn:aws:kms:' || ${region} || ':' || ${acct} || ':' || CASE WHEN starts_with(${rp('keyId')}, 'alias/') THEN '' ELSE 'key/' END`)}
END`.replace(/\s+/g, ' ');
