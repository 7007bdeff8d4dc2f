import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGithub, type CollectGithubOptions } from '../../src/connectors/github/collect.js';
import type { Finding } from '../../src/kernel/types.js';
import { bigOrg, startFakeGithub, type FakeGithub } from '../helpers/github-server.js';
import { scanDir, tempDir } from '../helpers/scan.js';

const servers: FakeGithub[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(...args: Parameters<typeof startFakeGithub>): Promise<FakeGithub> {
  const s = await startFakeGithub(...args);
  servers.push(s);
  return s;
}

const fast = { retryBaseMs: 5, throttling: true } as const;

function collect(gh: FakeGithub, out: string, extra: Partial<CollectGithubOptions> = {}) {
  return collectGithub({ orgs: ['acme'], outDir: out, auth: { baseUrl: gh.apiUrl, token: 'ghp_faketokenfaketokenfaketoken0000' }, tuning: fast, ...extra });
}

/** The findings a scan of `dir` produces, reduced to what a user compares. */
async function findingsOf(dir: string): Promise<string[]> {
  const report = await scanDir(dir);
  return report.findings.map((f: Finding) => `${f.detector} ${f.severity} ${f.subject.id}`).sort();
}

describe('GitHub collection against a local API', () => {
  it('stays under 5 requests per repository for a 1,000-repository org', async () => {
    const gh = await serve(bigOrg(1000));
    const out = tempDir();
    const [first] = await collect(gh, out, { tuning: { throttling: false } });
    const perRepo = gh.counts.total / 1000;
    console.log(`[github efficiency] ${gh.counts.total} requests for 1000 repositories = ${perRepo.toFixed(2)} per repository (${gh.counts.graphql} GraphQL)`);
    expect(first?.repos).toBe(1000);
    expect(first?.gaps.filter((g) => g.endpoint !== '/orgs/acme/personal-access-tokens')).toEqual([]);
    expect(perRepo).toBeLessThanOrEqual(5);
    expect(first?.stats.requests).toBe(gh.counts.total);
    expect(readdirSync(join(out, 'github/acme/repos')).length).toBe(1000);
  }, 60_000);

  it('answers a second collection of an unchanged org with 304s and the same findings', async () => {
    const gh = await serve(bigOrg(100));
    const out = tempDir();
    await collect(gh, out, { tuning: { throttling: false } });
    const before = await findingsOf(out);
    const total1 = gh.counts.total;
    const graphql1 = gh.counts.graphql;
    const [second] = await collect(gh, out, { tuning: { throttling: false } });
    const requests2 = gh.counts.total - total1;
    console.log(`[github efficiency] second collect of an unchanged 100-repository org: ${requests2} requests, ${gh.counts.notModified} answered 304 Not Modified`);
    expect(second?.stats.notModified).toBe(gh.counts.notModified);
    // every REST GET was conditional and came back 304; only GraphQL (POST) and the forbidden PAT-grant call are answered again
    expect(gh.counts.notModified).toBe(requests2 - (gh.counts.graphql - graphql1) - 1);
    expect(await findingsOf(out)).toEqual(before);
    expect(before.some((f) => f.startsWith('cross/static-key-in-ci'))).toBe(true);
  }, 60_000);

  it('gives the same findings with injected faults: 502s, secondary rate limits with retry-after, pagination', async () => {
    const org = bigOrg(130); // 2 pages of repositories, 2 pages of members
    const clean = await serve(org);
    const a = tempDir();
    await collect(clean, a, { graphqlBatch: 50 });

    const faulty = await serve(org);
    faulty.faults.push(
      { match: /\/orgs\/acme\/repos$/, status: 502, times: 1 },
      { match: /\/orgs\/acme\/members$/, status: 503, times: 2 },
      { match: /\/repos\/acme\/svc-0010\/actions\/secrets$/, status: 403, times: 1, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } },
      { match: /\/repos\/acme\/svc-0020\/keys$/, status: 429, times: 1, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } },
      { match: /\/graphql$/, status: 502, times: 1 },
    );
    const b = tempDir();
    const [res] = await collect(faulty, b, { graphqlBatch: 50 });
    expect(faulty.counts.byStatus[502]).toBe(2);
    expect(faulty.counts.byStatus[503]).toBe(2);
    expect(faulty.counts.byStatus[403]).toBe(1 + 1 /* PAT grants need an App */);
    expect(faulty.counts.byStatus[429]).toBe(1);
    expect(res?.stats.retries).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(readFileSync(join(b, 'github/acme/repos.json'), 'utf8'))).toHaveLength(130);
    expect(JSON.parse(readFileSync(join(b, 'github/acme/members.json'), 'utf8'))).toHaveLength(150);
    const fa = await findingsOf(a);
    expect(fa.length).toBeGreaterThan(10);
    expect(await findingsOf(b)).toEqual(fa);
  }, 60_000);

  it('records a 403 as a coverage gap naming what it needs, and goes on', async () => {
    const gh = await serve(bigOrg(5));
    gh.faults.push({ match: /\/repos\/acme\/svc-0001\/keys$/, status: 403, times: 99, body: { message: 'Resource not accessible by integration' } });
    const out = tempDir();
    const [res] = await collect(gh, out);
    const gaps = JSON.parse(readFileSync(join(out, 'github/acme/coverage.json'), 'utf8')) as { endpoint: string; detail: string; repo: string | null }[];
    expect(gaps.find((g) => g.endpoint === '/orgs/acme/personal-access-tokens')?.detail).toMatch(/GitHub App .*Personal access tokens: read/);
    expect(gaps.find((g) => g.repo === 'svc-0001')?.detail).toMatch(/forbidden \(403\).*Administration: read/);
    expect(res?.repos).toBe(5);
    expect(existsSync(join(out, 'github/acme/repos/svc-0000/keys.json'))).toBe(true);
    const report = await scanDir(out);
    expect(report.run.coverage_gaps.map((g) => g.detail).join('\n')).toMatch(/Personal access tokens: read/);
  });

  it('never writes a secret value: alerts keep only the AWS key id', async () => {
    const gh = await serve(bigOrg(5));
    const out = tempDir();
    await collect(gh, out);
    const text = readFileSync(join(out, 'github/acme/secret-scanning-alerts.json'), 'utf8');
    expect(text).not.toContain('wJalrXUtnFEMI');
    expect(text).not.toContain('"secret"');
    expect(JSON.parse(text)[0].key_id).toBe('AKIAFAKELEAKEDKEY001');
    const cache = readFileSync(join(out, 'github/acme/.http-cache.json'), 'utf8');
    expect(cache).not.toContain('wJalrXUtnFEMI');
    expect(readFileSync(join(out, 'github/acme/repos/svc-0000/keys.json'), 'utf8')).not.toContain('ssh-ed25519');
  });

  it('works against a GitHub Enterprise Server base path (/api/v3, GraphQL at /api/graphql)', async () => {
    const gh = await serve(bigOrg(5), { prefix: '/api/v3' });
    const out = tempDir();
    const [res] = await collect(gh, out);
    expect(res?.repos).toBe(5);
    expect(gh.counts.graphql).toBe(1);
    expect(readdirSync(join(out, 'github/acme/repos/svc-0000/workflows')).sort()).toEqual(['ci.yml', 'deploy.yml']);
  });

  it('falls back to the REST contents API when GraphQL is not available', async () => {
    const gh = await serve(bigOrg(4));
    gh.faults.push({ match: /\/graphql$/, status: 404, times: 99 });
    const out = tempDir();
    await collect(gh, out);
    expect(readdirSync(join(out, 'github/acme/repos/svc-0000/workflows')).sort()).toEqual(['ci.yml', 'deploy.yml']);
    expect(readdirSync(join(out, 'github/acme/repos/svc-0002/workflows'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'github/acme/repos/svc-0000/environments.json'), 'utf8')).environments).toEqual([{ name: 'production' }]);
  });

  it('authenticates as a GitHub App installation and then lists fine-grained PAT grants', async () => {
    const gh = await serve(bigOrg(3));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const out = tempDir();
    const [res] = await collectGithub({ orgs: ['acme'], outDir: out, auth: { baseUrl: gh.apiUrl, app: { appId: '77', privateKey } }, tuning: fast });
    expect(res?.gaps).toEqual([]);
    const grants = JSON.parse(readFileSync(join(out, 'github/acme/personal-access-tokens.json'), 'utf8')) as unknown[];
    expect(grants).toHaveLength(1);
    const report = await scanDir(out);
    const pat = report.inventory.find((i) => i.kind === 'pat-grant');
    expect(pat?.owner.value).toBe('gone-user');
    expect(pat?.evidence.map((e) => e.signal).join()).toMatch(/owner left the org/);
    expect(report.findings.some((f) => f.detector === 'github/overbroad' && f.subject.id === 'github://acme/personal-access-tokens/7')).toBe(true);
  });
});
