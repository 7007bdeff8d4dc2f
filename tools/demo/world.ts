/**
 * The fictional org: accounts, IAM users/roles/groups/policies, access key ids and the timeline
 * of planted events. Everything is derived from `asOf`, so the whole demo shifts with it. Ids are
 * derived from names (not from the seed), so the contract in planted.ts is the same for any seed.
 */
import { accessKeyId, uniqueId } from './rand.js';
import { DAY, HOUR, MINUTE, SECOND } from './time.js';

export const ORG_ID = 'o-exa1mple42';
/** Production: organization trail (management account of the org), us-east-1 + eu-west-1. */
export const PROD = '210987654321';
/** Development: not in the organization, no trail; exported with LookupEvents (us-east-1). */
export const DEV = '345678901234';
/** A partner's account trusted by `partner-access` without an external id. */
export const PARTNER = '999988887777';
/** An audit vendor's account trusted by `vendor-audit` with an external id. */
export const VENDOR = '111122223333';

export const PROD_REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const DEV_REGIONS = ['us-east-1'] as const;

/** Long-term access key ids (AKIA…), stable for every seed. */
export const KEYS = {
  alice: accessKeyId('ALICE'),
  jane: accessKeyId('JANE'),
  dave: accessKeyId('DAVE'),
  ciDeployer: accessKeyId('CIDEPLOY'),
  svcSupportAgent: accessKeyId('SUPPORTAGT'),
  etlLegacy: accessKeyId('ETLLEGACY'),
  opsBotUsed: accessKeyId('OPSBOTA'),
  opsBotUnused: accessKeyId('OPSBOTB'),
  rotatedOld: accessKeyId('ROTATEDOLD'),
  rotatedNew: accessKeyId('ROTATEDNEW'),
  dataPipeline: accessKeyId('DATAPIPE'),
  leakedBot: accessKeyId('LEAKEDBOT'),
  gptNightly: accessKeyId('GPTNIGHTLY'),
} as const;

/** Long-term Amazon Bedrock API keys: IAM service-specific credential ids (ACCA…), never secrets. */
export const BEDROCK_API_KEYS = {
  gptNightly: 'ACCAGPTNIGHTLYBEDRK1',
  gptNightlyRetired: 'ACCAGPTNIGHTLYOLDK01',
} as const;

export type PolicyDocument = { Version: string; Statement: Record<string, unknown>[] };

export function doc(...statements: Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** An access key as IAM knows it, plus when it was last used outside the CloudTrail window. */
export interface KeyDef {
  id: string;
  created: number;
  status: 'Active' | 'Inactive';
  /** Last use known to IAM from before the window (used when CloudTrail shows none). */
  lastUsedBefore?: { at: number; region: string; service: string };
}

export interface UserDef {
  account: string;
  name: string;
  path: string;
  created: number;
  groups: string[];
  managed: string[];
  inline: { name: string; doc: PolicyDocument }[];
  tags: Record<string, string>;
  boundary?: string;
  password?: { changed: number; mfa: boolean };
  keys: KeyDef[];
  /** Long-term Bedrock API keys (service-specific credentials for bedrock.amazonaws.com); expires null = never. */
  bedrockKeys?: { id: string; alias: string; created: number; expires: number | null; status: 'Active' | 'Inactive' }[];
}

export interface RoleDef {
  account: string;
  name: string;
  path: string;
  created: number;
  trust: PolicyDocument;
  managed: string[];
  inline: { name: string; doc: PolicyDocument }[];
  tags: Record<string, string>;
  boundary?: string;
  instanceProfile?: string;
  maxSession?: number;
  description?: string;
}

export interface GroupDef {
  account: string;
  name: string;
  path: string;
  created: number;
  managed: string[];
  inline: { name: string; doc: PolicyDocument }[];
}

export interface ManagedPolicyDef {
  /** Account for customer-managed policies; `aws` for AWS managed ones. */
  owner: string;
  name: string;
  path: string;
  created: number;
  versions: { id: string; created: number; doc: PolicyDocument }[];
  defaultVersion: string;
  description?: string;
}

export function userArn(account: string, name: string, path = '/'): string {
  return `arn:aws:iam::${account}:user${path}${name}`;
}
export function roleArn(account: string, name: string, path = '/'): string {
  return `arn:aws:iam::${account}:role${path}${name}`;
}
export function awsPolicyArn(name: string, path = '/'): string {
  return `arn:aws:iam::aws:policy${path}${name}`;
}

export const ADMIN = awsPolicyArn('AdministratorAccess');
export const READ_ONLY = awsPolicyArn('ReadOnlyAccess');
export const SECURITY_AUDIT = awsPolicyArn('SecurityAudit');
export const S3_READ_ONLY = awsPolicyArn('AmazonS3ReadOnlyAccess');
export const QUARANTINE = awsPolicyArn('AWSCompromisedKeyQuarantineV3');
export const LAMBDA_BASIC = awsPolicyArn('AWSLambdaBasicExecutionRole', '/service-role/');
export const SUPPORT_SLR_POLICY = awsPolicyArn('AWSSupportServiceRolePolicy', '/aws-service-role/');
export const ORGS_SLR_POLICY = awsPolicyArn('AWSOrganizationsServiceTrustPolicy', '/aws-service-role/');
export const ECS_SLR_POLICY = awsPolicyArn('AmazonECSServiceRolePolicy', '/aws-service-role/');

export const SSO_ROLE = 'AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789';
export const SSO_PATH = '/aws-reserved/sso.amazonaws.com/';
export const SAML_PROVIDER = `arn:aws:iam::${PROD}:saml-provider/AWSSSO_3f1c2b7a9d4e6f80_DO_NOT_DELETE`;
export const GITHUB_OIDC = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
export const AGENTCORE_ROLE = 'AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c';
export const AGENTCORE_POLICY = 'BedrockAgentCoreRuntimeExecutionPolicy-support_agent';
export const FIGMA_MODEL = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
export const FIGMA_MODEL_ARN = `arn:aws:bedrock:eu-west-1::foundation-model/${FIGMA_MODEL}`;
export const FIGMA_INSTANCE = 'i-0f3c2a9b8d7e6f501';
export const VENDOR_EXTERNAL_ID = 'vnd-audit-5c2e91d0';

/** The planted timeline, as absolute instants derived from as-of. */
export interface Timeline {
  asOf: number;
  /** First instant covered by CloudTrail (as-of minus `days`). */
  start: number;
  days: number;
  daveCreatesSupportAgent: number;
  daveCreatesAgentCoreRole: number;
  daveOffboarded: number;
  ciConsoleLogin: number;
  truffleHog: number;
  forkRuns: number[];
  reportAgentEscalation: number;
  rotation: number;
  quarantined: number;
}

export function timeline(asOf: number, days: number): Timeline {
  const start = asOf - days * DAY;
  // Offsets are from the window start, clamped into the window for short windows.
  const at = (dayOffset: number, h: number, m: number, s = 0): number =>
    Math.min(start + Math.min(dayOffset, days - 1) * DAY + h * HOUR + m * MINUTE + s * SECOND, asOf - MINUTE);
  return {
    asOf,
    start,
    days,
    daveCreatesSupportAgent: at(0, 10, 5, 12),
    daveCreatesAgentCoreRole: at(0, 15, 20, 31),
    daveOffboarded: at(10, 10, 15, 4),
    ciConsoleLogin: at(13, 14, 5, 37),
    truffleHog: at(18, 3, 12, 44),
    forkRuns: [at(14, 22, 41, 9), at(17, 2, 13, 50)],
    reportAgentEscalation: at(19, 2, 10, 0),
    rotation: asOf - DAY + 9 * HOUR + 12 * MINUTE,
    quarantined: asOf - 35 * DAY + 16 * HOUR + 3 * MINUTE,
  };
}

/** The whole IAM state at as-of (what the exports show). */
export interface IamModel {
  users: UserDef[];
  roles: RoleDef[];
  groups: GroupDef[];
  policies: ManagedPolicyDef[];
  /** Users that existed during the window but were deleted before as-of (CloudTrail only). */
  deletedUsers: { account: string; name: string; id: string; key: string }[];
}

const ago = (asOf: number, days: number, hour = 9, minute = 30): number => {
  const d = Math.floor((asOf - days * DAY) / DAY) * DAY;
  return d + hour * HOUR + minute * MINUTE + ((days * 7919) % 59) * SECOND;
};

/** The IAM state of both accounts at as-of. */
export function iamModel(t: Timeline): IamModel {
  const a = t.asOf;
  const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

  const policies: ManagedPolicyDef[] = [
    awsManaged('AdministratorAccess', '/', allowAll, 'Provides full access to AWS services and resources.'),
    awsManaged('ReadOnlyAccess', '/', doc({
      Effect: 'Allow',
      Action: ['cloudformation:Describe*', 'cloudformation:Get*', 'cloudformation:List*', 'cloudtrail:Describe*', 'cloudtrail:Get*',
        'cloudtrail:LookupEvents', 'cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*', 'dynamodb:Describe*', 'dynamodb:List*',
        'ec2:Describe*', 'ec2:Get*', 'ecr:Describe*', 'ecr:List*', 'iam:Generate*', 'iam:Get*', 'iam:List*', 'kms:Describe*', 'kms:List*',
        'lambda:Get*', 'lambda:List*', 'logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents', 's3:Get*', 's3:List*', 'sts:GetCallerIdentity'],
      Resource: '*',
    }), 'Provides read-only access to AWS services and resources.'),
    awsManaged('SecurityAudit', '/', doc({
      Effect: 'Allow',
      Action: ['access-analyzer:List*', 'cloudtrail:Describe*', 'cloudtrail:Get*', 'config:Describe*', 'config:Get*', 'ec2:Describe*',
        'iam:GenerateCredentialReport', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'kms:Describe*', 'kms:List*', 's3:GetBucket*',
        's3:ListAllMyBuckets'],
      Resource: '*',
    }), 'The security audit template grants access to read security configuration metadata.'),
    awsManaged('AmazonS3ReadOnlyAccess', '/', doc({
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
      Resource: '*',
    }), 'Provides read only access to all buckets via the AWS Management Console.'),
    awsManaged('AWSCompromisedKeyQuarantineV3', '/', doc({
      Effect: 'Deny',
      Action: ['bedrock:CreateModelInvocationJob', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:PutUseCaseForModelAccess',
        'cloudtrail:LookupEvents', 'ec2:RequestSpotInstances', 'ec2:RunInstances', 'ec2:StartInstances', 'iam:AddUserToGroup',
        'iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:ChangePassword', 'iam:CreateAccessKey',
        'iam:CreateInstanceProfile', 'iam:CreateLoginProfile', 'iam:CreatePolicyVersion', 'iam:CreateRole', 'iam:CreateUser',
        'iam:DetachUserPolicy', 'iam:PassRole', 'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:PutUserPermissionsBoundary',
        'iam:PutUserPolicy', 'iam:SetDefaultPolicyVersion', 'iam:UpdateAccessKey', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateLoginProfile',
        'iam:UpdateUser', 'lambda:AddPermission', 'lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lightsail:*',
        'organizations:CreateAccount', 'organizations:InviteAccountToOrganization', 's3:DeleteBucket', 's3:DeleteObject',
        's3:DeleteObjectVersion', 's3:ListAllMyBuckets', 's3:PutBucketAcl', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration'],
      Resource: ['*'],
    }), 'Denies access to certain actions, applied by the AWS team in the event that an IAM user\'s credentials have been compromised or exposed publicly. Do NOT remove this policy. Instead, please follow the instructions specified in the support case created for you regarding this event.'),
    awsManaged('AWSLambdaBasicExecutionRole', '/service-role/', doc({
      Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*',
    }), 'Provides write permissions to CloudWatch Logs.'),
    awsManaged('AWSSupportServiceRolePolicy', '/aws-service-role/', doc({
      Sid: 'AWSSupportPolicy',
      Effect: 'Allow',
      Action: ['cloudformation:DescribeStacks', 'ec2:DescribeInstances', 'ec2:DescribeVolumes', 'iam:GetAccountSummary', 'iam:ListRoles',
        'iam:ListUsers', 'lambda:ListFunctions', 'rds:DescribeDBInstances', 's3:GetBucketLocation', 's3:ListAllMyBuckets'],
      Resource: '*',
    }), 'Enables resource access for AWS to provide billing, administrative and support services'),
    awsManaged('AWSOrganizationsServiceTrustPolicy', '/aws-service-role/', doc(
      { Sid: 'AllowDeletionOfServiceLinkedRoleForOrganizations', Effect: 'Allow', Action: ['iam:DeleteRole'], Resource: ['arn:aws:iam::*:role/aws-service-role/organizations.amazonaws.com/*'] },
      { Sid: 'AllowCreationOfServiceLinkedRoles', Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'], Resource: '*' },
    ), 'Policy used by AWS Organizations to create and delete the service-linked role.'),
    awsManaged('AmazonECSServiceRolePolicy', '/aws-service-role/', doc({
      Sid: 'ECSTaskManagement', Effect: 'Allow',
      Action: ['ec2:AttachNetworkInterface', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:Describe*',
        'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: '*',
    }), 'Policy to enable Amazon ECS to manage your cluster.'),
    {
      owner: PROD, name: 'ci-deploy', path: '/', created: ago(a, 60, 11, 2), defaultVersion: 'v2',
      description: 'GitHub Actions deploy user: CloudFormation, artifacts, ECR push, Lambda code',
      versions: [
        { id: 'v1', created: ago(a, 60, 11, 2), doc: doc({ Effect: 'Allow', Action: ['cloudformation:*', 's3:*', 'ecr:*', 'lambda:*'], Resource: '*' }) },
        {
          id: 'v2', created: ago(a, 41, 15, 48), doc: doc(
            { Sid: 'Stacks', Effect: 'Allow', Action: ['cloudformation:*'], Resource: `arn:aws:cloudformation:*:${PROD}:stack/web-*/*` },
            { Sid: 'StackReads', Effect: 'Allow', Action: ['cloudformation:DescribeStacks', 'cloudformation:ListStacks', 'cloudformation:ValidateTemplate'], Resource: '*' },
            { Sid: 'Artifacts', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::example-deploy-artifacts', 'arn:aws:s3:::example-deploy-artifacts/*'] },
            { Sid: 'EcrAuth', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Sid: 'EcrPush', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'], Resource: `arn:aws:ecr:*:${PROD}:repository/web` },
            { Sid: 'LambdaCode', Effect: 'Allow', Action: ['lambda:UpdateFunctionCode', 'lambda:GetFunction', 'lambda:ListVersionsByFunction'], Resource: `arn:aws:lambda:*:${PROD}:function:web-*` },
            { Sid: 'TerraformReads', Effect: 'Allow', Action: ['ec2:Describe*', 'iam:GetRole', 'iam:ListRolePolicies', 'lambda:ListFunctions', 's3:GetBucket*'], Resource: '*' },
          ),
        },
      ],
    },
    {
      owner: PROD, name: 'agent-boundary', path: '/boundaries/', created: ago(a, 150, 14, 0), defaultVersion: 'v1',
      description: 'Permissions boundary for registered AI agents',
      versions: [{
        id: 'v1', created: ago(a, 150, 14, 0), doc: doc(
          { Sid: 'AgentScope', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'logs:*', 'lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'iam:PassRole'], Resource: '*' },
          { Sid: 'NoIdentityChanges', Effect: 'Deny', Action: ['iam:Create*', 'iam:Put*', 'iam:Attach*', 'iam:Update*', 'organizations:*'], Resource: '*' },
        ),
      }],
    },
    {
      owner: DEV, name: 'etl-s3-rw', path: '/', created: ago(a, 430, 13, 20), defaultVersion: 'v1',
      description: 'Legacy ETL bucket access',
      versions: [{
        id: 'v1', created: ago(a, 430, 13, 20), doc: doc({
          Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::example-dev-etl', 'arn:aws:s3:::example-dev-etl/*'],
        }),
      }],
    },
  ];

  const groups: GroupDef[] = [
    { account: PROD, name: 'Admins', path: '/', created: ago(a, 700, 10, 0), managed: [ADMIN], inline: [] },
    {
      account: PROD, name: 'Developers', path: '/', created: ago(a, 690, 10, 5), managed: [READ_ONLY],
      inline: [{ name: 'bedrock-invoke', doc: doc({ Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Converse', 'bedrock:ConverseStream'], Resource: '*' }) }],
    },
  ];

  const users: UserDef[] = [
    // --- prod ---
    {
      account: PROD, name: 'alice', path: '/', created: ago(a, 610, 8, 44), groups: ['Admins'], managed: [], inline: [], tags: {},
      password: { changed: ago(a, 75, 8, 50), mfa: true },
      keys: [{ id: KEYS.alice, created: ago(a, 45, 9, 12), status: 'Active' }],
    },
    {
      account: PROD, name: 'jane', path: '/', created: ago(a, 420, 9, 3), groups: ['Developers'], managed: [], inline: [], tags: { team: 'ml-platform' },
      password: { changed: ago(a, 88, 9, 15), mfa: true },
      keys: [{ id: KEYS.jane, created: ago(a, 80, 17, 41), status: 'Active' }],
    },
    {
      account: PROD, name: 'ci-deployer', path: '/ci/', created: ago(a, 62, 10, 58), groups: [], managed: [`arn:aws:iam::${PROD}:policy/ci-deploy`], inline: [],
      tags: { owner: 'platform-team@example.com', purpose: 'github-actions-deploy' },
      keys: [{ id: KEYS.ciDeployer, created: ago(a, 60, 11, 3), status: 'Active' }],
    },
    {
      account: PROD, name: 'svc-support-agent', path: '/', created: t.daveCreatesSupportAgent, groups: [], managed: [ADMIN], inline: [], tags: {},
      keys: [{ id: KEYS.svcSupportAgent, created: t.daveCreatesSupportAgent + 51 * SECOND, status: 'Active' }],
    },
    // --- dev ---
    {
      account: DEV, name: 'etl-legacy', path: '/', created: ago(a, 421, 13, 25), groups: [], managed: [`arn:aws:iam::${DEV}:policy/etl-s3-rw`], inline: [], tags: {},
      keys: [{ id: KEYS.etlLegacy, created: ago(a, 420, 13, 31), status: 'Active', lastUsedBefore: { at: ago(a, 130, 2, 17), region: 'us-east-1', service: 's3' } }],
    },
    {
      account: DEV, name: 'ops-bot', path: '/', created: ago(a, 380, 7, 10), groups: [], managed: [], tags: {},
      inline: [{ name: 'ops-snapshots', doc: doc({ Effect: 'Allow', Action: ['ec2:CreateSnapshot', 'ec2:DeleteSnapshot', 'ec2:CreateTags', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes', 'ec2:DescribeInstances', 'ssm:SendCommand', 'ssm:GetCommandInvocation'], Resource: '*' }) }],
      keys: [
        { id: KEYS.opsBotUsed, created: ago(a, 34, 7, 15), status: 'Active' },
        { id: KEYS.opsBotUnused, created: ago(a, 200, 16, 40), status: 'Active' },
      ],
    },
    {
      account: DEV, name: 'rotated-svc', path: '/', created: ago(a, 400, 12, 0), groups: [], managed: [], tags: { owner: 'payments-team@example.com' },
      inline: [{
        name: 'payments-config', doc: doc(
          { Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParametersByPath'], Resource: `arn:aws:ssm:us-east-1:${DEV}:parameter/payments/*` },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:${DEV}:key/4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f` },
          { Sid: 'SelfRotation', Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys'], Resource: `arn:aws:iam::${DEV}:user/\${aws:username}` },
        ),
      }],
      keys: [{ id: KEYS.rotatedNew, created: t.rotation, status: 'Active' }],
    },
    {
      account: DEV, name: 'data-pipeline-bot', path: '/', created: ago(a, 300, 15, 30), groups: [], managed: [], tags: { owner: 'data-eng@example.com' },
      inline: [{
        name: 'data-pipeline', doc: doc(
          { Effect: 'Allow', Action: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartitions', 'glue:GetDatabase', 'athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'], Resource: '*' },
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:ListAllMyBuckets'], Resource: ['arn:aws:s3:::example-dev-lake', 'arn:aws:s3:::example-dev-lake/*', '*'] },
        ),
      }],
      keys: [{ id: KEYS.dataPipeline, created: ago(a, 70, 15, 33), status: 'Active' }],
    },
    {
      account: DEV, name: 'leaked-bot', path: '/', created: ago(a, 250, 10, 10), groups: [], managed: [S3_READ_ONLY, QUARANTINE], inline: [], tags: {},
      keys: [{ id: KEYS.leakedBot, created: ago(a, 84, 10, 12), status: 'Active' }],
    },
    {
      account: DEV, name: 'gpt-nightly', path: '/', created: ago(a, 95, 21, 40), groups: [], managed: [], tags: {},
      inline: [{ name: 'nightly-ops', doc: doc({ Sid: 'EverythingButIdentity', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }) }],
      keys: [{ id: KEYS.gptNightly, created: ago(a, 58, 22, 5), status: 'Active' }],
      // Someone tried Bedrock API keys for the nightly job: a first key (1-year expiry) later deactivated, and a
      // never-expiring one that nothing uses (the job still signs with the access key).
      bedrockKeys: [
        { id: BEDROCK_API_KEYS.gptNightlyRetired, alias: 'nightly-first-try', created: ago(a, 93, 22, 10), expires: ago(a, 93 - 365, 22, 10), status: 'Inactive' },
        { id: BEDROCK_API_KEYS.gptNightly, alias: 'claude-code-nightly', created: ago(a, 57, 23, 2), expires: null, status: 'Active' },
      ],
    },
  ];

  const lambdaTrust = svcTrust('lambda.amazonaws.com');
  const codebuildTrust = svcTrust('codebuild.amazonaws.com');
  const roles: RoleDef[] = [
    // --- prod ---
    {
      account: PROD, name: SSO_ROLE, path: SSO_PATH, created: ago(a, 500, 12, 0), managed: [ADMIN], inline: [], tags: {}, maxSession: 43200,
      trust: doc({
        Effect: 'Allow', Principal: { Federated: SAML_PROVIDER }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      }),
    },
    {
      account: PROD, name: 'github-actions-deploy', path: '/', created: ago(a, 240, 16, 20), managed: [], tags: { owner: 'platform-team@example.com' },
      trust: doc({
        Effect: 'Allow', Principal: { Federated: GITHUB_OIDC }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example/*' } },
      }),
      inline: [{
        name: 'deploy-site', doc: doc(
          { Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::example-web-site', 'arn:aws:s3:::example-web-site/*'] },
          { Effect: 'Allow', Action: 'cloudfront:CreateInvalidation', Resource: `arn:aws:cloudfront::${PROD}:distribution/E2EXAMPLE7QH3K` },
          { Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Resource: `arn:aws:ecs:us-east-1:${PROD}:service/web/*` },
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:ListSecrets'], Resource: '*' },
        ),
      }],
    },
    {
      account: PROD, name: 'orders-processor', path: '/service-role/', created: ago(a, 330, 14, 12), managed: [LAMBDA_BASIC], tags: { owner: 'orders-team@example.com' },
      trust: lambdaTrust,
      inline: [{ name: 'orders-table', doc: doc({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:us-east-1:${PROD}:table/orders` }) }],
    },
    {
      account: PROD, name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/', created: ago(a, 720, 9, 0), managed: [SUPPORT_SLR_POLICY], inline: [], tags: {},
      trust: svcTrust('support.amazonaws.com'), description: 'Enables resource access for AWS to provide billing, administrative and support services',
    },
    {
      account: PROD, name: 'AWSServiceRoleForOrganizations', path: '/aws-service-role/organizations.amazonaws.com/', created: ago(a, 715, 9, 0), managed: [ORGS_SLR_POLICY], inline: [], tags: {},
      trust: svcTrust('organizations.amazonaws.com'), description: 'Service-linked role used by AWS Organizations to enable integration of other AWS services with Organizations.',
    },
    {
      account: PROD, name: 'break-glass-admin', path: '/', created: ago(a, 400, 16, 0), managed: [ADMIN], inline: [], tags: { owner: 'security@example.com', purpose: 'break-glass' }, maxSession: 3600,
      trust: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
      description: 'Emergency administrator access; use requires MFA and a ticket',
    },
    {
      account: PROD, name: 'build-runner', path: '/', created: ago(a, 200, 13, 0), managed: [], tags: { owner: 'platform-team@example.com' },
      trust: codebuildTrust,
      inline: [{
        name: 'build-runner-permissions', doc: doc(
          { Sid: 'PassAnyRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
          { Sid: 'Functions', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionCode', 'lambda:GetFunction'], Resource: '*' },
          { Sid: 'Artifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::example-build-artifacts/*' },
          { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
        ),
      }],
    },
    {
      account: PROD, name: 'scoped-deployer', path: '/', created: ago(a, 190, 13, 30), managed: [], tags: { owner: 'orders-team@example.com' },
      trust: codebuildTrust, boundary: `arn:aws:iam::${PROD}:policy/boundaries/agent-boundary`,
      inline: [{
        name: 'scoped-deploy', doc: doc(
          {
            Sid: 'PassOnlyOrdersRoleToLambda', Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn(PROD, 'orders-processor', '/service-role/'),
            Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
          },
          { Sid: 'OrdersFunctions', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:GetFunction'], Resource: `arn:aws:lambda:us-east-1:${PROD}:function:orders-*` },
          { Sid: 'Artifacts', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-build-artifacts/orders/*' },
        ),
      }],
    },
    {
      account: PROD, name: 'partner-access', path: '/', created: ago(a, 260, 11, 45), managed: [], tags: { owner: 'partnerships@example.com' },
      trust: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 'sts:AssumeRole' }),
      inline: [{ name: 'partner-share-read', doc: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::example-partner-share', 'arn:aws:s3:::example-partner-share/*'] }) }],
    },
    {
      account: PROD, name: 'vendor-audit', path: '/', created: ago(a, 210, 10, 20), managed: [SECURITY_AUDIT], inline: [], tags: { owner: 'security@example.com' },
      trust: doc({
        Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${VENDOR}:root` }, Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': VENDOR_EXTERNAL_ID } },
      }),
    },
    {
      account: PROD, name: AGENTCORE_ROLE, path: '/', created: t.daveCreatesAgentCoreRole, managed: [], tags: {},
      description: 'Execution role for BedrockAgentCore Runtime - support_agent',
      trust: doc({
        Sid: 'AssumeRolePolicy', Effect: 'Allow', Principal: { Service: 'bedrock-agentcore.amazonaws.com' }, Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': PROD }, ArnLike: { 'aws:SourceArn': `arn:aws:bedrock-agentcore:us-east-1:${PROD}:*` } },
      }),
      inline: [{
        name: AGENTCORE_POLICY, doc: doc(
          { Sid: 'BedrockModelInvocation', Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Retrieve'], Resource: '*' },
          { Sid: 'AgentMemory', Effect: 'Allow', Action: ['bedrock-agentcore:CreateEvent', 'bedrock-agentcore:ListEvents', 'bedrock-agentcore:RetrieveMemoryRecords'], Resource: `arn:aws:bedrock-agentcore:us-east-1:${PROD}:memory/*` },
          { Sid: 'Storage', Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Sid: 'Secrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
          { Sid: 'Email', Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' },
          { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${PROD}:log-group:/aws/bedrock-agentcore/runtimes/*` },
        ),
      }],
    },
    {
      account: PROD, name: 'figma-sync-agent', path: '/', created: ago(a, 120, 10, 30), managed: [],
      tags: { owner: 'mia@example.com', 'agent-registry-id': 'agt-figma-sync-01', purpose: 'ai-agent' },
      trust: svcTrust('ec2.amazonaws.com'), boundary: `arn:aws:iam::${PROD}:policy/boundaries/agent-boundary`, instanceProfile: 'figma-sync-agent',
      inline: [{
        name: 'figma-sync', doc: doc(
          { Sid: 'Exports', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-figma-exports/*' },
          { Sid: 'OneModel', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: FIGMA_MODEL_ARN },
        ),
      }],
    },
    // --- dev ---
    {
      account: DEV, name: 'report-agent', path: '/', created: ago(a, 64, 14, 50), managed: [], tags: { owner: 'nick@example.com' },
      trust: svcTrust('ecs-tasks.amazonaws.com'),
      inline: [
        {
          name: 'report-agent-runtime', doc: doc(
            { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: '*' },
            { Effect: 'Allow', Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'glue:GetTable', 'glue:GetPartitions'], Resource: '*' },
            { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::example-dev-reports', 'arn:aws:s3:::example-dev-reports/*'] },
            { Sid: 'ToolSelfService', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: roleArn(DEV, 'report-agent') },
          ),
        },
        // Written by the agent itself at run time (see the PutRolePolicy event in CloudTrail).
        { name: 'report-agent-self-grant', doc: doc({ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:AttachUserPolicy', 'iam:ListUsers'], Resource: '*' }) },
      ],
    },
    {
      account: DEV, name: 'AWSServiceRoleForECS', path: '/aws-service-role/ecs.amazonaws.com/', created: ago(a, 300, 9, 40), managed: [ECS_SLR_POLICY], inline: [], tags: {},
      trust: svcTrust('ecs.amazonaws.com'), description: 'Role to enable Amazon ECS to manage your cluster.',
    },
  ];

  return {
    users,
    roles,
    groups,
    policies,
    deletedUsers: [{ account: PROD, name: 'dave', id: uniqueId('AIDA', `${PROD}/dave`), key: KEYS.dave }],
  };
}

function svcTrust(service: string): PolicyDocument {
  return doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
}

function awsManaged(name: string, path: string, d: PolicyDocument, description: string): ManagedPolicyDef {
  // AWS managed policies: fixed old dates, one default version (v1 is enough for the demo).
  const created = Date.UTC(2015, 1, 6, 18, 39, 46);
  return { owner: 'aws', name, path, created, versions: [{ id: 'v1', created, doc: d }], defaultVersion: 'v1', description };
}

/** ARN of a managed policy definition. */
export function policyArn(p: ManagedPolicyDef): string {
  return p.owner === 'aws' ? awsPolicyArn(p.name, p.path) : `arn:aws:iam::${p.owner}:policy${p.path}${p.name}`;
}

/** The unique id of an IAM user/role/group, stable for account + name. */
export function principalId(kind: 'user' | 'role' | 'group', account: string, name: string): string {
  return uniqueId(kind === 'user' ? 'AIDA' : kind === 'role' ? 'AROA' : 'AGPA', `${account}/${name}`);
}

/**
 * The people roster at as-of (`people.txt`, scanned with `--people`): everyone who works here, plus the team
 * aliases that own identities. dave (offboarded on day 10) and nick (report-agent's owner, gone) are not on it.
 */
export const PEOPLE: readonly string[] = [
  'alice@example.com', 'bob@example.com', 'carol@example.com', 'jane@example.com', 'mia@example.com',
  'data-eng@example.com', 'orders-team@example.com', 'partnerships@example.com', 'payments-team@example.com',
  'platform-team@example.com', 'security@example.com',
];

/**
 * Leak reports the demo ships for `scan --leaks` (access key ids only, like the real tools' AWS key-id
 * findings): gitleaks found etl-legacy's key in an old commit of example/etl-jobs; GitHub secret scanning
 * raised an alert for data-pipeline-bot's key in a notebook of example/data-notebooks on day 12.
 */
export function leakReports(t: Timeline): { gitleaks: unknown[]; githubAlerts: unknown[] } {
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {
    gitleaks: [{
      Description: 'AWS Access Key ID', StartLine: 14, EndLine: 14, StartColumn: 21, EndColumn: 40,
      Match: `aws_access_key_id = ${KEYS.etlLegacy}`, Secret: KEYS.etlLegacy, File: 'etl/config.ini', SymlinkFile: '',
      Commit: '7c1f04be9a3d', Link: 'https://github.com/example/etl-jobs/blob/7c1f04be/etl/config.ini#L14',
      Entropy: 3.68, Author: 'etl maintainer', Email: 'etl@example.com', Date: iso(t.asOf - 390 * DAY), Message: 'temporary config for the nightly load',
      Tags: [], RuleID: 'aws-access-token', Fingerprint: '7c1f04be9a3d:etl/config.ini:aws-access-token:14',
    }],
    githubAlerts: [{
      number: 3, created_at: iso(t.start + 12 * DAY + 9 * HOUR + 41 * MINUTE), updated_at: iso(t.start + 12 * DAY + 9 * HOUR + 41 * MINUTE),
      url: 'https://api.github.com/repos/example/data-notebooks/secret-scanning/alerts/3',
      html_url: 'https://github.com/example/data-notebooks/security/secret-scanning/3', state: 'open', resolution: null,
      secret_type: 'aws_access_key_id', secret_type_display_name: 'AWS Access Key ID', secret: KEYS.dataPipeline, validity: 'active',
      publicly_leaked: false, multi_repo: false, repository: { full_name: 'example/data-notebooks' },
      first_location_detected: { path: 'notebooks/explore-lake.ipynb', start_line: 88, end_line: 88, commit_sha: '0d9e8f7a6b5c' },
    }],
  };
}
