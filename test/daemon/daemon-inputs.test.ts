import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAnalysis } from '../../src/cli/analysis-flags.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { latestRunId, loadReport } from '../../src/store/history.js';
import { cli } from '../helpers/cli.js';
import { spawnCli, type CliProcess } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

const running: CliProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

/** report-agent is owned by nick, who is not on the roster: aws/ownerless fires only when --people reaches the run. */
function ownerlessExport(): { dir: string; people: string; registry: string; exceptions: string; leaks: string } {
  const spec = readFixture(join(projectRoot(), 'fixtures/detectors/aws/ownerless/hit-owner-not-in-roster.json'));
  const dir = materializeFixture(spec, tempDir('shadowscan-inputs-'));
  const exceptions = join(dir, 'exceptions.yaml');
  writeFileSync(exceptions, [
    'exceptions:',
    '  - subject: arn:aws:iam::111122223333:role/report-agent',
    '    detector: registry/unregistered',
    '    reason: Registered in the vendor inventory until the migration.',
    // As the demo registry's approval policy requires: a team-lead (tier 1 exceptions), on the roster, not the
    // owner, expiring within its 90 days of --as-of.
    '    approver: alice@example.com',
    '    expires: 2027-01-31',
    '',
  ].join('\n'));
  return {
    dir, people: join(dir, 'people.txt'), exceptions,
    registry: join(projectRoot(), 'fixtures/demo/registry.yaml'),
    leaks: join(projectRoot(), 'fixtures/demo/leaks/gitleaks.json'),
  };
}

const key = (r: Pick<ScanReport, 'findings'>): string[] => r.findings.map((f) => `${f.detector} ${f.subject.id}`).sort();

describe('daemon runs see what scan sees (--people, --leaks, --registry, --exceptions, --param, config file)', () => {
  it('a daemon run and a scan with the same flags give the same findings, suppressed findings and inputs', async () => {
    const fx = ownerlessExport();
    const flags = ['--people', fx.people, '--leaks', fx.leaks, '--registry', fx.registry, '--exceptions', fx.exceptions,
      '--param', 'aws/stale.stale_days=30', '--lookback', '400d'];
    const work = tempDir();
    const db = join(work, 'daemon.duckdb');
    const p = spawnCli(['daemon', '--from', fx.dir, '--db', db, '--every', '1h', '--no-listen', ...flags]);
    running.push(p);

    // The scan runs meanwhile, in this process, on its own database.
    const out = join(work, 'scan.json');
    const { code, err } = await cli('scan', '--from', fx.dir, '--db', join(work, 'scan.duckdb'), '--format', 'json', '--output', out, '-q', ...flags);
    expect(code, err).toBe(0);
    const scan = JSON.parse(readFileSync(out, 'utf8')) as ScanReport;

    const ok = await p.waitFor((l) => l.msg === 'run.ok', 60_000);
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    const store = await Store.open(db);
    let daemon: ScanReport | null;
    try {
      expect(await latestRunId(store)).toBe(ok.run_id);
      daemon = await loadReport(store, String(ok.run_id));
    } finally {
      store.close();
    }
    if (!daemon) throw new Error('daemon run not stored');

    // The inputs reached the run: ownerless from the roster, registry findings, the exception, the leak report.
    expect(key(scan)).toContain('aws/ownerless arn:aws:iam::111122223333:role/report-agent');
    expect(key(scan).some((k) => k.startsWith('registry/'))).toBe(true);
    expect(scan.suppressed.map((s) => `${s.finding.detector} ${s.finding.subject.id}`)).toEqual(['registry/unregistered arn:aws:iam::111122223333:role/report-agent']);
    expect(key(daemon)).toEqual(key(scan));
    expect(daemon.findings.filter((f) => f.detector === 'aws/ownerless').map((f) => f.id))
      .toEqual(scan.findings.filter((f) => f.detector === 'aws/ownerless').map((f) => f.id));
    expect(daemon.suppressed.map((s) => s.finding.id)).toEqual(scan.suppressed.map((s) => s.finding.id));
    const kinds = (r: ScanReport) => r.run.sources.map((s) => s.split(':')[0]).sort();
    expect(kinds(daemon)).toEqual(kinds(scan));
    expect(kinds(daemon)).toEqual(expect.arrayContaining(['people', 'leaks', 'registry']));
    expect(daemon.run.lookback).toBe('400d');
  }, 90_000);

  it('a missing or invalid input file is exit 2 at startup naming the file (no lock, no run)', async () => {
    const fx = ownerlessExport();
    const work = tempDir();
    const db = join(work, 'db.duckdb');
    const daemon = (...extra: string[]) => cli('daemon', '--from', fx.dir, '--db', db, '--every', '1h', '--no-listen', ...extra);

    const missing = join(work, 'nobody.txt');
    const a = await daemon('--people', missing);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`--people ${missing}: no such file`);

    const b = await daemon('--leaks', fx.leaks, '--leaks', join(work, 'gone.json'));
    expect(b.code).toBe(2);
    expect(b.err).toContain(`--leaks ${join(work, 'gone.json')}: no such file`);

    const badRegistry = join(work, 'registry.yaml');
    writeFileSync(badRegistry, 'agents:\n  - id: x\n    owner: 12\n');
    const c = await daemon('--registry', badRegistry);
    expect(c.code).toBe(2);
    expect(c.err).toContain(`--registry ${badRegistry} is not valid`);

    // The config file is the one scan reads: its people: path is checked the same way.
    const cfg = join(work, 'shadowscan.yaml');
    writeFileSync(cfg, 'people: ./left.txt\n');
    const d = await daemon('--config', cfg);
    expect(d.code).toBe(2);
    expect(d.err).toContain(`--people ${join(work, 'left.txt')}: no such file`);

    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('resolves ./shadowscan.yaml like scan: files relative to it, flags win, params checked against the detectors', () => {
    const fx = ownerlessExport();
    const cwd = tempDir();
    writeFileSync(join(cwd, 'shadowscan.yaml'), [
      `people: ${fx.people}`, `registry: ${fx.registry}`, `exceptions: ${fx.exceptions}`, 'lookback: 30d',
      'params:', '  aws/stale.stale_days: 45', '',
    ].join('\n'));
    const base = { detectors: [], param: [], leaks: [] };
    const fromConfig = resolveAnalysis(base, cwd);
    expect(fromConfig).toMatchObject({ peopleFile: fx.people, registryFile: fx.registry, exceptionsFile: fx.exceptions, lookbackText: '30d', lookbackSeconds: 30 * 86400 });
    expect(fromConfig.params).toEqual({ 'aws/stale.stale_days': 45 });

    const flagsWin = resolveAnalysis({ ...base, lookback: '7d', param: ['aws/stale.stale_days=10'], people: fx.people, leaks: [fx.leaks] }, cwd);
    expect(flagsWin).toMatchObject({ lookbackText: '7d', leakFiles: [fx.leaks] });
    expect(flagsWin.params).toEqual({ 'aws/stale.stale_days': '10' });

    writeFileSync(join(cwd, 'shadowscan.yaml'), 'params:\n  aws/stale.stale_dayz: 45\n');
    expect(() => resolveAnalysis(base, cwd)).toThrow(/shadowscan\.yaml:2: aws\/stale has no parameter "stale_dayz"/);
  });
});
