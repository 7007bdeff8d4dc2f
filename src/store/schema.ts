
export { MIGRATIONS } from './migrations/index.js';
import { MIGRATIONS } from './migrations/index.js';

/** What migrating needs of a store (src/store/db.ts's Store; structural, so this module does not import it back). */
export interface MigrationTarget {
  run(sql: string, params?: Record<string, unknown>): Promise<unknown>;
  all<T>(sql: string): Promise<T[]>;
  transaction(f: () => Promise<void>): Promise<unknown>;
}

/** Apply pending migrations, each in its own transaction. */
export async function migrate(store: MigrationTarget): Promise<void> {
  await store.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())');
  const done = new Set((await store.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await store.transaction(async () => {
      await store.run(m.sql);
      await store.run('INSERT INTO schema_migrations (version, name) VALUES ($v, $n)', { v: m.version, n: m.name });
    });
  }
}

/** Tables holding the current source snapshot (cleared before a full reload). */
export const SOURCE_TABLES = [
  'cloudtrail_files', 'cloudtrail_events', 'cloudtrail_event_keys', 'iam_snapshots', 'iam_principals', 'iam_access_keys', 'iam_credential_report', 'grants', 'trusts',
  'iam_policy_documents', 'people', 'leak_reports', 'iam_oidc_providers', 'iam_service_credentials',
  'github_repos', 'github_members', 'github_secrets', 'github_deploy_keys', 'github_installations', 'github_pat_grants',
  'github_secret_alerts', 'github_workflows', 'github_workflow_facts', 'github_coverage',
] as const;

/** Source tables an incremental (daemon) run keeps between runs: CloudTrail grows file by file. */
export const INCREMENTAL_TABLES = ['cloudtrail_files', 'cloudtrail_events', 'cloudtrail_event_keys'] as const;
