import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/kernel/types.js';
import { riskScore, type RiskFacts } from '../../src/inventory/score.js';

const base: RiskFacts = {
  classification: 'workload', kind: 'iam-role', admin: false, broad: false, permissionsManagement: 0, writes: 0, granted: 10,
  staticKeyDriven: false, activeKeys: 0, tier: 'workload', llmCalls: 0, callsInWindow: 100, ownerSource: 'tag',
};
const finding = (category: Finding['category'], severity: Finding['severity']): Finding => ({
  id: 'x', detector: `aws/${category}`, category, severity, confidence: 'high', title: 't', subject: { type: 'iam-role', id: 'a', arn: null, account: null },
  reason: 'r', evidence: {}, remediation: { summary: '', steps: [], commands: [] }, owasp_nhi: [], mitre_attack: [], first_seen: null, last_seen: null,
});

describe('risk score', () => {
  it('an admin agent driven by a static key with no owner outranks a dormant MFA-only break-glass admin, and says why', () => {
    const agent = riskScore({ ...base, classification: 'agent', kind: 'iam-user', admin: true, staticKeyDriven: true, activeKeys: 1, llmCalls: 40, tier: 'agent-static-key', ownerSource: 'none' },
      [finding('overbroad', 'critical')]);
    const breakGlass = riskScore({ ...base, classification: 'unknown', admin: true, tier: 'dormant-guarded', callsInWindow: 0, ownerSource: 'tag' }, [finding('overbroad', 'low')]);
    expect(agent.score).toBeGreaterThanOrEqual(70);
    expect(breakGlass.score).toBeLessThan(35);
    expect(agent.reasons.map((r) => r.split(':')[0])).toEqual(['+30 privilege', '+15 exposure', '+20 automation', '+8 ownership']);
    expect(agent.reasons[2]).toContain('40 LLM call(s)');
    expect(breakGlass.reasons[0]).toMatch(/halved: unused and only assumable with MFA/);
  });

  it('findings raise their dimension (never past its cap); AWS service roles are not scored', () => {
    const plain = riskScore(base, []);
    const leaked = riskScore(base, [finding('leaked-credential', 'critical'), finding('trust-too-broad', 'high')]);
    expect(leaked.score - plain.score).toBe(25);
    expect(leaked.reasons.find((r) => r.includes('exposure'))).toMatch(/^\+25 exposure: critical aws\/leaked-credential \(also: high aws\/trust-too-broad\)/);
    expect(riskScore({ ...base, classification: 'aws-service', admin: true }, []).score).toBe(0);
    const all = riskScore({ ...base, classification: 'agent', admin: true, staticKeyDriven: true, llmCalls: 1, ownerSource: 'none', tier: 'dormant' },
      [finding('leaked-credential', 'critical'), finding('ownerless', 'critical'), finding('stale', 'critical'), finding('privilege-escalation', 'critical')]);
    expect(all.score).toBeLessThanOrEqual(100);
  });
});
