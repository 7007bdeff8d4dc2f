/**
 * Strict inputs: ISO-8601 only for --as-of, a unit on every duration, --output into a missing folder
 * refused before any scan, YAML alias bombs and oversized YAML refused naming the file, and internal
 * errors on their own exit code (4) with the stack trace on request (SHADOWSCAN_DEBUG=1).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDuration, parseDurationMs, parseInstant } from '../../src/kernel/duration.js';
import { ExitCode } from '../../src/kernel/errors.js';
import { MAX_YAML_BYTES } from '../../src/kernel/yaml-input.js';
import * as pipeline from '../../src/pipeline/pipeline.js';
import { cli } from '../helpers/cli.js';
import { exportOf, orgV1 } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

afterEach(() => { vi.restoreAllMocks(); vi.unstubAllEnvs(); });

const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]', ''].join('\n');

describe('strict inputs', () => {
  it('--as-of takes ISO-8601 only', () => {
    expect(parseInstant('2026-11-20', '--as-of').toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseInstant('2026-11-20T06:30:00Z', '--as-of').toISOString()).toBe('2026-11-20T06:30:00.000Z');
    expect(parseInstant('2026-11-20T08:30:00+02:00', '--as-of').toISOString()).toBe('2026-11-20T06:30:00.000Z');
    expect(parseInstant('2026-11-20T06:30', '--as-of').toISOString()).toBe('2026-11-20T06:30:00.000Z');
    for (const bad of ['1', 'Nov 20', '20 November 2026', '2026-13-45', 'yesterday', '']) {
      expect(() => parseInstant(bad, '--as-of'), bad).toThrow(/--as-of: .* is not an ISO-8601/);
    }
  });

  it('every duration carries a unit', () => {
    expect(parseDuration('90d')).toBe(90 * 86400);
    expect(parseDurationMs('500ms', '--every')).toBe(500);
    for (const bad of ['90', '1.5', 'd', '10 years']) expect(() => parseDuration(bad, '--lookback'), bad).toThrow(/--lookback: invalid duration/);
    expect(() => parseDurationMs('30', '--jitter')).toThrow(/--jitter: invalid duration "30": give a number with a unit/);
  });

  it('refuses --output into a missing folder before scanning, --as-of and --lookback without ISO or unit', async () => {
    const dir = exportOf(orgV1());
    const spy = vi.spyOn(pipeline, 'runPipeline');
    const r = await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json', '--output', join(dir, 'no/such/folder/r.json'));
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/--output .*folder .* does not exist/);
    expect(spy).not.toHaveBeenCalled();
    expect((await cli('scan', '--from', dir, '--db', ':memory:', '--as-of', '1')).err).toMatch(/--as-of: "1" is not an ISO-8601/);
    expect((await cli('scan', '--from', dir, '--db', ':memory:', '--lookback', '90')).err).toMatch(/invalid duration "90"/);
  });

  it('refuses YAML alias bombs and oversized YAML, naming the file', async () => {
    const dir = exportOf(orgV1());
    const bomb = join(dir, 'registry.yaml');
    writeFileSync(bomb, BOMB);
    const a = await cli('scan', '--from', dir, '--db', ':memory:', '--registry', bomb, '--format', 'json');
    expect(a.code).toBe(ExitCode.usage);
    expect(a.err).toContain(bomb);
    expect(a.err).toMatch(/alias/);
    expect(a.err).not.toMatch(/internal error/);
    const config = join(dir, 'shadowscan.yaml');
    writeFileSync(config, BOMB.replace(/^(\w):/gm, 'x$1:'));
    const c = await cli('scan', '--from', dir, '--db', ':memory:', '--config', config, '--format', 'json');
    expect(c.code).toBe(ExitCode.usage);
    expect(c.err).toContain(config);
    const big = join(dir, 'exceptions.yaml');
    writeFileSync(big, `exceptions:\n${'  - { subject: x, reason: r, approver: a@b.c, expires: 2027-01-01 }\n'.repeat(Math.ceil(MAX_YAML_BYTES / 60))}`);
    const t0 = performance.now();
    const b = await cli('scan', '--from', dir, '--db', ':memory:', '--exceptions', big, '--format', 'json');
    expect(b.code).toBe(ExitCode.usage);
    expect(b.err).toContain(big);
    expect(b.err).toMatch(/MB, more than the 4 MB/);
    expect(b.err.split('\n').length).toBeLessThan(5);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('an internal error has its own exit code and prints its stack only on request', async () => {
    const dir = exportOf(orgV1());
    vi.spyOn(pipeline, 'runPipeline').mockRejectedValue(new TypeError('boom'));
    const r = await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json');
    expect(r.code).toBe(ExitCode.internal);
    expect(ExitCode.internal).not.toBe(ExitCode.usage);
    expect(r.err).toMatch(/internal error: boom \(rerun with SHADOWSCAN_DEBUG=1/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    vi.stubEnv('SHADOWSCAN_DEBUG', '1');
    const d = await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json');
    expect(d.code).toBe(ExitCode.internal);
    expect(d.err).toMatch(/TypeError: boom\n\s+at /);
  });
});
