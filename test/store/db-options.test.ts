import { afterEach, describe, expect, it } from 'vitest';
import { Store, duckdbOptions } from '../../src/store/db.js';
import { cli } from '../helpers/cli.js';

const saved = process.env['SHADOWSCAN_THREADS'];
afterEach(() => {
  if (saved === undefined) delete process.env['SHADOWSCAN_THREADS'];
  else process.env['SHADOWSCAN_THREADS'] = saved;
});

describe('SHADOWSCAN_THREADS', () => {
  it('caps DuckDB worker threads; unset leaves DuckDB its default', async () => {
    expect(duckdbOptions({})).toEqual({});
    expect(duckdbOptions({ SHADOWSCAN_THREADS: '3' })).toEqual({ threads: '3' });
    process.env['SHADOWSCAN_THREADS'] = '1';
    const store = await Store.open(':memory:');
    const row = await store.one<{ t: unknown }>("SELECT current_setting('threads') AS t");
    store.close();
    expect(Number(row?.t)).toBe(1);
  });

  it('a value that is not a positive whole number is a usage error naming the variable', async () => {
    for (const bad of ['0', 'two', '-1', '1.5']) expect(() => duckdbOptions({ SHADOWSCAN_THREADS: bad })).toThrow(/SHADOWSCAN_THREADS=.*whole number/);
    process.env['SHADOWSCAN_THREADS'] = 'lots';
    const r = await cli('scan', '--from', 'fixtures/demo', '--db', ':memory:', '--format', 'json', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/SHADOWSCAN_THREADS=lots/);
  });
});
