import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { scanFixture } from '../helpers/scan.js';

// What a person reads in the evidence of the grant detectors, beyond "it fired" (the catalogue test).
const fx = (id: string, file: string): Promise<ScanReport> => scanFixture(readFixture(join(projectRoot(), 'fixtures/detectors', id, file)));
const one = (r: ScanReport, detector: string, subject: string): Finding => {
  const f = r.findings.find((x) => x.detector === detector && x.subject.id === subject);
  if (!f) throw new Error(`no ${detector} finding on ${subject}: ${r.findings.map((x) => `${x.detector} ${x.subject.id}`).join('; ')}`);
  return f;
};
const A = '111122223333';

describe('aws/privilege-escalation evidence', () => {
  interface Step { from: string; to: string; method: string; permissions: string[]; conditions: string[]; observed: boolean }
  const pathsOf = (f: Finding) => f.evidence['paths'] as { path: string; hops: number; conditional: boolean; reaches: string; steps: Step[] }[];

  it('names the path, the permission used at each hop and the privileged role it passes', async () => {
    const r = await fx('aws/privilege-escalation', 'hit.json');
    const f = one(r, 'aws/privilege-escalation', `arn:aws:iam::${A}:role/build-runner`);
    const lambda = pathsOf(f).find((p) => p.path === 'passrole-lambda-invoke');
    expect(lambda?.reaches).toBe(`arn:aws:iam::${A}:role/deploy-admin`);
    expect(lambda?.steps[0]?.permissions).toContain(`iam:PassRole on arn:aws:iam::${A}:role/deploy-admin (inline:build-runner-permissions#PassAnyRole)`);
    expect(f.evidence['escalation_actions_called_in_window']).toEqual(['lambda:CreateFunction']);
    expect(f.reason).toMatch(/Pass a role to a new Lambda function and invoke it/);
  });

  it('is critical for an agent that can rewrite its own role', async () => {
    const r = await fx('aws/privilege-escalation', 'hit-self-grant-and-key-minting.json');
    expect(one(r, 'aws/privilege-escalation', `arn:aws:iam::${A}:role/report-agent`).severity).toBe('critical');
  });

  it('follows a chain across accounts hop by hop, marks the assumption CloudTrail saw, and is critical for a static-key agent', async () => {
    const r = await fx('aws/privilege-escalation', 'hit-two-hop-chain-across-accounts.json');
    const f = one(r, 'aws/privilege-escalation', `arn:aws:iam::${A}:user/support-agent-bot`);
    const [chain] = pathsOf(f);
    expect(chain?.path).toBe('assume-role > passrole-lambda-invoke');
    expect(chain?.steps.map((s) => [s.from, s.to, s.observed])).toEqual([
      [`arn:aws:iam::${A}:user/support-agent-bot`, 'arn:aws:iam::222233334444:role/ci-deployer', true],
      ['arn:aws:iam::222233334444:role/ci-deployer', 'arn:aws:iam::222233334444:role/lambda-admin', false],
    ]);
    expect(chain?.steps[0]?.permissions[0]).toContain('inline:assume-deployer');
    expect(f.evidence['fewest_hops']).toBe(2);
    expect(f.severity).toBe('critical');
    expect(f.reason).toMatch(/in 2 steps/);
  });

  it('a path under a condition the scan cannot decide is reported only with include_conditional, the condition in the hop', async () => {
    const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/privilege-escalation/miss-conditional-passrole.json'));
    const quiet = await scanFixture(spec);
    expect(quiet.findings.filter((x) => x.detector === 'aws/privilege-escalation')).toEqual([]);
    const loud = await scanFixture({ ...spec, options: { params: { 'aws/privilege-escalation.include_conditional': 'true' } } });
    const f = one(loud, 'aws/privilege-escalation', `arn:aws:iam::${A}:role/build-runner`);
    const lambda = pathsOf(f).find((p) => p.path === 'passrole-lambda-invoke');
    expect(lambda?.conditional).toBe(true);
    expect(lambda?.steps[0]?.conditions.join(' ')).toContain('aws:SourceVpc vpc-0a1b2c3d');
  });

  it('a trust condition the agent cannot meet (MFA) closes the chain', async () => {
    const r = await fx('aws/privilege-escalation', 'miss-chain-closed-by-mfa.json');
    expect(r.findings.filter((x) => x.detector === 'aws/privilege-escalation').map((x) => x.subject.id)).toEqual(['arn:aws:iam::222233334444:role/ci-deployer']);
  });
});

describe('aws/overbroad: granted vs used and a least-privilege policy', () => {
  it('builds the suggested policy from observed calls with the resources their requests named', async () => {
    const r = await fx('aws/exfiltration-capable', 'hit.json');
    const f = one(r, 'aws/overbroad', `arn:aws:iam::${A}:role/AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c`);
    expect(f.evidence['used']).toEqual(['bedrock:InvokeModel', 'secretsmanager:GetSecretValue', 'ses:SendEmail']);
    const policy = f.evidence['suggested_policy'] as { Statement: { Action: string[]; Resource: string[] }[] };
    const byAction = Object.fromEntries(policy.Statement.flatMap((s) => s.Action.map((a) => [a, s.Resource])));
    expect(byAction['bedrock:InvokeModel']).toEqual(['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0']);
    expect(byAction['secretsmanager:GetSecretValue']).toEqual([`arn:aws:secretsmanager:us-east-1:${A}:secret:support/zendesk-token-*`]);
    expect(byAction['ses:SendEmail']).toEqual(['*']);
    expect(f.evidence['granted_but_unused_count']).toBeGreaterThan(100);
    expect(f.evidence['used_but_not_granted']).toEqual([]);
  });

  it('administrator access on a dormant MFA-only role is low; on an agent it is critical', async () => {
    const miss = await fx('aws/trust-too-broad', 'miss.json');
    const bg = one(miss, 'aws/overbroad', 'arn:aws:iam::444455556666:role/break-glass-admin');
    expect(bg.severity).toBe('low');
    expect(bg.evidence['subject_tier']).toBe('dormant-guarded');
    const hit = await fx('aws/overbroad', 'hit.json');
    expect(one(hit, 'aws/overbroad', `arn:aws:iam::${A}:role/support-agent-runtime`).severity).toBe('critical');
  });
});

describe('aws/trust-too-broad: who actually assumed the role', () => {
  it('lists the repositories and refs seen in AssumeRoleWithWebIdentity', async () => {
    const r = await fx('aws/trust-too-broad', 'hit.json');
    const f = one(r, 'aws/trust-too-broad', `arn:aws:iam::${A}:role/github-actions-deploy`);
    expect(f.evidence['observed_subjects']).toEqual(['repo:example/sandbox:pull_request', 'repo:example/web:ref:refs/heads/main']);
    const issues = (f.evidence['issues'] as { issue: string }[]).map((i) => i.issue);
    expect(issues).toEqual(['oidc-wildcard-sub', 'oidc-no-aud']);
    expect(f.reason).toMatch(/assumed in the window by repo:example\/web/);
  });

  it('a partner account that assumed the role keeps the severity of an active role', async () => {
    const r = await fx('aws/trust-too-broad', 'hit-anyone-and-third-parties.json');
    const f = one(r, 'aws/trust-too-broad', `arn:aws:iam::${A}:role/partner-access`);
    expect(f.severity).toBe('medium');
    expect((f.evidence['observed_callers'] as { caller: string }[])[0]?.caller).toBe('account:999988887777');
  });
});

describe('aws/exfiltration-capable evidence', () => {
  it('separates what it may read, how it may send, and what it used', async () => {
    const r = await fx('aws/exfiltration-capable', 'hit-cross-account-write.json');
    const f = one(r, 'aws/exfiltration-capable', `arn:aws:iam::${A}:user/lake-sync`);
    expect(f.evidence['read_actions']).toEqual(['s3:GetObject']);
    expect(f.evidence['send_actions']).toEqual(['s3:PutObject', 'sns:Publish']);
    expect(f.evidence['used_in_window']).toEqual(['s3:GetObject']);
  });
});
