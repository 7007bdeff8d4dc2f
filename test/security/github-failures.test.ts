/**
 * The GitHub client never hangs and names what went wrong: a server that accepts and never answers fails
 * within the per-attempt timeout × attempts (with a progress line while waiting); 401 is a bad token (and
 * `collect` exits non-zero), a secondary rate limit that does not lift is a "rate limited" gap, a body that
 * is not what GitHub documents is a gap naming the endpoint.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectGithub } from '../../src/connectors/github/collect.js';
import { cli } from '../helpers/cli.js';
import { bigOrg, startFakeGithub, type FakeGithub } from '../helpers/github-server.js';
import { tempDir } from '../helpers/scan.js';
import { startBlackhole } from '../helpers/blackhole.js';

const TOKEN = 'ghp_faketokenfaketokenfaketoken0000';
let gh: FakeGithub;
beforeAll(async () => { gh = await startFakeGithub(bigOrg(2)); });
afterAll(async () => { await gh.close(); });

describe('GitHub client failures', () => {
  it('fails against a server that accepts and never answers, within the bound, saying it is waiting', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => { sockets.push(s); s.on('error', () => undefined); }); // accept, read nothing, answer nothing
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const waiting: string[] = [];
    try {
      const t0 = performance.now();
      const [res] = await collectGithub({
        orgs: ['acme'], outDir: tempDir(), auth: { baseUrl: url, token: TOKEN },
        tuning: { requestTimeoutMs: 400, retries: 2, retryBaseMs: 10, throttling: false, waitNoticeMs: 150 },
        onProgress: (m) => waiting.push(m),
      });
      const seconds = (performance.now() - t0) / 1000;
      console.log(`hanging server: collect gave up after ${seconds.toFixed(2)} s (timeout 0.4 s per attempt, 3 attempts)`);
      // 3 attempts × 0.4 s plus backoff; never unbounded.
      expect(seconds).toBeGreaterThan(1.1);
      expect(seconds).toBeLessThan(6);
      expect(res?.gaps.length).toBeGreaterThan(0);
      for (const g of res?.gaps ?? []) expect(g.detail).toMatch(/no answer: timed out: no complete answer from \/orgs\/acme\/\S+ within 0\.4 s/);
      expect(waiting.some((m) => /^github: waiting for GET \/orgs\/acme\/\S+ \(\d+ s, gives up after/.test(m))).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 30_000);

  it('a host that never accepts the connection fails on the connect timeout, not the whole attempt bound', async () => {
    const hole = await startBlackhole();
    try {
      const t0 = performance.now();
      const [res] = await collectGithub({
        orgs: ['acme'], outDir: tempDir(), auth: { baseUrl: hole.url, token: TOKEN },
        // The attempt bound (20 s) would take 40 s over two attempts; the connect timeout (0.3 s) ends each attempt.
        tuning: { requestTimeoutMs: 20_000, connectTimeoutMs: 300, retries: 1, retryBaseMs: 10, throttling: false },
      });
      const seconds = (performance.now() - t0) / 1000;
      console.log(`blackhole: collect gave up after ${seconds.toFixed(2)} s (connect timeout 0.3 s, attempt bound 20 s, 2 attempts)`);
      expect(seconds).toBeGreaterThan(0.55);
      expect(seconds).toBeLessThan(5);
      expect(res?.gaps.length).toBeGreaterThan(0);
      for (const g of res?.gaps ?? []) expect(g.detail).toBe(`no answer: timed out: could not connect to 127.0.0.1:${hole.port} within 0.3 s (no answer to the connection request) (after retries)`);
    } finally {
      hole.close();
    }
  }, 30_000);

  it('401 is a bad or expired token, not a missing scope, and collect exits 2', async () => {
    gh.faults.push({ match: /./, status: 401, times: 10_000, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } });
    vi.stubEnv('GITHUB_TOKEN', TOKEN);
    try {
      const r = await cli('collect', '--out', tempDir(), '--github-org', 'acme', '--github-api-url', gh.apiUrl, '-q');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/GitHub authentication failed for acme: bad or expired token \(401/);
      expect(r.err).not.toMatch(/needs /);
      expect(r.err).not.toContain(TOKEN);
    } finally {
      gh.faults.length = 0;
      vi.unstubAllEnvs();
    }
  });

  it('a secondary rate limit that does not lift is a gap that says rate limited; a malformed body names the endpoint', async () => {
    gh.faults.push({ match: /\/orgs\/acme\/installations/, status: 403, times: 10_000, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } });
    gh.faults.push({ match: /\/orgs\/acme\/members/, status: 200, times: 10_000, body: 'this is not a list' });
    try {
      const [res] = await collectGithub({ orgs: ['acme'], outDir: tempDir(), auth: { baseUrl: gh.apiUrl, token: TOKEN }, tuning: { retries: 1, retryBaseMs: 5 } });
      const byEndpoint = Object.fromEntries((res?.gaps ?? []).map((g) => [g.endpoint, g.detail]));
      expect(byEndpoint['/orgs/acme/installations']).toMatch(/^rate limited \(403\): GitHub's secondary rate limit/);
      expect(byEndpoint['/orgs/acme/members']).toMatch(/^malformed response from \/orgs\/acme\/members/);
      expect(byEndpoint['/orgs/acme/members']).not.toContain('this is not a list');
    } finally {
      gh.faults.length = 0;
    }
  }, 30_000);
});
