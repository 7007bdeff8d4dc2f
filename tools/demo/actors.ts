/**
 * Behaviour of every planted identity: when it acts (ticks), what one tick of activity looks
 * like (emit), and the fixed one-off events of the story (specials). Background volume scales
 * with --records by changing calls per tick, never the cadence, so a 1M-record run has the same
 * rhythm, user agents and networks as the committed 20k one.
 */
import {
  awsService, hourlyKey, iamUserConsole, iamUserKey, iamUserSignIn, roleSession, type Call, type UserIdentity,
} from './cloudtrail.js';
import {
  agentCoreMemory, assumeRole, bedrockControl, bedrockRetrieve, bedrockRuntime, call, deniedMessage, dynamoItem, ecrOp,
  failed, getCallerIdentity, iamRead, iamWrite, kmsDecrypt, kmsGenerateDataKey, lambdaInvoke, lambdaOp, s3BucketRead,
  s3ListBuckets, s3ListObjects, s3Object, secretValue, svc, type Op,
} from './ops.js';
import { Rng } from './rand.js';
import { awsLongDate, DAY, HOUR, isWeekend, MINUTE, SECOND } from './time.js';
import { AGENTCORE_EGRESS_PREFIX, awsCli, CODEBUILD_PREFIX, GITHUB_RUNNER_PREFIXES, IP, UA } from './user-agents.js';
import {
  ADMIN, AGENTCORE_POLICY, AGENTCORE_ROLE, DEV, doc, FIGMA_INSTANCE, FIGMA_MODEL, GITHUB_OIDC, KEYS, PARTNER, principalId,
  PROD, roleArn, SAML_PROVIDER, SSO_PATH, SSO_ROLE, userArn, VENDOR, VENDOR_EXTERNAL_ID, type Timeline,
} from './world.js';

/** One day of the window, as actors see it. */
export interface DayCtx {
  seed: string;
  /** 00:00 UTC of the day (epoch ms). */
  day: number;
  /** 0 = first day of the window. */
  index: number;
  weekend: boolean;
  tl: Timeline;
}

/** A moment an actor acts at; `meta` carries per-tick choices (runner IP, repo, network …). */
export interface Tick {
  t: number;
  meta?: Record<string, string | number>;
}

/** Background behaviour of one identity (or one facet of it, e.g. alice's console vs her CLI). */
export interface Actor {
  id: string;
  account: string;
  /** Share of the scaled background volume. */
  share: number;
  /** Calls per tick emitted whatever --records is (keeps cadence visible at small N). */
  floor: number;
  /** Background calls over the window at the smallest --records, on top of floors [40]. */
  minTotal?: number;
  ticks(d: DayCtx, rng: Rng): Tick[];
  /** Emit `k` calls for a tick. */
  emit(d: DayCtx, tick: Tick, k: number, rng: Rng, out: Call[]): void;
}

/** Fixed one-off events of the story, independent of --records. */
export interface Special {
  id: string;
  account: string;
  run(d: DayCtx, rng: Rng, out: Call[]): void;
}

const E1 = 'us-east-1';
const W1 = 'eu-west-1';

// ------------------------------------------------------------------------------------------------
// helpers

const at = (d: DayCtx, h: number, m = 0, s = 0): number => d.day + h * HOUR + m * MINUTE + s * SECOND;

/** Keep a time inside the day and before as-of (so files stay in their day folder). */
function clamp(d: DayCtx, t: number): number {
  return Math.max(d.day, Math.min(t, d.day + DAY - SECOND, d.tl.asOf - SECOND));
}

function inWindow(d: DayCtx, t: number): boolean {
  return t >= d.tl.start && t < d.tl.asOf && t >= d.day && t < d.day + DAY;
}

/** Regular ticks every `intervalMin`, offset by `phaseMin`, with ± jitter; only after `from`. */
function every(d: DayCtx, rng: Rng, intervalMin: number, phaseMin: number, jitterSec: number, from = 0): Tick[] {
  const out: Tick[] = [];
  for (let m = phaseMin; m < 24 * 60; m += intervalMin) {
    const t = d.day + m * MINUTE + Math.round((rng.next() * 2 - 1) * jitterSec * SECOND);
    if (t >= from && inWindow(d, t)) out.push({ t });
  }
  return out;
}

/** `count` random times between two hours of the day, sorted. */
function randomTimes(d: DayCtx, rng: Rng, count: number, fromH: number, toH: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(at(d, fromH) + Math.floor(rng.next() * (toH - fromH) * HOUR));
  return out.sort((a, b) => a - b).filter((t) => inWindow(d, t));
}

/** `k` increasing times starting at t0, gaps uniformly within [minGap, maxGap] seconds. */
function spread(d: DayCtx, t0: number, k: number, minGap: number, maxGap: number, rng: Rng): number[] {
  const out: number[] = [];
  let t = t0;
  for (let i = 0; i < k; i++) {
    out.push(clamp(d, t));
    t += Math.round((minGap + rng.next() * (maxGap - minGap)) * SECOND);
  }
  return out;
}

/** Start of the hourly credential session containing t (sessions start `offsetMin` past the hour). */
function hourSession(t: number, offsetMin: number): number {
  const off = offsetMin * MINUTE;
  return Math.floor((t - off) / HOUR) * HOUR + off;
}

function ipIn(prefix: string, rng: Rng): string {
  return `${prefix}.${rng.int(1, 254)}.${rng.int(1, 254)}`;
}

/** A per-purpose generator, independent of everything else drawn that day. */
function subRng(d: DayCtx, label: string): Rng {
  return new Rng(`${d.seed}|${label}|${d.index}`);
}

// ------------------------------------------------------------------------------------------------
// humans: console sessions

interface ConsolePerson {
  who: 'alice' | 'jane' | 'bob' | 'carol';
  ip: string;
  ua: string;
  /** Sign-in window (UTC hours) and working hours. */
  loginFrom: number;
  loginTo: number;
  workTo: number;
}

const PEOPLE: Record<ConsolePerson['who'], ConsolePerson> = {
  alice: { who: 'alice', ip: IP.officeAlice, ua: UA.chromeMac, loginFrom: 7.75, loginTo: 8.6, workTo: 17 },
  jane: { who: 'jane', ip: IP.officeJane, ua: UA.firefoxWin, loginFrom: 8.1, loginTo: 9.0, workTo: 17 },
  bob: { who: 'bob', ip: IP.officeBob, ua: UA.edgeWin, loginFrom: 7.8, loginTo: 8.5, workTo: 17 },
  carol: { who: 'carol', ip: IP.carolHome, ua: UA.safariMac, loginFrom: 13.0, loginTo: 14.0, workTo: 21.5 },
};

/** Days alice works: weekdays, plus the days the story needs her at the console. */
function aliceWorks(d: DayCtx): boolean {
  const idx = (t: number): number => Math.floor((t - d.tl.start) / DAY);
  return !d.weekend || d.index === idx(d.tl.daveOffboarded) || d.index === idx(d.tl.ciConsoleLogin);
}

function works(d: DayCtx, p: ConsolePerson): boolean {
  return p.who === 'alice' ? aliceWorks(d) : !d.weekend;
}

/** When a person signs in on a day (deterministic, shared by the login event and the session). */
function loginTime(d: DayCtx, p: ConsolePerson): number {
  const r = subRng(d, `login/${p.who}`);
  return at(d, 0) + Math.floor((p.loginFrom + r.next() * (p.loginTo - p.loginFrom)) * HOUR);
}

/** The session identity a person's console calls carry. */
function consoleIdentity(d: DayCtx, p: ConsolePerson, t: number): UserIdentity {
  const start = loginTime(d, p);
  if (p.who === 'alice' || p.who === 'jane') return iamUserConsole(d.seed, PROD, p.who, start, true, t);
  return roleSession(d.seed, PROD, SSO_ROLE, SSO_PATH, `${p.who}@example.com`, t, { start });
}

type ConsoleUa = 'browser' | 'internal' | 's3console';
const CONSOLE_OPS: readonly (readonly [(r: string) => [Op, ConsoleUa], number])[] = [
  [(r) => [svc('ec2', 'DescribeInstances', r, true, { instancesSet: {}, filterSet: {} }), 'internal'], 5],
  [(r) => [svc('ec2', 'DescribeSecurityGroups', r, true, { securityGroupSet: {}, filterSet: {} }), 'browser'], 2],
  [(r) => [s3ListBuckets(r), 's3console'], 3],
  [() => [iamRead('ListRoles', { maxItems: 1000 }), 'browser'], 2],
  [() => [iamRead('ListUsers', { maxItems: 1000 }), 'browser'], 1],
  [(r) => [svc('monitoring', 'DescribeAlarms', r, true, { maxRecords: 100 }), 'browser'], 3],
  [(r) => [svc('cloudtrail', 'LookupEvents', r, true, { maxResults: 50, lookupAttributes: [{ attributeKey: 'ReadOnly', attributeValue: 'false' }] }), 'browser'], 2],
  [(r) => [svc('cloudformation', 'DescribeStacks', r, true), 'browser'], 2],
  [(r) => [lambdaOp('ListFunctions20150331', r), 'browser'], 2],
  [() => [svc('ce', 'GetCostAndUsage', E1, true, { granularity: 'DAILY', metrics: ['UnblendedCost'] }), 'browser'], 1],
  [(r) => [bedrockControl('ListFoundationModels', r), 'browser'], 1],
];

function consoleCall(d: DayCtx, p: ConsolePerson, t: number, rng: Rng): Call {
  const region = rng.chance(0.7) ? E1 : W1;
  const [op, uaKind] = rng.weighted(CONSOLE_OPS)(region);
  const r = op.src === 'iam.amazonaws.com' || op.src === 'ce.amazonaws.com' ? E1 : region;
  const who = consoleIdentity(d, p, t);
  const ip = uaKind === 'internal' ? 'AWS Internal' : p.ip;
  const ua = uaKind === 'internal' ? UA.awsInternal : uaKind === 's3console' ? UA.consoleS3 : p.ua;
  return { ...call(t, who, r, ip, ua, op), console: true };
}

function consoleActor(p: ConsolePerson, share: number): Actor {
  return {
    id: p.who === 'alice' || p.who === 'jane' ? `${p.who}-console` : `sso-${p.who}`,
    account: PROD,
    share,
    floor: 0,
    ticks: (d) => (works(d, p) ? [{ t: loginTime(d, p) }] : []),
    emit(d, tick, k, rng, out) {
      const end = at(d, p.workTo);
      const times = [];
      for (let i = 0; i < k; i++) times.push(tick.t + 90 * SECOND + Math.floor(rng.next() * (end - tick.t)));
      times.sort((a, b) => a - b);
      for (const t of times) if (inWindow(d, t)) out.push(consoleCall(d, p, clamp(d, t), rng));
    },
  };
}

function consoleLogin(t: number, who: UserIdentity, ip: string, ua: string, mfaArn: string | null): Call {
  const extra: Record<string, unknown> = {
    LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_7c1e2a9f5b3d4e60',
    MobileVersion: 'No',
  };
  if (mfaArn) extra['MFAIdentifier'] = mfaArn;
  extra['MFAUsed'] = mfaArn ? 'Yes' : 'No';
  return {
    t, who, src: 'signin.amazonaws.com', op: 'ConsoleLogin', region: E1, ip, ua, ro: false, type: 'AwsConsoleSignIn',
    resp: { ConsoleLogin: 'Success' }, extra, host: 'signin.aws.amazon.com',
  };
}

const SSO_IDP = 'Qm4yT0xZc0FwV2s5RnRkR1o=';

function samlSignIn(d: DayCtx, p: ConsolePerson, t: number): Call {
  const email = `${p.who}@example.com`;
  const key = hourlyKey(d.seed, `${PROD}/${SSO_ROLE}/${email}/${t}`, t);
  const roleId = principalId('role', PROD, SSO_ROLE);
  const r = subRng(d, `saml/${p.who}`);
  return {
    t, who: { type: 'SAMLUser', principalId: `${SSO_IDP}:${email}`, userName: email, identityProvider: SSO_IDP },
    src: 'sts.amazonaws.com', op: 'AssumeRoleWithSAML', region: E1, ip: p.ip, ua: p.ua, ro: true, host: 'sts.amazonaws.com',
    req: { sAMLAssertionID: `_${r.hex(32)}`, roleSessionName: email, durationSeconds: 43200, roleArn: roleArn(PROD, SSO_ROLE, SSO_PATH), principalArn: SAML_PROVIDER },
    resp: {
      credentials: { accessKeyId: key, expiration: awsLongDate(t + 12 * HOUR) },
      assumedRoleUser: { assumedRoleId: `${roleId}:${email}`, arn: `arn:aws:sts::${PROD}:assumed-role/${SSO_ROLE}/${email}` },
      packedPolicySize: 0, subject: email, subjectType: 'persistent',
      issuer: 'https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MjEwOTg3NjU0MzIxX2lucy04YjJmMWM0ZDllNmE3MzUw',
      audience: 'https://signin.aws.amazon.com/saml', nameQualifier: SSO_IDP,
    },
    resources: [{ accountId: PROD, type: 'AWS::IAM::Role', ARN: roleArn(PROD, SSO_ROLE, SSO_PATH) }, { accountId: PROD, type: 'AWS::IAM::SAMLProvider', ARN: SAML_PROVIDER }],
  };
}

const signIns: Special = {
  id: 'console-sign-ins',
  account: PROD,
  run(d, _rng, out) {
    for (const p of [PEOPLE.alice, PEOPLE.jane]) {
      if (!works(d, p)) continue;
      const t = loginTime(d, p);
      if (inWindow(d, t)) out.push(consoleLogin(t, iamUserSignIn(PROD, p.who), p.ip, p.ua, `arn:aws:iam::${PROD}:mfa/${p.who}`));
    }
    for (const p of [PEOPLE.bob, PEOPLE.carol]) {
      if (!works(d, p)) continue;
      const t = loginTime(d, p);
      if (inWindow(d, t)) out.push(samlSignIn(d, p, t - 4 * SECOND));
    }
  },
};

// alice's own CLI key: a human at office hours.
const aliceCli: Actor = {
  id: 'alice-cli',
  account: PROD,
  share: 0.01,
  floor: 0,
  ticks: (d, rng) => (d.weekend ? [] : randomTimes(d, rng, rng.int(2, 4), 8, 17).map((t) => ({ t }))),
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(PROD, 'alice', KEYS.alice);
    const ip = IP.officeAlice;
    for (const t of spread(d, tick.t, k, 2, 40, rng)) {
      const c = rng.weighted<string>([['s3.ls', 4], ['s3.ls-bucket', 3], ['ec2.describe-instances', 2], ['sts.get-caller-identity', 1]]);
      const region = rng.chance(0.75) ? E1 : W1;
      if (c === 's3.ls') out.push(call(t, who, region, ip, awsCli(UA.aliceCli, 's3.ls'), s3ListBuckets(region)));
      else if (c === 's3.ls-bucket') out.push(call(t, who, region, ip, awsCli(UA.aliceCli, 's3.ls'), s3ListObjects(PROD, 'example-deploy-artifacts', 'releases/', region)));
      else if (c === 'ec2.describe-instances') out.push(call(t, who, region, ip, awsCli(UA.aliceCli, c), svc('ec2', 'DescribeInstances', region, true, { instancesSet: {}, filterSet: {} })));
      else out.push(call(t, who, region, ip, awsCli(UA.aliceCli, c), getCallerIdentity(region)));
    }
  },
};

// jane's personal key on a cron job running a LangChain agent every 15 minutes.
const janeCron: Actor = {
  id: 'jane-cron',
  account: PROD,
  share: 0.07,
  floor: 1,
  ticks: (d, rng) => every(d, rng, 15, 3, 20),
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(PROD, 'jane', KEYS.jane);
    const times = spread(d, tick.t, k, 1, 9, rng);
    times.forEach((t, i) => {
      const op = i === 0 || rng.chance(0.85)
        ? bedrockRuntime('InvokeModel', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', E1)
        : s3Object('PutObject', PROD, 'example-ml-scratch', `jane/digest/${tick.t}.json`, E1, rng.int(800, 9000));
      out.push(call(t, who, E1, IP.janeHomeServer, UA.janeLangchain, op));
    });
  },
};

// ------------------------------------------------------------------------------------------------
// dave: created the agent identities, then left (deleted before as-of)

function daveWho(): UserIdentity {
  return iamUserKey(PROD, 'dave', KEYS.dave);
}

const daveStory: Special = {
  id: 'dave',
  account: PROD,
  run(d, rng, out) {
    const tl = d.tl;
    const ip = IP.daveHome;
    const cli = (cmd: string): string => awsCli(UA.daveCli, cmd);
    const push = (t: number, ua: string, op: Op): void => {
      if (inWindow(d, t)) out.push(call(t, daveWho(), E1, ip, ua, op));
    };
    // Day 0 morning: a support agent as an IAM user with AdministratorAccess and a static key.
    let t = tl.daveCreatesSupportAgent;
    if (inWindow(d, t)) {
      const userName = 'svc-support-agent';
      push(t - 20 * SECOND, cli('sts.get-caller-identity'), getCallerIdentity(E1));
      push(t, cli('iam.create-user'), iamWrite('CreateUser', { userName }, {
        user: { path: '/', userName, userId: principalId('user', PROD, userName), arn: userArn(PROD, userName), createDate: awsLongDate(t) },
      }));
      push(t + 28 * SECOND, cli('iam.attach-user-policy'), iamWrite('AttachUserPolicy', { userName, policyArn: ADMIN }));
      push(t + 51 * SECOND, cli('iam.create-access-key'), iamWrite('CreateAccessKey', { userName }, {
        accessKey: { userName, accessKeyId: KEYS.svcSupportAgent, status: 'Active', createDate: awsLongDate(t + 51 * SECOND) },
      }));
    }
    // Day 0 afternoon: the AgentCore starter toolkit creates the runtime role and the runtime.
    t = tl.daveCreatesAgentCoreRole;
    if (inWindow(d, t)) {
      const trust = doc({
        Sid: 'AssumeRolePolicy', Effect: 'Allow', Principal: { Service: 'bedrock-agentcore.amazonaws.com' }, Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': PROD }, ArnLike: { 'aws:SourceArn': `arn:aws:bedrock-agentcore:us-east-1:${PROD}:*` } },
      });
      const arn = roleArn(PROD, AGENTCORE_ROLE);
      push(t - 95 * SECOND, UA.daveAgentCoreToolkit, svc('ecr', 'CreateRepository', E1, false, { repositoryName: 'bedrock-agentcore-support_agent' }, {
        repository: { repositoryArn: `arn:aws:ecr:us-east-1:${PROD}:repository/bedrock-agentcore-support_agent`, registryId: PROD, repositoryName: 'bedrock-agentcore-support_agent' },
      }));
      push(t, UA.daveAgentCoreToolkit, iamWrite('CreateRole', {
        roleName: AGENTCORE_ROLE, assumeRolePolicyDocument: JSON.stringify(trust), description: 'Execution role for BedrockAgentCore Runtime - support_agent',
      }, {
        role: {
          path: '/', roleName: AGENTCORE_ROLE, roleId: principalId('role', PROD, AGENTCORE_ROLE), arn, createDate: awsLongDate(t),
          assumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
        },
      }));
      push(t + 2 * SECOND, UA.daveAgentCoreToolkit, iamWrite('PutRolePolicy', {
        roleName: AGENTCORE_ROLE, policyName: AGENTCORE_POLICY,
        policyDocument: JSON.stringify(doc({ Sid: 'Storage', Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Sid: 'Secrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }, { Sid: 'Email', Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' })),
      }));
      push(t + 14 * SECOND, UA.daveAgentCoreToolkit, iamRead('GetRole', { roleName: AGENTCORE_ROLE }));
      push(t + 39 * SECOND, UA.daveAgentCoreToolkit, {
        src: 'bedrock-agentcore.amazonaws.com', op: 'CreateAgentRuntime', ro: false, host: 'bedrock-agentcore-control.us-east-1.amazonaws.com',
        req: { agentRuntimeName: 'support_agent', roleArn: arn, networkConfiguration: { networkMode: 'PUBLIC' }, agentRuntimeArtifact: { containerConfiguration: { containerUri: `${PROD}.dkr.ecr.us-east-1.amazonaws.com/bedrock-agentcore-support_agent:latest` } } },
        resp: { agentRuntimeArn: `arn:aws:bedrock-agentcore:us-east-1:${PROD}:runtime/support_agent-Xk7Qp2RvN8`, agentRuntimeId: 'support_agent-Xk7Qp2RvN8', agentRuntimeVersion: '1', status: 'CREATING' },
      });
    }
    // Weekdays before he leaves: a few of his own calls.
    const offIdx = Math.floor((tl.daveOffboarded - tl.start) / DAY);
    if (d.index > 0 && d.index < offIdx && !d.weekend) {
      for (const tt of randomTimes(d, rng, rng.int(3, 6), 8, 17)) {
        const c = rng.pick(['s3.ls', 'sts.get-caller-identity', 'agentcore', 'logs.filter-log-events'] as const);
        if (c === 's3.ls') push(tt, cli(c), s3ListBuckets(E1));
        else if (c === 'sts.get-caller-identity') push(tt, cli(c), getCallerIdentity(E1));
        else if (c === 'agentcore') push(tt, UA.daveAgentCoreToolkit, { src: 'bedrock-agentcore.amazonaws.com', op: 'GetAgentRuntime', ro: true, host: 'bedrock-agentcore-control.us-east-1.amazonaws.com', req: { agentRuntimeId: 'support_agent-Xk7Qp2RvN8' } });
        else push(tt, cli(c), svc('logs', 'FilterLogEvents', E1, true, { logGroupName: '/aws/bedrock-agentcore/runtimes/support_agent-Xk7Qp2RvN8-DEFAULT', startTime: tt - HOUR }));
      }
    }
  },
};

/** alice at the console doing identity admin (offboarding dave; a login profile for ci-deployer). */
const aliceAdmin: Special = {
  id: 'alice-admin',
  account: PROD,
  run(d, _rng, out) {
    const p = PEOPLE.alice;
    const push = (t: number, op: Op): void => {
      if (inWindow(d, t)) out.push({ ...call(t, consoleIdentity(d, p, t), E1, p.ip, p.ua, op), console: true });
    };
    let t = d.tl.daveOffboarded;
    if (inWindow(d, t)) {
      push(t - 40 * SECOND, iamRead('ListAccessKeys', { userName: 'dave' }));
      push(t, iamWrite('DeleteAccessKey', { userName: 'dave', accessKeyId: KEYS.dave }));
      push(t + 22 * SECOND, iamWrite('DeleteLoginProfile', { userName: 'dave' }));
      push(t + 47 * SECOND, iamWrite('RemoveUserFromGroup', { groupName: 'Admins', userName: 'dave' }));
      push(t + 70 * SECOND, iamWrite('DeleteUser', { userName: 'dave' }));
    }
    t = d.tl.ciConsoleLogin;
    if (inWindow(d, t)) {
      const created = t - 206 * SECOND;
      push(created, iamWrite('CreateLoginProfile', { userName: 'ci-deployer', passwordResetRequired: false }, {
        loginProfile: { userName: 'ci-deployer', createDate: awsLongDate(created), passwordResetRequired: false },
      }));
      push(t + 26 * MINUTE, iamWrite('DeleteLoginProfile', { userName: 'ci-deployer' }));
    }
  },
};

// ------------------------------------------------------------------------------------------------
// ci-deployer: static key in GitHub Actions

function runnerIp(rng: Rng): string {
  return ipIn(rng.pick(GITHUB_RUNNER_PREFIXES), rng);
}

const ciDeployer: Actor = {
  id: 'ci-deployer',
  account: PROD,
  share: 0.08,
  floor: 1,
  ticks(d, rng) {
    const n = d.weekend ? rng.int(0, 1) : rng.int(3, 7);
    return randomTimes(d, rng, n, d.weekend ? 10 : 7, d.weekend ? 16 : 18).map((t) => ({
      t, meta: { ip: runnerIp(rng), run: 19000000000 + rng.int(0, 899999999), region: rng.chance(0.7) ? E1 : W1 },
    }));
  },
  emit(d, tick, k, rng, out) {
    const meta = tick.meta ?? {};
    const ip = String(meta['ip']);
    const region = String(meta['region'] ?? E1);
    const who = iamUserKey(PROD, 'ci-deployer', KEYS.ciDeployer, '/ci/');
    const stack = region === E1 ? 'web-prod' : 'web-prod-eu';
    const cli = (cmd: string): string => awsCli(UA.ciCli, cmd);
    const script: [string, Op][] = [
      [UA.ghaConfigureCreds(Number(meta['run'])), getCallerIdentity(region)],
      [cli('cloudformation.deploy'), svc('cloudformation', 'CreateChangeSet', region, false, { stackName: stack, changeSetName: `awscli-cloudformation-package-deploy-${tick.t / 1000}`, changeSetType: 'UPDATE', capabilities: ['CAPABILITY_IAM'] }, { id: `arn:aws:cloudformation:${region}:${PROD}:changeSet/awscli-cloudformation-package-deploy-${tick.t / 1000}/${rng.uuid()}`, stackId: `arn:aws:cloudformation:${region}:${PROD}:stack/${stack}/0c1d2e3f-4a5b-11ef-9c8d-0e1f2a3b4c5d` })],
      [cli('s3.cp'), s3Object('PutObject', PROD, 'example-deploy-artifacts', `web/${tick.t}/bundle.zip`, region, rng.int(2_000_000, 9_000_000))],
      [cli('cloudformation.deploy'), svc('cloudformation', 'ExecuteChangeSet', region, false, { stackName: stack, changeSetName: `awscli-cloudformation-package-deploy-${tick.t / 1000}` })],
      [cli('ecr.get-login-password'), ecrOp('GetAuthorizationToken', PROD, region, null, false, rng)],
      [UA.docker, ecrOp('PutImage', PROD, region, 'web', true, rng)],
      [UA.terraform('lambda#1.69.6'), lambdaOp('UpdateFunctionCode20150331v2', region, 'web-thumbnailer', { publish: true, s3Bucket: 'example-deploy-artifacts' })],
    ];
    const fill: (() => [string, Op])[] = [
      () => [cli('cloudformation.deploy'), svc('cloudformation', 'DescribeStacks', region, true, { stackName: stack })],
      () => [cli('cloudformation.deploy'), svc('cloudformation', 'DescribeChangeSet', region, true, { stackName: stack })],
      () => [cli('cloudformation.deploy'), svc('cloudformation', 'DescribeStackEvents', region, true, { stackName: stack })],
      () => [UA.terraform('ec2#1.200.0'), svc('ec2', 'DescribeVpcs', region, true, { vpcSet: {}, filterSet: {} })],
      () => [UA.terraform('ec2#1.200.0'), svc('ec2', 'DescribeSecurityGroups', region, true, { securityGroupIdSet: {}, filterSet: {} })],
      () => [UA.terraform('iam#1.38.6'), iamRead('GetRole', { roleName: 'orders-processor' })],
      () => [UA.terraform('lambda#1.69.6'), lambdaOp('GetFunction20150331v2', region, 'web-thumbnailer')],
      () => [UA.terraform('s3#1.75.2'), s3BucketRead('GetBucketVersioning', PROD, 'example-deploy-artifacts', region)],
      () => [UA.docker, ecrOp('InitiateLayerUpload', PROD, region, 'web', true, rng)],
      () => [UA.docker, ecrOp('UploadLayerPart', PROD, region, 'web', true, rng)],
      () => [UA.docker, ecrOp('CompleteLayerUpload', PROD, region, 'web', true, rng)],
      () => [UA.docker, ecrOp('BatchCheckLayerAvailability', PROD, region, 'web', true, rng)],
    ];
    let plan: [string, Op][];
    if (k <= script.length) {
      // Small runs: the credential check plus a random subset of the deploy steps, in order.
      const keep = new Set<number>([0]);
      while (keep.size < k) keep.add(rng.int(1, script.length - 1));
      plan = script.filter((_, i) => keep.has(i));
    } else {
      const extra: [string, Op][] = [];
      for (let i = 0; i < k - script.length; i++) extra.push(rng.pick(fill)());
      const [first, ...rest] = script;
      plan = [first as [string, Op]];
      // Interleave the reads between the deploy steps.
      const per = Math.ceil(extra.length / rest.length);
      rest.forEach((s, i) => plan.push(...extra.slice(i * per, (i + 1) * per), s));
    }
    const duration = rng.int(3, 8) * 60;
    const gap = Math.max(0.2, duration / plan.length);
    const times = spread(d, tick.t, plan.length, gap * 0.5, gap * 1.5, rng);
    plan.forEach(([ua, op], i) => {
      const t = times[i] ?? tick.t;
      out.push(call(t, who, op.src === 'iam.amazonaws.com' ? E1 : region, ip, ua, op));
    });
  },
};

/** ci-deployer used by a person at the console once, and its key verified by TruffleHog. */
const ciDeployerOddities: Special = {
  id: 'ci-deployer-oddities',
  account: PROD,
  run(d, rng, out) {
    let t = d.tl.ciConsoleLogin;
    if (inWindow(d, t)) {
      out.push(consoleLogin(t, iamUserSignIn(PROD, 'ci-deployer', '/ci/'), IP.officeAlice, UA.chromeMac, null));
      const region = E1;
      const ops: [Op, ConsoleUa][] = [
        [svc('cloudformation', 'ListStacks', region, true, { stackStatusFilter: ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'] }), 'browser'],
        [svc('cloudformation', 'DescribeStacks', region, true, { stackName: 'web-prod' }), 'browser'],
        [svc('cloudformation', 'DescribeStackEvents', region, true, { stackName: 'web-prod' }), 'browser'],
        [svc('cloudformation', 'GetTemplate', region, true, { stackName: 'web-prod', templateStage: 'Processed' }), 'browser'],
        [s3ListBuckets(region), 's3console'],
        [svc('cloudformation', 'DescribeStackEvents', region, true, { stackName: 'web-prod' }), 'browser'],
        [svc('cloudformation', 'CancelUpdateStack', region, false, { stackName: 'web-prod' }), 'browser'],
        [svc('cloudformation', 'DescribeStacks', region, true, { stackName: 'web-prod' }), 'browser'],
      ];
      let tt = t + 75 * SECOND;
      for (const [op, kind] of ops) {
        const who = iamUserConsole(d.seed, PROD, 'ci-deployer', t, false, tt, '/ci/');
        out.push({ ...call(tt, who, region, IP.officeAlice, kind === 's3console' ? UA.consoleS3 : UA.chromeMac, op), console: true });
        tt += rng.int(40, 200) * SECOND;
      }
    }
    t = d.tl.truffleHog;
    if (inWindow(d, t)) out.push(call(t, iamUserKey(PROD, 'ci-deployer', KEYS.ciDeployer, '/ci/'), E1, IP.truffleHog, UA.truffleHog, getCallerIdentity(E1, true)));
  },
};

// ------------------------------------------------------------------------------------------------
// github-actions-deploy: OIDC role with a too-broad subject condition

const GHA_ROLE = 'github-actions-deploy';

function webIdentityUser(sub: string): UserIdentity {
  return { type: 'WebIdentityUser', principalId: `${GITHUB_OIDC}:sts.amazonaws.com:${sub}`, userName: sub, identityProvider: GITHUB_OIDC };
}

/** AssumeRoleWithWebIdentity + the session identity that follows. */
function ghaAssume(d: DayCtx, t: number, sub: string, ip: string, run: number): { first: Call; session: UserIdentity } {
  const session = roleSession(d.seed, PROD, GHA_ROLE, '/', 'GitHubActions', t, { start: t, webIdProvider: GITHUB_OIDC, fixedKey: true });
  const arn = roleArn(PROD, GHA_ROLE);
  const first: Call = {
    t, who: webIdentityUser(sub), src: 'sts.amazonaws.com', op: 'AssumeRoleWithWebIdentity', region: E1, ip, ua: UA.ghaConfigureCreds(run), ro: true,
    host: 'sts.us-east-1.amazonaws.com',
    req: { roleArn: arn, roleSessionName: 'GitHubActions', durationSeconds: 3600 },
    resp: {
      credentials: { accessKeyId: session['accessKeyId'], expiration: awsLongDate(t + HOUR) },
      subjectFromWebIdentityToken: sub,
      assumedRoleUser: { assumedRoleId: `${principalId('role', PROD, GHA_ROLE)}:GitHubActions`, arn: `arn:aws:sts::${PROD}:assumed-role/${GHA_ROLE}/GitHubActions` },
      provider: GITHUB_OIDC,
      audience: 'sts.amazonaws.com',
    },
    extra: { identityProviderConnectionVerificationMethod: 'IAMTrustStore' },
    resources: [{ accountId: PROD, type: 'AWS::IAM::Role', ARN: arn }],
  };
  return { first, session };
}

const ghaDeploy: Actor = {
  id: 'github-actions-deploy',
  account: PROD,
  share: 0.08,
  floor: 2,
  ticks(d, rng) {
    const n = d.weekend ? rng.int(0, 2) : rng.int(4, 8);
    return randomTimes(d, rng, n, 7, 19).map((t) => ({
      t, meta: { ip: runnerIp(rng), run: 19000000000 + rng.int(0, 899999999), repo: rng.chance(0.6) ? 'web' : 'infra' },
    }));
  },
  emit(d, tick, k, rng, out) {
    const meta = tick.meta ?? {};
    const ip = String(meta['ip']);
    const run = Number(meta['run']);
    const repo = String(meta['repo']);
    const { first, session } = ghaAssume(d, tick.t, `repo:example/${repo}:ref:refs/heads/main`, ip, run);
    out.push(first);
    const times = spread(d, tick.t + 2 * SECOND, Math.max(1, k - 1), 0.5, 6, rng);
    times.forEach((t, i) => {
      if (i === 0) {
        out.push(call(t, session, E1, ip, UA.ghaConfigureCreds(run), getCallerIdentity(E1)));
        return;
      }
      const c = rng.weighted<string>([['s3.sync', 6], ['s3.sync-list', 1], ['cloudfront', 1], ['ecs.update', 1], ['ecs.describe', 2], ['secret', 1]]);
      const cli = (cmd: string): string => awsCli(UA.ghaCli, cmd);
      if (c === 's3.sync') out.push(call(t, session, E1, ip, cli('s3.sync'), s3Object('PutObject', PROD, 'example-web-site', `assets/${rng.hex(8)}.js`, E1, rng.int(2000, 400000))));
      else if (c === 's3.sync-list') out.push(call(t, session, E1, ip, cli('s3.sync'), s3ListObjects(PROD, 'example-web-site', 'assets/', E1)));
      else if (c === 'cloudfront') out.push(call(t, session, E1, ip, cli('cloudfront.create-invalidation'), { ...svc('cloudfront', 'CreateInvalidation', E1, false, { distributionId: 'E2EXAMPLE7QH3K', invalidationBatch: { paths: { quantity: 1, items: ['/*'] }, callerReference: `cli-${t}` } }), apiVersion: '2020_05_31' }));
      else if (c === 'ecs.update') out.push(call(t, session, E1, ip, cli('ecs.update-service'), svc('ecs', 'UpdateService', E1, false, { cluster: 'web', service: 'web-frontend', forceNewDeployment: true })));
      else if (c === 'ecs.describe') out.push(call(t, session, E1, ip, cli('ecs.wait'), svc('ecs', 'DescribeServices', E1, true, { cluster: 'web', services: ['web-frontend'] })));
      else out.push(call(t, session, E1, ip, cli('secretsmanager.get-secret-value'), secretValue(`arn:aws:secretsmanager:us-east-1:${PROD}:secret:deploy/web-sentry-dsn-Qw3rTy`, E1)));
    });
  },
};

/** A pull request from an unexpected repository assuming the deploy role (the broad `sub`). */
const forkRuns: Special = {
  id: 'fork-runs',
  account: PROD,
  run(d, rng, out) {
    for (const t0 of d.tl.forkRuns) {
      if (!inWindow(d, t0)) continue;
      const ip = runnerIp(rng);
      const run = 19000000000 + rng.int(0, 899999999);
      const { first, session } = ghaAssume(d, t0, 'repo:example/random-fork-test:pull_request', ip, run);
      out.push(first);
      const cli = (cmd: string): string => awsCli(UA.ghaCli, cmd);
      const arn = `arn:aws:sts::${PROD}:assumed-role/${GHA_ROLE}/GitHubActions`;
      const steps: [string, Op][] = [
        [UA.ghaConfigureCreds(run), getCallerIdentity(E1)],
        [cli('s3.ls'), failed(s3ListBuckets(E1), 'AccessDenied', deniedMessage(arn, 's3:ListAllMyBuckets'))],
        [cli('secretsmanager.list-secrets'), svc('secretsmanager', 'ListSecrets', E1, true, { maxResults: 100 })],
        [cli('secretsmanager.get-secret-value'), secretValue(`arn:aws:secretsmanager:us-east-1:${PROD}:secret:deploy/web-sentry-dsn-Qw3rTy`, E1)],
        [cli('secretsmanager.get-secret-value'), secretValue(`arn:aws:secretsmanager:us-east-1:${PROD}:secret:deploy/stripe-api-key-Zx81Lm`, E1)],
        [cli('secretsmanager.get-secret-value'), secretValue(`arn:aws:secretsmanager:us-east-1:${PROD}:secret:support/zendesk-api-token-Ab12Cd`, E1)],
      ];
      const times = spread(d, t0 + 3 * SECOND, steps.length, 1, 12, rng);
      steps.forEach(([ua, op], i) => out.push(call(times[i] ?? t0, session, E1, ip, ua, op)));
    }
  },
};

// ------------------------------------------------------------------------------------------------
// benign workloads

const ordersProcessor: Actor = {
  id: 'orders-processor',
  account: PROD,
  share: 0.15,
  floor: 0,
  ticks: (d, rng) => every(d, rng, 10, 0, 0),
  emit(d, tick, k, rng, out) {
    // Diurnal load: busier in the afternoon UTC, never idle.
    const h = new Date(tick.t).getUTCHours();
    const n = rng.round(k * (0.69 + 1.12 * Math.max(0, Math.sin(((h - 6) / 24) * 2 * Math.PI)) ** 1.5));
    for (let i = 0; i < n; i++) {
      const t = clamp(d, tick.t + Math.floor(rng.next() * 10 * MINUTE));
      const who = roleSession(d.seed, PROD, 'orders-processor', '/service-role/', 'orders-processor', t, { start: hourSession(t, 17) });
      const op = dynamoItem(rng.chance(0.6) ? 'GetItem' : 'PutItem', PROD, 'orders', E1);
      out.push({ ...call(t, who, E1, `10.0.${rng.int(16, 31)}.${rng.int(2, 250)}`, UA.ordersLambda, op), vpce: 'vpce-06a1b2c3d4e5f6a7b' });
    }
  },
};

function slrActor(id: string, role: string, service: string, share: number, perDay: [number, number], ops: (() => Op)[]): Actor {
  const path = `/aws-service-role/${service}/`;
  return {
    id,
    account: PROD,
    share,
    floor: 1,
    ticks: (d, rng) => randomTimes(d, rng, rng.int(perDay[0], perDay[1]), 0, 24).map((t) => ({ t })),
    emit(d, tick, k, rng, out) {
      const session = id === 'slr-support' ? 'AWSSupport-Session' : 'AWSOrganizations';
      const who = roleSession(d.seed, PROD, role, path, session, tick.t, { start: tick.t, invokedBy: service, fixedKey: true });
      out.push(call(tick.t, awsService(service), E1, service, service, assumeRole({
        roleArn: roleArn(PROD, role, path), roleAccount: PROD, session, sessionKey: String(who['accessKeyId']),
        assumedRoleId: principalId('role', PROD, role), t: tick.t, region: E1, host: null,
      })));
      for (const t of spread(d, tick.t + SECOND, Math.max(0, k - 1), 0.2, 3, rng)) {
        const op = rng.pick(ops)();
        out.push(call(t, who, E1, service, service, { ...op, host: null }));
      }
    },
  };
}

const slrSupport = slrActor('slr-support', 'AWSServiceRoleForSupport', 'support.amazonaws.com', 0.005, [1, 2], [
  () => svc('ec2', 'DescribeInstances', E1, true, { instancesSet: {}, filterSet: {} }),
  () => iamRead('GetAccountSummary'),
  () => iamRead('ListRoles', { maxItems: 1000 }),
  () => svc('cloudformation', 'DescribeStacks', E1, true),
  () => svc('rds', 'DescribeDBInstances', E1, true),
]);

const slrOrgs = slrActor('slr-organizations', 'AWSServiceRoleForOrganizations', 'organizations.amazonaws.com', 0.002, [0, 1], [
  () => iamRead('GetRole', { roleName: 'AWSServiceRoleForOrganizations' }),
  () => iamRead('ListRoles', { pathPrefix: '/aws-service-role/' }),
]);

const KMS_PROD = `arn:aws:kms:us-east-1:${PROD}:key/0b7d3c6e-2f4a-4e1b-9c8d-5a6f7e8d9c0b`;
const KMS_PROD_EU = `arn:aws:kms:eu-west-1:${PROD}:key/7e2a1b9c-3d4e-4f5a-8b6c-1d2e3f4a5b6c`;

const awsServiceKms: Actor = {
  id: 'aws-service-kms',
  account: PROD,
  share: 0.03,
  floor: 0,
  ticks: (d, rng) => every(d, rng, 60, 0, 0),
  emit(d, tick, k, rng, out) {
    for (let i = 0; i < k; i++) {
      const t = clamp(d, tick.t + Math.floor(rng.next() * HOUR));
      const region = rng.chance(0.7) ? E1 : W1;
      const key = region === E1 ? KMS_PROD : KMS_PROD_EU;
      const by = rng.weighted<string>([['dynamodb.amazonaws.com', 4], ['cloudtrail.amazonaws.com', 2], ['s3.amazonaws.com', 2]]);
      const op = by === 'cloudtrail.amazonaws.com'
        ? kmsGenerateDataKey(key, { 'aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${PROD}:trail/org-trail`, 'aws:s3:arn': `arn:aws:s3:::example-org-cloudtrail/AWSLogs/o-exa1mple42/${PROD}/CloudTrail/${region}/${t}` })
        : by === 'dynamodb.amazonaws.com'
          ? kmsDecrypt(key, { 'aws:dynamodb:tableName': 'orders', 'aws:dynamodb:subscriberId': PROD })
          : kmsDecrypt(key, { 'aws:s3:arn': 'arn:aws:s3:::example-deploy-artifacts' });
      out.push(call(t, awsService(by), region, by, by, op));
    }
  },
};

/** AwsServiceEvent records: secret rotation and KMS key rotation done by AWS itself. */
const serviceEvents: Special = {
  id: 'aws-service-events',
  account: PROD,
  run(d, rng, out) {
    const secret = `arn:aws:secretsmanager:us-east-1:${PROD}:secret:orders/db-credentials-Hn4Kp9`;
    const base = (t: number, src: string, op: string, extra: Record<string, unknown>, resources?: Record<string, unknown>[]): Call => {
      const c: Call = {
        t, who: { accountId: PROD, invokedBy: src }, src, op, region: E1, ip: src, ua: src, ro: false, type: 'AwsServiceEvent',
        extra, host: null, version: '1.08',
      };
      if (resources) c.resources = resources;
      return c;
    };
    if (d.index % 7 === 3) {
      const t = at(d, 4, rng.int(0, 20), rng.int(0, 59));
      if (inWindow(d, t)) {
        out.push(base(t, 'secretsmanager.amazonaws.com', 'RotationStarted', { SecretId: secret }));
        out.push(base(t + 41 * SECOND, 'secretsmanager.amazonaws.com', 'RotationSucceeded', { SecretId: secret }));
      }
    }
    if (d.index === 5) {
      const t = at(d, 13, 2, 17);
      if (inWindow(d, t)) out.push({ ...base(t, 'kms.amazonaws.com', 'RotateKey', { keyId: KMS_PROD }, [{ accountId: PROD, type: 'AWS::KMS::Key', ARN: KMS_PROD }]), ro: false });
    }
  },
};

// ------------------------------------------------------------------------------------------------
// agents (prod)

const SUPPORT_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const supportAgent: Actor = {
  id: 'svc-support-agent',
  account: PROD,
  share: 0.1,
  floor: 1,
  ticks: (d, rng) => every(d, rng, 15, 7, 25, d.tl.daveCreatesSupportAgent + 10 * MINUTE),
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(PROD, 'svc-support-agent', KEYS.svcSupportAgent);
    const times = spread(d, tick.t, k, 0.5, 6, rng);
    times.forEach((t, i) => {
      let op: Op;
      if (i === 0) op = bedrockRuntime('Converse', SUPPORT_MODEL, E1);
      else {
        const c = rng.weighted<string>([['converse', 35], ['invoke', 15], ['query', 25], ['get', 15], ['secret', 5], ['sts', 5]]);
        op = c === 'converse' ? bedrockRuntime('Converse', SUPPORT_MODEL, E1)
          : c === 'invoke' ? bedrockRuntime('InvokeModel', 'amazon.titan-embed-text-v2:0', E1)
            : c === 'query' ? dynamoItem('Query', PROD, 'support-tickets', E1)
              : c === 'get' ? s3Object('GetObject', PROD, 'example-support-attachments', `tickets/${rng.int(100000, 999999)}/attachment.pdf`, E1, rng.int(20_000, 2_000_000))
                : c === 'secret' ? secretValue(`arn:aws:secretsmanager:us-east-1:${PROD}:secret:support/zendesk-api-token-Ab12Cd`, E1)
                  : getCallerIdentity(E1);
      }
      out.push(call(t, who, E1, IP.supportAgentNat, UA.supportAgentLangchain, op));
    });
  },
};

const AGENTCORE_MEMORY = 'support_agent_mem-Tq3Wv8Ln2P';

const agentCoreRuntime: Actor = {
  id: 'agentcore-runtime',
  account: PROD,
  share: 0.08,
  floor: 2,
  ticks(d, rng) {
    const from = d.tl.daveCreatesAgentCoreRole + 30 * MINUTE;
    const day = randomTimes(d, rng, rng.int(8, 14), 7, 20);
    const night = randomTimes(d, rng, rng.int(2, 5), 0, 24);
    return [...day, ...night].sort((a, b) => a - b).filter((t) => t >= from).map((t) => ({ t, meta: { session: rng.hex(16), ip: ipIn(AGENTCORE_EGRESS_PREFIX, rng) } }));
  },
  emit(d, tick, k, rng, out) {
    const meta = tick.meta ?? {};
    const session = `BedrockAgentCore-${String(meta['session'])}`;
    const ip = String(meta['ip']);
    const svcName = 'bedrock-agentcore.amazonaws.com';
    const who = roleSession(d.seed, PROD, AGENTCORE_ROLE, '/', session, tick.t, { start: tick.t, fixedKey: true });
    out.push(call(tick.t, awsService(svcName), E1, svcName, svcName, assumeRole({
      roleArn: roleArn(PROD, AGENTCORE_ROLE), roleAccount: PROD, session, sessionKey: String(who['accessKeyId']),
      assumedRoleId: principalId('role', PROD, AGENTCORE_ROLE), t: tick.t, region: E1, host: null,
    })));
    const times = spread(d, tick.t + 2 * SECOND, Math.max(1, k - 1), 0.4, 5, rng);
    times.forEach((t, i) => {
      if (i === 0) {
        out.push(call(t, who, E1, ip, UA.agentCoreStrands, bedrockRuntime('Converse', SUPPORT_MODEL, E1)));
        return;
      }
      const c = rng.weighted<string>([['converse', 40], ['retrieve', 20], ['get', 20], ['mem-list', 10], ['mem-create', 10]]);
      if (c === 'converse') out.push(call(t, who, E1, ip, UA.agentCoreStrands, bedrockRuntime('Converse', SUPPORT_MODEL, E1)));
      else if (c === 'retrieve') out.push(call(t, who, E1, ip, UA.agentCoreStrands, bedrockRetrieve(PROD, 'KB7Q2M4XZP', E1)));
      else if (c === 'get') out.push(call(t, who, E1, ip, UA.agentCoreStrands, s3Object('GetObject', PROD, 'example-support-kb', `articles/${rng.int(1000, 9999)}.md`, E1, rng.int(3000, 90_000))));
      else out.push(call(t, who, E1, ip, UA.agentCoreMemory, agentCoreMemory(c === 'mem-list' ? 'ListEvents' : 'CreateEvent', PROD, AGENTCORE_MEMORY, 'support-customer', E1)));
    });
  },
};

const figmaSyncAgent: Actor = {
  id: 'figma-sync-agent',
  account: PROD,
  share: 0.05,
  floor: 1,
  ticks: (d, rng) => every(d, rng, 30, 11, 15),
  emit(d, tick, k, rng, out) {
    const times = spread(d, tick.t, k, 1, 8, rng);
    times.forEach((t, i) => {
      const who = roleSession(d.seed, PROD, 'figma-sync-agent', '/', FIGMA_INSTANCE, t, { start: hourSession(t, 23), ec2RoleDelivery: '2.0' });
      if (i % 2 === 0) out.push(call(t, who, W1, IP.figmaPublic, UA.figmaStrands, bedrockRuntime('Converse', FIGMA_MODEL, W1)));
      else {
        const op = s3Object('PutObject', PROD, 'example-figma-exports', `frames/${rng.hex(12)}.json`, W1, rng.int(4000, 250_000));
        out.push({ ...call(t, who, W1, IP.figmaPrivate, UA.figmaStrands, op), vpce: 'vpce-0f1e2d3c4b5a69788' });
      }
    });
  },
};

// ------------------------------------------------------------------------------------------------
// build roles, partner, vendor (prod)

function codebuildActor(id: string, role: string, share: number, builds: [number, number], fns: string[], createFraction: number): Actor {
  return {
    id,
    account: PROD,
    share,
    floor: 1,
    ticks: (d, rng) => (d.weekend ? [] : randomTimes(d, rng, rng.int(builds[0], builds[1]), 8, 18).map((t) => ({ t, meta: { build: rng.uuid(), ip: ipIn(CODEBUILD_PREFIX, rng) } }))),
    emit(d, tick, k, rng, out) {
      const meta = tick.meta ?? {};
      const session = `AWSCodeBuild-${String(meta['build'])}`;
      const ip = String(meta['ip']);
      const who = roleSession(d.seed, PROD, role, '/', session, tick.t, { start: tick.t, fixedKey: true });
      const cb = 'codebuild.amazonaws.com';
      out.push(call(tick.t, awsService(cb), E1, cb, cb, assumeRole({
        roleArn: roleArn(PROD, role), roleAccount: PROD, session, sessionKey: String(who['accessKeyId']),
        assumedRoleId: principalId('role', PROD, role), t: tick.t, region: E1, host: null,
      })));
      const cli = (cmd: string): string => awsCli(UA.codebuildCli, cmd);
      for (const t of spread(d, tick.t + 20 * SECOND, Math.max(0, k - 1), 2, 30, rng)) {
        const fn = rng.pick(fns);
        const c = rng.weighted<string>([['get', 4], ['update', 3], ['create', createFraction * 10], ['invoke', 2]]);
        if (c === 'get') out.push(call(t, who, E1, ip, cli('s3.cp'), s3Object('GetObject', PROD, 'example-build-artifacts', `${fn}/build.zip`, E1, rng.int(1_000_000, 5_000_000))));
        else if (c === 'update') out.push(call(t, who, E1, ip, cli('lambda.update-function-code'), lambdaOp('UpdateFunctionCode20150331v2', E1, fn, { publish: true })));
        else if (c === 'create') {
          out.push(call(t, who, E1, ip, cli('lambda.create-function'), lambdaOp('CreateFunction20150331', E1, `${fn}-${rng.hex(4)}`, {
            runtime: 'python3.12', role: roleArn(PROD, 'orders-processor', '/service-role/'), handler: 'app.handler', timeout: 30,
          })));
        } else out.push(call(t, who, E1, ip, cli('lambda.invoke'), lambdaInvoke(PROD, fn, E1)));
      }
    },
  };
}

const buildRunner = codebuildActor('build-runner', 'build-runner', 0.015, [2, 5], ['web-thumbnailer', 'web-sitemap'], 0.15);
const scopedDeployer = codebuildActor('scoped-deployer', 'scoped-deployer', 0.008, [0, 2], ['orders-api', 'orders-webhook'], 0.1);

function crossAccountActor(id: string, role: string, from: string, share: number, hour: number, ip: string, externalId: string | null,
  ops: (rng: Rng) => [string, Op][]): Actor {
  return {
    id,
    account: PROD,
    share,
    floor: 1,
    ticks: (d, rng) => [{ t: at(d, hour, rng.int(0, 25), rng.int(0, 59)) }].filter((x) => inWindow(d, x.t)),
    emit(d, tick, k, rng, out) {
      const session = id === 'partner-access' ? 'partner-sync' : `audit-${rng.hex(8)}`;
      const who = roleSession(d.seed, PROD, role, '/', session, tick.t, { start: tick.t, fixedKey: true });
      const caller = { type: 'AWSAccount', principalId: `AIDA${id === 'partner-access' ? 'R5TQ2PVXKM7ZB4NWE' : 'V3LQ8DHZ2MK5TRX6A'}`, accountId: from };
      const a = assumeRole({
        roleArn: roleArn(PROD, role), roleAccount: PROD, session, sessionKey: String(who['accessKeyId']),
        assumedRoleId: principalId('role', PROD, role), t: tick.t, region: E1, host: 'sts.us-east-1.amazonaws.com',
        ...(externalId ? { externalId } : {}),
      });
      const firstUa = ops(rng)[0]?.[0] ?? UA.partnerJava;
      out.push(call(tick.t, caller, E1, ip, firstUa, a));
      for (const t of spread(d, tick.t + 3 * SECOND, Math.max(0, k - 1), 0.3, 4, rng)) {
        const [ua, op] = rng.pick(ops(rng));
        out.push(call(t, who, E1, ip, ua, op));
      }
    },
  };
}

const partnerAccess = crossAccountActor('partner-access', 'partner-access', PARTNER, 0.01, 2, IP.partner, null, (rng) => [
  [UA.partnerJava, s3ListObjects(PROD, 'example-partner-share', 'exports/', E1)],
  [UA.partnerJava, s3Object('GetObject', PROD, 'example-partner-share', `exports/${rng.int(20260101, 20261231)}/orders.csv`, E1, rng.int(50_000, 900_000))],
]);

const vendorAudit = crossAccountActor('vendor-audit', 'vendor-audit', VENDOR, 0.01, 6, IP.vendor, VENDOR_EXTERNAL_ID, () => [
  [UA.vendorGo('iam#1.40.1'), iamRead('GetAccountAuthorizationDetails', { maxItems: 1000 })],
  [UA.vendorGo('iam#1.40.1'), iamRead('GenerateCredentialReport')],
  [UA.vendorGo('ec2#1.210.0'), svc('ec2', 'DescribeSecurityGroups', E1, true, { securityGroupIdSet: {}, filterSet: {} })],
  [UA.vendorGo('s3#1.79.0'), s3BucketRead('GetBucketPolicy', PROD, 'example-partner-share', E1)],
  [UA.vendorGo('configservice#1.52.0'), svc('config', 'DescribeConfigRules', E1, true)],
  [UA.vendorGo('cloudtrail#1.49.0'), svc('cloudtrail', 'DescribeTrails', E1, true, { includeShadowTrails: true })],
]);

// ------------------------------------------------------------------------------------------------
// dev account (LookupEvents export: management events only, us-east-1)

const opsBot: Actor = {
  id: 'ops-bot',
  account: DEV,
  share: 0.012,
  floor: 1,
  ticks: (d, rng) => [{ t: at(d, 6, 0, rng.int(2, 40)) }].filter((x) => inWindow(d, x.t)),
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(DEV, 'ops-bot', KEYS.opsBotUsed);
    spread(d, tick.t, k, 0.3, 4, rng).forEach((t, i) => {
      const c = i === 0 ? 'volumes' : rng.weighted<string>([['volumes', 1], ['snap', 4], ['tags', 2], ['describe', 2], ['delete', 3], ['ssm', 1]]);
      const vol = `vol-0${rng.hex(16)}`;
      const op = c === 'volumes' ? svc('ec2', 'DescribeVolumes', E1, true, { volumeSet: {}, filterSet: { items: [{ name: 'tag:backup', valueSet: { items: [{ value: 'daily' }] } }] } })
        : c === 'snap' ? svc('ec2', 'CreateSnapshot', E1, false, { volumeId: vol, description: 'ops-bot daily backup' }, { snapshotId: `snap-0${rng.hex(16)}`, volumeId: vol, status: 'pending' })
          : c === 'tags' ? svc('ec2', 'CreateTags', E1, false, { resourcesSet: { items: [{ resourceId: `snap-0${rng.hex(16)}` }] }, tagSet: { items: [{ key: 'created-by', value: 'ops-bot' }] } })
            : c === 'describe' ? svc('ec2', 'DescribeSnapshots', E1, true, { ownersSet: { items: [{ owner: 'self' }] } })
              : c === 'delete' ? svc('ec2', 'DeleteSnapshot', E1, false, { snapshotId: `snap-0${rng.hex(16)}` })
                : svc('ssm', 'SendCommand', E1, false, { documentName: 'AWS-RunShellScript', instanceIds: [`i-0${rng.hex(16)}`], parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
      out.push(call(t, who, E1, IP.opsBot, UA.opsBot, op));
    });
  },
};

const rotatedSvc: Actor = {
  id: 'rotated-svc',
  account: DEV,
  share: 0.006,
  floor: 1,
  ticks: (d, rng) => every(d, rng, 120, 20, 90),
  emit(d, tick, k, rng, out) {
    for (const t of spread(d, tick.t, k, 0.2, 2, rng)) {
      const key = t < d.tl.rotation ? KEYS.rotatedOld : KEYS.rotatedNew;
      const who = iamUserKey(DEV, 'rotated-svc', key);
      const op = rng.chance(0.6)
        ? svc('ssm', 'GetParameter', E1, true, { name: '/payments/stripe-webhook-url', withDecryption: true })
        : {
          ...svc('kms', 'Decrypt', E1, true, { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { service: 'payments' } }),
          resources: [{ accountId: DEV, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${DEV}:key/4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f` }],
        };
      out.push(call(t, who, E1, IP.rotatedSvc, UA.rotatedSvc, op));
    }
  },
};

/** rotated-svc rotates its own key: create with the old key, delete the old one with the new key. */
const rotation: Special = {
  id: 'rotation',
  account: DEV,
  run(d, _rng, out) {
    const t = d.tl.rotation;
    if (!inWindow(d, t)) return;
    const userName = 'rotated-svc';
    out.push(call(t, iamUserKey(DEV, userName, KEYS.rotatedOld), E1, IP.rotatedSvc, UA.rotatedSvc, iamWrite('CreateAccessKey', { userName }, {
      accessKey: { userName, accessKeyId: KEYS.rotatedNew, status: 'Active', createDate: awsLongDate(t) },
    })));
    out.push(call(t + 31 * SECOND, iamUserKey(DEV, userName, KEYS.rotatedNew), E1, IP.rotatedSvc, UA.rotatedSvc, iamRead('ListAccessKeys', { userName })));
    out.push(call(t + 8 * MINUTE, iamUserKey(DEV, userName, KEYS.rotatedNew), E1, IP.rotatedSvc, UA.rotatedSvc, iamWrite('DeleteAccessKey', { userName, accessKeyId: KEYS.rotatedOld })));
  },
};

interface Network {
  id: string;
  ip: (rng: Rng) => string;
  weight: number;
  ua: (cliCommand: string, goApi: string) => string;
}

const DP_NETWORKS: readonly Network[] = [
  { id: 'ec2', ip: () => '54.209.113.7', weight: 3, ua: () => UA.dpEc2Boto3 },
  { id: 'fargate', ip: () => '3.225.41.9', weight: 2, ua: () => UA.dpFargateBoto3 },
  { id: 'vps', ip: () => '139.59.128.77', weight: 1, ua: () => UA.pythonRequests },
  { id: 'gcp', ip: () => '34.123.88.201', weight: 1, ua: (_c, api) => UA.dpGo(api) },
  { id: 'github-actions', ip: (rng) => runnerIp(rng), weight: 1.5, ua: (c) => awsCli(UA.ghaCli, c) },
  { id: 'laptop', ip: () => '81.2.69.142', weight: 1, ua: (c) => awsCli(UA.dpLaptopCli, c) },
  { id: 'office', ip: () => '198.51.100.140', weight: 0.7, ua: (c) => awsCli(UA.dpOfficeCli, c) },
];

const dataPipelineBot: Actor = {
  id: 'data-pipeline-bot',
  account: DEV,
  share: 0.016,
  floor: 1,
  ticks(d, rng) {
    return every(d, rng, 120, 45, 300).map((tk, i) => {
      // Every network shows up every day; the rest of the day's ticks are weighted.
      const net = i < DP_NETWORKS.length ? DP_NETWORKS[(i + d.index) % DP_NETWORKS.length] : rng.weighted(DP_NETWORKS.map((n) => [n, n.weight] as const));
      return { t: tk.t, meta: { net: net?.id ?? 'ec2', ip: (net ?? DP_NETWORKS[0] as Network).ip(rng), run: 19000000000 + rng.int(0, 899999999) } };
    });
  },
  emit(d, tick, k, rng, out) {
    const meta = tick.meta ?? {};
    const net = DP_NETWORKS.find((n) => n.id === meta['net']) ?? (DP_NETWORKS[0] as Network);
    const ip = String(meta['ip']);
    const who = iamUserKey(DEV, 'data-pipeline-bot', KEYS.dataPipeline);
    spread(d, tick.t, k, 0.5, 20, rng).forEach((t, i) => {
      if (i === 0 && net.id === 'github-actions') {
        out.push(call(t, who, E1, ip, UA.ghaConfigureCreds(Number(meta['run'])), getCallerIdentity(E1)));
        return;
      }
      const c = rng.weighted<string>([['glue', 3], ['partitions', 2], ['start', 2], ['poll', 3], ['results', 1], ['ls', 1], ['location', 1], ['sts', 1]]);
      const qid = rng.uuid();
      const [op, cmd, api]: [Op, string, string] =
        c === 'glue' ? [svc('glue', 'GetTable', E1, true, { databaseName: 'lake', name: 'events' }), 'glue.get-table', 'glue#1.105.0']
          : c === 'partitions' ? [svc('glue', 'GetPartitions', E1, true, { databaseName: 'lake', tableName: 'events', maxResults: 1000 }), 'glue.get-partitions', 'glue#1.105.0']
            : c === 'start' ? [svc('athena', 'StartQueryExecution', E1, false, { queryString: 'SELECT count(*) FROM lake.events WHERE dt = current_date', workGroup: 'primary', queryExecutionContext: { database: 'lake' } }, { queryExecutionId: qid }), 'athena.start-query-execution', 'athena#1.49.2']
              : c === 'poll' ? [svc('athena', 'GetQueryExecution', E1, true, { queryExecutionId: qid }), 'athena.get-query-execution', 'athena#1.49.2']
                : c === 'results' ? [svc('athena', 'GetQueryResults', E1, true, { queryExecutionId: qid, maxResults: 1000 }), 'athena.get-query-results', 'athena#1.49.2']
                  : c === 'ls' ? [s3ListBuckets(E1), 's3.ls', 's3#1.71.1']
                    : c === 'location' ? [s3BucketRead('GetBucketLocation', DEV, 'example-dev-lake', E1), 's3.ls', 's3#1.71.1']
                      : [getCallerIdentity(E1), 'sts.get-caller-identity', 'sts#1.33.3'];
      out.push(call(t, who, E1, ip, net.ua(cmd, api), op));
    });
  },
};

const leakedJob: Actor = {
  id: 'leaked-bot-job',
  account: DEV,
  share: 0.004,
  floor: 1,
  ticks: (d, rng) => every(d, rng, 180, 5, 10),
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(DEV, 'leaked-bot', KEYS.leakedBot);
    const arn = userArn(DEV, 'leaked-bot');
    spread(d, tick.t, k, 0.3, 3, rng).forEach((t, i) => {
      const op = i % 2 === 0
        ? failed(s3ListBuckets(E1), 'AccessDenied', `User: ${arn} is not authorized to perform: s3:ListAllMyBuckets with an explicit deny in an identity-based policy`)
        : s3BucketRead('GetBucketLocation', DEV, 'example-dev-etl', E1);
      out.push(call(t, who, E1, IP.leakedLegit, UA.leakedLegit, op));
    });
  },
};

const leakedAttacker: Actor = {
  id: 'leaked-bot-attacker',
  account: DEV,
  share: 0.004,
  floor: 1,
  ticks: (d, rng) => randomTimes(d, rng, rng.int(1, 2), 0, 24).map((t) => ({ t, meta: { ip: rng.chance(0.6) ? IP.leakedAttacker : IP.leakedAttacker2 } })),
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(DEV, 'leaked-bot', KEYS.leakedBot);
    const arn = userArn(DEV, 'leaked-bot');
    const ip = String(tick.meta?.['ip'] ?? IP.leakedAttacker);
    const explicit = (a: string): string => `User: ${arn} is not authorized to perform: ${a} with an explicit deny in an identity-based policy`;
    spread(d, tick.t, k, 0.1, 2, rng).forEach((t, i) => {
      const ua = rng.chance(0.5) ? UA.aiohttp : UA.pythonRequests;
      const c = i === 0 ? 'sts' : rng.weighted<string>([['sts', 1], ['models', 3], ['avail', 2], ['listusers', 1], ['createuser', 1], ['run', 1], ['regions', 1]]);
      const op = c === 'sts' ? getCallerIdentity(E1)
        : c === 'models' ? failed(bedrockControl('ListFoundationModels', E1), 'AccessDeniedException', deniedMessage(arn, 'bedrock:ListFoundationModels'))
          : c === 'avail' ? failed(bedrockControl('GetFoundationModelAvailability', E1, 'anthropic.claude-3-5-sonnet-20240620-v1:0'), 'AccessDeniedException', deniedMessage(arn, 'bedrock:GetFoundationModelAvailability'))
            : c === 'listusers' ? failed(iamRead('ListUsers'), 'AccessDenied', deniedMessage(arn, 'iam:ListUsers', `arn:aws:iam::${DEV}:user/`))
              : c === 'createuser' ? failed(iamWrite('CreateUser', { userName: `support-${rng.hex(4)}` }), 'AccessDenied', explicit('iam:CreateUser'))
                : c === 'run' ? failed(svc('ec2', 'RunInstances', E1, false, { instancesSet: { items: [{ imageId: 'ami-0c7217cdde317cfec', minCount: 1, maxCount: 10 }] }, instanceType: 'g5.12xlarge' }), 'Client.UnauthorizedOperation', 'You are not authorized to perform this operation. User: ' + arn + ' is not authorized to perform: ec2:RunInstances with an explicit deny in an identity-based policy.')
                  : failed(svc('ec2', 'DescribeRegions', E1, true, { regionSet: {} }), 'Client.UnauthorizedOperation', 'You are not authorized to perform this operation. User: ' + arn + ' is not authorized to perform: ec2:DescribeRegions because no identity-based policy allows the ec2:DescribeRegions action');
      out.push(call(t, who, E1, ip, ua, op));
    });
  },
};

const GPT_OPS: readonly (readonly [() => [Op, string], number])[] = [
  [() => [svc('logs', 'FilterLogEvents', E1, true, { logGroupName: '/aws/lambda/dev-api', filterPattern: 'ERROR' }), 'logs.filter-log-events'], 6],
  [() => [svc('logs', 'DescribeLogGroups', E1, true, { limit: 50 }), 'logs.describe-log-groups'], 2],
  [() => [svc('ec2', 'DescribeInstances', E1, true, { instancesSet: {}, filterSet: {} }), 'ec2.describe-instances'], 3],
  [() => [lambdaOp('ListFunctions20150331', E1), 'lambda.list-functions'], 2],
  [() => [svc('cloudformation', 'DescribeStacks', E1, true), 'cloudformation.describe-stacks'], 2],
  [() => [s3ListBuckets(E1), 's3.ls'], 2],
  [() => [svc('ecs', 'ListClusters', E1, true), 'ecs.list-clusters'], 1],
  [() => [getCallerIdentity(E1), 'sts.get-caller-identity'], 1],
  [() => [svc('monitoring', 'GetMetricData', E1, true, { startTime: 'Nov 18, 2026, 10:00:00 PM', endTime: 'Nov 19, 2026, 3:00:00 AM' }), 'cloudwatch.get-metric-data'], 2],
  [() => [svc('ssm', 'GetParameter', E1, true, { name: '/dev/api/feature-flags' }), 'ssm.get-parameter'], 1],
];

const gptNightly: Actor = {
  id: 'gpt-nightly',
  account: DEV,
  share: 0.016,
  floor: 0,
  ticks: (d, rng) => {
    const out = [{ t: at(d, 22, rng.int(0, 50), rng.int(0, 59)) }];
    if (rng.chance(0.5)) out.push({ t: at(d, 1, rng.int(0, 120), rng.int(0, 59)) });
    return out.filter((x) => inWindow(d, x.t)).sort((a, b) => a.t - b.t);
  },
  emit(d, tick, k, rng, out) {
    const who = iamUserKey(DEV, 'gpt-nightly', KEYS.gptNightly);
    for (const t of spread(d, tick.t, k, 4, 45, rng)) {
      const [op, cmd] = rng.weighted(GPT_OPS)();
      out.push(call(t, who, E1, IP.gptNightlyBox, awsCli(UA.gptNightlyCli, cmd), op));
    }
  },
};

const REPORT_ROLE = 'report-agent';

function reportWho(d: DayCtx, task: string, t: number): UserIdentity {
  return roleSession(d.seed, DEV, REPORT_ROLE, '/', task, t, { start: t });
}

const reportAgent: Actor = {
  id: 'report-agent',
  account: DEV,
  share: 0.02,
  floor: 1,
  ticks(d, rng) {
    const ts = [at(d, 7, rng.int(0, 3), rng.int(0, 59))];
    if (!d.weekend) ts.push(...randomTimes(d, rng, rng.int(2, 5), 9, 18));
    return ts.filter((t) => inWindow(d, t)).map((t) => ({ t, meta: { task: rng.hex(32) } }));
  },
  emit(d, tick, k, rng, out) {
    const task = String(tick.meta?.['task']);
    spread(d, tick.t, k, 0.5, 15, rng).forEach((t, i) => {
      const who = reportWho(d, task, tick.t);
      if (i === 0 || rng.chance(0.35)) {
        out.push(call(t, who, E1, IP.reportAgentNat, UA.reportLlamaIndex, bedrockRuntime('Converse', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', E1)));
        return;
      }
      const qid = rng.uuid();
      const c = rng.weighted<string>([['table', 2], ['start', 2], ['poll', 4], ['results', 2], ['location', 1]]);
      const op = c === 'table' ? svc('glue', 'GetTable', E1, true, { databaseName: 'reporting', name: 'daily_revenue' })
        : c === 'start' ? svc('athena', 'StartQueryExecution', E1, false, { queryString: 'SELECT region, sum(amount) FROM reporting.daily_revenue GROUP BY 1', workGroup: 'reports' }, { queryExecutionId: qid })
          : c === 'poll' ? svc('athena', 'GetQueryExecution', E1, true, { queryExecutionId: qid })
            : c === 'results' ? svc('athena', 'GetQueryResults', E1, true, { queryExecutionId: qid, maxResults: 500 })
              : s3BucketRead('GetBucketLocation', DEV, 'example-dev-reports', E1);
      out.push(call(t, who, E1, IP.reportAgentNat, UA.reportPlain, op));
    });
  },
};

/** report-agent probes across services, then escalates its own permissions. */
const reportEscalation: Special = {
  id: 'report-agent-escalation',
  account: DEV,
  run(d, rng, out) {
    const t0 = d.tl.reportAgentEscalation;
    if (!inWindow(d, t0)) return;
    const task = subRng(d, 'report-escalation-task').hex(32);
    const arn = `arn:aws:sts::${DEV}:assumed-role/${REPORT_ROLE}/${task}`;
    const noPolicy = (a: string, res?: string): string => deniedMessage(arn, a, res);
    const probes: (() => Op)[] = [
      () => failed(s3ListBuckets(E1), 'AccessDenied', noPolicy('s3:ListAllMyBuckets')),
      () => failed(iamRead('ListUsers'), 'AccessDenied', noPolicy('iam:ListUsers', `arn:aws:iam::${DEV}:user/`)),
      () => failed(iamRead('ListRoles'), 'AccessDenied', noPolicy('iam:ListRoles', `arn:aws:iam::${DEV}:role/`)),
      () => failed(svc('ec2', 'DescribeInstances', E1, true, { instancesSet: {}, filterSet: {} }), 'Client.UnauthorizedOperation', `You are not authorized to perform this operation. User: ${arn} is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action`),
      () => failed(svc('secretsmanager', 'ListSecrets', E1, true, { maxResults: 100 }), 'AccessDeniedException', noPolicy('secretsmanager:ListSecrets')),
      () => failed(lambdaOp('ListFunctions20150331', E1), 'AccessDeniedException', noPolicy('lambda:ListFunctions', `arn:aws:lambda:us-east-1:${DEV}:function:*`)),
      () => failed(svc('rds', 'DescribeDBInstances', E1, true), 'AccessDenied', noPolicy('rds:DescribeDBInstances', `arn:aws:rds:us-east-1:${DEV}:db:*`)),
      () => failed(svc('kms', 'ListKeys', E1, true, { limit: 100 }), 'AccessDeniedException', noPolicy('kms:ListKeys', '*')),
      () => failed(svc('dynamodb', 'ListTables', E1, true), 'AccessDeniedException', noPolicy('dynamodb:ListTables', `arn:aws:dynamodb:us-east-1:${DEV}:table/*`)),
      () => failed(svc('sns', 'ListTopics', E1, true), 'AuthorizationError', noPolicy('SNS:ListTopics', `arn:aws:sns:us-east-1:${DEV}:*`)),
      () => failed(svc('ssm', 'DescribeParameters', E1, true), 'AccessDeniedException', noPolicy('ssm:DescribeParameters')),
    ];
    const times = spread(d, t0, 34, 20, 80, rng);
    times.forEach((t, i) => {
      const who = reportWho(d, task, t0);
      if (i % 6 === 5) out.push(call(t, who, E1, IP.reportAgentNat, UA.reportLlamaIndex, bedrockRuntime('Converse', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', E1)));
      else out.push(call(t, who, E1, IP.reportAgentNat, UA.reportPlain, (probes[i % probes.length] as () => Op)()));
    });
    const last = (times[times.length - 1] ?? t0) + 40 * SECOND;
    const who = reportWho(d, task, t0);
    const grant = doc({ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:AttachUserPolicy', 'iam:ListUsers'], Resource: '*' });
    const steps: [number, Op][] = [
      [0, failed(iamWrite('AttachUserPolicy', { userName: 'gpt-nightly', policyArn: ADMIN }), 'AccessDenied', noPolicy('iam:AttachUserPolicy', userArn(DEV, 'gpt-nightly')))],
      [95, iamWrite('PutRolePolicy', { roleName: REPORT_ROLE, policyName: 'report-agent-self-grant', policyDocument: JSON.stringify(grant) })],
      [170, iamRead('ListUsers')],
      [230, failed(iamWrite('CreateAccessKey', { userName: 'ops-bot' }), 'LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2')],
    ];
    for (const [off, op] of steps) out.push(call(clamp(d, last + off * SECOND), who, E1, IP.reportAgentNat, UA.reportPlain, op));
  },
};

const devKms: Actor = {
  id: 'aws-service-kms-dev',
  account: DEV,
  share: 0.004,
  floor: 0,
  ticks: (d, rng) => every(d, rng, 180, 30, 600),
  emit(d, tick, k, rng, out) {
    const key = `arn:aws:kms:us-east-1:${DEV}:key/4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f`;
    for (let i = 0; i < k; i++) {
      const t = clamp(d, tick.t + Math.floor(rng.next() * 3 * HOUR));
      const by = 'ssm.amazonaws.com';
      out.push(call(t, awsService(by), E1, by, by, kmsDecrypt(key, { PARAMETER_ARN: `arn:aws:ssm:us-east-1:${DEV}:parameter/payments/stripe-webhook-url` })));
    }
  },
};

// ------------------------------------------------------------------------------------------------

/** Every background actor, in a fixed order (order matters for nothing but readability). */
export const ACTORS: readonly Actor[] = [
  consoleActor(PEOPLE.alice, 0.025), aliceCli, consoleActor(PEOPLE.jane, 0.01), janeCron,
  consoleActor(PEOPLE.bob, 0.02), consoleActor(PEOPLE.carol, 0.015),
  ciDeployer, ghaDeploy, ordersProcessor, slrSupport, slrOrgs, awsServiceKms,
  supportAgent, agentCoreRuntime, figmaSyncAgent, buildRunner, scopedDeployer, partnerAccess, vendorAudit,
  opsBot, rotatedSvc, dataPipelineBot, leakedJob, leakedAttacker, gptNightly, reportAgent, devKms,
];

/** Every one-off story event. */
export const SPECIALS: readonly Special[] = [
  signIns, daveStory, aliceAdmin, ciDeployerOddities, forkRuns, serviceEvents, rotation, reportEscalation,
];
