import { describe, expect, it } from 'vitest';
import { resolveAnalysis } from '../../src/cli/analysis-flags.js';
import { UsageError } from '../../src/kernel/errors.js';
import { tempDir } from '../helpers/scan.js';

const flags = (param: string[]) => ({ detectors: [], param, leaks: [] });

describe('--param is checked against the detectors', () => {
  const cwd = tempDir(); // no shadowscan.yaml here

  it('accepts a declared parameter, with or without the detector id', () => {
    expect(resolveAnalysis(flags(['aws/stale.stale_days=30']), cwd).params).toEqual({ 'aws/stale.stale_days': '30' });
    expect(resolveAnalysis(flags(['stale_days=30']), cwd).params).toEqual({ stale_days: '30' });
  });

  it('rejects a misspelt parameter or detector, naming the flag and what exists', () => {
    expect(() => resolveAnalysis(flags(['aws/stale.stale_dayz=30']), cwd)).toThrow(UsageError);
    expect(() => resolveAnalysis(flags(['aws/stale.stale_dayz=30']), cwd)).toThrow(/--param aws\/stale\.stale_dayz: aws\/stale has no parameter "stale_dayz" \(it has: .*stale_days/);
    expect(() => resolveAnalysis(flags(['aws/stael.stale_days=30']), cwd)).toThrow(/--param aws\/stael\.stale_days: no detector "aws\/stael"/);
    expect(() => resolveAnalysis(flags(['no_such_param=1']), cwd)).toThrow(/--param no_such_param: no detector has a parameter "no_such_param"/);
  });
});
