import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { loadGrantSummaries } from '../../src/store/history.js';
import { migrate } from '../../src/store/schema.js';

const ROLE = 'arn:aws:iam::111111111111:role/nightly-export';

describe('one grant summary per identity and run (run_identity_summary.grants)', () => {
  it('diff reads actions, write actions and patterns from the identity summary', async () => {
    const store = await Store.open(':memory:');
    try {
      const grants = { actions: 12, writes: 5, patterns: ['s3:*', 's3:GetObject'], services: 1, by_level: [], policies: [], wildcards: [], used_granted: 0, unused_share: 1 };
      await store.append('run_identity_summary', ['run_id', 'identity_id', 'body'], [
        ['r1', ROLE, JSON.stringify({ grants, activity: null })],
        ['r1', 'AKIAEXAMPLE', JSON.stringify({ grants: null, activity: { calls: 3 } })],
      ]);
      const got = await loadGrantSummaries(store, 'r1');
      expect([...got.keys()]).toEqual([ROLE]);
      expect(got.get(ROLE)).toEqual({ action_count: 12, write_count: 5, patterns: ['s3:*', 's3:GetObject'] });
      expect((await loadGrantSummaries(store, 'r2')).size).toBe(0);
    } finally {
      store.close();
    }
  });

  it('migration 82 keeps the write count and patterns of runs stored with run_grants, then drops run_grants', async () => {
    const store = await Store.open(':memory:');
    try {
      // A database as migration 70 and 80 left it: both summaries, the older one keyed by principal ARN.
      await store.run('CREATE TABLE run_grants (run_id VARCHAR, identity_id VARCHAR, action_count BIGINT, write_count BIGINT, patterns JSON)');
      await store.run('DELETE FROM schema_migrations WHERE version = 82');
      await store.append('run_grants', ['run_id', 'identity_id', 'action_count', 'write_count', 'patterns'], [['old', ROLE, 14, 4, '["s3:*"]']]);
      await store.append('run_identity_summary', ['run_id', 'identity_id', 'body'], [
        ['old', ROLE, JSON.stringify({ grants: { actions: 12, services: 1 }, activity: null })],
      ]);
      await migrate(store);
      expect(await store.one("SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'run_grants'")).toBeUndefined();
      // The summary's own action count (allowed, not partially denied) stays; writes and patterns come from run_grants.
      expect((await loadGrantSummaries(store, 'old')).get(ROLE)).toEqual({ action_count: 12, write_count: 4, patterns: ['s3:*'] });
    } finally {
      store.close();
    }
  });
});
