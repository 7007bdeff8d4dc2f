import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/kernel/errors.js';
import { materializeFixture, readFixture } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { loadLeaks, readLeakFile } from '../../src/store/load-leaks.js';
import { loadPeople, readPeopleFile } from '../../src/store/load-people.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function file(name: string, text: string): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('--people roster', () => {
  it('reads one email or username per line, ignoring comments and blank lines, lower-cased and de-duplicated', () => {
    const r = readPeopleFile(file('people.txt', '# staff\nAlice@Example.com\n\nbob   # contractor\nalice@example.com\r\n'));
    expect(r.people).toEqual(['alice@example.com', 'bob']);
  });

  it('names the file when it is missing, empty, or has a line that is not one name', () => {
    const missing = join(tempDir(), 'nope.txt');
    expect(usageError(() => readPeopleFile(missing)).message).toBe(`--people ${missing}: no such file`);
    const empty = file('empty.txt', '# nobody\n\n');
    expect(usageError(() => readPeopleFile(empty)).message).toContain(`--people ${empty}: no people listed`);
    const csv = file('people.csv', 'alice@example.com\nbob, carol\n');
    expect(usageError(() => readPeopleFile(csv)).message).toContain(`--people ${csv}: line 2 is not one email or username`);
  });

  it('feeds the people table that detectors read', async () => {
    const store = await Store.open(':memory:');
    await loadPeople(store, 'run-1', { source: 'registry:agents.yaml', people: ['mia@example.com'] });
    expect(await store.all('SELECT source, person FROM people')).toEqual([{ source: 'registry:agents.yaml', person: 'mia@example.com' }]);
    store.close();
  });
});

describe('--leaks reports', () => {
  const gitleaks = JSON.stringify([
    { Description: 'AWS', StartLine: 3, Match: `aws_access_key_id=AKIAIOSFODNN7EXAMPLE aws_secret_access_key=${SECRET}`, Secret: 'AKIAIOSFODNN7EXAMPLE',
      File: 'app/.env', Commit: '0123456789abcdef0123', Date: '2026-11-05T09:00:00Z', RuleID: 'aws-access-token' },
    { Description: 'AWS secret', StartLine: 4, Match: SECRET, Secret: SECRET, File: 'app/.env', Commit: '0123', Date: '2026-11-05T09:00:00Z', RuleID: 'aws-secret-key' },
  ]);
  const trufflehog = [
    JSON.stringify({ SourceMetadata: { Data: { Git: { commit: 'abc', file: 'x.py', line: 9, repository: 'https://github.com/o/r', timestamp: '2026-11-07 10:17:40 +0000' } } },
      DetectorName: 'AWS', Verified: true, Raw: 'AKIAI44QH8DHBEXAMPLE', RawV2: `AKIAI44QH8DHBEXAMPLE${SECRET}`, Redacted: 'AKIAI44QH8DHBEXAMPLE' }),
    JSON.stringify({ SourceMetadata: { Data: { Filesystem: { file: 'notes.md' } } }, DetectorName: 'Github', Verified: false, Raw: 'ghp_notAnAwsKeyAtAll0000000000000000000', Redacted: '' }),
  ].join('\n');
  const github = JSON.stringify([
    { number: 7, created_at: '2026-11-09T12:00:00Z', html_url: 'https://github.com/o/r/security/secret-scanning/7', state: 'open',
      secret_type: 'aws_access_key_id', secret: 'AKIAJ5EXAMPLEKEYID01', validity: 'active', repository: { full_name: 'o/r' },
      first_location_detected: { path: 'cfg.yml', start_line: 2, commit_sha: 'feedbeef' } },
    { number: 8, created_at: '2026-11-09T12:00:00Z', secret_type: 'aws_secret_access_key', secret: SECRET },
  ]);

  it('reads gitleaks, TruffleHog JSON Lines and GitHub secret-scanning alerts, keeping only access key ids', () => {
    const g = readLeakFile(file('gitleaks.json', gitleaks));
    expect(g.records).toEqual([{ tool: 'gitleaks', access_key_id: 'AKIAIOSFODNN7EXAMPLE', leaked_at: '2026-11-05T09:00:00.000Z',
      location: 'app/.env:3 commit 0123456789ab', rule: 'aws-access-token', verified: null }]);
    expect(g.other).toBe(1);
    const t = readLeakFile(file('th.jsonl', trufflehog));
    expect(t.records).toEqual([{ tool: 'trufflehog', access_key_id: 'AKIAI44QH8DHBEXAMPLE', leaked_at: '2026-11-07T10:17:40.000Z',
      location: 'https://github.com/o/r x.py:9 commit abc', rule: 'AWS', verified: true }]);
    const a = readLeakFile(file('alerts.json', github));
    expect(a.records.map((r) => [r.tool, r.access_key_id, r.verified, r.leaked_at])).toEqual([['github-secret-scanning', 'AKIAJ5EXAMPLEKEYID01', true, '2026-11-09T12:00:00.000Z']]);
    for (const r of [g, t, a]) expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('stores no secret value', async () => {
    const store = await Store.open(':memory:');
    for (const [n, text] of [['g.json', gitleaks], ['t.jsonl', trufflehog], ['a.json', github]] as const) await loadLeaks(store, 'run-1', readLeakFile(file(n, text)));
    const rows = await store.all('SELECT * FROM leak_reports ORDER BY access_key_id');
    expect(rows.map((r) => r['access_key_id'])).toEqual(['AKIAI44QH8DHBEXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'AKIAJ5EXAMPLEKEYID01']);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    store.close();
  });

  it('names the file (and the line) when it is missing, malformed, or not a leak report', () => {
    const missing = join(tempDir(), 'leaks.json');
    expect(usageError(() => readLeakFile(missing)).message).toBe(`--leaks ${missing}: no such file`);
    const cut = file('cut.json', gitleaks.slice(0, 80));
    expect(usageError(() => readLeakFile(cut)).message).toMatch(new RegExp(`^--leaks ${cut}: malformed JSON \\(`));
    const badLine = file('bad.jsonl', `${trufflehog}\n{"DetectorName": "AWS",\n`);
    expect(usageError(() => readLeakFile(badLine)).message).toContain(`--leaks ${badLine}: malformed JSON on line 3`);
    const other = file('other.json', JSON.stringify({ Records: [{ eventName: 'x' }] }));
    expect(usageError(() => readLeakFile(other)).message).toContain(`--leaks ${other}: not a gitleaks, TruffleHog or GitHub secret-scanning alert report`);
    expect(readLeakFile(file('none.json', '[]')).records).toEqual([]);
  });
});

describe('scan --people / --leaks (CLI)', () => {
  const exportDir = () => materializeFixture(readFixture(join(projectRoot(), 'fixtures/detectors/aws/ownerless/hit-owner-not-in-roster.json')), tempDir());

  it('exits 2 with a message naming a missing or malformed flag file, before scanning', async () => {
    const dir = exportDir();
    const missing = join(dir, 'missing-people.txt');
    const a = await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json', '--people', missing);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`--people ${missing}: no such file`);
    expect(a.out).toBe('');
    const bad = join(dir, 'leaks.json');
    writeFileSync(bad, '{"RuleID": "aws-access-token", ');
    const b = await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json', '--leaks', bad);
    expect(b.code).toBe(2);
    expect(b.err).toContain(`--leaks ${bad}: malformed JSON`);
    expect(b.out).toBe('');
  });

  it('a roster makes an owner who is not on it a departed owner; the report names the roster as a source', async () => {
    const dir = exportDir();
    const r = await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json', '--people', join(dir, 'people.txt'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { run: { sources: string[] }; findings: { detector: string; reason: string; evidence: Record<string, unknown> }[] };
    expect(report.run.sources.some((s) => s.startsWith(`people:${join(dir, 'people.txt')} (3 people)`))).toBe(true);
    const f = report.findings.find((x) => x.detector === 'aws/ownerless');
    expect(f?.reason).toContain('its declared owner nick@example.com has left - not in the people roster');
    expect(f?.evidence['owner_status']).toBe('departed');
    // Without the roster nothing says nick left: a declared owner stays an owner.
    const without = JSON.parse((await cli('scan', '--from', dir, '--db', ':memory:', '--format', 'json')).out) as typeof report;
    expect(without.findings.filter((x) => x.detector === 'aws/ownerless')).toEqual([]);
  });
});
