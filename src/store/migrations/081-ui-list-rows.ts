/**
 * Migration 81 (UI): the Inventory and Findings list columns of each run as plain columns, written once per
 * run, so the terminal UI pages, sorts and filters without parsing every JSON body on every keystroke.
 */
export const migration = {
  version: 81,
  name: 'ui-list-rows',
  sql: `
CREATE TABLE ui_inventory (
  run_id VARCHAR, id VARCHAR, kind VARCHAR, classification VARCHAR, name VARCHAR, arn VARCHAR, account VARCHAR,
  owner VARCHAR, owner_source VARCHAR, risk_score INTEGER, finding_count INTEGER, search VARCHAR
);
CREATE TABLE ui_findings (
  run_id VARCHAR, id VARCHAR, severity VARCHAR, sev_rank INTEGER, category VARCHAR, detector VARCHAR,
  subject_id VARCHAR, subject VARCHAR, reason VARCHAR, search VARCHAR
);
`,
};
