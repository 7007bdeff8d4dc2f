import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

afterEach(() => vi.restoreAllMocks());

// A user's own detector with its fixtures: agents' roles with no permissions boundary.
const USER_DETECTOR = `/*---
id: acme/agent-without-boundary
title: Agent role without a permissions boundary
category: overbroad
severity: medium
confidence: medium
requires: [nhi, iam_principals]
summary: An agent's role has no permissions boundary.
rationale: Acme policy says every agent role carries the agent boundary.
remediation: { summary: Attach the boundary., steps: [Attach arn:aws:iam::ACCOUNT:policy/boundaries/agent-boundary.] }
mappings: { owasp_nhi: ["NHI5:2025"] }
---*/
SELECT i.kind AS subject_type, i.arn AS subject_id, i.account AS account_id, i.arn AS principal_arn,
  NULL::TIMESTAMP AS first_seen, NULL::TIMESTAMP AS last_seen, 'role ' || i.name || ' is an agent without a boundary' AS reason,
  {'name': i.name} AS evidence
FROM nhi i JOIN iam_principals p ON p.arn = i.arn
WHERE i.classification = 'agent' AND i.kind = 'iam-role' AND p.permissions_boundary IS NULL
ORDER BY subject_id
`;

function userDir(broken = false): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'acme'), { recursive: true });
  writeFileSync(join(dir, 'acme', 'agent-without-boundary.sql'), broken ? USER_DETECTOR.replace('category: overbroad', 'category: vibes') : USER_DETECTOR);
  const fx = join(dir, 'acme', 'agent-without-boundary');
  mkdirSync(fx, { recursive: true });
  // The overbroad hit fixture is an AgentCore role without a boundary; the exfiltration miss fixture has none.
  cpSync(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json'), join(fx, 'hit.json'));
  cpSync(join(projectRoot(), 'fixtures/detectors/aws/privilege-escalation/miss.json'), join(fx, 'miss-bounded.json'));
  return dir;
}

describe('shadowscan detectors', () => {
  it('list prints the catalogue: id, category, severity, title', async () => {
    const r = await cli('detectors', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ID\s+CATEGORY\s+SEVERITY\s+TITLE/);
    expect(r.out).toMatch(/aws\/privilege-escalation\s+privilege-escalation\s+high\s+Non-human identity can escalate/);
    expect(r.out).toMatch(/aws\/trust-too-broad\s+trust-too-broad/);
    const withMine = await cli('detectors', 'list', '--detectors', userDir(), '--format', 'json');
    expect(JSON.parse(withMine.out).map((d: { id: string }) => d.id)).toContain('acme/agent-without-boundary');
  });

  it('show prints rationale, parameters with defaults, remediation, references and mappings', async () => {
    const r = await cli('detectors', 'show', 'aws/exfiltration-capable');
    expect(r.code).toBe(0);
    for (const s of ['Why it matters', 'Parameters', 'include_conditional (BOOLEAN) = false', 'Remediation', 'References', 'OWASP NHI     NHI5:2025']) expect(r.out).toContain(s);
    const missing = await cli('detectors', 'show', 'aws/privesc');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no detector "aws\/privesc"/);
  });

  it("test runs a user's detectors against their hit and miss fixtures", async () => {
    const ok = await cli('detectors', 'test', userDir());
    expect(ok.out).toMatch(/ok\s+acme\/agent-without-boundary\s+hit/);
    expect(ok.out).toMatch(/ok\s+acme\/agent-without-boundary\s+miss/);
    expect(ok.out).toContain('all fixtures pass');
    expect(ok.code).toBe(0);
    const bad = await cli('detectors', 'test', userDir(true));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/invalid .*agent-without-boundary\.sql: invalid front matter: category/);
  });
});

describe('scan --config', () => {
  it('test on the built-in catalogue judges fixtures as the suite does: registry fixtures get their registry file', async () => {
    // The CLI once scanned fixtures without the fixture's registry.yaml, failing the registry hit fixtures the suite passed.
    const r = await cli('detectors', 'test', '--only', 'registry/ownerless');
    expect(r.err + r.out).toMatch(/ok\s+registry\/ownerless\s+hit/);
    expect(r.out).toContain('all fixtures pass');
    expect(r.code).toBe(0);
  });

  it('reads lookback and params from the file; flags win; a bad file exits 2 with the line', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'shadowscan.yaml');
    writeFileSync(cfg, 'lookback: 30d\ndetectors:\n  aws/overbroad:\n    params:\n      sensitive_services: [s3]\n');
    // Any export will do (what is checked is the configuration read, not what the scan finds): a detector fixture.
    const from = materializeFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json')), tempDir());
    const r = await cli('scan', '--from', from, '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--config', cfg, '-q');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).run.lookback).toBe('30d');
    const flag = await cli('scan', '--from', from, '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--config', cfg, '--lookback', '7d', '-q');
    expect(JSON.parse(flag.out).run.lookback).toBe('7d');
    writeFileSync(cfg, 'lookback: 30d\ndetectors:\n  aws/overbroad:\n    params:\n      sensitive_servicez: [s3]\n');
    const bad = await cli('scan', '--from', from, '--db', ':memory:', '--config', cfg);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/shadowscan\.yaml:5: aws\/overbroad has no parameter "sensitive_servicez"/);
  });
});
