import type { Migration } from './types.js';

/**
 * ct_enriched became a table (built once per model instead of recomputed by every detector that reads it):
 * drop the view older databases have, so the model can create the table.
 */
export const migration: Migration = {
  version: 2,
  name: 'ct-enriched-table',
  sql: `DROP VIEW IF EXISTS ct_enriched`,
};
