import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatYamlIssues } from '../../src/kernel/yaml-input.js';
import type { FixtureSpec } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { approvalsNeeded, readRegistry } from '../../src/registry/registry.js';
import { scanFixture, tempDir } from '../helpers/scan.js';

const FIXTURES = join(projectRoot(), 'fixtures/detectors/registry/approvals');
const spec = (name: string): FixtureSpec => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as FixtureSpec;

function file(text: string): string {
  const p = join(tempDir(), 'registry.yaml');
  writeFileSync(p, text);
  return p;
}

const POLICY = `policy:
  roles:
    team-lead: [lead@example.com]
    security: [sec@example.com, Owner@example.com]
  tiers:
    1: { approvers: [team-lead], usual_wait: 1 day }
    2: { approvers: [team-lead, security] }
    3: { approvers: [team-lead, security], exception_approver: security }
`;

describe('registry/approvals (detector)', () => {
  it('reports self-approval, a departed approver, a tier raised without new approvals, and who can still approve', async () => {
    const report = await scanFixture(spec('hit.json'));
    const f = Object.fromEntries(report.findings.filter((x) => x.detector === 'registry/approvals').map((x) => [x.subject.id, x]));
    expect(f['report-bot']?.severity).toBe('high');
    expect(f['report-bot']?.reason).toBe('agent report-bot (tier 2) lacks the approvals its tier requires: tier raised from 1 to 2 without new approvals; '
      + 'nick@example.com has left (not on the people roster); missing team-lead, security (usually 3 business days)');
    expect(f['report-bot']?.evidence).toMatchObject({
      tier: 2, tier_raised_from: 1, required_roles: ['team-lead', 'security'],
      // nick left: not offered as an approver; the owner is never offered either.
      missing: [{ role: 'team-lead', holders: ['lead@example.com'] }, { role: 'security', holders: ['ops@example.com', 'sec@example.com'] }],
      invalid: [{ by: 'nick@example.com', line: 19, problem: 'nick@example.com has left (not on the people roster)' },
        { by: 'sec@example.com', line: 20, problem: 'approved tier 1, the entry is tier 2' }],
    });
    expect(f['etl-user']?.reason).toBe('agent etl-user (tier 1) lacks the approvals its tier requires: self-approval: ops@example.com owns the agent; missing team-lead (usually 1 business day)');
    expect(f['etl-user']?.severity).toBe('high');
  }, 120_000);
});

describe('approval policy in the registry file', () => {
  it('reads roles (lower-cased), tiers, help and each approval with its line', () => {
    const r = readRegistry(file(`${POLICY}  help: { channel: "#agents", url: https://wiki.example.com/agents }
agents:
  - id: a1
    owner: owner@example.com
    purpose: Reads dashboards
    tier: 2
    certified: 2026-10-11
    identities: [arn:aws:iam::210987654321:role/a1]
    approvals:
      - { by: Lead@example.com, role: team-lead, tier: 2, date: 2026-10-11 }
`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.registry.policy?.roles['security']).toEqual(['sec@example.com', 'owner@example.com']);
    expect(r.registry.policy?.exception_max_days).toBe(90);
    expect(r.registry.agents[0]?.approvals).toEqual([{ by: 'lead@example.com', role: 'team-lead', tier: 2, date: '2026-10-11', line: 18 }]);
    // What tier 2 needs, without the owner and without people who left.
    expect(approvalsNeeded(r.registry.policy!, 2, { exclude: 'owner@example.com', people: ['lead@example.com'] }))
      .toEqual({ tier: 2, roles: [{ role: 'team-lead', holders: ['lead@example.com'] }, { role: 'security', holders: [] }], usual_wait: null });
  });

  it('names the file, line and path of every policy problem', () => {
    const p = file(`policy:
  roles:
    team-lead: [lead]
  tiers:
    1: { approvers: [team-lead] }
    2: { approvers: [team-lead, security] }
    3: { approvers: [], exception_approver: ciso }
  help: { url: not-a-url }
agents:
  - id: a1
    owner: owner@example.com
    purpose: Reads dashboards
    tier: 1
    certified: 2026-10-11
    identities: [arn:aws:iam::210987654321:role/a1]
    approvals:
      - { by: lead@example.com, role: manager, tier: 1, date: 2026-10-11 }
      - { by: lead@example.com, role: team-lead, tier: 4, date: yesterday }
`);
    const r = readRegistry(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = formatYamlIssues(p, r.issues);
    expect(text).toContain(`${p}:3:17: policy.roles.team-lead.0: must be the email address of a person`);
    expect(text).toContain(`${p}:6:33: policy.tiers.2.approvers.1: role "security" is not declared under policy.roles (team-lead)`);
    expect(text).toContain(`${p}:7:21: policy.tiers.3.approvers: name at least one role that must approve this tier`);
    expect(text).toContain('policy.tiers.3.exception_approver: role "ciso" is not declared under policy.roles');
    expect(text).toContain(`${p}:8:16: policy.help.url: must be a URL, e.g. https://wiki.example.com/agent-registry`);
    expect(text).toContain('agents.0.approvals.1.tier: tier must be 1, 2 or 3');
    expect(text).toContain('agents.0.approvals.1.date: "yesterday" is not a date');
  });

  it('an approval in a role the policy does not declare names the role and the declared ones', () => {
    const p = file(`${POLICY}agents:
  - id: a1
    owner: owner@example.com
    purpose: Reads dashboards
    tier: 1
    certified: 2026-10-11
    identities: [arn:aws:iam::210987654321:role/a1]
    approvals:
      - { by: lead@example.com, role: manager, tier: 1, date: 2026-10-11 }
`);
    const r = readRegistry(p);
    expect(!r.ok && formatYamlIssues(p, r.issues)).toBe(`${p}:17:39: agents.0.approvals.0.role: role "manager" is not declared under policy.roles (team-lead, security)`);
  });

  it('approvals without a policy are an error that says what to declare', () => {
    const p = file(`agents:
  - id: a1
    owner: owner@example.com
    purpose: Reads dashboards
    tier: 1
    certified: 2026-10-11
    identities: [arn:aws:iam::210987654321:role/a1]
    approvals: [{ by: lead@example.com, role: team-lead, tier: 1, date: 2026-10-11 }]
`);
    const r = readRegistry(p);
    expect(!r.ok && formatYamlIssues(p, r.issues)).toBe(`${p}:8:16: agents.0.approvals: approvals need an approval policy: declare policy.roles and policy.tiers in this file`);
  });
});

describe('registry approve', () => {
  it('records an approval that counts, keeps comments, and refuses one that would not', async () => {
    const { cli } = await import('../helpers/cli.js');
    const p = file(`# our registry
${POLICY}agents:
  # the nightly report
  - id: a1
    owner: owner@example.com
    purpose: Reads dashboards
    tier: 2
    certified: 2026-10-11
    identities: [arn:aws:iam::210987654321:role/a1]   # the ECS task role
`);
    const ok = await cli('registry', 'approve', 'a1', '--role', 'team-lead', '--by', 'Lead@example.com', '--registry', p, '--date', '2026-11-20');
    expect(ok.code).toBe(0);
    expect(ok.out).toBe(`${p}: recorded lead@example.com as team-lead for a1 on 2026-11-20; still needed: security\n`);
    const text = readFileSync(p, 'utf8');
    expect(text).toContain('# our registry\n');
    expect(text).toContain('  # the nightly report\n');
    expect(text).toContain('# the ECS task role');
    expect(text).toContain('    approvals:\n      - { by: lead@example.com, role: team-lead, tier: 2, date: 2026-11-20 }\n');
    const self = await cli('registry', 'approve', 'a1', '--role', 'security', '--by', 'owner@example.com', '--registry', p);
    expect(self.code).toBe(2);
    expect(self.err).toContain('owner@example.com owns a1: an owner never approves their own agent; ask sec@example.com');
    const notHolder = await cli('registry', 'approve', 'a1', '--role', 'security', '--by', 'lead@example.com', '--registry', p);
    expect(notHolder.err).toContain('lead@example.com does not hold the role security');
    expect(readFileSync(p, 'utf8')).toBe(text);
    const done = await cli('registry', 'approve', 'a1', '--role', 'security', '--by', 'sec@example.com', '--registry', p, '--date', '2026-11-21');
    expect(done.out).toContain('every approval its tier needs is recorded');
    const r = readRegistry(p);
    expect(r.ok && r.registry.agents[0]?.approvals.map((a) => a.role)).toEqual(['team-lead', 'security']);
  });
});
