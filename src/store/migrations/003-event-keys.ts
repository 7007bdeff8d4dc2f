/**
 * Migration 3: the keys (eventID + recipientAccountId) of the CloudTrail events loaded, so a record
 * delivered twice (at-least-once delivery, a copied file, a trail file and a LookupEvents export of the
 * same hours) is counted once, across files, sources and daemon runs. The key is DuckDB's 64-bit
 * hash(eventID, recipientAccountId): a quarter of the memory of the text, and a collision among a
 * million events has odds of about 1 in 30 million.
 */
export const migration = {
  version: 3,
  name: 'event-keys',
  sql: `
CREATE TABLE cloudtrail_event_keys (event_key UBIGINT, source_file VARCHAR, event_hour TIMESTAMP);
`,
};
