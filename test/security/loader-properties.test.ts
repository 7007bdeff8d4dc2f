/**
 * Property tests of the CloudTrail loader (fast-check, a modest number of runs): whatever happens to one
 * file — cut short, a record replaced by garbage, a non-object, a wrong type, the Records key renamed —
 * the load never throws, every intact file keeps all its records, and no other file's count changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listCloudTrailFiles, loadCloudTrail } from '../../src/store/load-cloudtrail.js';
import { Store } from '../../src/store/db.js';
import { tempDir } from '../helpers/scan.js';

const record = (file: number, i: number): Record<string, unknown> => ({
  eventVersion: '1.09', eventTime: `2026-11-19T0${i % 10}:00:00Z`, eventSource: 'iam.amazonaws.com', eventName: 'CreateUser',
  awsRegion: 'us-east-1', eventID: `f${file}-r${i}`, recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${file}`, accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE000000001' },
  requestParameters: { userName: `n${file}-${i}` },
});

type Mutation = { kind: 'truncate'; at: number } | { kind: 'garbage'; index: number; value: unknown } | { kind: 'rename' } | { kind: 'empty' };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }),
  fc.record({ kind: fc.constant('garbage' as const), index: fc.nat(4), value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer()), fc.record({ eventTime: fc.string() })) }),
  fc.record({ kind: fc.constant('rename' as const) }),
  fc.record({ kind: fc.constant('empty' as const) }),
);

describe('CloudTrail loader properties', () => {
  it('a mutation of one file never crashes the load, never loses an intact record, never changes another file', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.nat(3), mutation, async (files, victimSeed, m) => {
      const root = tempDir('shadowscan-prop-');
      const dir = join(root, 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/19');
      mkdirSync(dir, { recursive: true });
      const victim = victimSeed % files;
      const counts: number[] = [];
      for (let f = 0; f < files; f++) {
        const records = Array.from({ length: 5 }, (_, i) => record(f, i));
        counts.push(records.length);
        let text = JSON.stringify({ Records: records });
        if (f === victim) {
          if (m.kind === 'truncate') text = text.slice(0, Math.floor(text.length * m.at));
          else if (m.kind === 'garbage') text = JSON.stringify({ Records: records.map((r, i) => (i === m.index ? m.value : r)) });
          else if (m.kind === 'rename') text = JSON.stringify({ Recs: records });
          else text = '';
        }
        writeFileSync(join(dir, `f${f}.json`), text);
      }
      const store = await Store.open(':memory:');
      try {
        const r = await loadCloudTrail(store, 'run-prop', 's3', listCloudTrailFiles(root));
        const rows = await store.all<{ f: string; n: number }>(`SELECT file AS f, records AS n FROM cloudtrail_files ORDER BY f`);
        const byFile = new Map(rows.map((x) => [x.f.replace(/^.*\//, ''), x.n]));
        for (let f = 0; f < files; f++) {
          if (f === victim) continue;
          expect(byFile.get(`f${f}.json`), `file ${f} (victim ${victim}, ${m.kind})`).toBe(counts[f]);
        }
        const intact = counts.reduce((a, b, i) => (i === victim ? a : a + b), 0);
        expect(r.records).toBeGreaterThanOrEqual(intact);
        if (m.kind !== 'garbage') expect(r.gaps.some((g) => g.source.endsWith(`f${victim}.json`))).toBe(true);
      } finally {
        store.close();
      }
    }), { numRuns: 25 });
  }, 120_000);
});
