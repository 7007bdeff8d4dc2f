import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { renderTable } from '../../reports/table.js';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { generateDemo } from '../../tools/demo/generate.js';
import { PLANTED } from '../../tools/demo/planted.js';
import { DEV, KEYS, PROD } from '../../tools/demo/world.js';
import { projectRoot } from '../../src/detect/loader.js';
import { RegistrySchema } from '../../src/registry/registry.js';
import { cli } from '../helpers/cli.js';
import { scanDir, tempDir } from '../helpers/scan.js';

// Every registry story of the demo org (fixtures/demo/registry.yaml), end to end: generate the demo,
// scan it with the committed registry and exceptions, then drive `registry check/suggest` and `explain`.
// Whole-demo scans: generous limits for a busy CI machine (each step takes seconds when idle).
vi.setConfig({ testTimeout: 180_000 });
const AS_OF = '2026-11-20T00:00:00Z';
const REGISTRY = join(projectRoot(), 'fixtures/demo/registry.yaml');
const EXCEPTIONS = join(projectRoot(), 'fixtures/demo/exceptions.yaml');
const arn = (acct: string, kind: 'user' | 'role', name: string): string => `arn:aws:iam::${acct}:${kind}/${name}`;

let demo: string;
let db: string;
let report: ScanReport;
const reg = (detector: string): Finding[] => report.findings.filter((f) => f.detector === `registry/${detector}`);


beforeAll(async () => {
  demo = join(tempDir(), 'demo');
  await generateDemo({ out: demo });
  db = join(tempDir(), 'state.duckdb');
  report = await scanDir(demo, AS_OF, 90, { registryFile: REGISTRY, exceptionsFile: EXCEPTIONS, dbPath: db });
}, 300_000);

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('the demo registry', () => {
  it('figma-sync-agent (correct entry): owned by mia through the registry, no registry finding', () => {
    const figma = report.inventory.find((i) => i.id === arn(PROD, 'role', 'figma-sync-agent'));
    expect(figma?.owner).toEqual({ value: 'mia@example.com', source: 'registry' });
    expect(report.findings.filter((f) => f.detector.startsWith('registry/') && (f.subject.arn === figma?.arn || f.subject.id === 'figma-sync-agent'))).toEqual([]);
    // orders-processor, registered without its /service-role/ path, is matched and stays quiet.
    const orders = report.inventory.find((i) => i.name === 'orders-processor');
    expect(orders?.owner.source).toBe('registry');
    expect(report.findings.filter((f) => f.subject.id === orders?.id)).toEqual([]);
  });

  it('data-pipeline-bot: tier violation from grants and from calls, registered by its key id', () => {
    const [f, ...rest] = reg('tier-violation');
    expect(rest).toEqual([]);
    expect(f?.subject.id).toBe(arn(DEV, 'user', 'data-pipeline-bot'));
    expect(f?.severity).toBe('high');
    expect(f?.evidence).toMatchObject({ registry_id: 'data-pipeline-bot', registered_tier: 1, grant_tier: 2, observed_tier: 2 });
    const grants = (f?.evidence['grants'] as { action: string }[]).map((g) => g.action);
    const calls = (f?.evidence['calls'] as { action: string; calls: number }[]).map((c) => c.action);
    expect(grants).toContain('s3:PutObject');
    expect(calls).toContain('athena:StartQueryExecution');
    expect(f?.reason).toMatch(/registered as tier 1.*grants allow tier 2.*acted as tier 2.*; tier 2 needs approval by team-lead, security \(usually 3 business days\)$/);
    // Which approvals the higher tier needs, from the registry's policy (dana owns it, so she is not asked).
    expect(f?.evidence).toMatchObject({ needed_tier: 2, usual_wait: '3 business days', approvals_needed: [
      { role: 'team-lead', holders: ['alice@example.com', 'olga@example.com'] }, { role: 'security', holders: ['priya@example.com', 'sam@example.com'] }] });
    expect(report.inventory.find((i) => i.id === KEYS.dataPipeline)?.owner.source).toBe('registry');
  });

  it('approvals: slack-digest-agent has none, ops-bot was approved by nick who left, ci-deployer by its own owner', () => {
    const byId = Object.fromEntries(reg('approvals').map((f) => [f.subject.id, f]));
    expect(Object.keys(byId).sort()).toEqual(['ci-deployer', 'ops-bot', 'slack-digest-agent']);
    expect(byId['slack-digest-agent']).toMatchObject({
      severity: 'medium', category: 'tier-violation',
      reason: 'agent slack-digest-agent (tier 1) lacks the approvals its tier requires: missing team-lead (usually 1 business day)',
      evidence: { missing: [{ role: 'team-lead', holders: ['alice@example.com', 'olga@example.com'] }], invalid: [] },
    });
    expect(byId['ops-bot']).toMatchObject({
      severity: 'medium',
      reason: 'agent ops-bot (tier 2) lacks the approvals its tier requires: nick@example.com has left (not on the people roster); missing team-lead (usually 3 business days)',
      evidence: { missing: [{ role: 'team-lead', holders: ['alice@example.com', 'olga@example.com'] }], invalid: [{ by: 'nick@example.com', role: 'team-lead', problem: 'nick@example.com has left (not on the people roster)' }] },
    });
    expect(byId['ci-deployer']).toMatchObject({
      severity: 'high',
      reason: 'agent ci-deployer (tier 3) lacks the approvals its tier requires: self-approval: priya@example.com owns the agent; missing security (usually 2 weeks)',
      evidence: { missing: [{ role: 'security', holders: ['sam@example.com'] }], required_roles: ['security', 'compliance', 'vp'] },
    });
    // figma-sync-agent, orders-processor and data-pipeline-bot carry every approval their tier requires.
    expect(byId['figma-sync-agent']).toBeUndefined();
  });

  it('ci-deployer: certification expired; ops-bot: due within 14 days (info)', () => {
    const byId = Object.fromEntries(reg('certification-expired').map((f) => [f.subject.id, f]));
    expect(Object.keys(byId).sort()).toEqual(['ci-deployer', 'ops-bot']);
    expect(byId['ci-deployer']).toMatchObject({ severity: 'medium', evidence: { status: 'expired', certified: '2026-05-04', due: '2026-08-02' } });
    expect(byId['ops-bot']).toMatchObject({ severity: 'info', evidence: { status: 'due-soon', due: '2026-11-22' } });
  });

  it('ops-bot: owner dave left (not on the roster) ⇒ deprovisioning countdown with the date', async () => {
    const f = reg('ownerless');
    expect(f.map((x) => x.subject.id)).toEqual([arn(DEV, 'user', 'ops-bot')]);
    expect(f[0]?.category).toBe('ownerless');
    expect(f[0]?.evidence).toMatchObject({ owner: 'dave@example.com', ownerless_since: '2026-11-20', deprovision_on: '2026-12-20' });
    expect(f[0]?.reason).toMatch(/deprovision on 2026-12-20/);
  });

  it('slack-digest-agent matches nothing: drift, reported as stale', () => {
    const f = reg('drift');
    expect(f.map((x) => x.subject.id)).toEqual(['slack-digest-agent']);
    expect(f[0]?.category).toBe('stale');
    expect(f[0]?.evidence).toMatchObject({ found: 0, listed: 1, unmatched: [arn(PROD, 'role', 'slack-digest-agent')] });
  });

  it('unregistered: the planted agents are reported high with a ready-to-paste entry; humans and registered ones are not', () => {
    const un = new Map(reg('unregistered').map((f) => [f.subject.id, f]));
    for (const p of PLANTED) {
      if (p.expect.includes('unregistered')) {
        expect(un.get(p.arn)?.severity, p.name).toBe('high');
      }
      if (p.mustNot.includes('unregistered')) expect(un.has(p.arn), p.name).toBe(false);
    }
    const support = un.get(arn(PROD, 'user', 'svc-support-agent'));
    const entry = parseYaml(String(support?.evidence['registry_yaml'])) as unknown[];
    expect(entry[0]).toMatchObject({ id: 'svc-support-agent', tier: 3, certified: '2026-11-20', identities: [arn(PROD, 'user', 'svc-support-agent'), KEYS.svcSupportAgent] });
    expect(String(support?.evidence['registry_yaml'])).toMatch(/suggested: dave \(creator, from CloudTrail\)/);
    // The report-agent entry suggests its tag owner.
    expect(un.get(arn(DEV, 'role', 'report-agent'))?.evidence['registry_entry']).toMatchObject({ owner: 'nick@example.com' });
  });

  it('exceptions: vendor-audit is listed as suppressed, not dropped and not active', () => {
    const id = arn(PROD, 'role', 'vendor-audit');
    expect(report.findings.some((f) => f.detector === 'registry/unregistered' && f.subject.id === id)).toBe(false);
    expect(report.suppressed.map((s) => [s.finding.detector, s.finding.subject.id, s.exception.expires])).toEqual([['registry/unregistered', id, '2027-01-31']]);
    const table = renderTable(report, { width: 160, top: 100 });
    expect(table).toMatch(/Suppressed by exceptions \(1\)[\s\S]*vendor-audit\n.*until 2027-01-31, approved by alice@example\.com/);
    expect(table).toMatch(/certification-expired +registry entry ci-deployer/);
  });
});

describe('registry commands on the demo', () => {
  it('registry check exits 1 on the demo registry and names file:line', async () => {
    const r = await cli('registry', 'check', '--registry', REGISTRY, '--db', db);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/tier-violation +.*registry\.yaml:\d+/);
    expect(r.out).toMatch(/certification-expired/);
    expect(r.out).toMatch(/^warnings \(1\):/m);
  });

  it('registry check exits 2 on an invalid file, with line numbers', async () => {
    const bad = join(tempDir(), 'registry.yaml');
    writeFileSync(bad, readFileSync(REGISTRY, 'utf8').replace('    tier: 3\n', '    tier: five\n'));
    const r = await cli('registry', 'check', '--registry', bad, '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/registry\.yaml:\d+:\d+: agents\.3\.tier: tier must be 1/);
  });

  it('pasting every `registry suggest` entry (with the roster) leaves no unregistered agent', async () => {
    const s = await cli('registry', 'suggest', '--db', db, '--registry', REGISTRY);
    expect(s.code).toBe(0);
    const suggested = parseYaml(s.out) as { agents: unknown[] };
    expect(suggested.agents.length).toBe(reg('unregistered').length + report.suppressed.length);
    const current = parseYaml(readFileSync(REGISTRY, 'utf8')) as { policy: unknown; agents: unknown[]; people: string[] };
    const merged = { policy: current.policy, agents: [...current.agents, ...suggested.agents], people: [...current.people, 'change-me@example.com'] };
    expect(RegistrySchema.safeParse(merged).success).toBe(true);
    const file = join(tempDir(), 'registry.yaml');
    writeFileSync(file, stringify(merged));
    const r = await cli('registry', 'check', '--registry', file, '--db', db, '--format', 'json');
    const out = JSON.parse(r.out) as { violations: Finding[] };
    expect(out.violations.filter((f) => f.category === 'unregistered')).toEqual([]);
  });

  it('registry suggest --identity gives that identity\'s entry only (by ARN or key id), and nothing for a registered one', async () => {
    const all = parseYaml((await cli('registry', 'suggest', '--db', db)).out) as { agents: { id: string; identities: string[] }[] };
    const one = await cli('registry', 'suggest', '--db', db, '--identity', arn(PROD, 'user', 'svc-support-agent'));
    expect(one.code).toBe(0);
    const doc = parseYaml(one.out) as { agents: { id: string; identities: string[] }[] };
    expect(doc.agents).toEqual(all.agents.filter((a) => a.id === 'svc-support-agent'));
    expect(doc.agents).toHaveLength(1);
    // Its key names the same agent (the entry is the user's, listing the key).
    const byKey = await cli('registry', 'suggest', '--db', db, '--identity', KEYS.svcSupportAgent);
    expect(byKey.out).toBe(one.out);
    const registered = await cli('registry', 'suggest', '--db', db, '--identity', arn(PROD, 'role', 'figma-sync-agent'));
    expect(registered.code).toBe(0);
    expect(registered.out).toMatch(/nothing to suggest for .*figma-sync-agent: it is registered already/);
    expect((parseYaml(registered.out) as { agents: unknown[] }).agents).toEqual([]);
  });

  describe('shadowscan.yaml (registry:, people:, …) is read by registry check, suggest and explain as by scan', () => {
    const support = arn(PROD, 'user', 'svc-support-agent');
    /** A config dir whose registry is the demo's plus an entry for svc-support-agent. */
    function configDir(config: string): { dir: string; cfg: string; registry: string } {
      const dir = tempDir();
      const doc = parseYaml(readFileSync(REGISTRY, 'utf8')) as { agents: unknown[]; people: string[] };
      doc.agents.push({ id: 'svc-support-agent', owner: 'dave@example.com', purpose: 'Answers support tickets', tier: 3, certified: '2026-11-01', identities: [support] });
      const registry = join(dir, 'registry.yaml');
      writeFileSync(registry, stringify(doc));
      const cfg = join(dir, 'shadowscan.yaml');
      writeFileSync(cfg, config);
      return { dir, cfg, registry };
    }

    it('registry check takes registry: from the file (--config, or ./shadowscan.yaml) when --registry is not given', async () => {
      const { dir, cfg, registry } = configDir('registry: ./registry.yaml\n');
      const viaFlag = await cli('registry', 'check', '--db', db, '--registry', registry, '--format', 'json');
      const viaConfig = await cli('registry', 'check', '--db', db, '--config', cfg, '--format', 'json');
      expect(viaConfig.code).toBe(1);
      const a = JSON.parse(viaConfig.out) as { registry: string; agents: number; violations: Finding[] };
      expect(a.registry).toBe(registry);
      expect(a.violations.map((f) => f.id)).toEqual((JSON.parse(viaFlag.out) as { violations: Finding[] }).violations.map((f) => f.id));
      // The added entry covers svc-support-agent: no longer unregistered.
      expect(a.violations.filter((f) => f.detector === 'registry/unregistered' && f.subject.id === support)).toEqual([]);
      expect(reg('unregistered').some((f) => f.subject.id === support)).toBe(true);
      const cwd = process.cwd();
      try {
        process.chdir(dir);
        const found = await cli('registry', 'check', '--db', db, '--format', 'json');
        expect(found.code).toBe(1);
        expect((JSON.parse(found.out) as { registry: string }).registry).toBe(registry);
      } finally {
        process.chdir(cwd);
      }
      // Without a registry anywhere: exit 2, saying where one can come from.
      const none = await cli('registry', 'check', '--db', db);
      expect(none.code).toBe(2);
      expect(none.err).toMatch(/--registry FILE, or registry: in shadowscan\.yaml/);
    });

    it('registry suggest and explain use the file\'s registry; the --registry flag wins over it', async () => {
      const { cfg } = configDir('registry: ./registry.yaml\n');
      const s = await cli('registry', 'suggest', '--db', db, '--config', cfg);
      expect(s.code).toBe(0);
      const ids = (parseYaml(s.out) as { agents: { id: string }[] }).agents.map((x) => x.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids).not.toContain('svc-support-agent');
      const e = await cli('explain', support, '--db', db, '--config', cfg);
      expect(e.code).toBe(0);
      expect(e.out).toMatch(/Registry: "svc-support-agent"/);
      expect(e.out).not.toMatch(/\[high\] unregistered/);
      // The flag wins: the file's registry (missing here) is not even read.
      const { cfg: broken } = configDir('registry: ./no-such-registry.yaml\n');
      const flag = await cli('registry', 'check', '--db', db, '--config', broken, '--registry', REGISTRY);
      expect(flag.code).toBe(1);
      expect(flag.out).toContain(`${REGISTRY}: valid`);
    });

    it('people: in the file replaces the stored roster for the re-evaluation (registry owners not on it have left)', async () => {
      // A registry without its own people: list, so the roster is the scan's (--people) or the file's.
      const ownerless = async (config: string): Promise<string[]> => {
        const { dir, cfg, registry } = configDir(config);
        const doc = parseYaml(readFileSync(registry, 'utf8')) as Record<string, unknown>;
        delete doc['people'];
        writeFileSync(registry, stringify(doc));
        writeFileSync(join(dir, 'people.txt'), 'olga@example.com\n');
        const r = await cli('registry', 'check', '--db', db, '--config', cfg, '--format', 'json');
        return (JSON.parse(r.out) as { violations: Finding[] }).violations.filter((f) => f.detector === 'registry/ownerless').map((f) => JSON.stringify(f));
      };
      const stored = await ownerless('registry: ./registry.yaml\n');
      const fromFile = await ownerless('registry: ./registry.yaml\npeople: ./people.txt\n');
      // The stored scan had no --people: without the registry's own list there is no roster, nobody has left.
      expect(stored).toEqual([]);
      // The file's roster has olga (orders-processor's owner) and not mia (figma-sync-agent's).
      expect(fromFile.some((f) => f.includes('figma-sync-agent'))).toBe(true);
      expect(fromFile.some((f) => f.includes('orders-processor'))).toBe(false);
    });

    it('a bad shadowscan.yaml is exit 2 naming file:line, for check, suggest and explain alike', async () => {
      const { cfg } = configDir('registry: ./registry.yaml\nregistri: ./typo.yaml\n');
      for (const args of [['registry', 'check'], ['registry', 'suggest'], ['explain', support]]) {
        const r = await cli(...args, '--db', db, '--config', cfg);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.err).toMatch(/shadowscan\.yaml:2:1: .*unknown key\(s\) registri/);
      }
    });
  });

  it('explain answers in plain words for an unregistered agent, a key id and a registry id', async () => {
    const a = await cli('explain', arn(PROD, 'user', 'svc-support-agent'), '--db', db);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/Is it an agent\?\n {2}Yes/);
    expect(a.out).toMatch(/What can it do\?[\s\S]*tier 3/);
    expect(a.out).toMatch(/Who owns it\?\n {2}Nobody declared\. dave created it/);
    expect(a.out).toMatch(/\[high\] unregistered/);
    expect(a.out).toMatch(/Register it:[\s\S]*- id: svc-support-agent/);
    expect(a.out).toMatch(new RegExp(`aws iam update-access-key --user-name svc-support-agent --access-key-id ${KEYS.svcSupportAgent} --status Inactive`));
    const k = await cli('explain', KEYS.dataPipeline, '--db', db);
    expect(k.out).toMatch(/named in the agent registry/);
    expect(k.out).toMatch(/\[high\] tier-violation/);
    const r = await cli('explain', 'ops-bot', '--db', db);
    expect(r.out).toMatch(/registry entry "ops-bot"/);
    expect(r.out).toMatch(/Give it an owner before 2026-12-20/);
    const none = await cli('explain', 'arn:aws:iam::210987654321:role/nope', '--db', db);
    expect(none.code).toBe(2);
  });

  it('explain gives each command once: a finding command an earlier step printed is not repeated', async () => {
    for (const who of [arn(PROD, 'user', 'svc-support-agent'), 'gpt-nightly']) {
      const e = await cli('explain', who, '--db', db);
      expect(e.code).toBe(0);
      const commands = e.out.split('\n').map((l) => l.trim().replace(/\s+#.*$/, '')).filter((l) => l.startsWith('aws '));
      expect(commands.length).toBeGreaterThan(2);
      expect(commands.filter((c, i) => commands.indexOf(c) !== i)).toEqual([]);
    }
  });

  it('the committed demo registry sits next to the generated demo and survives regeneration', async () => {
    // A fresh clone: only the committed companions are there; generating (twice) keeps them.
    const dir = join(tempDir(), 'demo');
    mkdirSync(dir);
    copyFileSync(REGISTRY, join(dir, 'registry.yaml'));
    await generateDemo({ out: dir, records: 0 });
    await generateDemo({ out: dir, records: 0 });
    expect(readFileSync(join(dir, 'README.md'), 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'registry.yaml'), 'utf8')).toBe(readFileSync(REGISTRY, 'utf8'));
  }, 60_000);

  it('the ownerless countdown is stored: a later scan into the same database keeps the first date', async () => {
    const later = await scanDir(demo, '2026-11-27T00:00:00Z', 90, { registryFile: REGISTRY, dbPath: db });
    const again = later.findings.find((x) => x.detector === 'registry/ownerless');
    expect(again?.evidence).toMatchObject({ ownerless_since: '2026-11-20', deprovision_on: '2026-12-20' });
    expect(again?.reason).toMatch(/23 day\(s\) left/);
  }, 300_000);
});
