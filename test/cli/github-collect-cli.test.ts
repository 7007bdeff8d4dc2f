import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubApiUrl } from '../../src/cli/github-flags.js';
import { main } from '../../src/cli/main.js';
import { bigOrg, startFakeGithub, type FakeGithub } from '../helpers/github-server.js';
import { tempDir } from '../helpers/scan.js';

let gh: FakeGithub;
beforeAll(async () => { gh = await startFakeGithub(bigOrg(3)); });
afterAll(async () => { await gh.close(); });

async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; err: string }> {
  const write = process.stderr.write;
  let err = '';
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    return { value: await fn(), err };
  } finally {
    process.stderr.write = write;
  }
}

describe('shadowscan collect --github-org', () => {
  it('collects an org with GITHUB_TOKEN, and scan --from reads it', async () => {
    const out = tempDir();
    process.env['GITHUB_TOKEN'] = 'ghp_faketokenfaketokenfaketoken0000';
    try {
      const { value: code } = await quiet(() => main(['node', 'shadowscan', 'collect', '--out', out, '--github-org', 'acme', '--github-api-url', gh.apiUrl, '-q']));
      expect(code).toBe(0);
    } finally {
      delete process.env['GITHUB_TOKEN'];
    }
    expect(existsSync(join(out, 'github/acme/repos.json'))).toBe(true);
    expect(existsSync(join(out, 'aws'))).toBe(false); // GitHub only: no AWS collection attempted
    const report = join(out, 'r.json');
    const { value: code } = await quiet(() => main(['node', 'shadowscan', 'scan', '--from', out, '--db', ':memory:', '--format', 'json', '--output', report, '-q', '--as-of', '2026-11-20T00:00:00Z']));
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(report, 'utf8')) as { findings: { detector: string }[] };
    expect(r.findings.some((f) => f.detector === 'cross/static-key-in-ci')).toBe(true);
  }, 30_000);

  it('is a usage error (exit 2) without credentials or with half an App', async () => {
    delete process.env['GITHUB_TOKEN'];
    delete process.env['GH_TOKEN'];
    const a = await quiet(() => main(['node', 'shadowscan', 'collect', '--out', tempDir(), '--github-org', 'acme', '--github-api-url', gh.apiUrl]));
    expect(a.value).toBe(2);
    expect(a.err).toMatch(/GITHUB_TOKEN/);
    const b = await quiet(() => main(['node', 'shadowscan', 'collect', '--out', tempDir(), '--github-org', 'acme', '--github-app-id', '1']));
    expect(b.value).toBe(2);
    expect(b.err).toMatch(/--github-app-key/);
  });

  it('honours GITHUB_API_URL like gh and GitHub Actions: collects from it without --github-api-url', async () => {
    const out = tempDir();
    process.env['GITHUB_TOKEN'] = 'ghp_faketokenfaketokenfaketoken0000';
    process.env['GITHUB_API_URL'] = gh.apiUrl;
    try {
      const { value: code } = await quiet(() => main(['node', 'shadowscan', 'collect', '--out', out, '--github-org', 'acme', '-q']));
      expect(code).toBe(0);
    } finally {
      delete process.env['GITHUB_TOKEN'];
      delete process.env['GITHUB_API_URL'];
    }
    expect(existsSync(join(out, 'github/acme/repos.json'))).toBe(true);
  }, 30_000);

  it('resolves the API URL as gh does: flag, GITHUB_API_URL, GH_HOST, default', () => {
    expect(githubApiUrl({}, {})).toEqual({ url: 'https://api.github.com', from: 'default' });
    expect(githubApiUrl({}, { GH_HOST: 'github.com' }).url).toBe('https://api.github.com');
    expect(githubApiUrl({}, { GH_HOST: 'ghe.example.com' })).toEqual({ url: 'https://ghe.example.com/api/v3', from: 'GH_HOST' });
    expect(githubApiUrl({}, { GH_HOST: 'ghe.example.com', GITHUB_API_URL: 'https://ghe2.example.com/api/v3/' }))
      .toEqual({ url: 'https://ghe2.example.com/api/v3', from: 'GITHUB_API_URL' });
    expect(githubApiUrl({ githubApiUrl: 'https://x.example/api/v3' }, { GITHUB_API_URL: 'https://y.example' }).from).toBe('--github-api-url');
  });
});
