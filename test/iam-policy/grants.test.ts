import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandGrants, type AuthorizationDetails, type ExpandGrantsResult, type GrantRow, type TrustRow } from '../../src/iam-policy/grants.js';
import { listAllActions, matchActions, normaliseAccessLevel, type IamAction } from '../../src/iam-policy/iam-actions.js';

const ACCOUNT = '111122223333';
const arn = (kind: 'user' | 'role', name: string): string => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;

function load(name: string): AuthorizationDetails {
  return JSON.parse(readFileSync(new URL(`../../fixtures/iam/${name}`, import.meta.url), 'utf8')) as AuthorizationDetails;
}

describe('IAM action catalogue', () => {
  let all: readonly IamAction[];
  beforeAll(async () => {
    all = await listAllActions();
  });

  it('lists every action once with a canonical name and one of the five access levels', () => {
    expect(all.length).toBeGreaterThan(15_000);
    expect(new Set(all.map((a) => a.action.toLowerCase())).size).toBe(all.length);
    expect(new Set(all.map((a) => a.accessLevel))).toEqual(new Set(['List', 'Read', 'Write', 'Permissions management', 'Tagging']));
    expect(all.find((a) => a.action === 's3:GetObject')).toEqual({ service: 's3', name: 'GetObject', action: 's3:GetObject', accessLevel: 'Read' });
  });

  it('maps the data\'s combined levels to the specific one', async () => {
    expect(normaliseAccessLevel('Permissions management, Write')).toBe('Permissions management');
    expect(normaliseAccessLevel('Tagging, Write')).toBe('Tagging');
    expect((await matchActions('iam:AttachRolePolicy'))[0]?.accessLevel).toBe('Permissions management');
    expect((await matchActions('iam:TagRole'))[0]?.accessLevel).toBe('Tagging');
  });

  it('matches IAM wildcards case-insensitively', async () => {
    expect(await matchActions('*')).toHaveLength(all.length);
    const s3 = await matchActions('s3:*');
    expect(s3.length).toBeGreaterThan(100);
    expect(s3.every((a) => a.service === 's3')).toBe(true);
    const get = await matchActions('S3:get*');
    expect(get.map((a) => a.action)).toContain('s3:GetObject');
    expect(get.every((a) => a.action.startsWith('s3:Get'))).toBe(true);
    const keys = (await matchActions('iam:*AccessKey*')).map((a) => a.action);
    expect(keys).toEqual(expect.arrayContaining(['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey']));
    expect(keys.every((k) => /accesskey/i.test(k))).toBe(true);
    expect((await matchActions('s3:GetObjec?')).map((a) => a.action)).toEqual(['s3:GetObject']);
    expect(await matchActions('s3:GetObjekt')).toEqual([]);
    expect(await matchActions('nosuchservice:*')).toEqual([]);
  });
});

describe('expandGrants on the CLI-form fixture', () => {
  let result: ExpandGrantsResult;
  let rows: GrantRow[];
  let total: number;
  const of = (kind: 'user' | 'role', name: string): GrantRow[] => rows.filter((r) => r.principal_arn === arn(kind, name));
  const actions = (kind: 'user' | 'role', name: string): Set<string> => new Set(of(kind, name).map((r) => r.action));
  const trustOf = (name: string): TrustRow[] => result.trusts.filter((t) => t.role_arn === arn('role', name));

  beforeAll(async () => {
    result = await expandGrants(load('account-cli.json'), ACCOUNT);
    rows = [...result.grants];
    total = (await listAllActions()).length;
  });

  it('reports no problems for a complete export, and count matches iteration', () => {
    expect(result.problems).toEqual([]);
    expect(result.grants.count).toBe(rows.length);
    expect(result.grants.principals.map((p) => p.principal_arn)).toEqual([
      arn('user', 'alice'), arn('user', 'ci-bot'),
      arn('role', 'admin-agent'), arn('role', 's3-all'), arn('role', 's3-read'), arn('role', 'power-user'),
      arn('role', 'no-iam-admin'), arn('role', 's3-guarded'), arn('role', 'bounded'), arn('role', 'typos'), arn('role', 'quarantined'),
    ]);
  });

  it('expands AdministratorAccess to every known action on "*"', () => {
    const admin = of('role', 'admin-agent');
    expect(admin).toHaveLength(total);
    expect(admin[0]).toMatchObject({
      principal_type: 'role', account_id: ACCOUNT, resource: '*', conditional: false, pattern: '*',
      source_policy: 'arn:aws:iam::aws:policy/AdministratorAccess', source_kind: 'managed', via_not_action: false, partially_denied: false,
    });
    const createKey = admin.find((r) => r.action === 'iam:CreateAccessKey');
    expect(createKey).toMatchObject({ service: 'iam', access_level: 'Write' });
  });

  it('expands s3:* to exactly the s3 actions', async () => {
    const s3 = await matchActions('s3:*');
    const got = of('role', 's3-all');
    expect(got.map((r) => r.action)).toEqual(s3.map((a) => a.action));
    expect(got.every((r) => r.pattern === 's3:*' && r.source_policy === 'inline:s3-full' && r.source_kind === 'inline')).toBe(true);
  });

  it('expands s3:Get* once per resource pattern', async () => {
    const get = await matchActions('s3:Get*');
    const got = of('role', 's3-read');
    expect(got).toHaveLength(get.length * 2);
    expect(new Set(got.map((r) => r.resource))).toEqual(new Set(['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*']));
    expect(got.filter((r) => r.action === 's3:GetObject').map((r) => r.resource)).toEqual(['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*']);
    expect(actions('role', 's3-read').has('s3:PutObject')).toBe(false);
  });

  it('expands NotAction to everything else, from the default version only', () => {
    const got = of('role', 'power-user');
    const names = new Set(got.map((r) => r.action));
    expect(names.has('iam:CreateUser')).toBe(false); // v1 (non-default) would allow it
    expect(names.has('organizations:LeaveOrganization')).toBe(false);
    expect(names.has('ec2:RunInstances')).toBe(true);
    expect(names.has('sts:AssumeRole')).toBe(true);
    expect(got.every((r) => r.via_not_action && r.pattern === 'NotAction:iam:*,organizations:*,account:*')).toBe(true);
    expect(got.every((r) => r.source_policy === 'arn:aws:iam::111122223333:policy/power-user-like')).toBe(true);
  });

  it('removes actions entirely on a Deny with Resource "*" and no Condition', () => {
    const names = actions('role', 'no-iam-admin');
    expect([...names].some((a) => a.startsWith('iam:'))).toBe(false);
    expect(names.has('sts:AssumeRole')).toBe(false);
    expect(names.has('sts:GetCallerIdentity')).toBe(true);
    expect(of('role', 'no-iam-admin').some((r) => r.partially_denied)).toBe(false);
  });

  it('keeps but marks actions under a conditional or resource-scoped Deny', () => {
    const got = of('role', 's3-guarded');
    const by = (a: string): GrantRow | undefined => got.find((r) => r.action === a);
    expect(by('s3:DeleteObject')?.partially_denied).toBe(true); // Deny unless MFA
    expect(by('s3:PutObject')?.partially_denied).toBe(true); // Deny on prod-data only
    expect(by('s3:GetObject')?.partially_denied).toBe(false);
  });

  it('intersects with the permissions boundary', () => {
    const got = of('role', 'bounded');
    const by = (a: string): GrantRow | undefined => got.find((r) => r.action === a);
    expect(by('s3:GetObject')).toMatchObject({ partially_denied: false, pattern: 's3:*' });
    expect(by('s3:ListBucket')).toBeDefined();
    expect(by('s3:PutObject')).toBeUndefined();
    expect(by('iam:PassRole')).toBeUndefined();
    expect(by('ec2:RunInstances')).toBeUndefined();
    // The boundary allows ec2:Describe* only on instances: kept, marked.
    expect(by('ec2:DescribeInstances')?.partially_denied).toBe(true);
    expect(got.every((r) => /^(s3:(Get|List)|ec2:Describe)/.test(r.action))).toBe(true);
  });

  it('gives users their group inline and managed policies, with the group in source_policy', () => {
    const alice = of('user', 'alice');
    expect(alice).toHaveLength(total);
    expect(alice[0]).toMatchObject({ principal_type: 'user', source_kind: 'group-managed', source_policy: 'group:Admins/arn:aws:iam::aws:policy/AdministratorAccess' });

    const bot = of('user', 'ci-bot');
    expect(new Set(bot.map((r) => r.source_kind))).toEqual(new Set(['inline', 'group-inline', 'group-managed']));
    expect(bot.filter((r) => r.source_kind === 'group-inline')).toEqual([
      expect.objectContaining({ action: 's3:GetObject', resource: 'arn:aws:s3:::dev-artifacts/*', source_policy: 'group:Developers/inline:dev-bucket', conditional: false }),
      expect.objectContaining({ action: 's3:PutObject', resource: 'arn:aws:s3:::dev-artifacts/*', source_policy: 'group:Developers/inline:dev-bucket' }),
    ]);
    const cfn = bot.filter((r) => r.source_kind === 'group-managed');
    expect(cfn.length).toBeGreaterThan(10);
    expect(cfn.every((r) => r.service === 'cloudformation' && r.conditional && r.source_policy === 'group:Developers/arn:aws:iam::111122223333:policy/deploy-stacks')).toBe(true);
    expect(bot.find((r) => r.action === 'ec2:DescribeInstances')?.source_policy).toBe('inline:describe-ec2');
  });

  it('keeps action patterns that match nothing as Unknown rows, and records NotResource', () => {
    const got = of('role', 'typos');
    expect(got.filter((r) => r.access_level === 'Unknown')).toEqual([
      expect.objectContaining({ action: 's3:GetObjekt', service: 's3', pattern: 's3:GetObjekt', resource: '*' }),
      expect.objectContaining({ action: 'newsvc:DoThing', service: 'newsvc', pattern: 'newsvc:DoThing' }),
    ]);
    // "S3:getobject" resolves to the canonical spelling.
    expect(got.find((r) => r.action === 's3:GetObject')).toMatchObject({ pattern: 'S3:getobject', access_level: 'Read' });
    expect(got.find((r) => r.action === 'sqs:SendMessage')?.resource).toBe('NOT:arn:aws:sqs:*:*:secret-*,arn:aws:sqs:*:*:audit');
  });

  it('applies the quarantine managed policy as a Deny', () => {
    const names = actions('role', 'quarantined');
    expect(names.size).toBe(total - 6);
    for (const denied of ['iam:CreateAccessKey', 'iam:AttachUserPolicy', 'ec2:RunInstances', 'lambda:CreateFunction']) expect(names.has(denied)).toBe(false);
    expect(names.has('s3:GetObject')).toBe(true);
  });

  it('gives identical grants and trusts for the URL-encoded (raw API) form', async () => {
    const api = await expandGrants(load('account-api.json'), ACCOUNT);
    expect(api.problems).toEqual([]);
    expect([...api.grants]).toEqual(rows);
    expect(api.trusts).toEqual(result.trusts);
  });

  describe('trust', () => {
    it('reads GitHub OIDC aud and a wildcard sub', () => {
      expect(trustOf('admin-agent')).toEqual([
        {
          role_arn: arn('role', 'admin-agent'), account_id: ACCOUNT, effect: 'Allow', principal_type: 'Federated',
          principal: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          condition_json: '{"StringEquals":{"token.actions.githubusercontent.com:aud":["sts.amazonaws.com"]},"StringLike":{"token.actions.githubusercontent.com:sub":["repo:acme/*"]}}',
          has_external_id: false, has_mfa_condition: false,
          oidc_provider: 'token.actions.githubusercontent.com', oidc_aud: ['sts.amazonaws.com'], oidc_sub: ['repo:acme/*'],
        },
      ]);
    });

    it('leaves oidc_aud null when the audience is not constrained', () => {
      expect(trustOf('s3-all')).toEqual([
        expect.objectContaining({
          oidc_provider: 'token.actions.githubusercontent.com', oidc_aud: null,
          oidc_sub: ['repo:acme/infra:ref:refs/heads/main', 'repo:acme/infra:environment:prod'],
        }),
      ]);
    });

    it('flags a cross-account principal without ExternalId', () => {
      expect(trustOf('s3-read')).toEqual([
        expect.objectContaining({ principal_type: 'AWS', principal: 'arn:aws:iam::444455556666:root', has_external_id: false, condition_json: null, oidc_provider: null }),
      ]);
    });

    it('gives one row per principal, with ExternalId and MFA conditions', () => {
      const t = trustOf('power-user');
      expect(t.map((r) => r.principal)).toEqual(['arn:aws:iam::777788889999:role/vendor-scanner', '555566667777']);
      expect(t.every((r) => r.has_external_id && r.has_mfa_condition && r.principal_type === 'AWS')).toBe(true);
    });

    it('reads service principals and the bare "*"', () => {
      expect(trustOf('s3-guarded').map((r) => [r.principal_type, r.principal])).toEqual([
        ['Service', 'ec2.amazonaws.com'], ['Service', 'ecs-tasks.amazonaws.com'],
      ]);
      expect(trustOf('typos')).toEqual([
        expect.objectContaining({ principal_type: '*', principal: '*', condition_json: '{"StringEquals":{"aws:PrincipalOrgID":["o-abc123"]}}' }),
      ]);
    });
  });
});

describe('expandGrants on a broken export', () => {
  let result: ExpandGrantsResult;
  let rows: GrantRow[];
  beforeAll(async () => {
    result = await expandGrants(load('broken.json'), ACCOUNT);
    rows = [...result.grants];
  });

  it('names the principal and policy of each unreadable document', () => {
    const p = result.problems;
    expect(p).toEqual(expect.arrayContaining([
      expect.stringMatching(/^role\/half-broken inline policy truncated: policy document is not valid JSON .*its grants are missing$/),
      expect.stringMatching(/^role\/half-broken inline policy bad-escape: policy document is neither JSON nor valid URL-encoded JSON/),
      expect.stringMatching(/^role\/half-broken trust policy: policy document is not valid JSON/),
      expect.stringMatching(/^user\/dana inline policy bad-effect: statement 1: Effect must be "Allow" or "Deny", got "allow"/),
      'user/dana: group Ghosts is not in the export; its grants are missing',
    ]));
  });

  it('records AWS-managed policies missing from a filtered export, and still treats AdministratorAccess as "*"', async () => {
    const p = result.problems;
    expect(p).toContain('managed policy arn:aws:iam::aws:policy/ReadOnlyAccess (attached) is not in the export\'s Policies list (exported with --filter?); its grants are missing (affects user/dana)');
    expect(p).toContain('managed policy arn:aws:iam::aws:policy/AdministratorAccess (attached) is not in the export\'s Policies list; treated as its well-known "*" on "*" (affects role/half-broken)');
    expect(p).toContain('managed policy arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2 (attached) is not in the export\'s Policies list (exported with --filter?); its Denies are not applied, so the grants shown are overstated (affects role/half-broken)');
    expect(p).toContain('managed policy arn:aws:iam::111122223333:policy/missing-boundary (permissions boundary) is not in the export\'s Policies list (exported with --filter?); grants are shown without the boundary (affects role/half-broken)');

    const role = rows.filter((r) => r.principal_arn === arn('role', 'half-broken'));
    expect(role.filter((r) => r.source_policy === 'arn:aws:iam::aws:policy/AdministratorAccess')).toHaveLength((await listAllActions()).length);
    expect(role.filter((r) => r.source_policy === 'inline:good').map((r) => r.action)).toEqual(['s3:ListAllMyBuckets']);
    expect(rows.filter((r) => r.principal_arn === arn('user', 'dana'))).toEqual([]);
    expect(result.trusts).toEqual([]);
  });

  it('reports a broken policy shared by many principals once', async () => {
    const roles = Array.from({ length: 8 }, (_, i) => ({
      RoleName: `r${i}`, Arn: arn('role', `r${i}`),
      AssumeRolePolicyDocument: { Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' } },
      AttachedManagedPolicies: [{ PolicyName: 'shared', PolicyArn: 'arn:aws:iam::111122223333:policy/shared' }],
    }));
    const r = await expandGrants({
      RoleDetailList: roles,
      Policies: [{ PolicyName: 'shared', Arn: 'arn:aws:iam::111122223333:policy/shared', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: '{"Statement":' }] }],
    }, ACCOUNT);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^managed policy arn:aws:iam::111122223333:policy\/shared \(attached, version v1\): policy document is not valid JSON .* \(affects role\/r0, role\/r1, role\/r2, role\/r3, role\/r4 and 3 more\)$/);
    expect(r.trusts).toHaveLength(8);
  });
});

describe('expandGrants, Deny with NotAction', () => {
  it('removes everything the NotAction list does not name, across policies', async () => {
    const r = await expandGrants({
      RoleDetailList: [{
        RoleName: 'only-s3', Arn: arn('role', 'only-s3'),
        AssumeRolePolicyDocument: { Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' } },
        RolePolicyList: [
          { PolicyName: 'all', PolicyDocument: { Statement: { Effect: 'Allow', Action: ['*', 'mystery:Thing'], Resource: '*' } } },
          { PolicyName: 'fence', PolicyDocument: { Statement: { Effect: 'Deny', NotAction: 's3:*', Resource: '*' } } },
        ],
      }],
    }, ACCOUNT);
    const rows = [...r.grants];
    expect(rows.length).toBe((await matchActions('s3:*')).length);
    expect(rows.every((row) => row.service === 's3' && row.source_policy === 'inline:all' && !row.partially_denied)).toBe(true);
  });
});

/** An account of `roles` roles sharing a handful of managed policies, built in memory. */
function syntheticAccount(roles: number): AuthorizationDetails {
  const policy = (name: string, statements: unknown[]) => ({
    PolicyName: name, Arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`, DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements })) }],
  });
  const admin = { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] };
  const extras = [
    policy('s3-read', [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }]),
    policy('no-iam', [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }]),
    policy('mfa-guard', [{ Effect: 'Deny', NotAction: ['sts:*'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }]),
  ];
  return {
    Policies: [admin, ...extras],
    RoleDetailList: Array.from({ length: roles }, (_, i) => ({
      RoleName: `agent-${i}`, Arn: arn('role', `agent-${i}`),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] })),
      // Unique per role, as stamped-out stacks make them: every role is its own policy set.
      RolePolicyList: [{ PolicyName: 'logs', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `arn:aws:logs:*:*:log-group:/agent/${i}:*` }] } }],
      AttachedManagedPolicies: [
        { PolicyName: 'AdministratorAccess', PolicyArn: admin.Arn },
        ...(i % 4 === 1 ? [{ PolicyName: 's3-read', PolicyArn: extras[0]?.Arn }] : []),
        ...(i % 4 === 2 ? [{ PolicyName: 'no-iam', PolicyArn: extras[1]?.Arn }] : []),
        ...(i % 4 === 3 ? [{ PolicyName: 'mfa-guard', PolicyArn: extras[2]?.Arn }] : []),
      ],
    })),
  };
}

describe('scale', () => {
  it('expands 2,000 roles sharing AdministratorAccess without per-role cost', async () => {
    const total = (await listAllActions()).length;
    const details = syntheticAccount(2000);
    const t0 = performance.now();
    const r = await expandGrants(details, ACCOUNT);
    const expandMs = performance.now() - t0;

    const t1 = performance.now();
    let n = 0;
    let partial = 0;
    for (const row of r.grants) {
      n++;
      if (row.partially_denied) partial++;
    }
    const iterateMs = performance.now() - t1;

    expect(r.problems).toEqual([]);
    expect(r.trusts).toHaveLength(2000);
    expect(n).toBe(r.grants.count);
    const iam = (await matchActions('iam:*')).length;
    const s3read = (await matchActions('s3:Get*')).length + (await matchActions('s3:List*')).length;
    // 500 roles each: admin+logs, admin+logs+s3-read, admin+logs-iam (Deny), admin+logs with everything but sts:* marked.
    expect(n).toBe(500 * (total + 1) + 500 * (total + 1 + s3read) + 500 * (total - iam + 1) + 500 * (total + 1));
    expect(partial).toBe(500 * (total + 1 - (await matchActions('sts:*')).length));

    expect(r.grants.sets).toHaveLength(2000);
    expect(r.grants.principals[6]).toEqual({ principal_arn: arn('role', 'agent-6'), principal_type: 'role', count: total - iam + 1, grant_set: 7 });
    const viaSet = [...(r.grants.sets[6]?.rows() ?? [])].map((row) => ({ principal_arn: arn('role', 'agent-6'), principal_type: 'role', account_id: ACCOUNT, ...row }));
    expect(r.grants.forPrincipal(arn('role', 'agent-6'))).toEqual(viaSet);
    console.info(`scale: 2,000 roles, ${r.grants.sets.length} policy sets → ${n.toLocaleString('en')} grant rows; expandGrants ${expandMs.toFixed(0)} ms, iterating rows ${iterateMs.toFixed(0)} ms`);
    expect(expandMs).toBeLessThan(3_000);
  });
});
