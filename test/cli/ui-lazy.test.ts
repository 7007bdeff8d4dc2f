import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/scan.js';
import { capture } from '../helpers/capture.js';

// Record whether ink or React is ever imported: the factories run only when something imports them.
const loaded = vi.hoisted(() => ({ modules: [] as string[] }));
vi.mock('ink', () => {
  loaded.modules.push('ink');
  return {};
});
vi.mock('react', () => {
  loaded.modules.push('react');
  return {};
});
vi.mock('react/jsx-runtime', () => {
  loaded.modules.push('react/jsx-runtime');
  return {};
});

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('the UI is loaded only on a terminal', () => {
  it('importing the CLI and running `ui` without a TTY loads neither ink nor React, and says why', async () => {
    const { main } = await import('../../src/cli/main.js');
    const tty = { out: process.stdout.isTTY, in: process.stdin.isTTY };
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    const c = capture();
    try {
      const code = await main(['node', 'shadowscan', 'ui', '--db', join(tempDir(), 'none.duckdb')]);
      expect(code).toBe(2);
      expect(c.err.join('')).toContain('needs a terminal');
      // `report` without --format off a terminal renders JSON (here: fails on the missing database) without the UI.
      const rep = await main(['node', 'shadowscan', 'report', '--db', join(tempDir(), 'none.duckdb')]);
      expect(rep).toBe(2);
      expect(c.err.join('')).toContain('no such database');
      const help = await main(['node', 'shadowscan', '--help']);
      expect(help).toBe(0);
    } finally {
      c.restore();
      Object.defineProperty(process.stdout, 'isTTY', { value: tty.out, configurable: true });
      Object.defineProperty(process.stdin, 'isTTY', { value: tty.in, configurable: true });
    }
    expect(loaded.modules).toEqual([]);
  });

  it('the check can fail: importing the UI module does load them', async () => {
    await import('../../src/ui/run.js');
    expect(loaded.modules).toContain('ink');
  });
});
