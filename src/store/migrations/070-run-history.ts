/**
 * Migration 70: what history needs per run beyond findings and inventory — the detector catalogue that
 * ran (so `report` renders SARIF rules and help without the detector files) and a grant summary per
 * identity (so `diff` can say "grants widened").
 */
export const migration = {
  version: 70,
  name: 'run-history',
  sql: `
CREATE TABLE run_detectors (run_id VARCHAR, detector_id VARCHAR, body JSON);
CREATE TABLE run_grants (
  run_id VARCHAR, identity_id VARCHAR, action_count BIGINT, write_count BIGINT, patterns JSON
);
`,
};
