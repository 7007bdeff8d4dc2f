/**
 * Migration 60: the agent registry as tables detectors join (reloaded from --registry each scan),
 * the people roster, tier rules (reference data) and the ownerless countdown, which persists
 * across runs so a deprovisioning date does not move every time the scanner runs.
 */
export const migration = {
  version: 60,
  name: 'registry',
  sql: `
-- One row when a registry file was given to this scan (detectors that need a registry check it).
CREATE TABLE registry_state (source_file VARCHAR, agents INTEGER, roster BOOLEAN);
CREATE TABLE registry_agents (
  agent_id VARCHAR, owner VARCHAR, purpose VARCHAR, tier INTEGER, certified DATE, source_file VARCHAR, line INTEGER
);
CREATE TABLE registry_identities (agent_id VARCHAR, ref VARCHAR, ref_kind VARCHAR);

-- The registry's people: list goes into the people table (migration 35) with source 'registry:<file>'.

-- Reference data: IAM actions that lift an identity to a tier (rewritten each scan).
CREATE TABLE tier_rules (ord INTEGER, pattern VARCHAR, tier INTEGER, label VARCHAR);

-- When each subject (identity id, or registry:<agent id>) was first seen without an owner.
-- Kept across runs; a subject that gets an owner again is removed (its countdown restarts).
CREATE TABLE ownerless_since (subject_id VARCHAR PRIMARY KEY, first_seen TIMESTAMP, reason VARCHAR);

-- Findings an exception covered in a run (the report's "suppressed" list), kept like run_findings.
CREATE TABLE run_suppressed (run_id VARCHAR, finding_id VARCHAR, detector VARCHAR, subject_id VARCHAR, body JSON, exception JSON);
`,
};
