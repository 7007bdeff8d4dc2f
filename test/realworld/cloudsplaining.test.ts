import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { scanDir } from '../helpers/scan.js';

// cloudsplaining's example account holds BishopFox's IAM-Vulnerable principals; expected.yaml says, for each,
// whether aws/privilege-escalation must flag it and through which path. Any regression fails here.
const dir = join(projectRoot(), 'fixtures/realworld/cloudsplaining');
interface Expected {
  account: string;
  detector: string;
  exploitable: Record<string, { path: string; why?: string }>;
  not_exploitable: Record<string, { why: string }>;
}
const expected = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as Expected;

/** Exploitable principals this version does not flag yet (must only shrink). */
const KNOWN_MISSES = new Set<string>([]);
/** Non-exploitable principals this version still flags (must only shrink). */
const KNOWN_FALSE = new Set<string>([]);

/** Principal name → the path signatures of its finding ("assume-role > assume-role" for a chain). */
function flagged(report: ScanReport): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of report.findings) {
    if (f.detector !== expected.detector) continue;
    const paths = (f.evidence['paths'] as { path: string }[] | undefined) ?? [];
    out.set(f.subject.id.slice(f.subject.id.lastIndexOf('/') + 1), paths.map((p) => p.path));
  }
  return out;
}

describe('cloudsplaining example account (IAM-Vulnerable)', () => {
  let found: Map<string, string[]>;
  beforeAll(async () => {
    found = flagged(await scanDir(dir));
  }, 120_000);

  it('expects 72 exploitable and 10 non-exploitable principals', () => {
    expect(Object.keys(expected.exploitable)).toHaveLength(72);
    expect(Object.keys(expected.not_exploitable)).toHaveLength(10);
  });

  it('flags every exploitable principal through the expected path', () => {
    const wrong: string[] = [];
    let hits = 0;
    for (const [name, e] of Object.entries(expected.exploitable)) {
      const paths = found.get(name);
      // A path may continue past the expected hops: the target's own way to administrator (its self-method).
      const ok = paths !== undefined && paths.some((p) => p === e.path || p.startsWith(`${e.path} > `));
      if (ok) hits++;
      if (ok === KNOWN_MISSES.has(name)) wrong.push(`${name}: expected ${e.path}, got ${paths ? paths.join(', ') : 'no finding'}${ok ? ' (listed as a known miss: remove it)' : ''}`);
    }
    console.log(`cloudsplaining: ${hits} of ${Object.keys(expected.exploitable).length} exploitable principals flagged through the expected path`);
    expect(wrong).toEqual([]);
  });

  it('flags no non-exploitable principal', () => {
    const names = Object.keys(expected.not_exploitable);
    const flaggedFalse = names.filter((n) => found.has(n));
    console.log(`cloudsplaining: ${flaggedFalse.length} of ${names.length} non-exploitable principals flagged`);
    expect(flaggedFalse.sort()).toEqual([...KNOWN_FALSE].sort());
  });
});
