import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

/** `detectors test --jobs N` scans N fixtures at once and prints their lines in catalogue order, as one at a time does. */
describe('detectors test --jobs', () => {
  it('prints the same lines in the same order at any number of jobs; a bad count is a usage error', async () => {
    const args = ['detectors', 'test', '--only', 'aws/static-key-automation'];
    const one = await cli(...args, '--jobs', '1');
    const three = await cli(...args, '--jobs', '3');
    expect(one.code).toBe(0);
    expect(one.out.split('\n').filter((l) => l.startsWith('ok')).length).toBe(5);
    expect(three).toEqual(one);
    const bad = await cli(...args, '--jobs', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--jobs 0: a whole number of fixtures scanned at once, at least 1');
  }, 120_000);

  it('a fixture folder that does not exist is a usage error naming it, not a failed fixture per detector', async () => {
    const r = await cli('detectors', 'test', '--fixtures', '/nonexistent/shadowscan-fixtures');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--fixtures /nonexistent/shadowscan-fixtures: no such directory');
    expect(r.out).toBe('');
  });
});
