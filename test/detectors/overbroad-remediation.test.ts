/**
 * aws/overbroad's commands follow where each broad grant comes from: a managed policy attached to the user or role
 * is detached, an inline policy (a NotAction one too) deleted, a group's policy left by leaving the group (or fixed
 * for every member), and the boundary command names a boundary that lets the grant through. One principal per source.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import type { FixtureSpec } from '../../src/detect/fixture.js';
import { scanFixture } from '../helpers/scan.js';

const A = '111122223333';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const lambdaTrust = doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
const created = '2025-06-01T00:00:00Z';
const user = (name: string, extra: Record<string, unknown>) => ({
  UserName: name, Arn: `arn:aws:iam::${A}:user/${name}`, UserId: `AIDA${name.toUpperCase().replace(/-/g, '')}`, Path: '/', CreateDate: created,
  Tags: [], GroupList: [], UserPolicyList: [], AttachedManagedPolicies: [], ...extra,
});
const role = (name: string, extra: Record<string, unknown>) => ({
  RoleName: name, Arn: `arn:aws:iam::${A}:role/${name}`, RoleId: `AROA${name.toUpperCase().replace(/-/g, '')}`, Path: '/', CreateDate: created,
  Tags: [], AssumeRolePolicyDocument: lambdaTrust, RolePolicyList: [], AttachedManagedPolicies: [], InstanceProfileList: [], RoleLastUsed: {}, ...extra,
});

const spec: FixtureSpec = {
  description: 'one broad grant per source: managed, inline NotAction, group managed, group inline, behind a permissive boundary',
  as_of: '2026-11-20T00:00:00Z',
  accounts: {
    [A]: {
      authorization_details: {
        UserDetailList: [
          user('notaction-bot', { UserPolicyList: [{ PolicyName: 'all-but-iam', PolicyDocument: doc({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }) }] }),
          user('group-managed-bot', { GroupList: ['admins'] }),
          user('group-inline-bot', { GroupList: ['data-ops'] }),
        ],
        GroupDetailList: [
          { GroupName: 'admins', Arn: `arn:aws:iam::${A}:group/admins`, GroupId: 'AGPAADMINS', Path: '/', CreateDate: created, GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }] },
          { GroupName: 'data-ops', Arn: `arn:aws:iam::${A}:group/data-ops`, GroupId: 'AGPADATAOPS', Path: '/', CreateDate: created, AttachedManagedPolicies: [],
            GroupPolicyList: [{ PolicyName: 'all-of-s3', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }] },
        ],
        RoleDetailList: [
          role('managed-admin-role', { AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }] }),
          role('bounded-admin-role', {
            AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }],
            PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: ADMIN },
          }),
        ],
        Policies: [{ PolicyName: 'AdministratorAccess', Arn: ADMIN, DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }] }],
      },
    },
  },
  records: [],
};

let report: Promise<ScanReport> | undefined;
const scan = (): Promise<ScanReport> => (report ??= scanFixture(spec));
async function commandsOf(kind: 'user' | 'role', name: string): Promise<string[]> {
  const r = await scan();
  const f: Finding | undefined = r.findings.find((x) => x.detector === 'aws/overbroad' && x.subject.id === `arn:aws:iam::${A}:${kind}/${name}`);
  if (!f) throw new Error(`no aws/overbroad finding on ${kind}/${name}: ${r.findings.filter((x) => x.detector === 'aws/overbroad').map((x) => x.subject.id).join(', ')}`);
  return f.remediation.commands.filter((c) => c.startsWith('aws iam '));
}
const withoutLeastPrivilege = (cmds: string[]) => cmds.filter((c) => !c.includes('--policy-name least-privilege'));

describe('aws/overbroad remediation commands by grant source', () => {
  it('managed policy attached to a role: detach-role-policy with that policy, then a boundary', async () => {
    const cmds = await commandsOf('role', 'managed-admin-role');
    expect(cmds[0]).toBe('aws iam put-role-policy --role-name managed-admin-role --policy-name least-privilege --policy-document file://least-privilege.json');
    expect(withoutLeastPrivilege(cmds)).toEqual([
      `aws iam detach-role-policy --role-name managed-admin-role --policy-arn ${ADMIN}`,
      `aws iam put-role-permissions-boundary --role-name managed-admin-role --permissions-boundary arn:aws:iam::${A}:policy/<boundary>`,
    ]);
  }, 120_000);

  it('inline NotAction policy: delete-user-policy with its name, never detach AdministratorAccess', async () => {
    const cmds = await commandsOf('user', 'notaction-bot');
    expect(withoutLeastPrivilege(cmds)).toEqual([
      'aws iam delete-user-policy --user-name notaction-bot --policy-name all-but-iam',
      `aws iam put-user-permissions-boundary --user-name notaction-bot --permissions-boundary arn:aws:iam::${A}:policy/<boundary>`,
    ]);
    expect(cmds.join('\n')).not.toMatch(/detach-user-policy|AdministratorAccess/);
  }, 120_000);

  it('managed policy of a group: remove-user-from-group, or detach-group-policy for every member', async () => {
    const cmds = await commandsOf('user', 'group-managed-bot');
    expect(withoutLeastPrivilege(cmds)[0]).toBe(
      `aws iam remove-user-from-group --user-name group-managed-bot --group-name admins   # or, for every member of the group: aws iam detach-group-policy --group-name admins --policy-arn ${ADMIN}`);
    expect(cmds.join('\n')).not.toMatch(/detach-user-policy/);
  }, 120_000);

  it('inline policy of a group: remove-user-from-group, or delete-group-policy for every member', async () => {
    const cmds = await commandsOf('user', 'group-inline-bot');
    expect(withoutLeastPrivilege(cmds)[0]).toBe(
      'aws iam remove-user-from-group --user-name group-inline-bot --group-name data-ops   # or, for every member of the group: aws iam delete-group-policy --group-name data-ops --policy-name all-of-s3');
  }, 120_000);

  it('a permission boundary that lets the grant through: put-role-permissions-boundary names the boundary it replaces', async () => {
    const cmds = await commandsOf('role', 'bounded-admin-role');
    expect(withoutLeastPrivilege(cmds)).toEqual([
      `aws iam detach-role-policy --role-name bounded-admin-role --policy-arn ${ADMIN}`,
      `aws iam put-role-permissions-boundary --role-name bounded-admin-role --permissions-boundary arn:aws:iam::${A}:policy/<boundary>   # replaces ${ADMIN}, which lets the broad grant through`,
    ]);
    const f = (await scan()).findings.find((x) => x.detector === 'aws/overbroad' && x.subject.id.endsWith('role/bounded-admin-role'))!;
    expect(f.evidence['permissions_boundary']).toBe(ADMIN);
    expect(f.evidence['broad_grant_sources']).toEqual([{ kind: 'managed', policy: ADMIN, group: null }]);
  }, 120_000);
});
