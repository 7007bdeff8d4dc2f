/**
 * The offline layout of GitHub data: `DIR/github/<org>/…`, one file per REST endpoint, bodies as
 * GitHub returns them (paginated lists concatenated into one JSON array or one `{total_count, <list>}`
 * object). `shadowscan collect` writes it; `scan --from` reads it (src/store/load-github.ts). The same
 * files can be produced with `gh api --paginate` (README "GitHub").
 *
 * ```
 * github/<org>/members.json                          GET /orgs/{org}/members                  [user]
 * github/<org>/repos.json                            GET /orgs/{org}/repos?type=all           [repository]
 * github/<org>/actions-secrets.json                  GET /orgs/{org}/actions/secrets          {total_count, secrets}
 * github/<org>/actions-secrets/<NAME>.repositories.json  GET /orgs/{org}/actions/secrets/{name}/repositories (visibility "selected")
 * github/<org>/installations.json                    GET /orgs/{org}/installations            {total_count, installations}
 * github/<org>/personal-access-tokens.json           GET /orgs/{org}/personal-access-tokens   [grant]
 * github/<org>/secret-scanning-alerts.json           GET /orgs/{org}/secret-scanning/alerts   [alert] (`secret` reduced to a key id)
 * github/<org>/repos/<repo>/actions-secrets.json     GET /repos/{org}/{repo}/actions/secrets  {total_count, secrets}
 * github/<org>/repos/<repo>/environments.json        GET /repos/{org}/{repo}/environments     {total_count, environments}
 * github/<org>/repos/<repo>/environments/<env>/actions-secrets.json   environment secrets (env name URI-encoded)
 * github/<org>/repos/<repo>/keys.json                GET /repos/{org}/{repo}/keys             [deploy key] (public key dropped)
 * github/<org>/repos/<repo>/workflows/<file>         the text of .github/workflows/<file> on the default branch
 * github/<org>/repos/<repo>/actions/<dir>/action.yml  the repository's own action at <dir> (what `uses: ./<dir>` runs; not collected yet)
 * github/<org>/coverage.json                         [{endpoint, repo, status, detail}] what could not be read
 * ```
 * A file that is absent means "not collected" (the coverage file says why); an empty list means "none".
 */
import { join } from 'node:path';

/** The folder of one org below the export root. */
export function orgDir(root: string, org: string): string {
  return join(root, 'github', org);
}

/** Files of one org (paths relative to orgDir). */
export const ORG_FILES = {
  members: 'members.json',
  repos: 'repos.json',
  secrets: 'actions-secrets.json',
  installations: 'installations.json',
  patGrants: 'personal-access-tokens.json',
  secretAlerts: 'secret-scanning-alerts.json',
  coverage: 'coverage.json',
} as const;

/** Selected repositories of an org secret. */
export function selectedReposFile(secret: string): string {
  return join('actions-secrets', `${secret}.repositories.json`);
}

/** Files of one repository (relative to orgDir). */
export function repoFiles(repo: string): { secrets: string; environments: string; keys: string; workflows: string } {
  const d = join('repos', repo);
  return {
    secrets: join(d, 'actions-secrets.json'),
    environments: join(d, 'environments.json'),
    keys: join(d, 'keys.json'),
    workflows: join(d, 'workflows'),
  };
}

/** Secrets of one deployment environment (relative to orgDir). */
export function environmentSecretsFile(repo: string, environment: string): string {
  return join('repos', repo, 'environments', encodeURIComponent(environment), 'actions-secrets.json');
}

/** One entry of coverage.json: an endpoint collection could not read. */
export interface CollectGap {
  endpoint: string;
  repo: string | null;
  status: number | null;
  detail: string;
}

const AWS_KEY_ID = /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/;

/**
 * A secret-scanning alert with the secret removed: only an identifying part is kept (an AWS access
 * key id, which is an identifier, never a secret access key). Applied by the collector before anything
 * is written and again by the loader, because hand-made exports (`gh api`) carry the secret.
 */
export function sanitizeSecretAlert(alert: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(alert)) {
    if (k === 'secret') continue;
    out[k] = v;
  }
  const secret = typeof alert['secret'] === 'string' ? alert['secret'] : '';
  const m = AWS_KEY_ID.exec(secret);
  if (m?.[1]) out['key_id'] = m[1];
  return out;
}

/** A deploy key without its public key body (not a secret, but nothing needs it). */
export function sanitizeDeployKey(key: Record<string, unknown>): Record<string, unknown> {
  const { key: _drop, ...rest } = key;
  return rest;
}
