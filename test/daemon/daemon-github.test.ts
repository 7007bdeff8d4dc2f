import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { parsePrometheus, spawnCli, type CliProcess } from '../helpers/daemon.js';
import { bigOrg, startFakeGithub, type FakeGithub } from '../helpers/github-server.js';
import { tempDir } from '../helpers/scan.js';

const TOKEN = 'ghp_faketokenfaketokenfaketoken0000';
let gh: FakeGithub;
const running: CliProcess[] = [];
beforeAll(async () => { gh = await startFakeGithub(bigOrg(3)); });
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await gh.close();
});

describe('daemon with live GitHub (--github-org): refreshed on --github-every, reused in between', () => {
  it('two runs 300 ms apart with --github-every 1h make GitHub requests once; /metrics and /healthz say when GitHub was refreshed', async () => {
    const work = tempDir();
    const p = spawnCli(['daemon', '--github-org', 'acme', '--github-api-url', gh.apiUrl, '--cache', join(work, 'cache'), '--db', join(work, 'db.duckdb'),
      '--every', '300ms', '--github-every', '1h', '--listen', '127.0.0.1:0', '--log-level', 'debug'], { GITHUB_TOKEN: TOKEN });
    running.push(p);
    const started = await p.waitFor((l) => l.msg === 'daemon.started');
    const first = await p.waitFor((l) => l.msg === 'run.ok', 60_000);
    const afterFirst = gh.counts.total;
    expect(afterFirst).toBeGreaterThan(3); // the org, its repositories, secrets, keys, workflows
    const second = await p.waitFor((l) => l.msg === 'run.ok' && l.run_id !== first.run_id, 60_000);
    console.log(`[daemon github] run 1: ${afterFirst} GitHub request(s) for 3 repositories; run 2, 300 ms later with --github-every 1h: ${gh.counts.total - afterFirst}`);
    expect(gh.counts.total).toBe(afterFirst);
    expect(second.findings).toBe(first.findings); // the reused GitHub files were analysed again
    expect(Number(first.findings)).toBeGreaterThan(0);
    const refreshed = p.logs.filter((l) => l.msg === 'source.refreshed' && l.source === 'github');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]?.requests).toBe(afterFirst);
    expect(p.logs.some((l) => l.msg === 'source.reused' && l.source === 'github' && p.logs.indexOf(l) > p.logs.indexOf(first))).toBe(true);

    const base = `http://${String(started.listen)}`;
    const { samples } = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    const get = (n: string) => samples.find((s) => s.name === n && s.labels['source'] === 'github')?.value;
    expect(get('shadowscan_source_last_refresh_timestamp_seconds')).toBe(Date.parse(String(refreshed[0]?.data_at)) / 1000);
    expect(get('shadowscan_source_refresh_interval_seconds')).toBe(3600);
    expect(get('shadowscan_source_refresh_failures')).toBe(0);
    expect(samples.some((s) => s.labels['source'] === 'iam' || s.labels['source'] === 'cloudtrail')).toBe(false); // GitHub only: no AWS collection
    const health = await (await fetch(`${base}/healthz`)).json() as { sources: Record<string, { last_refresh_at: string; stale: boolean; mode: string }> };
    expect(health.sources['github']).toMatchObject({ mode: 'live', last_refresh_at: refreshed[0]?.data_at, stale: false });

    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    expect(p.stderr()).not.toContain(TOKEN);
  }, 90_000);

  it('is exit 2 at startup without GitHub credentials, and with --from', async () => {
    const saved = { GITHUB_TOKEN: process.env['GITHUB_TOKEN'], GH_TOKEN: process.env['GH_TOKEN'] };
    delete process.env['GITHUB_TOKEN'];
    delete process.env['GH_TOKEN'];
    const before = gh.counts.total;
    try {
      const work = tempDir();
      const a = await cli('daemon', '--github-org', 'acme', '--github-api-url', gh.apiUrl, '--cache', join(work, 'cache'), '--db', join(work, 'db.duckdb'), '--every', '1h', '--no-listen');
      expect(a.code).toBe(2);
      expect(a.err).toMatch(/--github-org needs credentials: set GITHUB_TOKEN/);
      const b = await cli('daemon', '--from', work, '--github-org', 'acme', '--db', join(work, 'db.duckdb'), '--every', '1h', '--no-listen');
      expect(b.code).toBe(2);
      expect(b.err).toMatch(/--from reads an offline export/);
      expect(gh.counts.total).toBe(before); // nothing was requested
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    }
  });
});
