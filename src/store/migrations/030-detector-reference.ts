/**
 * Migration 30 (issue 3, detectors): reference tables the grant detectors join against, and the
 * resource each CloudTrail call touched (from its request parameters) so least-privilege
 * suggestions can name resources, not just actions.
 */
export const migration = {
  version: 30,
  name: 'detector-reference',
  sql: `
-- The resource a call named in its request (bucket[/prefix/*], table, secret, parameter, model,
-- function, topic), as an ARN or ARN pattern; NULL when the request names none. Part of the
-- rollup key, so it is kept at bucket/prefix granularity, never per object key.
ALTER TABLE cloudtrail_events ADD COLUMN resource VARCHAR;

-- Published IAM privilege-escalation paths, one row per required action (src/inventory/privesc-paths.ts).
CREATE TABLE privesc_paths (
  path_id VARCHAR, title VARCHAR, severity VARCHAR, steps INTEGER, action VARCHAR, target VARCHAR,
  passed_to VARCHAR, how VARCHAR, reference VARCHAR
);

-- CloudTrail event names whose IAM action is not "<service>:<eventName>" (src/inventory/event-actions.ts).
CREATE TABLE event_actions (event_source VARCHAR, event_name VARCHAR, action VARCHAR, permission_free BOOLEAN);
`,
};
