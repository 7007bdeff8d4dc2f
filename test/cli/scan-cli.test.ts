import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { tempDir } from '../helpers/scan.js';
import { capture } from '../helpers/capture.js';

const fixtureDir = () => materializeFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/overbroad/hit.json')), tempDir());

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('shadowscan scan (CLI)', () => {
  it('writes JSON to a file, keeps data off stderr, creates the database 0600', async () => {
    const dir = fixtureDir();
    const work = tempDir();
    const db = join(work, 'state', 'shadowscan.duckdb');
    const out = join(work, 'report.json');
    const c = capture();
    const code = await main(['node', 'shadowscan', 'scan', '--from', dir, '--db', db, '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--output', out]);
    c.restore();
    expect(code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.schema_version).toMatch(/^1\./);
    expect(doc.findings.some((f: { category: string }) => f.category === 'overbroad')).toBe(true);
    expect(existsSync(db)).toBe(true);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('--fail-on exits 1 when a finding is at or above the severity, 0 otherwise', async () => {
    const dir = fixtureDir();
    let c = capture();
    const high = await main(['node', 'shadowscan', 'scan', '--from', dir, '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--fail-on', 'critical']);
    c.restore();
    expect(high).toBe(1);
    process.exitCode = undefined;
    // Without --fail-on the same findings never fail the run.
    c = capture();
    const none = await main(['node', 'shadowscan', 'scan', '--from', dir, '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'json']);
    c.restore();
    expect(none).toBe(0);
  });

  it('prints the table with counts, findings and coverage gaps', async () => {
    const dir = fixtureDir();
    const c = capture();
    const code = await main(['node', 'shadowscan', 'scan', '--from', dir, '--db', ':memory:', '--as-of', '2026-11-20T00:00:00Z', '--format', 'table']);
    c.restore();
    expect(code).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/Identities\s+agent 1/);
    expect(text).toMatch(/critical\s+overbroad/);
    expect(text).toMatch(/Coverage gaps/);
  });

  it('usage errors exit 2 with a message naming the problem', async () => {
    let c = capture();
    expect(await main(['node', 'shadowscan', 'scan', '--from', '/nope', '--db', ':memory:'])).toBe(2);
    c.restore();
    expect(c.err.join('')).toMatch(/--from \/nope: no such directory/);
    c = capture();
    expect(await main(['node', 'shadowscan', 'scan', '--from', fixtureDir(), '--db', ':memory:', '--lookback', 'soon'])).toBe(2);
    c.restore();
    expect(c.err.join('')).toMatch(/invalid duration "soon"/);
    c = capture();
    expect(await main(['node', 'shadowscan', 'scan', '--from', fixtureDir(), '--db', ':memory:', '--as-of', 'yesterday'])).toBe(2);
    c.restore();
    expect(c.err.join('')).toMatch(/--as-of: "yesterday" is not an ISO-8601/);
  });
});
