import { describe, expect, it } from 'vitest';
import { barLine, eta, progressFor } from '../../src/cli/log.js';

/** A stderr stand-in: what was written, and whether it claims to be a terminal. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { text: '', isTTY, columns: 100, write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress on a terminal, log lines elsewhere', () => {
  it('on a terminal: one bar redrawn in place with counts and an ETA, phase messages as lines, cleared when done', () => {
    const err = stream(true);
    let t = 0;
    const p = progressFor({}, err, () => t);
    p.onProgress!('loading IAM exports');
    p.onProgress!('s3://trail: downloading', { done: 0, total: 100, unit: 'objects' });
    t = 1000;
    p.onProgress!('s3://trail: downloading', { done: 25, total: 100, unit: 'objects' });
    expect(err.text).toContain('shadowscan: loading IAM exports\n');
    expect(err.text).toMatch(/\r\x1b\[2K▕██████░+▏ 25\/100 objects · 3s left · s3:\/\/trail: downloading/);
    t = 4000;
    p.onProgress!('s3://trail: downloading', { done: 100, total: 100, unit: 'objects' });
    expect(err.text.endsWith('\r\x1b[2K')).toBe(true); // the finished bar is cleared, nothing left on the line
    expect(err.text).not.toMatch(/info/); // no log lines on a terminal unless --log-level asks
  });

  it('off a terminal: text log lines at info, a counted phase every 10% (not every item), JSON with --log-format json', () => {
    const err = stream(false);
    const p = progressFor({}, err, () => 0);
    p.onProgress!('running detectors', { done: 0, total: 100, unit: 'detectors', item: 'aws/a' });
    for (let i = 1; i <= 100; i++) p.onProgress!('running detectors', { done: i, total: 100, unit: 'detectors', item: `aws/d${i}` });
    const lines = err.text.trim().split('\n');
    expect(lines.length).toBe(11); // 0%, 10%, …, 100%
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info {2}running detectors done=0 total=100 unit=detectors item=aws\/a$/);

    const j = stream(false);
    progressFor({ logFormat: 'json' }, j).onProgress!('loading IAM exports');
    const obj = JSON.parse(j.text.trim());
    expect(obj).toMatchObject({ level: 'info', msg: 'loading IAM exports' });
    expect(Date.parse(obj.time)).not.toBeNaN();

    const warnOnly = stream(true);
    progressFor({ logLevel: 'warn' }, warnOnly).onProgress!('loading IAM exports');
    expect(warnOnly.text).toBe(''); // an explicit level wins over the bar, and info is below warn
    const quiet = stream(false);
    expect(progressFor({ quiet: true }, quiet).onProgress).toBeUndefined();
  });

  it('formats ETAs and cuts the bar to the terminal width', () => {
    expect([eta(45), eta(190), eta(3900)]).toEqual(['45s', '3m10s', '1h05m']);
    const line = barLine('x'.repeat(200), { done: 1, total: 2, unit: 'files' }, 10, 60);
    expect(line.length).toBe(60);
    expect(line.endsWith('…')).toBe(true);
  });
});
