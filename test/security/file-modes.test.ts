/**
 * Every file the tool writes is 0600 in a 0700 folder from its first byte, whatever the caller's umask:
 * checked WHILE a real CLI process runs (a webhook sink that holds the delivery open while the test looks
 * at the database, its WAL and lock, the GitHub cache and the jsonl sink) and after it exits (the report too).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from '../helpers/daemon.js';
import { bigOrg, startFakeGithub, type FakeGithub } from '../helpers/github-server.js';
import { tempDir } from '../helpers/scan.js';

/** `path: mode` of everything below `root` (octal permission bits). */
function modes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const st = statSync(join(root, name), { throwIfNoEntry: false });
    if (st) out[`${relative(root, join(root, name))}${st.isDirectory() ? '/' : ''}`] = (st.mode & 0o777).toString(8);
  }
  return out;
}

const loose = (m: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).filter(([p, mode]) => mode !== (p.endsWith('/') ? '700' : '600')));

/** The built CLI under a permissive umask (022), as a user's shell would start it. */
function run(args: string[], env: Record<string, string>): { child: ReturnType<typeof spawn>; err: () => string } {
  const child = spawn('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, builtCli(), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  return { child, err: () => err };
}

let gh: FakeGithub;
beforeAll(async () => {
  gh = await startFakeGithub(bigOrg(3));
  // The child must run today's code.
  expect(spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' }).status).toBe(0);
}, 120_000);
afterAll(async () => { await gh.close(); });

describe('file modes', () => {
  it('database, WAL, lock, cache, sink and report are 0600 in 0700 folders, during the run and after, under umask 022', async () => {
    const root = tempDir('shadowscan-modes-');
    const work = join(root, 'work'); // the tool creates everything below here (--output needs an existing folder; --output-dir is created)
    let during: Record<string, string> | null = null;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        // The scan is blocked on this delivery with its database open: look now, answer later.
        during ??= modes(work);
        setTimeout(() => res.writeHead(200).end('{}'), 200);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const p = run(['scan', '--github-org', 'acme', '--github-api-url', gh.apiUrl, '--cache', join(work, 'cache'),
        '--db', join(work, 'state/shadowscan.duckdb'), '--sink', `jsonl:${join(work, 'events.jsonl')}`, '--sink', `webhook:${hook}`,
        '--format', 'json', '--output-dir', join(work, 'reports'), '-q'], { GITHUB_TOKEN: 'ghp_faketokenfaketokenfaketoken0000' });
      const code = await new Promise<number | null>((r) => p.child.on('exit', r));
      expect(code, p.err()).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(during).not.toBeNull();
    const seen = during as unknown as Record<string, string>;
    expect(Object.keys(seen)).toEqual(expect.arrayContaining(['state/', 'state/shadowscan.duckdb', 'state/shadowscan.duckdb.wal', 'state/shadowscan.duckdb.lock', 'events.jsonl', 'cache/github/acme/repos.json']));
    expect(loose(seen)).toEqual({});
    const after = modes(work);
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['reports/', 'cache/github/acme/.http-cache.json']));
    expect(loose(after)).toEqual({});
  }, 120_000);
});
