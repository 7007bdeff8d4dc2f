/**
 * `npm run bench:ui`: time to the terminal UI's first screen on a large stored run.
 *
 *   node dist/tools/bench/ui-first-frame.js [--identities 5000] [--findings 20000] [--reps 5] [--db FILE]
 *
 * Generates the run (tools/bench/ui-db.ts) unless --db names one, then starts the real binary in a detached
 * tmux pane of 80×24, R times, and reports: from spawning the command to the first Inventory row on the tmux
 * screen (polled every 10 ms, so it includes node start-up), and the app's own marks (SHADOWSCAN_UI_TIMING:
 * ms after process start when the first screen was painted before ink loaded, and when ink drew it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/db.js';
import { generateUiRun } from './ui-db.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    process.stderr.write('bench:ui needs tmux (apt-get install tmux)\n');
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), 'shadowscan-ui-bench-'));
  const identities = Number(arg('--identities', '5000'));
  const findings = Number(arg('--findings', '20000'));
  const reps = Number(arg('--reps', '5'));
  let db = arg('--db', '');
  if (!db) {
    db = join(work, 'ui.duckdb');
    const store = await Store.open(db);
    await generateUiRun(store, { identities, findings });
    store.close();
  }
  const bin = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  const socket = `shadowscan-ui-bench-${process.pid}`;
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const outside: number[] = [];
  const inside: number[] = [];
  const cpu: number[] = [];
  const painted: number[] = [];
  try {
    for (let r = 0; r < reps; r++) {
      const log = join(work, `timing-${r}.txt`);
      const t0 = performance.now();
      tmux('new-session', '-d', '-s', `b${r}`, '-x', '80', '-y', '24', `SHADOWSCAN_UI_TIMING=1 node ${bin} ui --db ${db} 2>${log}`);
      for (;;) {
        const screen = tmux('capture-pane', '-p', '-t', `b${r}`);
        if (screen.split('\n').some((l) => l.startsWith('›'))) break;
        if (performance.now() - t0 > 30_000) throw new Error(`no first screen after 30 s:\n${screen}`);
        await new Promise((res) => setTimeout(res, 10));
      }
      outside.push(performance.now() - t0);
      tmux('send-keys', '-t', `b${r}`, 'q');
      for (let i = 0; i < 300 && !/first frame/.test(existsSync(log) ? readFileSync(log, 'utf8') : ''); i++) await new Promise((res) => setTimeout(res, 10));
      const text = readFileSync(log, 'utf8');
      const m = /first frame rendered by ink \(interactive\) (\d+) ms after process start \(cpu (\d+) ms\)/.exec(text);
      if (m) {
        inside.push(Number(m[1]));
        cpu.push(Number(m[2]));
      }
      const p = /first screen painted (\d+) ms/.exec(text);
      if (p) painted.push(Number(p[1]));
      spawnSync('tmux', ['-L', socket, 'kill-session', '-t', `b${r}`]);
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  }
  const fmt = (xs: number[]): string => `median ${median(xs).toFixed(0)} ms, best ${Math.min(...xs).toFixed(0)} ms, worst ${Math.max(...xs).toFixed(0)} ms`;
  process.stdout.write(`shadowscan ui, ${identities} identities / ${findings} findings, ${reps} start(s) at 80×24\n`);
  process.stdout.write(`  spawn → first Inventory row on screen (tmux): ${fmt(outside)}\n`);
  if (painted.length) process.stdout.write(`  process start → first screen painted before ink loaded (${painted.length} of ${reps} starts): ${fmt(painted)}\n`);
  if (inside.length) process.stdout.write(`  process start → first frame drawn by ink, keys live (app mark): ${fmt(inside)}\n`);
  if (cpu.length) process.stdout.write(`  CPU time of the process until ink's first frame (user+system, all threads): ${fmt(cpu)}\n`);
  process.stdout.write(`  load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} CPU(s)\n`);
  rmSync(work, { recursive: true, force: true });
}

await main();
