import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { PLANTED_GITHUB } from '../../tools/demo/github.js';
import { PLANTED, type DemoCategory } from '../../tools/demo/planted.js';
import { BEDROCK_API_KEYS, KEYS } from '../../tools/demo/world.js';
import { scanDir } from '../helpers/scan.js';

// The behaviour and credential detectors against the committed demo org and its people roster
// (what `npm start` scans): every planted case fires, every look-alike stays quiet.
const BEHAVIOUR: DemoCategory[] = [
  'static-key-automation', 'static-key-in-ci', 'human-key-automation', 'long-lived-credential', 'stale', 'ownerless',
  'shared-credential', 'human-use-of-nhi', 'runtime-escalation', 'leaked-credential',
];
const demo = join(projectRoot(), 'fixtures/demo');

let report: ScanReport;
beforeAll(async () => {
  report = await scanDir(demo, '2026-11-20T00:00:00Z', 90, {
    peopleFile: join(demo, 'people.txt'),
    leakFiles: [join(demo, 'leaks/gitleaks.json'), join(demo, 'leaks/github-secret-scanning-alerts.json')],
  });
}, 120_000);

const about = (ids: string[]): Finding[] => report.findings.filter((f) => ids.includes(f.subject.id));
const one = (detector: string, subject: string): Finding => {
  const f = report.findings.find((x) => x.detector === detector && x.subject.id === subject);
  expect(f, `${detector} on ${subject}`).toBeDefined();
  return f!;
};

// OIDC subjects are not inventory rows: they are evidence on the role they assume (github-actions-deploy).
const NOT_INVENTORIED: readonly string[] = ['oidc-subject'];

describe('classification of every planted identity and its keys', () => {
  for (const p of PLANTED) {
    if (NOT_INVENTORIED.includes(p.kind)) continue;
    const ok = [p.classification, ...(p.alsoOk ?? [])];
    it(`${p.name}: ${ok.join(' or ')}${p.keys.length ? `; keys ${p.keys.map((k) => p.keyClassification?.[k] ?? ok.join('/')).join(', ')}` : ''}`, () => {
      const row = report.inventory.find((i) => i.id === p.arn);
      expect(row, `${p.name} in the inventory`).toBeDefined();
      const why = (r: { classification: string; evidence: { signal: string; detail: string }[] } | undefined): string =>
        `${r?.classification}: ${(r?.evidence ?? []).map((e) => `${e.signal} (${e.detail})`).join('; ')}`;
      expect(ok, `${p.name} classified ${why(row)}`).toContain(row?.classification);
      for (const k of p.keys) {
        const key = report.inventory.find((i) => i.id === k);
        expect(key, `key ${k} of ${p.name} in the inventory`).toBeDefined();
        const want = p.keyClassification?.[k];
        if (want) expect(key?.classification, `key ${k} of ${p.name} classified ${why(key)}`).toBe(want);
        else expect(ok, `key ${k} of ${p.name} classified ${why(key)}`).toContain(key?.classification);
      }
    });
  }

  it('keeps the deploy tool as evidence: dave deployed an agent runtime, he is not one', () => {
    for (const id of ['arn:aws:iam::210987654321:user/dave', KEYS.dave]) {
      const row = report.inventory.find((i) => i.id === id);
      expect(row?.evidence.map((e) => e.signal)).toEqual(expect.arrayContaining(['workload: deployed an agent runtime', 'human: run by hand from a workstation']));
      expect(row?.evidence.find((e) => e.signal === 'workload: deployed an agent runtime')?.detail).toContain('bedrock-agentcore:CreateAgentRuntime');
      expect(row?.evidence.some((e) => e.signal.startsWith('agent:'))).toBe(false);
    }
  });
});

describe('the planted GitHub identities', () => {
  for (const g of PLANTED_GITHUB) {
    it(`${g.id}: ${g.classification}; raises ${g.expect.join(', ') || 'nothing of these'}; not ${g.mustNot.join(', ') || '-'}`, () => {
      const row = report.inventory.find((i) => i.id === g.id);
      expect(row, `${g.id} in the inventory`).toBeDefined();
      expect(row?.classification, `${g.id}: ${(row?.evidence ?? []).map((e) => `${e.signal} (${e.detail})`).join('; ')}`).toBe(g.classification);
      const cats = new Set(about([g.id]).map((f) => f.category));
      for (const c of g.expect) expect(cats, `${g.id} should raise ${c}`).toContain(c);
      for (const c of g.mustNot) expect(cats, `${g.id} must not raise ${c}`).not.toContain(c);
    });
  }

  it('says why a PAT grant is classified as it is', () => {
    const nick = report.inventory.find((i) => i.id === 'github://example/personal-access-tokens/31');
    expect(nick?.evidence).toEqual(expect.arrayContaining([
      { signal: 'workload: used after its owner left', detail: expect.stringContaining('nick is no longer an org member') },
      { signal: 'workload: name suggests automation', detail: 'token name report-sync (report)' },
    ]));
    expect(nick?.evidence.find((e) => e.signal === 'not an agent')?.detail).toContain('GitHub Models');
  });
});

describe('behaviour detectors on the demo org', () => {
  for (const p of PLANTED) {
    const expectHere = p.expect.filter((c) => BEHAVIOUR.includes(c));
    const mustNot = p.mustNot.filter((c) => BEHAVIOUR.includes(c));
    if (expectHere.length + mustNot.length === 0) continue;
    it(`${p.name}: raises ${expectHere.join(', ') || 'nothing of these'}; not ${mustNot.join(', ') || '-'}`, () => {
      const cats = new Set(about([p.arn, ...p.keys, ...(p.bedrockApiKeys ?? [])]).map((f) => f.category));
      for (const c of expectHere) expect(cats, `${p.name} should raise ${c}`).toContain(c);
      for (const c of mustNot) expect(cats, `${p.name} must not raise ${c}`).not.toContain(c);
    });
  }

  it('reports the never-expiring long-term Bedrock API key, not the deactivated one', () => {
    const f = one('aws/bedrock-api-key', BEDROCK_API_KEYS.gptNightly);
    expect(f.reason).toContain('never expires');
    expect(f.evidence).toMatchObject({ user_name: 'gpt-nightly', alias: 'claude-code-nightly', never_expires: true, unused_in_window: true });
    expect(f.remediation.commands).toContain(`aws iam update-service-specific-credential --user-name gpt-nightly --service-specific-credential-id ${BEDROCK_API_KEYS.gptNightly} --status Inactive`);
    expect(report.findings.filter((x) => x.subject.id === BEDROCK_API_KEYS.gptNightlyRetired)).toEqual([]);
  });

  it('judges keys one by one: the idle second key of ops-bot, never its used key or a key rotated yesterday', () => {
    const ll = report.findings.filter((f) => f.detector === 'aws/long-lived-credential').map((f) => f.subject.id);
    expect(ll).toContain(KEYS.opsBotUnused);
    expect(ll).not.toContain(KEYS.opsBotUsed);
    expect(ll).not.toContain(KEYS.rotatedNew);
    expect(one('aws/stale', KEYS.opsBotUnused).evidence['last_used_source']).toBe('never');
    expect(one('aws/stale', KEYS.etlLegacy).evidence['last_used_source']).toBe('credential-report');
  });

  it('explains the planted stories in the evidence', () => {
    const jane = one('aws/human-key-automation', KEYS.jane);
    expect(jane.reason).toContain('LangChain');
    expect(jane.evidence['why_a_person']).toEqual(expect.arrayContaining(['the user has a console password with MFA']));
    const ci = one('aws/static-key-in-ci', KEYS.ciDeployer).evidence as { oidc_migration: { trust_policy: string; workflow_change: string } };
    expect(JSON.parse(ci.oidc_migration.trust_policy).Statement[0].Principal.Federated).toBe('arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com');
    expect(ci.oidc_migration.workflow_change).toContain('id-token: write');
    expect(one('aws/leaked-credential', KEYS.ciDeployer).reason).toContain('TruffleHog');
    expect(one('aws/leaked-credential', KEYS.leakedBot).reason).toContain('AWSCompromisedKeyQuarantineV3');
    expect(one('aws/leaked-credential', KEYS.etlLegacy).reason).toContain('gitleaks');
    const dp = one('aws/leaked-credential', KEYS.dataPipeline);
    expect(dp.severity).toBe('critical');
    expect((dp.evidence['use_after_leak'] as { calls: number }).calls).toBeGreaterThan(0);
    expect(one('aws/ownerless', 'arn:aws:iam::345678901234:role/report-agent').reason).toContain('nick@example.com has left - not in the people roster');
    expect(one('aws/ownerless', 'arn:aws:iam::210987654321:user/svc-support-agent').reason).toContain('creator dave has left');
    const esc = one('aws/runtime-escalation', 'arn:aws:iam::345678901234:role/report-agent');
    expect(esc.severity).toBe('critical');
    expect(esc.evidence['granted_itself']).toBe(true);
    const stale = one('aws/stale', 'arn:aws:iam::210987654321:role/break-glass-admin');
    expect(['info', 'low']).toContain(stale.severity);
  });
});
