import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

describe('SHADOWSCAN_MEMORY_LIMIT', () => {
  const savedMemory = process.env['SHADOWSCAN_MEMORY_LIMIT'];
  afterEach(() => {
    if (savedMemory === undefined) delete process.env['SHADOWSCAN_MEMORY_LIMIT'];
    else process.env['SHADOWSCAN_MEMORY_LIMIT'] = savedMemory;
  });

  it('sets DuckDB\'s memory limit; anything but a size is a usage error naming the variable', async () => {
    expect(duckdbOptions({ SHADOWSCAN_MEMORY_LIMIT: '2GB', SHADOWSCAN_THREADS: '2' })).toEqual({ memory_limit: '2GB', threads: '2' });
    for (const bad of ['2', 'lots', '-1GB', '2 GB; PRAGMA']) expect(() => duckdbOptions({ SHADOWSCAN_MEMORY_LIMIT: bad })).toThrow(/SHADOWSCAN_MEMORY_LIMIT=.*a size such as/);
    process.env['SHADOWSCAN_MEMORY_LIMIT'] = '300MB';
    const store = await Store.open(':memory:');
    const row = await store.one<{ m: string }>("SELECT current_setting('memory_limit') AS m");
    store.close();
    expect(row?.m).toMatch(/^(286\.1 MiB|300\.0 MB|300MB)$/);
  });

  it('a load that runs out of memory stops with an error saying so, not a trail of "unreadable" files and 0 records', async () => {
    process.env['SHADOWSCAN_MEMORY_LIMIT'] = '30MB';
    process.env['SHADOWSCAN_THREADS'] = '1';
    const r = await cli('scan', '--from', 'fixtures/demo', '--as-of', '2026-11-20T00:00:00Z', '--db', ':memory:', '--format', 'json', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/loading CloudTrail \(\d+ file\(s\), from .*\.json\.gz\): DuckDB ran out of memory or disk: Out of Memory Error: .*; give it more \(SHADOWSCAN_MEMORY_LIMIT/);
    expect(r.err).not.toMatch(/no data could be read|could not be read/);
    // What DuckDB spilled went to a private folder under the system temp dir, not `.tmp` in the working directory.
    expect(existsSync(join(process.cwd(), '.tmp'))).toBe(false);
  });
});
