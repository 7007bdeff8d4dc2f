import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/kernel/types.js';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { stringify } from 'yaml';
import { scanDir, tempDir } from '../helpers/scan.js';

// The 30-day deprovisioning countdown starts when an identity has no owner at all, and also when its owner
// (an owner tag, or the registry) is a person who has left: not on the people roster.
const FIXTURE = join(projectRoot(), 'fixtures/detectors/aws/ownerless/hit-owner-not-in-roster.json');
const ROLE = 'arn:aws:iam::111122223333:role/report-agent';

/** The fixture's export (report-agent tagged owner=nick@example.com) and a roster file with `people`. */
function exportWith(people: string[]): { dir: string; roster: string } {
  const dir = materializeFixture(readFixture(FIXTURE), tempDir());
  const roster = join(dir, 'roster.txt');
  writeFileSync(roster, people.join('\n') + '\n');
  return { dir, roster };
}

const ownerless = (r: ScanReport, detector: string): Finding | undefined => r.findings.find((f) => f.detector === detector && f.subject.id === ROLE);

describe('ownerless countdown for owners who left', () => {
  it('an owner tag naming a person not on the roster starts the countdown, kept across runs', async () => {
    const { dir, roster } = exportWith(['alice@example.com', 'mia@example.com']);
    const db = join(tempDir(), 'state.duckdb');
    const first = await scanDir(dir, '2026-11-20T00:00:00Z', 90, { peopleFile: roster, dbPath: db });
    const f = ownerless(first, 'aws/ownerless');
    expect(f?.evidence['owner_status']).toBe('departed');
    expect(f?.evidence['ownerless_since']).toBe('2026-11-20');
    expect(f?.evidence['deprovision_on']).toBe('2026-12-20');
    expect(f?.reason).toMatch(/declared owner nick@example\.com has left .*; deprovision on 2026-12-20 unless someone claims it/);
    // Ten days later the date is the same: the countdown is stored in the database.
    const later = await scanDir(dir, '2026-11-30T00:00:00Z', 90, { peopleFile: roster, dbPath: db });
    expect(ownerless(later, 'aws/ownerless')?.evidence['deprovision_on']).toBe('2026-12-20');
    // Nick back on the roster: no finding, and the countdown is cleared (a later departure starts a new one).
    writeFileSync(roster, 'alice@example.com\nnick@example.com\n');
    const back = await scanDir(dir, '2026-12-01T00:00:00Z', 90, { peopleFile: roster, dbPath: db });
    expect(ownerless(back, 'aws/ownerless')).toBeUndefined();
    writeFileSync(roster, 'alice@example.com\n');
    const again = await scanDir(dir, '2026-12-05T00:00:00Z', 90, { peopleFile: roster, dbPath: db });
    expect(ownerless(again, 'aws/ownerless')?.evidence['deprovision_on']).toBe('2027-01-04');
  });

  it('a registry owner not on the roster starts the countdown of the identities it owns', async () => {
    const { dir, roster } = exportWith(['alice@example.com']);
    const registry = join(dir, 'registry.yaml');
    writeFileSync(registry, stringify({
      agents: [{ id: 'report-agent', owner: 'nick@example.com', purpose: 'Weekly reports', tier: 1, certified: '2026-11-01', identities: [ROLE] }],
    }));
    const db = join(tempDir(), 'state.duckdb');
    const r = await scanDir(dir, '2026-11-20T00:00:00Z', 90, { peopleFile: roster, registryFile: registry, dbPath: db });
    const f = ownerless(r, 'registry/ownerless');
    expect(f?.evidence['deprovision_on']).toBe('2026-12-20');
    // The identity's own countdown runs too (aws/ownerless leaves registry-owned identities to registry/ownerless).
    const { Store } = await import('../../src/store/db.js');
    const store = await Store.open(db);
    try {
      const rows = await store.all<{ subject_id: string; reason: string }>('SELECT subject_id, reason FROM ownerless_since ORDER BY subject_id');
      expect(rows).toEqual([
        { subject_id: ROLE, reason: 'registry owner nick@example.com is not on the people roster' },
        { subject_id: 'registry:report-agent', reason: 'registry owner nick@example.com is not on the people roster' },
      ]);
    } finally {
      store.close();
    }
  });

  it('a team tag is not a person: no countdown while the team is not on the roster', async () => {
    const spec = readFixture(FIXTURE);
    const text = JSON.stringify(spec).replace('"Key":"owner","Value":"nick@example.com"', '"Key":"team","Value":"reporting"');
    expect(text).toContain('"Key":"team"');
    const dir = materializeFixture(JSON.parse(text) as typeof spec, tempDir());
    const roster = join(dir, 'roster.txt');
    writeFileSync(roster, 'alice@example.com\n');
    const r = await scanDir(dir, '2026-11-20T00:00:00Z', 90, { peopleFile: roster });
    expect(ownerless(r, 'aws/ownerless')).toBeUndefined();
  });
});
