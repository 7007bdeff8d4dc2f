import { cpSync, lstatSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/detect/loader.js';
import type { RunCounts } from '../../src/kernel/types.js';
import { Store } from '../../src/store/db.js';
import { renderTable } from '../../reports/table.js';
import { scanDir, tempDir } from '../helpers/scan.js';

type Rec = Record<string, unknown>;
const FIXTURE = join(projectRoot(), 'fixtures/ingestion/trail-cases');

/**
 * The counts run.counts must show, computed here from the raw files with none of the loader's code:
 * Node's gunzip, TextDecoder and JSON.parse, a Set of event keys. Trail files first, then LookupEvents.
 */
function independentCounts(dir: string): Omit<RunCounts, 'identities' | 'findings' | 'cloudtrail_records'> & { perFileDuplicates: Map<string, number> } {
  const aws = join(dir, 'aws');
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p); // the only symlink is the loop: real folders once
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) { if (p !== join(aws, 'iam')) walk(p); } else if (/\.json(\.gz)?$/i.test(name) && !(d === aws && name.startsWith('lookup-events'))) files.push(p);
    }
  };
  walk(aws);
  const c = { cloudtrail_files: 0, records_read: 0, loaded: 0, duplicates: 0, unattributable: 0, files_skipped: 0,
    skipped: { not_an_object: 0, invalid_record: 0, invalid_utf8: 0, missing_event_time: 0, invalid_event_time: 0 } };
  const keys = new Set<string>();
  // every keyed record that passed the checks, with its file: the per-file duplicate counts are computed from these
  const keyed: { file: string; key: string; lookup: boolean }[] = [];
  let current = '';
  const count = (r: unknown, fromLookup: boolean): void => {
    c.records_read++;
    if (fromLookup) {
      try { r = JSON.parse(r as string); } catch { c.skipped.invalid_record++; return; }
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) { c.skipped.not_an_object++; return; }
    const rec = r as Rec;
    if (JSON.stringify(rec).includes('\uFFFD')) { c.skipped.invalid_utf8++; return; }
    const t = rec['eventTime'] ?? rec['@timestamp'];
    if (t === undefined) { c.skipped.missing_event_time++; return; }
    const year = typeof t === 'string' ? new Date(t).getUTCFullYear() : NaN;
    if (!(year >= 2005 && year < 2100)) { c.skipped.invalid_event_time++; return; }
    if (typeof rec['eventID'] === 'string') {
      const key = `${rec['eventID']}|${String(rec['recipientAccountId'] ?? '')}`;
      keyed.push({ file: current, key, lookup: fromLookup });
      if (keys.has(key)) { c.duplicates++; return; }
      keys.add(key);
    }
    c.loaded++;
    if (rec['userIdentity'] === undefined) c.unattributable++;
  };
  const parse = (file: string): Rec | undefined => {
    try {
      let bytes = readFileSync(file);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      return JSON.parse(new TextDecoder('utf-8').decode(bytes)) as Rec;
    } catch {
      return undefined;
    }
  };
  for (const f of files) {
    const doc = parse(f);
    if (!doc || !Array.isArray(doc['Records'])) { c.files_skipped++; continue; }
    c.cloudtrail_files++;
    current = f;
    for (const r of doc['Records']) count(r, false);
  }
  for (const name of readdirSync(aws).filter((n) => n.startsWith('lookup-events')).sort()) {
    const doc = parse(join(aws, name));
    if (!doc || !Array.isArray(doc['Events'])) { c.files_skipped++; continue; }
    c.cloudtrail_files++;
    current = join(aws, name);
    for (const e of doc['Events'] as Rec[]) count(e['CloudTrailEvent'], true);
  }
  // Per file: trail files are read together, and an event in several of them belongs to the first by path (its other
  // copies are duplicates of the files holding them); LookupEvents files are read after, so an event already loaded is
  // a duplicate there.
  const owner = new Map<string, string>();
  for (const k of keyed) if (!k.lookup && (!owner.has(k.key) || k.file < owner.get(k.key)!)) owner.set(k.key, k.file);
  const perFile = new Map<string, number>();
  const add = (f: string, n: number) => perFile.set(f, (perFile.get(f) ?? 0) + n);
  const owned = new Set<string>();
  for (const k of keyed.filter((x) => !x.lookup)) {
    if (owner.get(k.key) === k.file && !owned.has(k.key)) owned.add(k.key); else add(k.file, 1);
  }
  for (const k of keyed.filter((x) => x.lookup)) {
    if (owned.has(k.key)) add(k.file, 1); else owned.add(k.key);
  }
  return { ...c, perFileDuplicates: perFile };
}

describe('every record exactly once: run.counts against an independent count of the raw files', () => {
  it('key prefix, upper-case names, bad times, non-objects, invalid UTF-8, no userIdentity, copies, overlap with LookupEvents', async () => {
    const dir = tempDir();
    cpSync(FIXTURE, dir, { recursive: true });
    // A symlink loop inside AWSLogs (git keeps no such thing well): walked once.
    symlinkSync(join(dir, 'aws/AWSLogs'), join(dir, 'aws/AWSLogs/111122223333/CloudTrail/loop'));
    const { perFileDuplicates, ...expected } = independentCounts(dir);
    // The fixture holds every case (a count of zero would prove nothing).
    for (const [k, v] of Object.entries({ ...expected, ...expected.skipped })) if (k !== 'skipped') expect(v, k).toBeGreaterThan(0);

    const db = join(tempDir(), 'db.duckdb');
    const r = await scanDir(dir, undefined, undefined, { dbPath: db });
    const { identities: _i, findings: _f, cloudtrail_records, ...counts } = r.run.counts;
    expect(counts).toEqual(expected);
    expect(cloudtrail_records).toBe(expected.loaded);
    expect(expected.records_read).toBe(expected.loaded + expected.duplicates + Object.values(expected.skipped).reduce((a, b) => a + b, 0));

    // The rollup holds each event once: the model sees the loaded count, not the copies.
    const store = await Store.open(db);
    try {
      const sum = await store.one<{ n: number }>('SELECT sum(event_count) AS n FROM cloudtrail_events');
      expect(Number(sum?.n)).toBe(expected.loaded);
    } finally {
      store.close();
    }
    expect(renderTable(r)).toContain(`CloudTrail: ${expected.records_read} records read, ${expected.loaded} loaded, ${expected.duplicates} duplicates dropped`);

    // Each file with skipped or unattributable records is named with its counts; the cut gzip is a gap.
    const gap = (suffix: string) => r.run.coverage_gaps.find((g) => g.source.endsWith(suffix))?.detail;
    expect(gap('_times.json.gz')).toMatch(/^4 of 8 record\(s\) skipped \(1 no eventTime, 3 unparseable or out-of-range eventTime\)/);
    expect(gap('_shapes.json')).toMatch(/^3 of 6 record\(s\) skipped \(3 not a JSON object\)/);
    expect(gap('_latin1.json')).toMatch(/^1 of 4 record\(s\) skipped \(1 invalid UTF-8\)/);
    expect(gap('_console.json.gz')).toMatch(/2 record\(s\) loaded without a userIdentity/);
    expect(gap('_cut.json.gz')).toMatch(/corrupt or truncated|unreadable/);
    expect(gap('lookup-events-111122223333-us-east-1.json')).toMatch(/^1 of 9 record\(s\) skipped \(1 not CloudTrail-shaped/);
    // Each file holding duplicates is named with its own count; together they are the total.
    expect([...perFileDuplicates.values()].reduce((a, b) => a + b, 0)).toBe(expected.duplicates);
    expect(perFileDuplicates.size, 'copies in several files').toBeGreaterThan(1);
    for (const [file, n] of perFileDuplicates) expect(gap(relative(dir, file)), file).toMatch(new RegExp(`(^|; )${n} of \\d+ record\\(s\\) duplicates of records already loaded`));
    const withDuplicates = r.run.coverage_gaps.filter((g) => g.detail.includes('duplicates of records already loaded')).map((g) => g.source).sort();
    expect(withDuplicates).toEqual([...perFileDuplicates.keys()].sort());
    const named = ['_times.json.gz', '_shapes.json', '_latin1.json', '_console.json.gz', '_cut.json.gz', 'lookup-events-111122223333-us-east-1.json']
      .map((suffix) => r.run.coverage_gaps.find((g) => g.source.endsWith(suffix))!.source);
    expect(r.run.coverage_gaps.map((g) => g.source).filter((s) => !relative(dir, s).startsWith('aws/iam')).sort())
      .toEqual([...new Set([...named, ...perFileDuplicates.keys()])].sort());
  });
});

describe('duplicates across daemon runs', () => {
  it('a file copied in after an incremental run adds no records; its events count as duplicates', async () => {
    const { ingestCloudTrail } = await import('../../src/store/ingest.js');
    const dir = tempDir();
    const day = join(dir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/12');
    cpSync(join(FIXTURE, 'aws/trail-bucket-prefix', 'AWSLogs'), join(dir, 'AWSLogs'), { recursive: true });
    const good = join(day, '111122223333_CloudTrail_us-east-1_20261112T0000Z_good.json.gz');
    const store = await Store.open(':memory:');
    try {
      const first = await ingestCloudTrail(store, 'run-1', 's3', [good]);
      expect(first.counts.loaded).toBe(20);
      cpSync(good, join(day, 'copy-of-good.json.gz'));
      const second = await ingestCloudTrail(store, 'run-2', 's3', [good, join(day, 'copy-of-good.json.gz')]);
      expect(second.counts).toMatchObject({ read: 20, loaded: 0, duplicates: 20 });
      expect(second.gaps).toEqual([{ source: join(day, 'copy-of-good.json.gz'), detail: expect.stringMatching(/^20 of 20 record\(s\) duplicates of records already loaded/) as unknown as string }]);
      const sum = await store.one<{ n: number }>('SELECT sum(event_count) AS n FROM cloudtrail_events');
      expect(Number(sum?.n)).toBe(20);
    } finally {
      store.close();
    }
  });
});
