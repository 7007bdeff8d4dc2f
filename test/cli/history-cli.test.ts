import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/kernel/types.js';
import { cli } from '../helpers/cli.js';
import { exportOf, orgV1, orgV2 } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

const AS_OF = ['--as-of', '2026-11-20T00:00:00Z'];
let v1: string;
let v2: string;

beforeAll(() => {
  v1 = exportOf(orgV1());
  v2 = exportOf(orgV2());
});

function read(file: string): ScanReport {
  return JSON.parse(readFileSync(file, 'utf8')) as ScanReport;
}

describe('run history: scan keeps every run; report renders a stored run; diff compares two', () => {
  let db: string;
  let work: string;
  let first: ScanReport;
  let second: ScanReport;

  beforeAll(async () => {
    work = tempDir();
    db = join(work, 'history.duckdb');
    expect((await cli('scan', '--from', v1, '--db', db, ...AS_OF, '--format', 'json', '--output', join(work, 'v1.json'), '-q')).code).toBe(0);
    expect((await cli('scan', '--from', v2, '--db', db, ...AS_OF, '--format', 'json', '--output', join(work, 'v2.json'), '-q')).code).toBe(0);
    first = read(join(work, 'v1.json'));
    second = read(join(work, 'v2.json'));
  });

  it('diff lists the new agent, the removed owner, the widened grants and new/resolved findings', async () => {
    const r = await cli('diff', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${first.run.id}`);
    expect(r.out).toMatch(/\+ agent\s+arn:aws:iam::111122223333:role\/research-agent\s+new agent appeared/);
    expect(r.out).toMatch(/~ agent\s+arn:aws:iam::111122223333:user\/svc-bot\s+owner removed \(was alice@example.com \(tag owner\)/);
    expect(r.out).toMatch(/nightly-export\s+grants widened: \d+ → \d+ actions.*new grants s3:\*/);
    expect(r.out).toMatch(/\+ high\s+aws\/ownerless\s+arn:aws:iam::111122223333:user\/svc-bot/);
    expect(r.out).toMatch(/- high\s+aws\/ownerless\s+arn:aws:iam::111122223333:role\/nightly-export\s+resolved/);
    expect(r.out).toMatch(/\+ critical\s+aws\/overbroad\s+arn:aws:iam::111122223333:role\/research-agent/);
  });

  it('diff --format json has the same content for machines, and --from/--to pick runs', async () => {
    const r = await cli('diff', '--db', db, '--from', first.run.id, '--to', second.run.id, '--format', 'json');
    const d = JSON.parse(r.out);
    expect(d.from.run_id).toBe(first.run.id);
    expect(d.identities.new.map((i: { name: string }) => i.name)).toEqual(['research-agent']);
    expect(d.identities.changed.flatMap((c: { changes: { kind: string }[] }) => c.changes.map((x) => x.kind))).toEqual(expect.arrayContaining(['owner-removed', 'grants-widened']));
    // The reverse direction: what v2 found is resolved, the agent is removed.
    const back = JSON.parse((await cli('diff', '--db', db, '--from', second.run.id, '--to', first.run.id, '--format', 'json')).out);
    expect(back.identities.removed.map((i: { name: string }) => i.name)).toEqual(['research-agent']);
    expect(back.findings.resolved.length).toBe(d.findings.new.length);
  });

  it('report renders the latest stored run exactly as scan wrote it, and --run an older one', async () => {
    const latest = await cli('report', '--db', db, '--format', 'json');
    expect(latest.code).toBe(0);
    expect(latest.out).toBe(readFileSync(join(work, 'v2.json'), 'utf8'));
    const older = await cli('report', '--db', db, '--format', 'json', '--run', first.run.id);
    expect(older.out).toBe(readFileSync(join(work, 'v1.json'), 'utf8'));
    const sarif = await cli('report', '--db', db, '--format', 'sarif', '--output', join(work, 'r.sarif'), '-q');
    expect(sarif.code).toBe(0);
    const log = JSON.parse(readFileSync(join(work, 'r.sarif'), 'utf8'));
    expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['aws/overbroad', 'aws/ownerless', 'aws/static-key-automation']));
    const html = await cli('report', '--db', db, '--format', 'html');
    expect(html.out).toContain('Agents over time');
  });

  it('report and diff fail clearly on a missing database or run', async () => {
    const missing = await cli('report', '--db', join(work, 'nope.duckdb'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such database/);
    const badRun = await cli('report', '--db', db, '--run', 'run-unknown');
    expect(badRun.code).toBe(2);
    expect(badRun.err).toMatch(/--run run-unknown: no completed run/);
    const badDiff = await cli('diff', '--db', db, '--from', 'run-unknown');
    expect(badDiff.code).toBe(2);
  });
});

describe('--fail-on new:SEVERITY', () => {
  it('fails only on findings new since the previous run in the same database', async () => {
    const db = join(tempDir(), 'gate.duckdb');
    // First run: no previous run, so every finding counts as new (and says so).
    const firstRun = await cli('scan', '--from', v1, '--db', db, ...AS_OF, '--format', 'json', '--fail-on', 'new:high');
    expect(firstRun.code).toBe(1);
    expect(firstRun.err).toMatch(/no previous run .* every finding counts as new/);
    // Same data again: nothing new, the gate passes although high findings exist.
    expect((await cli('scan', '--from', v1, '--db', db, ...AS_OF, '--format', 'json', '--fail-on', 'new:high', '-q')).code).toBe(0);
    expect((await cli('scan', '--from', v1, '--db', db, ...AS_OF, '--format', 'json', '--fail-on', 'high', '-q')).code).toBe(1);
    // The org changes: a new critical finding on the new agent fails new:critical.
    const changed = await cli('scan', '--from', v2, '--db', db, ...AS_OF, '--format', 'json', '--fail-on', 'new:critical');
    expect(changed.code).toBe(1);
    expect(changed.err).toMatch(/1 new finding\(s\) at or above critical/);
  });

  it('compares with --baseline FILE (a previous JSON report) when given', async () => {
    const work = tempDir();
    const base = join(work, 'baseline.json');
    await cli('scan', '--from', v2, '--db', ':memory:', ...AS_OF, '--format', 'json', '--output', base, '-q');
    expect((await cli('scan', '--from', v2, '--db', ':memory:', ...AS_OF, '--format', 'json', '--fail-on', 'new:info', '--baseline', base, '-q')).code).toBe(0);
    // A baseline missing one finding makes exactly that one new.
    const doc = read(base);
    const dropped = doc.findings.find((f) => f.severity === 'critical')!;
    doc.findings = doc.findings.filter((f) => f.id !== dropped.id);
    writeFileSync(base, JSON.stringify(doc));
    const r = await cli('scan', '--from', v2, '--db', ':memory:', ...AS_OF, '--format', 'json', '--fail-on', 'new:critical', '--baseline', base);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 new finding\(s\)/);
  });

  it('rejects a bad policy or baseline with exit 2', async () => {
    const bad = await cli('scan', '--from', v1, '--db', ':memory:', '--fail-on', 'new:urgent');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--fail-on new:urgent: expected SEVERITY or new:SEVERITY/);
    const file = join(tempDir(), 'x.json');
    writeFileSync(file, '{"hello": 1}');
    const notReport = await cli('scan', '--from', v1, '--db', ':memory:', '--fail-on', 'new:high', '--baseline', file);
    expect(notReport.code).toBe(2);
    expect(notReport.err).toMatch(/not a shadowscan JSON report/);
  });
});
