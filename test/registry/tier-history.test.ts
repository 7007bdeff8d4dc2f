import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

// "A tier raised without new approvals is a violation", judged from the runs stored in the database: the demo's
// figma-sync-agent is tier 2 with approvals (recorded for tier 2) dated 2026-10-11. When an earlier scan in the
// same database stored it at tier 1, those approvals predate the raise and do not count for tier 2.
const AS_OF = '2026-11-20T00:00:00Z';
const DEMO_REGISTRY = readFileSync('fixtures/demo/registry.yaml', 'utf8');
const FIGMA = /(- id: figma-sync-agent\n(?:.*\n)*?\s+tier: )2/;

let dir: string;
function registryFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function scan(db: string, registry: string, asOf = AS_OF): Promise<ScanReport> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const r = await cli('scan', '--from', 'fixtures/demo', '--as-of', asOf, '--db', db, '--people', 'fixtures/demo/people.txt',
    '--registry', registry, '--format', 'json', '--output', out, '-q');
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as ScanReport;
}

const figmaApprovals = (r: ScanReport): Finding | undefined => r.findings.find((f) => f.detector === 'registry/approvals' && f.subject.id === 'figma-sync-agent');

let tier1: string;
let tier2: string;
/** A database holding one scan with figma-sync-agent at tier 1, and that scan's report. */
let tier1Db: string;
let tier1Report: ScanReport;
/** A database of its own holding the tier-1 scan (a copy: each test goes on from it in its own file). */
const afterTier1Scan = (name: string): string => {
  const db = join(dir, name);
  copyFileSync(tier1Db, db);
  if (existsSync(`${tier1Db}.wal`)) copyFileSync(`${tier1Db}.wal`, `${db}.wal`);
  return db;
};
beforeAll(async () => {
  dir = tempDir();
  expect(DEMO_REGISTRY).toMatch(FIGMA);
  tier1 = registryFile('registry-tier1.yaml', DEMO_REGISTRY.replace(FIGMA, '$11'));
  tier2 = registryFile('registry-tier2.yaml', DEMO_REGISTRY);
  tier1Db = join(dir, 'tier1.duckdb');
  tier1Report = await scan(tier1Db, tier1);
}, 120_000);

describe('registry/approvals: a tier raised since an earlier scan in the same database', () => {
  it('a first scan with no history behaves as before: the tier-2 entry with its tier-2 approvals passes', async () => {
    expect(figmaApprovals(await scan(join(dir, 'fresh.duckdb'), tier2))).toBeUndefined();
  }, 120_000);

  it('raised from 1 to 2 after a scan stored it at tier 1, with only older approvals: a violation naming what tier 2 needs; new approvals clear it', async () => {
    expect(figmaApprovals(tier1Report)).toBeUndefined();
    const db = afterTier1Scan('history.duckdb');

    const raised = figmaApprovals(await scan(db, tier2));
    expect(raised?.reason).toBe('agent figma-sync-agent (tier 2) lacks the approvals its tier requires: tier raised from 1 to 2 on/after 2026-11-20 ' +
      'without new approvals; tier 2 needs approval by team-lead, security (usually 3 business days)');
    expect(raised?.severity).toBe('high');
    expect(raised?.category).toBe('tier-violation');
    expect(raised?.evidence).toMatchObject({ tier: 2, tier_raised_from: 1, tier_raised_since: '2026-11-20', invalid: [],
      missing: [{ role: 'team-lead' }, { role: 'security' }] });

    // Still raised against that scan on the next one: the violation does not go away by scanning again.
    expect(figmaApprovals(await scan(db, tier2))?.evidence['tier_raised_since']).toBe('2026-11-20');

    // Both roles approve again, on or after the day of the scan that saw tier 1: no violation.
    const approved = registryFile('registry-approved.yaml', DEMO_REGISTRY
      .replace('{ by: olga@example.com, role: team-lead, tier: 2, date: 2026-10-11 }', '{ by: olga@example.com, role: team-lead, tier: 2, date: 2026-11-20 }')
      .replace('{ by: sam@example.com, role: security, tier: 2, date: 2026-10-11 }', '{ by: sam@example.com, role: security, tier: 2, date: 2026-11-20 }'));
    expect(figmaApprovals(await scan(db, approved))).toBeUndefined();
  }, 300_000);

  it('registry check with a raised file over a stored scan at the lower tier reports the raise (the file is the next state)', async () => {
    const db = afterTier1Scan('check.duckdb');
    const r = await cli('registry', 'check', '--db', db, '--registry', tier2, '--people', 'fixtures/demo/people.txt', '--format', 'json');
    const findings = (JSON.parse(r.out) as { violations: Finding[] }).violations;
    expect(findings.find((f) => f.detector === 'registry/approvals' && f.subject.id === 'figma-sync-agent')?.reason)
      .toContain('tier raised from 1 to 2 on/after 2026-11-20 without new approvals');
    // The same file as the stored scan: nothing raised.
    const same = await cli('registry', 'check', '--db', db, '--registry', tier1, '--people', 'fixtures/demo/people.txt', '--format', 'json');
    expect((JSON.parse(same.out) as { violations: Finding[] }).violations.filter((f) => f.subject.id === 'figma-sync-agent' && f.detector === 'registry/approvals')).toEqual([]);
  }, 120_000);

  it('the same identity under a new id is the same entry: renamed and raised is still raised', async () => {
    const db = afterTier1Scan('renamed.duckdb');
    const renamed = registryFile('registry-renamed.yaml', DEMO_REGISTRY.replace('- id: figma-sync-agent', '- id: figma-tokens-agent'));
    const f = (await scan(db, renamed)).findings.find((x) => x.detector === 'registry/approvals' && x.subject.id === 'figma-tokens-agent');
    expect(f?.reason).toContain('tier raised from 1 to 2 on/after 2026-11-20 without new approvals');
  }, 120_000);
});
