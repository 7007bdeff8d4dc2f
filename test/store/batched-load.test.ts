import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/detect/loader.js';
import { Store } from '../../src/store/db.js';
import { splitEventsArray } from '../../src/store/json-split.js';
import { BATCH_BYTES, batchesOf, commitRollup, defaultBatchBytes, loadCloudTrail, rollupSql, trailFilesOf, type CloudTrailLoadOptions } from '../../src/store/load-cloudtrail.js';
import { ROLLUP_KEYS } from '../../src/store/cloudtrail-rollup.js';
import { lookupEventFiles } from '../../src/pipeline/pipeline.js';

const root = projectRoot();
const work = mkdtempSync(join(tmpdir(), 'shadowscan-batched-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Everything a load leaves in the store and returns (the rollup row's source file is any one of its files: left out). */
async function load(dir: string, opts: CloudTrailLoadOptions) {
  const store = await Store.open(':memory:');
  try {
    const trail = await loadCloudTrail(store, 'run', 's3', trailFilesOf(join(dir, 'aws')), opts);
    const lookup = await loadCloudTrail(store, 'run', 'lookup-events', lookupEventFiles(join(dir, 'aws')), opts);
    const rows = async (sql: string) => JSON.stringify(await store.all(sql), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    return {
      trail, lookup,
      events: await rows(`SELECT * EXCLUDE (source_file) FROM cloudtrail_events ORDER BY ALL`),
      files: await rows(`SELECT * EXCLUDE (loaded_at) FROM cloudtrail_files ORDER BY ALL`),
      keys: await rows(`SELECT * FROM cloudtrail_event_keys ORDER BY ALL`),
    };
  } finally {
    store.close();
  }
}

describe('CloudTrail load in batches', () => {
  for (const fixture of ['fixtures/demo', 'fixtures/ingestion/trail-cases']) {
    it(`${fixture}: a file per batch, and LookupEvents read in chunks, store the same rollup, files, keys and counts as one read`, async () => {
      const one = await load(join(root, fixture), {});
      // LookupEvents exports cut into chunks of a few events each, every chunk and every file a batch of its own
      const many = await load(join(root, fixture), { batchBytes: 1, splitBytes: fixture === 'fixtures/demo' ? 512 * 1024 : 1 });
      expect(many.events).toBe(one.events);
      expect(many.files).toBe(one.files);
      expect(many.keys).toBe(one.keys);
      // the same gaps; in path order when batched (one read lists the files it had to read again last)
      const sorted = (r: typeof one.trail) => ({ ...r, gaps: [...r.gaps].sort((a, b) => a.source.localeCompare(b.source)) });
      expect(sorted(many.trail)).toEqual(sorted(one.trail));
      expect(sorted(many.lookup)).toEqual(sorted(one.lookup));
      expect(one.trail.records).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('storing the rollup of several batches', () => {
  it('keys shared by batches are found by their hash; a hash shared by different keys (here: every row one hash) stores the same rows', async () => {
    const store = await Store.open(':memory:');
    try {
      const files = trailFilesOf(join(root, 'fixtures/demo/aws'));
      const half = Math.floor(files.length / 2);
      const stage = (hash: string) => store.run(`CREATE OR REPLACE TEMP TABLE staged AS
        SELECT *, CASE WHEN g_file = 1 THEN ${hash} END AS key_hash FROM (
          SELECT 1 AS batch, * FROM (${rollupSql('s3', files.slice(0, half))}) UNION ALL BY NAME SELECT 2 AS batch, * FROM (${rollupSql('s3', files.slice(half))}))`);
      const stored = async (hash: string): Promise<string> => {
        await stage(hash);
        await store.run('DELETE FROM cloudtrail_events');
        await commitRollup(store, 'staged', 'run', 2);
        return JSON.stringify(await store.all('SELECT * EXCLUDE (source_file) FROM cloudtrail_events ORDER BY ALL'), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
      };
      const byHash = await stored(`hash(${ROLLUP_KEYS.join(', ')}, anonymous)`);
      const oneHash = await stored('42::UBIGINT');
      // both batches hold rows of some keys (the check has something to merge), and no key is stored twice
      const shared = await store.one<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM staged WHERE g_file = 1 AND n > 0 GROUP BY ${ROLLUP_KEYS.join(', ')}, anonymous HAVING count(*) > 1)`);
      expect(Number(shared?.n)).toBeGreaterThan(0);
      const dupes = await store.one<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM cloudtrail_events GROUP BY ${ROLLUP_KEYS.join(', ')} HAVING count(*) > 1)`);
      expect(Number(dupes?.n)).toBe(0);
      expect(oneHash).toBe(byHash);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('a LookupEvents export read in chunks', () => {
  it('an entry that is not an event and a copied event, each in a chunk of its own: counts, gaps, stored rows and the files read name the export, as an unsplit read does', async () => {
    const event = (id: string, hour: number) => ({ EventId: id, CloudTrailEvent: JSON.stringify({
      eventVersion: '1.08', eventTime: `2026-11-12T${String(hour).padStart(2, '0')}:10:00Z`, eventID: id, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets',
      awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2.15.0', recipientAccountId: '111122223333',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ci', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE0000000001', userName: 'ci' },
    }) });
    const file = join(work, 'lookup-events-111122223333-us-east-1.json');
    writeFileSync(file, JSON.stringify({ Events: [event('e1', 1), 3, event('e2', 2), event('e3', 3), event('e1', 1)] }));
    const run = async (opts: CloudTrailLoadOptions) => {
      const store = await Store.open(':memory:');
      try {
        let committed: { file: string; records: number }[] = [];
        const r = await loadCloudTrail(store, 'run', 'lookup-events', [file], { ...opts, onCommit: async (l) => { committed = l; } });
        const files = await store.all<{ file: string; records: number; status: string }>('SELECT file, records, status FROM cloudtrail_files');
        const sources = await store.all<{ f: string }>('SELECT DISTINCT source_file AS f FROM cloudtrail_events UNION SELECT DISTINCT source_file FROM cloudtrail_event_keys');
        return { r, committed, files: files.map((f) => ({ ...f, records: Number(f.records) })), sources: sources.map((x) => x.f) };
      } finally {
        store.close();
      }
    };
    const whole = await run({});
    const chunked = await run({ splitBytes: 1, batchBytes: 1 });
    expect(whole.r.counts).toMatchObject({ read: 5, loaded: 3, duplicates: 1 });
    expect(whole.r.counts.skipped.invalid_record).toBe(1);
    expect(chunked).toEqual(whole);
    expect(chunked.r.gaps).toEqual([{ source: file, detail: expect.stringContaining('1 of 5 record(s) skipped (1 not CloudTrail-shaped') }]);
    expect(chunked.committed).toEqual([{ file, records: 4 }]);
    expect(chunked.sources).toEqual([file]);
  }, 60_000);
});

describe('batches', () => {
  it('count plain JSON at a tenth of its size, as its gzip would be: a batch holds about as many records either way', () => {
    const plain = join(work, 'plain.json');
    const gz = join(work, 'packed.json.gz');
    writeFileSync(plain, Buffer.alloc(10_000, 32));
    writeFileSync(gz, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(998)]));
    expect(batchesOf([plain, plain, gz], 2_100)).toEqual([[plain, plain], [gz]]);
    expect(batchesOf([gz, gz, gz], 2_100)).toEqual([[gz, gz], [gz]]);
    expect(batchesOf([plain, gz], 1)).toEqual([[plain], [gz]]);
  });
});

describe('default batch size', () => {
  it('a fourteenth of DuckDB\'s memory limit, at most BATCH_BYTES (a 128 MB batch ran out of memory under a 700 MB limit at 10M records)', async () => {
    const at = async (limit?: string): Promise<number> => {
      const before = process.env['SHADOWSCAN_MEMORY_LIMIT'];
      if (limit) process.env['SHADOWSCAN_MEMORY_LIMIT'] = limit; else delete process.env['SHADOWSCAN_MEMORY_LIMIT'];
      const store = await Store.open(':memory:');
      try { return await defaultBatchBytes(store); } finally {
        store.close();
        if (before === undefined) delete process.env['SHADOWSCAN_MEMORY_LIMIT']; else process.env['SHADOWSCAN_MEMORY_LIMIT'] = before;
      }
    };
    expect(await at('700MB')).toBeGreaterThan(40e6);
    expect(await at('700MB')).toBeLessThan(56e6);
    expect(await at('100MB')).toBe(16 * 1024 * 1024);
    expect(await at('64GB')).toBe(BATCH_BYTES);
  });
});

describe('splitEventsArray', () => {
  const file = (name: string, text: string): string => { const p = join(work, name); writeFileSync(p, text); return p; };
  const chunksOf = (p: string, chunk = 1): unknown[][] | undefined => {
    const dir = mkdtempSync(join(work, 'c'));
    return splitEventsArray(p, dir, 'Events', chunk, 7)?.map((c) => (JSON.parse(readFileSync(c, 'utf8')) as { Events: unknown[] }).Events);
  };
  it('copies each element whole (strings with escaped quotes, brackets and backslashes, nested values), other keys left out', () => {
    const events = [{ a: 'x"y\\\\', b: [1, { c: '}]' }] }, 'str\\"ing', 3, null, { CloudTrailEvent: '{"eventID":"e1","x":"\\"]}"}' }];
    const p = file('ok.json', JSON.stringify({ NextToken: 'a"b', Other: { Events: [9] }, Events: events, n: 1 }, null, 2));
    const chunks = chunksOf(p);
    expect(chunks?.flat()).toEqual(events);
    expect(chunks?.length).toBe(events.length);
    expect(chunksOf(p, 1 << 20)).toEqual([events]);
  });
  it('anything but one object with a non-empty Events array is left to the reader as it is', () => {
    const cases: [string, string][] = [['arr', '[{"Events":[1]}]'], ['none', '{"Other":[1]}'], ['empty', '{"Events":[]}'], ['null', '{"Events":null}'],
      ['twice', '{"Events":[1],"Events":[2]}'], ['open', '{"Events":[1,{"a":"b'], ['after', '{"Events":[1]} x'], ['hole', '{"Events":[1,,2]}'],
      ['trailing', '{"Events":[1,]}'], ['truncated', '{"Events":[{"a":1}']];
    for (const [name, text] of cases) {
      expect(chunksOf(file(`${name}.json`, text)), name).toBeUndefined();
    }
  });
});

describe('batches that hold records loaded by an earlier batch', () => {
  it('after the first overlapping batch, later batches are read once, with the check against earlier keys from the start; every record counted once', async () => {
    const event = (id: string) => ({
      eventVersion: '1.08', eventTime: '2026-11-12T01:10:00Z', eventID: id, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets',
      awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2.15.0', recipientAccountId: '111122223333',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ci', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE0000000001', userName: 'ci' },
    });
    // Four trail files of the same records (a second trail delivering the same events), read one file a batch.
    const dir = mkdtempSync(join(work, 'overlap-'));
    const d = join(dir, 'aws/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/12');
    mkdirSync(d, { recursive: true });
    const records = ['e1', 'e2', 'e3'].map(event);
    for (const n of ['a', 'b', 'c', 'd']) writeFileSync(join(d, `111122223333_CloudTrail_us-east-1_20261112T0110Z_${n}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
    const store = await Store.open(':memory:');
    const reads: string[] = [];
    const run = store.run.bind(store);
    store.run = async (sql, params) => {
      if (/^(CREATE TEMP TABLE|INSERT INTO) ct_stage_s3_rollup /.test(sql)) reads.push(sql.includes('cloudtrail_event_keys') ? 'checked' : 'unchecked');
      return run(sql, params);
    };
    try {
      const r = await loadCloudTrail(store, 'run', 's3', trailFilesOf(join(dir, 'aws')), { batchBytes: 1 });
      expect(r.counts).toMatchObject({ read: 12, loaded: 3, duplicates: 9 });
      expect(Number((await store.one<{ n: number }>('SELECT sum(event_count) AS n FROM cloudtrail_events'))?.n)).toBe(3);
      // a: read without the check; b: read, found to overlap, read again with it; c and d: read once, with it.
      expect(reads).toEqual(['unchecked', 'unchecked', 'checked', 'checked', 'checked']);
    } finally {
      store.close();
    }
  }, 60_000);
});
