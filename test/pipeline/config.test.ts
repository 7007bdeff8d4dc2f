import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkParams, configPath, loadConfig } from '../../src/pipeline/config.js';
import { UsageError } from '../../src/kernel/errors.js';
import { tempDir } from '../helpers/scan.js';

const write = (text: string): string => {
  const dir = tempDir();
  const f = join(dir, 'shadowscan.yaml');
  writeFileSync(f, text);
  return f;
};
const known = [{ id: 'aws/stale', params: ['stale_days'] }, { id: 'aws/privilege-escalation', params: ['include_conditional'] }];

describe('shadowscan.yaml', () => {
  it('flattens flat and per-detector params, resolves paths relative to the file', () => {
    const f = write('lookback: 60d\nparams:\n  stale_days: 45\ndetectors:\n  aws/privilege-escalation:\n    params: { include_conditional: true }\ndetector_dirs: [mine]\npeople: people.txt\n');
    const c = loadConfig(f);
    expect(c.config.lookback).toBe('60d');
    expect(c.params).toEqual({ stale_days: 45, 'aws/privilege-escalation.include_conditional': true });
    expect(c.detectorDirs).toEqual([join(f, '..', 'mine')]);
    expect(c.people).toBe(join(f, '..', 'people.txt'));
    expect(c.paramLines['aws/privilege-escalation.include_conditional']).toBe(6);
    expect(() => checkParams(c.params, known, (k) => k)).not.toThrow();
  });

  it('names file, line and column for broken YAML, unknown keys and bad values', () => {
    expect(() => loadConfig(write('lookback: [60d\n'))).toThrow(/shadowscan\.yaml:2:1: invalid YAML/);
    expect(() => loadConfig(write('lookback: 60d\nparamz: {}\n'))).toThrow(/shadowscan\.yaml:2:1: .*unknown key\(s\) paramz/);
    expect(() => loadConfig(write('lookback: 60d\ndetectors:\n  aws/stale:\n    parms: {}\n'))).toThrow(/:4:5: detectors\.aws\/stale: unknown key\(s\) parms/);
    expect(() => loadConfig(write('\n\nlookback: sixty days\n'))).toThrow(/:3:1: lookback: a duration/);
    expect(() => loadConfig(write('lookback: 60d\n'))).not.toThrow();
    let err: unknown;
    try { loadConfig(write('lookback: [\n')); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UsageError);
  });

  it('rejects parameters no detector has, with the line', () => {
    const c = loadConfig(write('params:\n  aws/stale.stale_dayz: 3\n'));
    expect(() => checkParams(c.params, known, (k) => `f:${c.paramLines[k]}`)).toThrow(/f:2: aws\/stale has no parameter "stale_dayz" \(it has: stale_days\)/);
    expect(() => checkParams({ 'aws/nope.x': 1 }, known, () => 'f')).toThrow(/no detector "aws\/nope"/);
    expect(() => checkParams({ nothing: 1 }, known, () => 'f')).toThrow(/no detector has a parameter "nothing"/);
  });

  it('uses ./shadowscan.yaml only when present; a missing --config is an error', () => {
    const dir = tempDir();
    expect(configPath(undefined, dir)).toBeUndefined();
    writeFileSync(join(dir, 'shadowscan.yaml'), 'lookback: 1d\n');
    expect(configPath(undefined, dir)).toBe(join(dir, 'shadowscan.yaml'));
    expect(() => configPath(join(dir, 'nope.yaml'))).toThrow(/--config .*nope\.yaml: no such file/);
  });
});
