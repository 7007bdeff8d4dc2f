import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { checkReport, corpusRoot, listSets, outcome, passed, readExpectations, renderTable, runSet, type Expectations } from '../../tools/realworld/corpus.js';

// The real-world corpus (fixtures/realworld): every set is public data with its licence and origin, and its
// expected.yaml holds. `npm run realworld` prints the same table.
const root = corpusRoot(projectRoot());
const sets = listSets(root);

/** The id git gives a blob with these bytes: lets the test prove a file is the upstream file, unchanged. */
function gitBlobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p); else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

interface OriginFile { to: string; from: string | null; wrap: string; blob?: string; sha256?: string; why?: string }
interface Origin { repository: string; commit: string; licence: string; licence_files: string[]; files: OriginFile[] }

describe('the corpus: licences and origins', () => {
  it('has sets', () => {
    expect(sets.length).toBeGreaterThanOrEqual(8);
  });

  for (const set of sets) {
    it(`${set}: licence, origin, and every file as upstream wrote it`, () => {
      const dir = join(root, set);
      const origin = parse(readFileSync(join(dir, 'ORIGIN.yaml'), 'utf8')) as Origin;
      expect(origin.repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
      expect(origin.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(origin.licence).toMatch(/^(MIT|Apache-2\.0|BSD-3-Clause)$/);
      for (const l of origin.licence_files) expect(existsSync(join(dir, l)), `${set}/${l}`).toBe(true);
      const listed = new Set(origin.files.map((f) => f.to));
      // Nothing in the export that ORIGIN.yaml does not account for.
      for (const f of filesUnder(join(dir, 'export'))) expect(listed, `${relative(dir, f)} is not in ORIGIN.yaml`).toContain(relative(dir, f));
      for (const f of origin.files) {
        const bytes = readFileSync(join(dir, f.to));
        if (f.wrap === 'none') expect(gitBlobId(bytes), f.to).toBe(f.blob);
        else if (f.wrap === 'records-array') {
          const text = bytes.toString('utf8');
          expect(text.startsWith('{"Records":') && text.endsWith('}'), f.to).toBe(true);
          expect(gitBlobId(Buffer.from(text.slice('{"Records":'.length, -1), 'utf8')), f.to).toBe(f.blob);
        } else if (f.wrap === 'records-slice') {
          const text = bytes.toString('utf8');
          const rec = text.slice('{"Records":['.length, -2);
          expect(createHash('sha256').update(rec).digest('hex'), f.to).toBe(f.sha256);
        } else if (f.wrap === 'content-field') {
          expect(createHash('sha256').update(bytes).digest('hex'), f.to).toBe(f.sha256);
        } else {
          expect(f.wrap, f.to).toBe('written-here');
          expect(f.why, `${f.to}: say why it was written here`).toBeTruthy();
        }
      }
    });
  }
});

describe('the corpus: expectations', () => {
  for (const set of sets) {
    it(`${set}: every expectation holds or is marked known-failing (and known failures still fail)`, async () => {
      const result = await runSet(root, set);
      expect(passed([result]), renderTable([result])).toBe(true);
    }, 120_000);
  }
});

describe('checking a report', () => {
  const report = (over: Partial<ScanReport> = {}): ScanReport => ({
    schema_version: '1', suppressed: [],
    run: { coverage_gaps: [] } as unknown as ScanReport['run'],
    inventory: [{ id: 'a', classification: 'workload', evidence: [{ signal: 'workload: CI runner', class: 'workload', detail: 'GitHub Actions', weight: 30 }] }] as unknown as ScanReport['inventory'],
    findings: [{ category: 'stale', detector: 'aws/stale', subject: { id: 'a', arn: null }, reason: 'unused', evidence: {} }] as unknown as ScanReport['findings'],
    ...over,
  });
  const exp = (e: Partial<Expectations>): Expectations => ({ scan: { as_of: '2026-01-01T00:00:00Z', lookback: '90d' }, identities: [], findings: { must: [], must_not: [] }, coverage_gaps: { must: [] }, ...e });

  it('passes what holds, fails a regression, and pins a known failure that starts to hold', () => {
    const ok = checkReport('s', exp({ identities: [{ id: 'a', classification: ['workload'], evidence: ['github actions'] }] }), report());
    expect(ok.checks.map(outcome)).toEqual(['ok']);
    const regression = checkReport('s', exp({ findings: { must: [{ category: 'overbroad' }], must_not: [{ category: 'stale' }] } }), report());
    expect(regression.checks.map(outcome)).toEqual(['regression', 'regression']);
    expect(passed([regression])).toBe(false);
    expect(renderTable([regression])).toContain('REGRESSION false flag: expected no stale; found false flag: aws/stale on a');
    const known = checkReport('s', exp({ identities: [{ id: 'b', classification: ['agent'], known_failing: 'not yet' }] }), report());
    expect(known.checks.map(outcome)).toEqual(['known']);
    expect(passed([known])).toBe(true);
    const fixed = checkReport('s', exp({ identities: [{ id: 'a', classification: ['workload'], known_failing: 'not yet' }] }), report());
    expect(fixed.checks.map(outcome)).toEqual(['fixed']);
    expect(passed([fixed])).toBe(false);
  });

  it('reads `none` as "no inventory row" and checks evidence that must not be there', () => {
    const r = checkReport('s', exp({ identities: [{ id: 'gone', classification: ['none'] }, { id: 'a', classification: ['workload'], evidence_not: ['CI runner'] }] }), report());
    expect(r.checks.map((c) => c.holds)).toEqual([true, false]);
  });

  it('rejects an expected.yaml with an unknown field, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'realworld-'));
    writeFileSync(join(dir, 'expected.yaml'), 'scan: { as_of: 2026-01-01T00:00:00Z }\nidentities:\n  - id: a\n    classification: agent\n    knownfailing: typo\n');
    expect(() => readExpectations(dir)).toThrow(/expected\.yaml: identities\.0: .*knownfailing/);
  });
});
