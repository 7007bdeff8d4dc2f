import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/detect/loader.js';
import { builtCli } from '../helpers/daemon.js';
import { tempDir } from '../helpers/scan.js';

/**
 * The generator streams: a day's calls are spilled to disk by hour, so its heap holds an hour, not a day.
 * 150k records in one day (a day as dense as a 3M-record, 21-day demo) in a 96 MB heap: the former
 * day-in-memory generator died there (V8 out of memory). At the density of a 10M-record demo (952k records in 2 days)
 * peak RSS went from 1.7 GB to 0.5 GB; at 10M records, from 1.75 GB to 683 MB.
 */
describe('demo generator memory', () => {
  it('generates a dense day in a 96 MB heap', () => {
    builtCli(); // builds dist/ (tools included) when missing
    const gen = join(projectRoot(), 'dist/tools/demo/generate.js');
    const out = tempDir('shadowscan-demo-mem-');
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', gen, '--out', out, '--records', '150000', '--days', '1'], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/wrote .*: 150,\d{3} records/);
    expect(r.status).toBe(0);
  }, 120_000);
});
