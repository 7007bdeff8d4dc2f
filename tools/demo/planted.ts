/**
 * The demo org's contract: every planted identity, what it is, and which finding categories a
 * correct scan of `fixtures/demo` must raise for it (`expect`) or must not raise (`mustNot`).
 * Categories not listed either way are left to the detectors' judgement. Other suites import this
 * instead of hard-coding names, so the README table and the tests cannot drift apart.
 */
import { AGENTCORE_ROLE, BEDROCK_API_KEYS, DEV, GITHUB_OIDC, KEYS, PROD, roleArn, SSO_PATH, SSO_ROLE, userArn } from './world.js';

/** Finding categories (the fixed vocabulary in src/kernel/types.ts, issue "The spine"). */
export type DemoCategory =
  | 'static-key-automation' | 'human-key-automation' | 'static-key-in-ci' | 'overbroad' | 'privilege-escalation'
  | 'runtime-escalation' | 'exfiltration-capable' | 'ownerless' | 'stale' | 'long-lived-credential' | 'shared-credential'
  | 'human-use-of-nhi' | 'trust-too-broad' | 'leaked-credential' | 'unregistered' | 'llm-abuse';

export type DemoClassification = 'human' | 'workload' | 'agent' | 'aws-service' | 'unknown';

export interface PlantedIdentity {
  name: string;
  account: string;
  kind: 'iam-user' | 'iam-role' | 'sso-role' | 'service-linked-role' | 'deleted-iam-user' | 'oidc-subject';
  arn: string;
  /** Long-term access key ids (AKIA…) the identity has or had. */
  keys: string[];
  /** Long-term Bedrock API keys (service-specific credential ids, ACCA…) of the user; findings on them count as the identity's. */
  bedrockApiKeys?: string[];
  /** Expected classification; `alsoOk` lists acceptable alternatives. Its keys are expected to be classified the same … */
  classification: DemoClassification;
  alsoOk?: DemoClassification[];
  /** … unless listed here (a person's key driven by an agent is an agent key). */
  keyClassification?: Readonly<Record<string, DemoClassification>>;
  /** Declared owner (tag `owner`), or null. */
  owner: string | null;
  /** In the IAM export (false for deleted users and OIDC subjects). */
  inIam: boolean;
  story: string;
  expect: DemoCategory[];
  mustNot: DemoCategory[];
  note?: string;
}

/** Every category: "must not raise anything" lists use it. */
export const ALL_CATEGORIES: readonly DemoCategory[] = [
  'static-key-automation', 'human-key-automation', 'static-key-in-ci', 'overbroad', 'privilege-escalation', 'runtime-escalation',
  'exfiltration-capable', 'ownerless', 'stale', 'long-lived-credential', 'shared-credential', 'human-use-of-nhi', 'trust-too-broad',
  'leaked-credential', 'unregistered', 'llm-abuse',
];

const NONE = ALL_CATEGORIES;

export const PLANTED: readonly PlantedIdentity[] = [
  // ---------------------------------------------------------------- prod 210987654321 (org trail)
  {
    name: 'alice', account: PROD, kind: 'iam-user', arn: userArn(PROD, 'alice'), keys: [KEYS.alice], classification: 'human', owner: null, inIam: true,
    story: 'Admin via group Admins (AdministratorAccess). Console password + MFA, ConsoleLogin on weekdays ~08:00 UTC; console calls (browser, AWS Internal, S3Console UAs) and aws-cli v2 (`md/command#s3.ls` …) with her 45-day-old key, weekdays 08-17 UTC only, from the office IP 198.51.100.23. Offboards dave; creates and deletes a login profile for ci-deployer.',
    expect: [],
    mustNot: ['overbroad', 'human-key-automation', 'static-key-automation', 'ownerless', 'stale', 'long-lived-credential', 'human-use-of-nhi', 'unregistered'],
    note: 'A human admin: never an overbroad *NHI* finding.',
  },
  {
    name: SSO_ROLE, account: PROD, kind: 'sso-role', arn: roleArn(PROD, SSO_ROLE, SSO_PATH), keys: [], classification: 'human', owner: null, inIam: true,
    story: 'IAM Identity Center permission set role (path /aws-reserved/sso.amazonaws.com/), trusted by a SAML provider. AssumeRoleWithSAML (SAMLUser) then console sessions bob@example.com (weekdays 08-17 UTC) and carol@example.com (13-21 UTC) with browser UAs.',
    expect: [],
    mustNot: ['overbroad', 'trust-too-broad', 'ownerless', 'stale', 'unregistered', 'static-key-automation'],
  },
  {
    name: 'jane', account: PROD, kind: 'iam-user', arn: userArn(PROD, 'jane'), keys: [KEYS.jane], classification: 'human', keyClassification: { [KEYS.jane]: 'agent' }, owner: null, inIam: true,
    story: 'Developer (group Developers: ReadOnlyAccess + Bedrock invoke). Console password + MFA, weekday sign-ins from the office. Her personal key is ALSO used every 15 minutes, round the clock, by a boto3 LangChain agent (`x-client-framework:langchain-aws`) calling bedrock InvokeModel from a home server (81.174.203.19).',
    expect: ['human-key-automation'],
    mustNot: ['human-use-of-nhi', 'long-lived-credential', 'overbroad'],
    note: 'Key is 80 days old: below a 90-day long-lived threshold.',
  },
  {
    name: 'dave', account: PROD, kind: 'deleted-iam-user', arn: userArn(PROD, 'dave'), keys: [KEYS.dave], classification: 'human', owner: null, inIam: false,
    story: 'Left the company: not in the IAM export. CloudTrail shows him (day 0) CreateUser svc-support-agent + AttachUserPolicy AdministratorAccess + CreateAccessKey, and (via the AgentCore starter toolkit, UA `agentcore-st/0.1.12`) CreateRole AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c + PutRolePolicy + CreateAgentRuntime; alice deletes him on day 10.',
    expect: [],
    mustNot: [],
    note: 'Creator of svc-support-agent and the AgentCore role; inferred owner of both is a user who no longer exists. The starter toolkit is a deploy tool run from his Mac in office hours: human, with "deployed an agent runtime" as evidence, never an agent.',
  },
  {
    name: 'ci-deployer', account: PROD, kind: 'iam-user', arn: userArn(PROD, 'ci-deployer', '/ci/'), keys: [KEYS.ciDeployer], classification: 'workload', owner: 'platform-team@example.com', inIam: true,
    story: 'GitHub Actions deploy user (path /ci/, no password, 60-day-old key). Pushes on weekdays: `configure-aws-credentials-for-github-actions` GetCallerIdentity, aws-cli `exec-env/GitHubActions md/command#cloudformation.deploy` (CreateChangeSet/ExecuteChangeSet/DescribeStacks), s3 PutObject, docker ECR PutImage, Terraform UpdateFunctionCode, from Azure runner IPs. Day 13: alice creates a login profile, someone signs in to the console AS ci-deployer (no MFA) and browses/cancels a stack, alice deletes the profile. Day 18 03:12 UTC: GetCallerIdentity with UA `TruffleHog` from 185.220.101.47.',
    expect: ['static-key-in-ci', 'human-use-of-nhi', 'leaked-credential'],
    mustNot: ['ownerless', 'long-lived-credential', 'stale', 'overbroad'],
    note: 'Its managed policy ci-deploy has a broad NON-default v1 (s3:*, lambda:* on *); only the default v2 counts, so no overbroad finding.',
  },
  {
    name: 'github-actions-deploy', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'github-actions-deploy'), keys: [], classification: 'workload', owner: 'platform-team@example.com', inIam: true,
    story: `OIDC role: Federated ${GITHUB_OIDC}, sts:AssumeRoleWithWebIdentity, StringLike sub "repo:example/*" and NO aud condition. AssumeRoleWithWebIdentity (WebIdentityUser) from repo:example/web and repo:example/infra main, then calls as assumed-role/github-actions-deploy/GitHubActions. Twice a PR from repo:example/random-fork-test assumes it and reads deploy secrets.`,
    expect: ['trust-too-broad'],
    mustNot: ['static-key-in-ci', 'static-key-automation', 'ownerless', 'long-lived-credential'],
  },
  {
    name: 'repo:example/random-fork-test:pull_request', account: PROD, kind: 'oidc-subject', arn: `${GITHUB_OIDC}:sts.amazonaws.com:repo:example/random-fork-test:pull_request`, keys: [], classification: 'workload', owner: null, inIam: false,
    story: 'OIDC subject of a pull-request workflow in an unrelated repository; allowed only because of the wildcard sub. Lists and reads Secrets Manager secrets; s3 ListBuckets denied.',
    expect: [], mustNot: [],
    note: 'Evidence for github-actions-deploy / trust-too-broad (other subjects: repo:example/web:ref:refs/heads/main, repo:example/infra:ref:refs/heads/main).',
  },
  {
    name: 'orders-processor', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'orders-processor', '/service-role/'), keys: [], classification: 'workload', owner: 'orders-team@example.com', inIam: true,
    story: 'Lambda role (trust lambda.amazonaws.com), inline dynamodb:GetItem/PutItem on table/orders only. Steady boto3 `exec-env/AWS_Lambda_python3.12` GetItem/PutItem round the clock via a VPC endpoint.',
    expect: [], mustNot: NONE as DemoCategory[],
    note: 'The benign scoped workload: nothing should fire.',
  },
  {
    name: 'AWSServiceRoleForSupport', account: PROD, kind: 'service-linked-role', arn: roleArn(PROD, 'AWSServiceRoleForSupport', '/aws-service-role/support.amazonaws.com/'), keys: [], classification: 'aws-service', owner: null, inIam: true,
    story: 'Service-linked role; AssumeRole by AWSService support.amazonaws.com, then calls with invokedBy/sourceIPAddress/userAgent support.amazonaws.com.',
    expect: [], mustNot: NONE as DemoCategory[], note: 'Never an agent, never flagged.',
  },
  {
    name: 'AWSServiceRoleForOrganizations', account: PROD, kind: 'service-linked-role', arn: roleArn(PROD, 'AWSServiceRoleForOrganizations', '/aws-service-role/organizations.amazonaws.com/'), keys: [], classification: 'aws-service', owner: null, inIam: true,
    story: 'Service-linked role used by organizations.amazonaws.com.', expect: [], mustNot: NONE as DemoCategory[], note: 'Never an agent, never flagged.',
  },
  {
    name: 'break-glass-admin', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'break-glass-admin'), keys: [], classification: 'human', alsoOk: ['unknown'], owner: 'security@example.com', inIam: true,
    story: 'AdministratorAccess; trust = this account\'s root with aws:MultiFactorAuthPresent; 400 days old; RoleLastUsed empty; no CloudTrail use.',
    expect: [], mustNot: ['trust-too-broad', 'ownerless', 'static-key-automation', 'unregistered'],
    note: 'A human break-glass role: `stale` may fire at severity low at most; overbroad must not exceed low either.',
  },
  {
    name: 'build-runner', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'build-runner'), keys: [], classification: 'workload', owner: 'platform-team@example.com', inIam: true,
    story: 'CodeBuild role with inline iam:PassRole on * + lambda:CreateFunction + lambda:InvokeFunction (PassRole privilege-escalation path). Weekday builds (session AWSCodeBuild-<uuid>) update, create and invoke functions.',
    expect: ['privilege-escalation'], mustNot: ['ownerless'],
  },
  {
    name: 'scoped-deployer', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'scoped-deployer'), keys: [], classification: 'workload', owner: 'orders-team@example.com', inIam: true,
    story: 'Look-alike of build-runner: iam:PassRole only on role/service-role/orders-processor with iam:PassedToService = lambda.amazonaws.com, lambda:CreateFunction on function:orders-*; permissions boundary agent-boundary.',
    expect: [], mustNot: ['privilege-escalation', 'ownerless', 'overbroad'],
  },
  {
    name: 'partner-access', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'partner-access'), keys: [], classification: 'workload', alsoOk: ['unknown'], owner: 'partnerships@example.com', inIam: true,
    story: 'Trust {"AWS": "arn:aws:iam::999988887777:root"} with no sts:ExternalId condition. Daily AssumeRole from the partner account (userIdentity type AWSAccount), then S3 reads with aws-sdk-java.',
    expect: ['trust-too-broad'], mustNot: ['ownerless'],
  },
  {
    name: 'vendor-audit', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'vendor-audit'), keys: [], classification: 'workload', alsoOk: ['unknown'], owner: 'security@example.com', inIam: true,
    story: 'Cross-account trust to 111122223333 WITH an sts:ExternalId condition; SecurityAudit; daily read-only audit (aws-sdk-go-v2).',
    expect: [], mustNot: ['trust-too-broad', 'ownerless', 'overbroad'],
  },
  {
    name: 'svc-support-agent', account: PROD, kind: 'iam-user', arn: userArn(PROD, 'svc-support-agent'), keys: [KEYS.svcSupportAgent], classification: 'agent', owner: null, inIam: true,
    story: 'Created by dave on day 0; no owner tag; AdministratorAccess attached. Its AKIA key is used every 15 minutes round the clock by boto3 `x-client-framework:langchain-aws`: bedrock Converse/InvokeModel (host bedrock-runtime.us-east-1.amazonaws.com), dynamodb Query, s3 GetObject, secretsmanager GetSecretValue, from one NAT IP.',
    expect: ['static-key-automation', 'overbroad', 'ownerless', 'unregistered'],
    mustNot: ['human-key-automation', 'human-use-of-nhi'],
    note: 'overbroad should be critical (AdministratorAccess on an agent with a static key).',
  },
  {
    name: AGENTCORE_ROLE, account: PROD, kind: 'iam-role', arn: roleArn(PROD, AGENTCORE_ROLE), keys: [], classification: 'agent', owner: null, inIam: true,
    story: 'Created by dave with the AgentCore starter toolkit; trust bedrock-agentcore.amazonaws.com; no owner tag. Inline policy: s3:* on *, secretsmanager:GetSecretValue on *, ses:SendEmail on * (read data + send it out). Sessions (AssumeRole by AWSService bedrock-agentcore.amazonaws.com) call Converse, Retrieve, s3 GetObject and AgentCore memory with UAs `strands-agents` and `bedrock-agentcore/0.1.7 (integration_source=strands)`.',
    expect: ['exfiltration-capable', 'ownerless', 'unregistered'],
    mustNot: ['static-key-automation', 'long-lived-credential', 'human-use-of-nhi'],
  },
  {
    name: 'figma-sync-agent', account: PROD, kind: 'iam-role', arn: roleArn(PROD, 'figma-sync-agent'), keys: [], classification: 'agent', owner: 'mia@example.com', inIam: true,
    story: 'The well-behaved registered agent: EC2 instance profile (eu-west-1, IMDSv2), tags owner=mia@example.com and agent-registry-id=agt-figma-sync-01, boundary agent-boundary, inline s3:PutObject on one bucket + bedrock:InvokeModel on one model ARN. Every 30 minutes: Converse + PutObject (via a VPC endpoint), UA `strands-agents`.',
    expect: [],
    mustNot: ['overbroad', 'exfiltration-capable', 'privilege-escalation', 'ownerless', 'stale', 'static-key-automation', 'runtime-escalation', 'unregistered', 'trust-too-broad'],
    note: 'Its permissions boundary allows iam:PassRole/lambda:CreateFunction, but a boundary grants nothing: no privilege-escalation. Registered via its agent-registry-id tag.',
  },
  // ---------------------------------------------------------------- dev 345678901234 (LookupEvents only)
  {
    name: 'etl-legacy', account: DEV, kind: 'iam-user', arn: userArn(DEV, 'etl-legacy'), keys: [KEYS.etlLegacy], classification: 'workload', alsoOk: ['unknown'], owner: null, inIam: true,
    story: 'Key created 420 days before as-of, never rotated; credential report says last used 130 days ago (s3); no CloudTrail activity. leaks/gitleaks.json: the key id is in an old commit of example/etl-jobs (scan with --leaks).',
    expect: ['long-lived-credential', 'stale', 'ownerless', 'leaked-credential'], mustNot: ['static-key-automation', 'human-use-of-nhi'],
  },
  {
    name: 'ops-bot', account: DEV, kind: 'iam-user', arn: userArn(DEV, 'ops-bot'), keys: [KEYS.opsBotUsed, KEYS.opsBotUnused], classification: 'workload', owner: null, inIam: true,
    story: `Two active keys: ${KEYS.opsBotUsed} (34 days old) used by boto3 daily at 06:00 UTC for EBS snapshots; ${KEYS.opsBotUnused} created 200 days ago and never used (credential report N/A).`,
    expect: ['stale', 'long-lived-credential', 'ownerless'], mustNot: ['human-use-of-nhi'],
    note: `stale and long-lived-credential are about the unused second key ${KEYS.opsBotUnused}.`,
  },
  {
    name: 'rotated-svc', account: DEV, kind: 'iam-user', arn: userArn(DEV, 'rotated-svc'), keys: [KEYS.rotatedNew, KEYS.rotatedOld], classification: 'workload', owner: 'payments-team@example.com', inIam: true,
    story: `Rotates its own key: on the last day it calls CreateAccessKey with the old key (${KEYS.rotatedOld}), then DeleteAccessKey of the old key with the new one (${KEYS.rotatedNew}, created 1 day before as-of). boto3 ssm/kms calls every 2 hours throughout.`,
    expect: [], mustNot: ['long-lived-credential', 'stale', 'ownerless'],
    note: 'The old key is deleted: only the new key is in the IAM exports.',
  },
  {
    name: 'data-pipeline-bot', account: DEV, kind: 'iam-user', arn: userArn(DEV, 'data-pipeline-bot'), keys: [KEYS.dataPipeline], classification: 'workload', owner: 'data-eng@example.com', inIam: true,
    story: 'ONE key used from 7 unrelated networks with different tools: boto3 on EC2 (54.209.113.7), boto3 exec-env/AWS_ECS_FARGATE (3.225.41.9), python-requests (139.59.128.77), aws-sdk-go-v2 (34.123.88.201), GitHub Actions (configure-aws-credentials then aws-cli, Azure IPs), aws-cli on a Mac (81.2.69.142) and on Windows in an office (198.51.100.140). leaks/github-secret-scanning-alerts.json: GitHub secret scanning found the key id in a notebook on day 12, and the key kept being used (scan with --leaks).',
    expect: ['shared-credential', 'leaked-credential'], mustNot: ['ownerless', 'human-use-of-nhi'],
  },
  {
    name: 'leaked-bot', account: DEV, kind: 'iam-user', arn: userArn(DEV, 'leaked-bot'), keys: [KEYS.leakedBot], classification: 'workload', alsoOk: ['unknown'], owner: null, inIam: true,
    story: 'AWS attached AWSCompromisedKeyQuarantineV3 (35 days before as-of) next to AmazonS3ReadOnlyAccess. The key is still used: a legacy boto3 job every 3 hours (ListBuckets now denied explicitly) and an attacker probing Bedrock/IAM/EC2 with python-requests and aiohttp from 45.155.205.233 / 193.32.162.71.',
    expect: ['leaked-credential', 'ownerless'], mustNot: [],
  },
  {
    name: 'gpt-nightly', account: DEV, kind: 'iam-user', arn: userArn(DEV, 'gpt-nightly'), keys: [KEYS.gptNightly], bedrockApiKeys: [BEDROCK_API_KEYS.gptNightly, BEDROCK_API_KEYS.gptNightlyRetired], classification: 'agent', owner: null, inIam: true,
    story: `AWS CLI v2 with agentic-caller code \`m/AN,…\` (Claude Code) every night 22:00-04:00 UTC: logs, ec2, lambda, cloudformation, s3 reads. Inline policy Allow NotAction [iam:*, organizations:*, account:*] on * (everything else). Two long-term Bedrock API keys (list-service-specific-credentials.json): ${BEDROCK_API_KEYS.gptNightly} (alias claude-code-nightly, 57 days old, never expires, no call uses it) and ${BEDROCK_API_KEYS.gptNightlyRetired} (Inactive).`,
    expect: ['overbroad', 'static-key-automation', 'ownerless', 'unregistered', 'long-lived-credential'], mustNot: ['human-key-automation'],
    note: 'long-lived-credential is aws/bedrock-api-key on the never-expiring Bedrock API key (the 58-day access key is below the 90-day threshold); the Inactive one must stay quiet.',
  },
  {
    name: 'report-agent', account: DEV, kind: 'iam-role', arn: roleArn(DEV, 'report-agent'), keys: [], classification: 'agent', owner: 'nick@example.com', inIam: true,
    story: 'ECS Fargate task role, tag owner=nick@example.com: nick has left (not an IAM user, not in people.txt; ownerless needs the roster, `--people people.txt`). LlamaIndex (`x-client-framework:llama_index`) Converse + Athena/Glue reports daily. On day 19 from 02:10 UTC: 29 AccessDenied-family errors across 10 services (s3, iam, ec2, secretsmanager, lambda, rds, kms, dynamodb, sns, ssm) within an hour, then AttachUserPolicy(gpt-nightly, AdministratorAccess) denied, PutRolePolicy on itself (report-agent-self-grant: iam:CreateAccessKey/AttachUserPolicy) succeeds, CreateAccessKey(ops-bot) fails with LimitExceeded.',
    expect: ['runtime-escalation', 'unregistered', 'ownerless'], mustNot: ['static-key-automation'],
    note: 'Error codes are the services\' own: AccessDenied, AccessDeniedException, Client.UnauthorizedOperation, AuthorizationError.',
  },
  {
    name: 'AWSServiceRoleForECS', account: DEV, kind: 'service-linked-role', arn: roleArn(DEV, 'AWSServiceRoleForECS', '/aws-service-role/ecs.amazonaws.com/'), keys: [], classification: 'aws-service', owner: null, inIam: true,
    story: 'Service-linked role; no activity in the window.', expect: [], mustNot: NONE as DemoCategory[],
  },
];
