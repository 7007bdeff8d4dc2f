/** The engine flags of scan and daemon: what they build, and usage errors (exit 2) naming the flag. */
import { describe, expect, it } from 'vitest';
import { engineFromFlags } from '../../src/cli/engine-flags.js';
import { parseByteSize } from '../../src/kernel/byte-size.js';

const base = { trailPartitionColumn: 'timestamp' };

describe('engine flags', () => {
  it('no engine flag: local trail files', () => {
    expect(engineFromFlags(base)).toBeUndefined();
  });

  it('Trino and Athena sources with the window partition column and the scan guard', () => {
    const t = engineFromFlags({ ...base, trino: 'https://trino.example.com:8443', trinoTable: 'hive.logs.cloudtrail', maxScanBytes: '50GB' })!;
    expect(t.engine.kind).toBe('trino');
    expect(t.engine.tableSql).toBe('"hive"."logs"."cloudtrail"');
    expect(t.engine.describe()).toBe('https://trino.example.com:8443 hive.logs.cloudtrail');
    expect(t).toMatchObject({ dateColumn: 'timestamp', maxScanBytes: 50_000_000_000 });
    const a = engineFromFlags({ ...base, athenaTable: 'cloudtrail.cloudtrail_logs_pp', athenaRegion: 'eu-west-1', trailPartitionColumn: 'none' })!;
    expect(a.engine.kind).toBe('athena');
    expect(a.engine.describe()).toBe('eu-west-1 workgroup primary cloudtrail.cloudtrail_logs_pp');
    expect(a.dateColumn).toBeNull();
    // --athena-results: UNLOAD by default when there is an output location to write it under; paged on request
    expect(a.engine.resultPath!()).toEqual({ path: 'paged', why: 'UNLOAD needs --athena-output (its Parquet files go under that location)' });
    const u = engineFromFlags({ ...base, athenaTable: 'd.t', athenaOutput: 's3://results/shadowscan/' })!;
    expect(u.engine.resultPath!()).toEqual({ path: 'unload' });
    const p = engineFromFlags({ ...base, athenaTable: 'd.t', athenaOutput: 's3://results/shadowscan/', athenaResults: 'paged' })!;
    expect(p.engine.resultPath!()).toEqual({ path: 'paged', why: '--athena-results paged' });
  });

  it.each([
    [{ trino: 'http://t:8080' }, /--trino needs --trino-table/],
    [{ trinoTable: 'a.b.c' }, /--trino-table needs --trino/],
    [{ trino: 'http://t:8080', trinoTable: 'a.b' }, /--trino-table: table name "a.b": expected catalog.schema.table/],
    [{ trino: 'http://t:8080', trinoTable: 'a.b.c;drop' }, /--trino-table: table name/],
    [{ trino: 'http://t:8080', trinoTable: 'a.b.c', athenaTable: 'd.t' }, /choose one engine/],
    [{ athenaWorkgroup: 'wg' }, /--athena-workgroup needs --athena-table/],
    [{ athenaTable: 'd.t', athenaOutput: 'bucket/x' }, /--athena-output bucket\/x: expected s3:\/\//],
    [{ athenaTable: 'd.t', athenaOutput: "s3://b/it's" }, /--athena-output s3:\/\/b\/it's: expected s3:\/\//],
    [{ athenaTable: 'd.t', athenaResults: 'csv' }, /--athena-results csv: expected unload or paged/],
    [{ athenaResults: 'paged' }, /--athena-results needs --athena-table/],
    [{ maxScanBytes: '5GB' }, /needs --trino or --athena-table/],
    [{ athenaTable: 'd.t', maxScanBytes: 'lots' }, /--max-scan-bytes lots: expected a size/],
    [{ athenaTable: 'd.t', trailPartitionColumn: 'x y' }, /--trail-partition-column x y/],
  ])('%j is a usage error', (flags, message) => {
    expect(() => engineFromFlags({ ...base, ...flags })).toThrow(message);
  });

  it('byte sizes', () => {
    expect(parseByteSize('1000')).toBe(1000);
    expect(parseByteSize('1.5TB')).toBe(1.5e12);
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('ten')).toBeUndefined();
  });
});
