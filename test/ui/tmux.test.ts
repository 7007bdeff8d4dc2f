/**
 * Drives the real binary in tmux (send-keys, capture-pane) on a scanned export: the demo org when
 * fixtures/demo exists, else a detector fixture. Skips, saying so, only when tmux is not installed
 * (CI installs it in .ci/install-system).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { lockHolder } from '../../src/store/lock.js';
import { tempDir } from '../helpers/scan.js';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) console.warn('test/ui/tmux.test.ts: SKIPPED — tmux is not installed (apt-get install tmux); the real-terminal UI checks did not run');

const root = projectRoot();
const bin = join(root, 'dist/src/cli/main.js');
const socket = `shadowscan-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** Newest mtime of the sources the binary is built from, against the built entry point. */
function distIsStale(): boolean {
  if (!existsSync(bin)) return true;
  const built = statSync(bin).mtimeMs;
  const walk = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).some((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    if (!/\.tsx?$/.test(e.name)) return false;
    const out = join(root, 'dist', p.slice(root.length + 1).replace(/\.tsx?$/, '.js'));
    return !existsSync(out) || statSync(out).mtimeMs < statSync(p).mtimeMs || statSync(out).mtimeMs > built + 600_000;
  });
  return walk(join(root, 'src')) || walk(join(root, 'reports'));
}

async function screen(session: string, ok: (s: string) => boolean, what: string, escapes = false, ms = 15_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const s = tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);
    if (ok(s)) return s;
    if (Date.now() > until) throw new Error(`tmux: timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const screenWith = (session: string, text: string): Promise<string> => screen(session, (s) => s.includes(text), JSON.stringify(text));
/** Wait until no process holds the database (a killed `ui` exits a moment after its tmux session). */
async function released(dbPath: string): Promise<void> {
  const until = Date.now() + 15_000;
  while (lockHolder(dbPath) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}
const keys = (session: string, ...k: string[]): void => {
  tmux('send-keys', '-t', session, ...k);
};

describe.skipIf(!hasTmux)(`shadowscan ui in a real terminal (tmux)${hasTmux ? '' : ' — SKIPPED: tmux is not installed'}`, () => {
  let db: string;
  beforeAll(() => {
    if (distIsStale()) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    const demo = join(root, 'fixtures/demo');
    const from = existsSync(join(demo, 'aws')) ? demo : materializeFixture(readFixture(join(root, 'fixtures/detectors/aws/overbroad/hit.json')), tempDir());
    db = join(tempDir(), 'shadowscan.duckdb');
    const scan = spawnSync('node', [bin, 'scan', '--from', from, '--db', db, '--as-of', '2026-11-20T00:00:00Z', '--format', 'json', '--output', join(tempDir(), 'r.json'), '-q'], { encoding: 'utf8' });
    if (scan.status !== 0) throw new Error(`scan failed (${scan.status}): ${scan.stderr}`);
  }, 300_000);
  afterAll(() => {
    // Our own tmux server (private socket) only.
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('opens at 80×24, moves, opens a detail with next steps, goes back, switches, filters, resizes and quits', async () => {
    const s = 'main';
    try {
    tmux('new-session', '-d', '-s', s, '-x', '80', '-y', '24', `TERM=xterm-256color node ${bin} ui --db ${db}; echo "EXITED $?"; sleep 60`);
    let sc = await screen(s, (x) => x.includes('identities:') && x.includes('›'), 'the first screen');
    expect(sc).toMatch(/\d+ identities: agent \d+ workload \d+ human \d+ aws-service \d+ unknown \d+/);
    expect(sc).toMatch(/\d+ findings: critical \d+ high \d+/);
    expect(sc).toContain('coverage gaps:');
    expect(sc).toContain('Inventory');
    for (const l of sc.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
    // Colours are on by default.
    const colored = tmux('capture-pane', '-p', '-e', '-t', s);
    expect(colored).toMatch(/\x1b\[(3[0-8]|9[0-7])(;\d+)*m/);

    keys(s, 'j');
    keys(s, 'k');
    keys(s, 'Enter');
    sc = await screenWith(s, 'risk score');
    expect(sc).toContain('Detail');
    expect(sc).toContain('classification');
    // Findings and their next steps come first: the commands are on the first screens, not below the fold.
    // Each key waits for the screen to redraw (a loaded machine draws late); at the end of the detail nothing moves.
    for (let i = 0; i < 16 && !/\$ aws /.test(sc); i++) {
      const before = sc;
      keys(s, 'j');
      sc = await screen(s, (x) => x !== before, 'the detail to scroll', false, 3_000).catch(() => tmux('capture-pane', '-p', '-t', s));
    }
    expect(sc).toContain('next steps');
    expect(sc).toMatch(/\$ aws /);
    keys(s, 'G');
    sc = await screenWith(s, 'Activity');
    keys(s, 'Escape');
    sc = await screen(s, (x) => x.includes('CLASS') && x.includes('›'), 'back to the Inventory');

    keys(s, 'Tab');
    sc = await screen(s, (x) => x.includes('SEVERITY') && x.includes('›'), 'the Findings list');
    expect(sc).toContain('REASON');
    keys(s, 'f');
    sc = await screenWith(s, 'severity: critical');

    keys(s, 'Tab');
    await screenWith(s, 'CLASS');
    keys(s, '/');
    tmux('send-keys', '-t', s, '-l', 'agent');
    keys(s, 'Enter');
    sc = await screen(s, (x) => x.includes('filter: agent') && !x.includes('█') && (x.includes('›') || x.includes('nothing matches')), 'the text filter');
    keys(s, 'Escape');
    await screen(s, (x) => !x.includes('filter: agent') && x.includes('›'), 'the filter cleared');

    keys(s, '?');
    sc = await screenWith(s, 'Keys');
    expect(sc).toContain('cycle the sort order');
    keys(s, 'x');
    await screenWith(s, 'CLASS');

    tmux('resize-window', '-t', s, '-x', '110', '-y', '30');
    sc = await screen(s, (x) => x.split('\n').length >= 28 && x.split('\n').some((l) => l.length > 80 && l.includes('RISK')), 'the wider layout');
    tmux('resize-window', '-t', s, '-x', '80', '-y', '24');
    sc = await screen(s, (x) => x.split('\n').some((l) => l.includes('RISK')) && x.split('\n').every((l) => l.length <= 80), 'the 80-column layout again');

    keys(s, 'q');
    await screenWith(s, 'EXITED 0');
    } finally {
      spawnSync('tmux', ['-L', socket, 'kill-session', '-t', s]);
      await released(db);
    }
  });

  it('NO_COLOR: no colour escapes on screen', async () => {
    const s = 'nocolor';
    tmux('new-session', '-d', '-s', s, '-x', '80', '-y', '24', `TERM=xterm-256color NO_COLOR=1 node ${bin} ui --db ${db}; echo "EXITED $?"; sleep 60`);
    const sc = await screen(s, (x) => x.includes('identities:') && x.includes('›'), 'the first screen', true);
    expect(sc).not.toMatch(/\x1b\[(3[0-8]|9[0-7])(;\d+)*m/);
    keys(s, 'q');
    await screenWith(s, 'EXITED 0');
  });
});
