/**
 * Migration 82 (after 80, whose table it extends): one grant summary per identity and run. `run_grants` (migration 70, read by `diff`) and the
 * `grants` of `run_identity_summary` (migration 80, read by the UI) counted granted actions differently; the
 * identity summary is now the one source, with the write-action count and grant patterns `diff` needs. Runs
 * stored before keep their write count and patterns (copied from run_grants), then run_grants goes.
 */
export const migration = {
  version: 82,
  name: 'one-grant-summary',
  sql: `
UPDATE run_identity_summary s
SET body = json_merge_patch(s.body, json_object('grants', json_object('writes', g.write_count, 'patterns', g.patterns)))
FROM run_grants g
WHERE g.run_id = s.run_id AND g.identity_id = s.identity_id AND json_type(s.body, '$.grants') = 'OBJECT';
DROP TABLE run_grants;
`,
};
