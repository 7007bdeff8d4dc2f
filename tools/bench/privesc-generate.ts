/**
 * A deterministic IAM account for bench/privesc: `roles` roles and `users` users with policies drawn from
 * templates (see privesc.ts), as get-account-authorization-details output.
 */
/** The generated account's id. */
export const GENERATED_ACCOUNT = '222200001111';
const ACCOUNT = GENERATED_ACCOUNT;
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const trustService = (s: string) => doc({ Effect: 'Allow', Principal: { Service: s }, Action: 'sts:AssumeRole' });
const trustAws = (p: string) => doc({ Effect: 'Allow', Principal: { AWS: p }, Action: 'sts:AssumeRole' });

/** A deterministic account of `roles` roles and `users` users (get-account-authorization-details shape). */
export function generateAccount(roles: number, users: number): unknown {
  let seed = 42;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const arn = (kind: string, name: string): string => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
  const services = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'codebuild.amazonaws.com', 'cloudformation.amazonaws.com'];
  const admin = { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }] };
  const boundary = { PolicyName: 'no-iam-writes', Arn: arn('policy', 'no-iam-writes'), DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }) }] };
  const readOnly = { PolicyName: 'team-read', Arn: arn('policy', 'team-read'), DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:Describe*', 'cloudwatch:Get*'], Resource: '*' }) }] };
  const roleList: unknown[] = [];
  const adminRoles = 20;
  const deployRoles = 50;
  for (let i = 0; i < roles; i++) {
    const name = i < adminRoles ? `admin-${i}` : i < adminRoles + deployRoles ? `deploy-${i}` : `app-${i}`;
    const svc = services[i % services.length] as string;
    let trust: unknown = trustService(svc);
    const inline: { PolicyName: string; PolicyDocument: unknown }[] = [];
    let managed: { PolicyName: string; PolicyArn: string }[] = [];
    let pb: { PermissionsBoundaryType: string; PermissionsBoundaryArn: string } | undefined;
    if (i < adminRoles) managed = [{ PolicyName: 'AdministratorAccess', PolicyArn: admin.Arn }];
    else if (i < adminRoles + deployRoles) {
      trust = trustAws(`arn:aws:iam::${ACCOUNT}:root`);
      inline.push({ PolicyName: 'deploy', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:PassRole', 'cloudformation:CreateStack', 'cloudformation:Describe*'], Resource: '*' }) });
    } else {
      const r = rnd();
      const bucket = `arn:aws:s3:::data-${i}/*`;
      if (r < 0.5) inline.push({ PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject', 'dynamodb:Query'], Resource: [bucket, `arn:aws:dynamodb:*:${ACCOUNT}:table/t-${i}`] }) });
      else if (r < 0.6) inline.push({ PolicyName: 'lambda-deploy', PolicyDocument: doc(
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role', `app-${i + 1}`), Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
        { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }) });
      else if (r < 0.7) inline.push({ PolicyName: 'assume-deploy', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn('role', `deploy-${adminRoles + (i % deployRoles)}`) }) });
      else if (r < 0.75) inline.push({ PolicyName: 'vpc-passrole', PolicyDocument: doc(
        { Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc' } } }) });
      else if (r < 0.8) { inline.push({ PolicyName: 'iam-admin', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }); pb = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary.Arn }; }
      else if (r < 0.85) inline.push({ PolicyName: 'ops', PolicyDocument: doc({ Effect: 'Allow', Action: ['ssm:SendCommand', 'ssm:StartSession'], Resource: '*' }) });
      else if (r < 0.86) inline.push({ PolicyName: 'self', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: arn('role', name) }) });
      else managed = [{ PolicyName: 'team-read', PolicyArn: readOnly.Arn }];
      if (rnd() < 0.1) trust = trustAws(`arn:aws:iam::${ACCOUNT}:root`);
      else if (rnd() < 0.05) trust = trustAws(arn('user', `user-${Math.floor(rnd() * users)}`));
    }
    roleList.push({ RoleName: name, Arn: arn('role', name), RoleId: `AROA${String(i).padStart(16, '0')}`, Path: '/', CreateDate: '2025-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: `t${i % 12}` }],
      AssumeRolePolicyDocument: trust, RolePolicyList: inline, AttachedManagedPolicies: managed,
      InstanceProfileList: svc === 'ec2.amazonaws.com' ? [{ InstanceProfileName: name, Arn: arn('instance-profile', name) }] : [], RoleLastUsed: {},
      ...(pb ? { PermissionsBoundary: pb } : {}) });
  }
  const groups = Array.from({ length: 12 }, (_, g) => ({ GroupName: `team-${g}`, Arn: arn('group', `team-${g}`), Path: '/', GroupPolicyList: [],
    AttachedManagedPolicies: g === 0 ? [{ PolicyName: 'AdministratorAccess', PolicyArn: admin.Arn }] : [{ PolicyName: 'team-read', PolicyArn: readOnly.Arn }] }));
  const userList: unknown[] = [];
  for (let u = 0; u < users; u++) {
    const r = rnd();
    const inline: { PolicyName: string; PolicyDocument: unknown }[] = [];
    if (r < 0.4) inline.push({ PolicyName: 'assume-app', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn('role', `app-${adminRoles + deployRoles + Math.floor(rnd() * (roles - 70))}`) }) });
    else if (r < 0.5) inline.push({ PolicyName: 'assume-deploy', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn('role', 'deploy-*') }) });
    else if (r < 0.6) inline.push({ PolicyName: 'own-keys', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey'], Resource: arn('user', '${aws:username}') }) });
    else if (r < 0.62) inline.push({ PolicyName: 'keys', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' }) });
    else inline.push({ PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::home-${u}/*` }) });
    userList.push({ UserName: `user-${u}`, Arn: arn('user', `user-${u}`), UserId: `AIDA${String(u).padStart(16, '0')}`, Path: '/', CreateDate: '2025-01-01T00:00:00Z',
      GroupList: u % 50 === 0 ? ['team-0'] : [`team-${1 + (u % 11)}`], Tags: [], UserPolicyList: inline, AttachedManagedPolicies: [] });
  }
  return { UserDetailList: userList, GroupDetailList: groups, RoleDetailList: roleList, Policies: [admin, boundary, readOnly] };
}

