import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { globMatcher } from '../../src/detect/select.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

// Conventions users of Prowler, gitleaks and trufflehog expect: several formats in one run, choosing detectors,
// a minimum severity, help with exit codes and examples, short usage errors.
const fixtureDir = () => materializeFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json')), tempDir());
const AS_OF = ['--as-of', '2026-11-20T00:00:00Z'];

afterEach(() => { vi.restoreAllMocks(); });

describe('CLI conventions', () => {
  it('--format json,sarif,html --output-dir DIR writes one file per format (0600), from scan and from report', async () => {
    const from = fixtureDir();
    const work = tempDir();
    const db = join(work, 'db.duckdb');
    const out = join(work, 'out');
    const r = await cli('scan', '--from', from, '--db', db, ...AS_OF, '--format', 'json,sarif,html', '--output-dir', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(''); // nothing on stdout: every format went to a file
    expect(readdirSync(out).sort()).toEqual(['shadowscan.html', 'shadowscan.json', 'shadowscan.sarif']);
    for (const f of readdirSync(out)) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(join(out, 'shadowscan.json'), 'utf8'));
    const sarif = JSON.parse(readFileSync(join(out, 'shadowscan.sarif'), 'utf8'));
    expect(sarif.runs[0].results.length).toBe(json.findings.length);
    expect(readFileSync(join(out, 'shadowscan.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);

    const again = join(work, 'again');
    const rep = await cli('report', '--db', db, '--format', 'csv,md', '--output-dir', again, '-q');
    expect(rep.code).toBe(0);
    expect(readdirSync(again).sort()).toEqual(['shadowscan.csv', 'shadowscan.md']);
  });

  it('several formats without --output-dir, an unknown format, --output with --output-dir: exit 2 with one hint line', async () => {
    const from = fixtureDir();
    const a = await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--format', 'json,sarif');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/several formats need --output-dir/);
    const b = await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--format', 'json,yaml', '--output-dir', tempDir());
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/unknown yaml/);
    const c = await cli('scan', '--from', from, '--db', ':memory:', '--output', 'x.json', '--output-dir', tempDir());
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/use one/);
  });

  it('--detectors-only and --exclude-detectors take ids and globs; --min-severity drops lower findings; the report says so', async () => {
    const from = fixtureDir();
    const full = JSON.parse((await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--format', 'json')).out);
    const detectorsOf = (r: { findings: { detector: string }[] }) => [...new Set(r.findings.map((f) => f.detector))].sort();
    expect(detectorsOf(full)).toContain('aws/overbroad');
    expect(detectorsOf(full).length).toBeGreaterThan(1);

    const only = JSON.parse((await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--format', 'json', '--detectors-only', 'aws/over*')).out);
    expect(detectorsOf(only)).toEqual(['aws/overbroad']);
    expect(only.run.sources.some((s: string) => /^selection: 1 of \d+ detectors \(only aws\/over\*\)/.test(s))).toBe(true);

    const excl = JSON.parse((await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--format', 'json', '--exclude-detectors', 'aws/overbroad,registry/*')).out);
    expect(detectorsOf(excl)).not.toContain('aws/overbroad');
    expect(excl.findings.length).toBeGreaterThan(0);

    const critical = JSON.parse((await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--format', 'json', '--min-severity', 'critical')).out);
    const fullCritical = full.findings.filter((f: { severity: string }) => f.severity === 'critical').length;
    expect(fullCritical).toBeGreaterThan(0);
    expect(fullCritical).toBeLessThan(full.findings.length);
    expect(critical.findings.length).toBe(fullCritical);
    expect(critical.run.sources).toContain('selection: findings at or above critical');

    const typo = await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--detectors-only', 'aws/overbraod');
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/--detectors-only aws\/overbraod: matches no detector/);
    const sev = await cli('scan', '--from', from, '--db', ':memory:', ...AS_OF, '--min-severity', 'severe');
    expect(sev.code).toBe(2);
  });

  it('--help lists the exit codes and examples; a usage error prints the error and one hint line, not the help', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/Examples:\n {2}\$ shadowscan scan --from/);
    expect(top.out).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*--fail-on.*\n {2}2 .*usage.*\n {2}3 .*--sink/);
    const scan = await cli('scan', '--help');
    expect(scan.out).toMatch(/--output-dir/);
    expect(scan.out).toMatch(/Exit codes:/);
    expect(scan.out).toMatch(/--detectors-only 'aws\/\*'/);

    const bad = await cli('scan', '--bogus');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toEqual(["error: unknown option '--bogus'", "(run 'shadowscan scan --help' for the options, examples and exit codes)"]);
    const sub = await cli('registry', 'check', '--bogus');
    expect(sub.err).toMatch(/run 'shadowscan registry check --help'/);
  });

  it('detector globs: * stays within a path segment, ** crosses them, ? is one character, the rest is literal', () => {
    expect(globMatcher('aws/*')('aws/stale')).toBe(true);
    expect(globMatcher('aws/*')('aws/x/y')).toBe(false);
    expect(globMatcher('**')('aws/x/y')).toBe(true);
    expect(globMatcher('*/stale')('github/stale')).toBe(true);
    expect(globMatcher('aws.x')('awsXx')).toBe(false);
    expect(globMatcher('a?s/*')('aws/q')).toBe(true);
  });
});
