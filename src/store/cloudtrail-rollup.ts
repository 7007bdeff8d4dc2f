/**
 * The CloudTrail rollup, defined once and rendered for two engines: DuckDB (local trail files, read by
 * `read_json`) and Trino (Athena, or a Trino cluster, over the standard Athena CloudTrail table). The two
 * renderings differ only in the few functions below (`Dialect`); every column, every grouping key and the
 * detail predicate are written once, so the two paths cannot drift (test/store/rollup-equivalence.test.ts
 * holds them equal on the same files).
 *
 * Records are read as `e`, with the field names of the standard Athena table (AWS's documented DDL, all
 * lower case): DuckDB matches struct fields without regard to case, so the same text reads the camelCase
 * `read_json` struct. Only fields that table has are read (it has no `userIdentity.identityProvider`: the
 * provider of a web-identity or SAML user is taken from `principalId`, which starts with it).
 */

/** An engine the rollup is rendered for. */
export type Dialect = 'duckdb' | 'trino';

/** The functions the two engines spell differently. */
interface Spelling {
  /** A JSON field of a JSON text/value as text (NULL when absent). */
  jsonText(json: string, path: string): string;
  /** Replace with back-references written `\1`. */
  regexpReplace(value: string, pattern: string, replacement: string): string;
  regexpMatches(value: string, pattern: string): string;
  /** eventTime as a TIMESTAMP (UTC, no zone). */
  eventTime: string;
  anyValue(expr: string): string;
  /** The request parameters the resource expression reads (`key`), given per-record precomputation (`rpv`). */
  requestValue(key: RequestKey): string;
  /** Precomputed per record next to `e` (DuckDB parses requestParameters once for all keys). */
  perRecord: string[];
}

const REQUEST_KEYS = ['bucketName', 'key', 'tableName', 'secretId', 'name', 'path', 'modelId', 'functionName', 'topicArn', 'queueUrl', 'keyId'] as const;
type RequestKey = (typeof REQUEST_KEYS)[number];
const RESOURCE_SOURCES = ['s3', 'dynamodb', 'secretsmanager', 'ssm', 'bedrock', 'bedrock-runtime', 'lambda', 'sns', 'sqs', 'kms']
  .map((s) => `'${s}.amazonaws.com'`).join(', ');

const SPELLING: Record<Dialect, Spelling> = {
  duckdb: {
    jsonText: (json, path) => `json_extract_string(${json}, '${path}')`,
    regexpReplace: (v, p, r) => `regexp_replace(${v}, '${p}', '${r}')`,
    regexpMatches: (v, p) => `regexp_matches(${v}, '${p}')`,
    // read_json keeps eventTime as text (one bad value must not fail the file): eventTime, or `@timestamp`
    // where a log shipper renamed it; ISO 8601 with Z or an offset (to UTC); NULL when unparseable. The
    // loader counts such records, and times outside 2005–2099 (CloudTrail began in 2013), as skipped.
    eventTime: `(CASE WHEN ends_with(coalesce(e.eventtime, e."@timestamp"), 'Z') THEN TRY_CAST(coalesce(e.eventtime, e."@timestamp") AS TIMESTAMP)
      ELSE TRY_CAST(TRY_CAST(coalesce(e.eventtime, e."@timestamp") AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END)`,
    anyValue: (x) => `any_value(${x})`,
    requestValue: (k) => `rpv[${REQUEST_KEYS.indexOf(k) + 1}]`,
    // One parse of requestParameters for every key, and none for services the resource expression does not read.
    perRecord: [`CASE WHEN e.requestparameters IS NOT NULL AND e.eventsource IN (${RESOURCE_SOURCES})
      THEN json_extract_string(e.requestparameters, [${REQUEST_KEYS.map((k) => `'$.${k}'`).join(', ')}]) END AS rpv`],
  },
  trino: {
    jsonText: (json, path) => `json_extract_scalar(${json}, '${path}')`,
    regexpReplace: (v, p, r) => `regexp_replace(${v}, '${p}', '${r.replace(/\\(\d)/g, '\\$$$1')}')`,
    regexpMatches: (v, p) => `regexp_like(${v}, '${p}')`,
    // Athena's table keeps eventTime as text (ISO 8601, UTC).
    eventTime: `try(CAST(from_iso8601_timestamp(e.eventtime) AT TIME ZONE 'UTC' AS timestamp(3)))`,
    anyValue: (x) => `arbitrary(${x})`,
    requestValue: (k) => `CASE WHEN e.eventsource IN (${RESOURCE_SOURCES}) THEN json_extract_scalar(e.requestparameters, '$.${k}') END`,
    perRecord: [],
  },
};

/**
 * Events kept one row each (with request/response bodies) instead of folded into the hourly rollup:
 * IAM writes, sign-ins, role assumptions and compute creation (PassRole targets).
 */
const DETAIL_PREDICATE = `(
  (e.eventsource = 'iam.amazonaws.com' AND coalesce(e.readonly, 'false') <> 'true')
  OR e.eventsource = 'signin.amazonaws.com' OR e.eventtype = 'AwsConsoleSignIn'
  OR (e.eventsource = 'sts.amazonaws.com' AND e.eventname IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'GetFederationToken', 'GetSessionToken'))
  OR e.eventname IN ('CreateFunction20150331', 'CreateFunction', 'UpdateFunctionConfiguration20150331v2', 'RunInstances',
     'CreateStack', 'UpdateStack', 'CreateJob', 'CreateDevEndpoint', 'CreateNotebookInstance', 'CreateProject',
     'UpdateProject', 'StartBuild', 'CreatePipeline', 'SendCommand', 'CreateAgent', 'CreateAgentRuntime')
)`;

/**
 * The resource a call names in its request parameters, as an ARN or ARN pattern (NULL when the request
 * names none). S3 objects are kept at bucket/first-prefix granularity (`bucket/reports/*`) so the rollup does
 * not grow with the number of object keys. Used for least-privilege suggestions.
 */
function resourceExpr(s: Spelling): string {
  const rp = s.requestValue;
  const acct = `coalesce(e.recipientaccountid, e.useridentity.accountid, '*')`;
  const region = `coalesce(e.awsregion, '*')`;
  const arnOr = (value: string, prefix: string, suffix = ''): string =>
    `CASE WHEN starts_with(${value}, 'arn:') THEN ${value} ELSE ${prefix} || ${value} || '${suffix}' END`;
  // regexp_extract gives '' (DuckDB) or NULL (Trino) when nothing matches: nullif makes both NULL.
  const extract = (v: string, p: string): string => `nullif(regexp_extract(${v}, '${p}', 1), '')`;
  return `CASE
  WHEN e.requestparameters IS NULL THEN NULL
  WHEN e.eventsource = 's3.amazonaws.com' AND ${rp('bucketName')} IS NOT NULL THEN 'arn:aws:s3:::' || ${rp('bucketName')}
    || CASE WHEN ${rp('key')} IS NOT NULL THEN '/' || coalesce(${extract(rp('key'), '^([^/]+/)')}, '') || '*' ELSE '' END
  WHEN e.eventsource = 'dynamodb.amazonaws.com' AND ${rp('tableName')} IS NOT NULL
    THEN ${arnOr(rp('tableName'), `'arn:aws:dynamodb:' || ${region} || ':' || ${acct} || ':table/'`)}
  WHEN e.eventsource = 'secretsmanager.amazonaws.com' AND ${rp('secretId')} IS NOT NULL
    THEN ${arnOr(rp('secretId'), `'arn:aws:secretsmanager:' || ${region} || ':' || ${acct} || ':secret:'`, '-*')}
  WHEN e.eventsource = 'ssm.amazonaws.com' AND coalesce(${rp('name')}, ${rp('path')}) IS NOT NULL
    THEN ${arnOr(`coalesce(${rp('name')}, ${rp('path')} || '*')`, `'arn:aws:ssm:' || ${region} || ':' || ${acct} || ':parameter' || CASE WHEN starts_with(coalesce(${rp('name')}, ${rp('path')}), '/') THEN '' ELSE '/' END`)}
  WHEN e.eventsource IN ('bedrock.amazonaws.com', 'bedrock-runtime.amazonaws.com') AND ${rp('modelId')} IS NOT NULL
    THEN ${arnOr(rp('modelId'), `'arn:aws:bedrock:' || ${region} || CASE WHEN ${s.regexpMatches(rp('modelId'), '^(us|eu|apac|global|us-gov|ca|jp|au)\\.')} THEN ':' || ${acct} || ':inference-profile/' ELSE '::foundation-model/' END`)}
  WHEN e.eventsource = 'lambda.amazonaws.com' AND ${rp('functionName')} IS NOT NULL
    THEN ${arnOr(rp('functionName'), `'arn:aws:lambda:' || ${region} || ':' || ${acct} || ':function:'`)}
  WHEN e.eventsource = 'sns.amazonaws.com' AND ${rp('topicArn')} IS NOT NULL THEN ${rp('topicArn')}
  WHEN e.eventsource = 'sqs.amazonaws.com' AND ${rp('queueUrl')} IS NOT NULL
    THEN 'arn:aws:sqs:' || ${region} || ':' || ${acct} || ':' || coalesce(${extract(rp('queueUrl'), '([^/]+)$')}, '')
  WHEN e.eventsource = 'kms.amazonaws.com' AND ${rp('keyId')} IS NOT NULL
    THEN ${arnOr(rp('keyId'), `'arn:aws:kms:' || ${region} || ':' || ${acct} || ':' || CASE WHEN starts_with(${rp('keyId')}, 'alias/') THEN '' ELSE 'key/' END`)}
END`;
}

/** The principal an event is attributed to: role sessions by role, federated users by the role they assumed. */
function principalExpr(s: Spelling): string {
  return `CASE e.useridentity."type"
      WHEN 'AssumedRole' THEN CASE WHEN e.useridentity.sessioncontext.sessionissuer.arn IS NOT NULL
        THEN e.useridentity.sessioncontext.sessionissuer.arn
        ELSE ${s.regexpReplace(s.regexpReplace('e.useridentity.arn', ':sts::', ':iam::'), 'assumed-role/([^/]+)/.*$', 'role/\\1')} END
      WHEN 'WebIdentityUser' THEN coalesce(${s.jsonText('e.requestparameters', '$.roleArn')}, e.useridentity.principalid)
      WHEN 'SAMLUser' THEN coalesce(${s.jsonText('e.requestparameters', '$.roleArn')}, e.useridentity.principalid)
      WHEN 'AWSService' THEN 'service:' || coalesce(e.useridentity.invokedby, e.eventsource)
      WHEN 'AWSAccount' THEN 'account:' || coalesce(e.useridentity.accountid, '?')
      ELSE coalesce(e.useridentity.arn, e.useridentity.principalid) END`;
}

/** One output column of the rollup: a grouping key, or an aggregate over the keyed rows. */
interface RollupColumn { name: string; expr: string; key: boolean }

/**
 * The rollup's columns, in output order. Keys are computed per record (over `e`, `t`, `is_detail`), aggregates
 * over the keyed rows (`t`, `is_detail`, `request_json`, `response_json`). The event count is each path's own
 * (the DuckDB path counts records around the placeholders of empty files).
 */
function rollupColumns(d: Dialect): RollupColumn[] {
  const s = SPELLING[d];
  const k = (name: string, expr: string): RollupColumn => ({ name, expr, key: true });
  const a = (name: string, expr: string): RollupColumn => ({ name, expr, key: false });
  return [
    k('event_hour', `date_trunc('hour', t)`),
    a('first_time', 'min(t)'), a('last_time', 'max(t)'),
    k('event_id', 'CASE WHEN is_detail THEN e.eventid END'),
    k('event_source', 'e.eventsource'), k('event_name', 'e.eventname'), k('aws_region', 'e.awsregion'),
    k('source_ip', 'e.sourceipaddress'), k('user_agent', 'e.useragent'), k('error_code', 'e.errorcode'),
    k('read_only', `(e.readonly = 'true')`), k('event_type', 'e.eventtype'), k('recipient_account_id', 'e.recipientaccountid'),
    k('vpc_endpoint_id', 'e.vpcendpointid'), k('tls_host', 'e.tlsdetails.clientprovidedhostheader'),
    k('identity_type', 'e.useridentity."type"'),
    k('principal_arn', principalExpr(s)),
    k('account_id', 'coalesce(e.useridentity.accountid, e.recipientaccountid)'),
    k('access_key_id', `CASE WHEN starts_with(e.useridentity.accesskeyid, 'AKIA') OR is_detail THEN e.useridentity.accesskeyid END`),
    k('session_name', `CASE WHEN e.useridentity."type" = 'AssumedRole' THEN split_part(e.useridentity.arn, '/', 3) END`),
    k('user_name', 'e.useridentity.username'),
    k('invoked_by', 'e.useridentity.invokedby'),
    k('identity_provider', `CASE e.useridentity."type"
        WHEN 'WebIdentityUser' THEN coalesce(nullif(regexp_extract(e.useridentity.principalid, '^(arn:[^:]+:iam::[0-9]+:oidc-provider/[^:]+)', 1), ''), e.useridentity.sessioncontext.webidfederationdata.federatedprovider)
        WHEN 'SAMLUser' THEN nullif(regexp_extract(e.useridentity.principalid, '^([^:]+):', 1), '')
        ELSE e.useridentity.sessioncontext.webidfederationdata.federatedprovider END`),
    k('mfa_authenticated', `CASE WHEN e.eventsource = 'signin.amazonaws.com' THEN ${s.jsonText('e.additionaleventdata', '$.MFAUsed')} = 'Yes'
        ELSE e.useridentity.sessioncontext.attributes.mfaauthenticated = 'true' END`),
    k('console_session', `(e.sessioncredentialfromconsole = 'true' OR e.eventtype = 'AwsConsoleSignIn')`),
    k('resource', resourceExpr(s)),
    a('request_parameters', `${s.anyValue('request_json')} FILTER (WHERE is_detail)`),
    a('response_elements', `${s.anyValue('response_json')} FILTER (WHERE is_detail)`),
  ];
}

/** The rollup's grouping keys (output column names), in order. */
export const ROLLUP_KEYS: readonly string[] = rollupColumns('duckdb').filter((c) => c.key).map((c) => c.name);

/** The rollup's output columns besides the event count `n`, in order. */
export const ROLLUP_COLUMNS: readonly string[] = rollupColumns('duckdb').map((c) => c.name);

/** Step 1, per record over `e`: its time `t`, whether it is a detail row, and the dialect's own precomputation. */
export function rollupRecordColumns(d: Dialect): string {
  return [`${SPELLING[d].eventTime} AS t`, `${DETAIL_PREDICATE} AS is_detail`, ...SPELLING[d].perRecord].join(',\n      ');
}

/** Step 2, per record: the grouping keys, `t`, `is_detail` and the two bodies detail rows keep. */
export function rollupKeyColumns(d: Dialect): string {
  return [
    ...rollupColumns(d).filter((c) => c.key).map((c) => `${c.expr} AS ${c.name}`),
    't', 'is_detail', 'e.requestparameters AS request_json', 'coalesce(e.responseelements, e.additionaleventdata) AS response_json',
  ].join(',\n      ');
}

/** Step 3, grouped by ROLLUP_KEYS: the aggregates and the keys, in ROLLUP_COLUMNS order. */
export function rollupAggregates(d: Dialect): string {
  return rollupColumns(d).map((c) => (c.key ? c.name : `${c.expr} AS ${c.name}`)).join(', ');
}
