import type { Migration } from './types.js';

/**
 * What a secret's name or an App's slug says is decided by the model (model/github/github_secret_ids.sql,
 * github_app_installations.sql over name_patterns), not at load time: the raw tables drop the columns the
 * loader used to fill, and name_patterns holds the patterns (from src/github-workflow/agent-tools.ts, the one
 * definition the workflow analyser uses too).
 */
export const migration: Migration = {
  version: 55,
  name: 'github-classify-in-model',
  sql: `
ALTER TABLE github_secrets DROP COLUMN credential_type;
ALTER TABLE github_installations DROP COLUMN ai_app;
-- kind: aws-static-key | llm-provider (secret names, lowest ord wins) | ai-app (App slugs); matched case-insensitively.
CREATE TABLE name_patterns (ord INTEGER, kind VARCHAR, pattern VARCHAR);
`,
};
