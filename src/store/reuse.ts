/**
 * Incremental (daemon) runs re-read an IAM or GitHub folder only when its files changed: the rows and
 * load result of the last load are kept, keyed by a signature of the folder (every file's path, size
 * and mtime, and the tool version). A full scan always reloads and forgets the signatures.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TOOL_VERSION } from '../kernel/version.js';
import type { Store } from './db.js';

/** Raw tables `loadIam` fills. */
export const IAM_TABLES = ['iam_snapshots', 'iam_principals', 'iam_access_keys', 'iam_credential_report', 'grants', 'trusts', 'iam_oidc_providers', 'iam_service_credentials', 'iam_policy_documents'] as const;
/** Raw tables `loadGithub` fills. */
export const GITHUB_TABLES = [
  'github_repos', 'github_members', 'github_secrets', 'github_deploy_keys', 'github_installations', 'github_pat_grants',
  'github_secret_alerts', 'github_workflows', 'github_workflow_facts', 'github_coverage',
] as const;

/** Every file under `paths` (directories walked) with its size and mtime, sorted by path; missing paths are skipped. */
export function statFiles(paths: string[]): { path: string; size: number; mtimeMs: number }[] {
  const out: { path: string; size: number; mtimeMs: number }[] = [];
  const visit = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return; // vanished meanwhile, or never there
    }
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
    else if (st.isFile()) out.push({ path: p, size: st.size, mtimeMs: st.mtimeMs });
  };
  for (const p of paths) visit(resolve(p));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Signature of a folder's content as far as a re-read is concerned. */
export function folderSignature(dir: string): string {
  const h = createHash('sha256').update(`${TOOL_VERSION}\n${resolve(dir)}\n`);
  for (const f of statFiles([dir])) h.update(`${f.path}\t${f.size}\t${f.mtimeMs}\n`);
  return h.digest('hex');
}

/**
 * Load a source folder into `tables`, or, when `incremental` and the folder is unchanged since the load
 * recorded in `daemon_state`, keep those rows and return that load's result. The record is dropped
 * before the tables are cleared and written after the load, so a crash in between means a reload.
 */
export async function loadOrReuse<T>(store: Store, kind: 'iam' | 'github', dir: string, tables: readonly string[], incremental: boolean,
  load: () => Promise<T>): Promise<{ result: T; reused: boolean }> {
  const key = `loaded:${kind}`;
  const signature = incremental ? folderSignature(dir) : null;
  if (signature) {
    const prev = await store.one<{ value: string }>('SELECT value FROM daemon_state WHERE key = $k ORDER BY updated_at DESC LIMIT 1', { k: key });
    const record = prev ? JSON.parse(prev.value) as { signature: string; result: T } : null;
    if (record?.signature === signature) return { result: record.result, reused: true };
  }
  await store.run('DELETE FROM daemon_state WHERE key = $k', { k: key });
  for (const t of tables) await store.run(`DELETE FROM ${t}`);
  const result = await load();
  if (signature) await store.run('INSERT INTO daemon_state (key, value) VALUES ($k, $v)', { k: key, v: JSON.stringify({ signature, result }) });
  return { result, reused: false };
}
