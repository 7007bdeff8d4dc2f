import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { readExceptions } from '../../src/registry/exceptions.js';
import { cli } from '../helpers/cli.js';
import { scanFixture, tempDir } from '../helpers/scan.js';

const RB = 'arn:aws:iam::111122223333:role/report-bot';
const spec = () => readFixture(join(projectRoot(), 'fixtures/detectors/registry/tier-violation/hit.json'));
const exceptionFor = (expires: string) => `exceptions:
  - subject: ${RB}
    detector: registry/tier-violation
    reason: Writes to its own report bucket only; re-tiering is planned for Q1.
    approver: security-lead@example.com
    expires: ${expires}
`;

describe('exceptions', () => {
  it('an unexpired exception moves the finding to suppressed (with who, why, until when), not away', async () => {
    const s = spec();
    s.files = { ...s.files, 'exceptions.yaml': exceptionFor('2026-11-20') };
    const report = await scanFixture(s);
    expect(report.findings.filter((f) => f.detector === 'registry/tier-violation')).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
    const sup = report.suppressed[0]!;
    expect(sup.finding.subject.id).toBe(RB);
    expect(sup.exception).toMatchObject({ approver: 'security-lead@example.com', expires: '2026-11-20' });
    expect(sup.exception.source).toMatch(/exceptions\.yaml:2$/);
  });

  it('the finding reappears once the exception has expired relative to --as-of, and says so', async () => {
    const s = spec();
    s.files = { ...s.files, 'exceptions.yaml': exceptionFor('2026-11-19') };
    const report = await scanFixture(s);
    expect(report.suppressed).toEqual([]);
    const f = report.findings.find((x) => x.detector === 'registry/tier-violation');
    expect(f?.subject.id).toBe(RB);
    expect(f?.evidence['expired_exception']).toMatchObject({ expires: '2026-11-19' });
    // The same file with a later --as-of: the exception that covered 2026-11-20 has lapsed.
    const later = { ...spec(), as_of: '2026-11-21T00:00:01Z', files: { ...spec().files, 'exceptions.yaml': exceptionFor('2026-11-20') } };
    const r2 = await scanFixture(later);
    expect(r2.suppressed).toEqual([]);
    expect(r2.findings.some((x) => x.detector === 'registry/tier-violation')).toBe(true);
  });

  it('an exception for another subject suppresses nothing', async () => {
    const s = spec();
    s.files = { ...s.files, 'exceptions.yaml': exceptionFor('2027-01-01').replace(RB, 'arn:aws:iam::111122223333:role/other') };
    const report = await scanFixture(s);
    expect(report.suppressed).toEqual([]);
    expect(report.findings.some((x) => x.detector === 'registry/tier-violation')).toBe(true);
  });

  it('validates the file with line numbers', () => {
    const p = join(tempDir(), 'exceptions.yaml');
    writeFileSync(p, `exceptions:
  - subject: ${RB}
    reason: short
    approver: team
    expires: next week
  - reason: Nothing named here at all, which is not allowed.
    approver: a@example.com
    expires: 2026-12-01
`);
    const r = readExceptions(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.path, i.line])).toEqual([['exceptions.0.reason', 3], ['exceptions.0.approver', 4], ['exceptions.0.expires', 5], ['exceptions.1', 6]]);
  });

  it('registry: and exceptions: in shadowscan.yaml (paths relative to it) work like the flags', async () => {
    const dir = materializeFixture(spec(), tempDir());
    writeFileSync(join(dir, 'exceptions.yaml'), exceptionFor('2027-01-01'));
    const cfg = join(dir, 'shadowscan.yaml');
    writeFileSync(cfg, 'registry: ./registry.yaml\nexceptions: ./exceptions.yaml\n');
    const { code, out } = await cli('scan', '--from', dir, '--config', cfg, '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '-q');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { run: { sources: string[] }; suppressed: { finding: { detector: string } }[] };
    expect(doc.run.sources.some((x) => x.startsWith('registry:'))).toBe(true);
    expect(doc.suppressed.map((x) => x.finding.detector)).toEqual(['registry/tier-violation']);
  });
});

describe('exceptions under the registry\'s approval policy', () => {
  // report-bot is registered at tier 1 but acts as tier 2 (tier-violation fixture): accepting that is a tier-2 risk,
  // and the policy names security for tier-2 exceptions.
  const policy = `policy:
  roles:
    team-lead: [lead@example.com, nick@example.com]
    security: [sec@example.com, gone@example.com]
  tiers:
    1: { approvers: [team-lead], exception_approver: team-lead }
    2: { approvers: [team-lead, security], exception_approver: security }
    3: { approvers: [team-lead, security] }
  exception_max_days: 30
`;
  const withPolicy = (approver: string, expires: string) => {
    const s = spec();
    const registry = String(s.files?.['registry.yaml']);
    s.files = { ...s.files, 'registry.yaml': `${policy}${registry}people: [lead@example.com, sec@example.com]\n`, 'exceptions.yaml': exceptionFor(expires).replace('security-lead@example.com', approver) };
    return scanFixture(s);
  };

  it('the approver the tier requires, within the maximum duration, suppresses', async () => {
    const report = await withPolicy('sec@example.com', '2026-12-20');
    expect(report.suppressed.map((x) => [x.finding.detector, x.exception.approver])).toEqual([['registry/tier-violation', 'sec@example.com']]);
  });

  it('a wrong role, someone who left or an expiry past the maximum suppresses nothing, and the finding says why', async () => {
    for (const [approver, expires, why] of [
      ['lead@example.com', '2026-12-01', 'lead@example.com does not hold the role security that tier 2 exceptions need (sec@example.com, gone@example.com)'],
      ['gone@example.com', '2026-12-01', 'gone@example.com has left (not on the people roster)'],
      ['sec@example.com', '2026-12-21', 'it expires 2026-12-21, more than 30 days after 2026-11-20 (policy.exception_max_days): at most 2026-12-20'],
    ] as const) {
      const report = await withPolicy(approver, expires);
      expect(report.suppressed, approver).toEqual([]);
      const f = report.findings.find((x) => x.detector === 'registry/tier-violation');
      expect(f?.evidence['rejected_exception'], approver).toMatchObject({ approver, expires, why });
    }
  }, 120_000);
});
