import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Endpoints } from '@octokit/types';
import {
  environmentSecretsFile, ORG_FILES, orgDir, repoFiles, sanitizeDeployKey, sanitizeSecretAlert, selectedReposFile, type CollectGap,
} from './github-layout.js';
import { errorMessage } from '../kernel/errors.js';
import { jsonErrorWithoutText, redact } from '../kernel/redact.js';
import type { CoverageGap } from '../kernel/types.js';
import { analyzeWorkflow, withLocalActions, type WorkflowAnalysis } from '../github-workflow/workflow.js';
import type { Store } from './db.js';
import { readTextInput, TextEncodingError } from '../kernel/text-input.js';

type Repo = Endpoints['GET /orgs/{org}/repos']['response']['data'][number];
type OrgSecret = Endpoints['GET /orgs/{org}/actions/secrets']['response']['data']['secrets'][number];
type RepoSecret = Endpoints['GET /repos/{owner}/{repo}/actions/secrets']['response']['data']['secrets'][number];
type DeployKey = Endpoints['GET /repos/{owner}/{repo}/keys']['response']['data'][number];
type Installation = Endpoints['GET /orgs/{org}/installations']['response']['data']['installations'][number];
type PatGrant = Endpoints['GET /orgs/{org}/personal-access-tokens']['response']['data'][number];
type SecretAlert = Endpoints['GET /orgs/{org}/secret-scanning/alerts']['response']['data'][number] & {
  key_id?: string;
  first_location_detected?: { path?: string; start_line?: number } | null;
  has_more_locations?: boolean;
};
type Member = Endpoints['GET /orgs/{org}/members']['response']['data'][number];
type Environment = NonNullable<Endpoints['GET /repos/{owner}/{repo}/environments']['response']['data']['environments']>[number];

/** What the GitHub loader read. */
export interface GithubLoadResult {
  orgs: string[];
  repos: number;
  secrets: number;
  workflows: number;
  deployKeys: number;
  installations: number;
  patGrants: number;
  alerts: number;
  gaps: CoverageGap[];
}

type Read = { ok: true; value: unknown } | { ok: false; error: string } | { ok: false; missing: true };

function readJson(file: string): Read {
  if (!existsSync(file)) return { ok: false, missing: true };
  let text: string;
  try {
    text = readTextInput(file);
  } catch (e) {
    return { ok: false, error: e instanceof TextEncodingError ? e.message : `cannot read: ${redact(errorMessage(e))}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `invalid or truncated JSON (${jsonErrorWithoutText(e, text)})` };
  }
}

/**
 * The items of a list body in any of the shapes GitHub and `gh api` produce: a plain array, an object
 * with the list under `key` (`{total_count, secrets: […]}`), or an array of such page objects
 * (`gh api --paginate --slurp`).
 */
export function listItems<T>(body: unknown, key: string | null): T[] | null {
  if (Array.isArray(body)) {
    if (key && body.length > 0 && body.every((p) => p && typeof p === 'object' && Array.isArray((p as Record<string, unknown>)[key]))) {
      return body.flatMap((p) => (p as Record<string, T[]>)[key] ?? []);
    }
    return body as T[];
  }
  if (key && body && typeof body === 'object' && Array.isArray((body as Record<string, unknown>)[key])) return (body as Record<string, T[]>)[key] ?? [];
  return null;
}

const iso = (d: unknown): string | null => {
  if (d == null || d === '') return null;
  const t = new Date(d as string);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
};

/** Load every org below DIR/github (layout: src/store/github-layout.ts). */
export async function loadGithub(store: Store, runId: string, root: string): Promise<GithubLoadResult> {
  const out: GithubLoadResult = { orgs: [], repos: 0, secrets: 0, workflows: 0, deployKeys: 0, installations: 0, patGrants: 0, alerts: 0, gaps: [] };
  const ghRoot = join(root, 'github');
  if (!existsSync(ghRoot)) return out;
  const orgs = readdirSync(ghRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const org of orgs) {
    out.orgs.push(org);
    await loadOrg(store, runId, root, org, out);
  }
  return out;
}

/** Rows per table, appended once per org (the appender, never row-by-row INSERT). */
class Rows {
  readonly tables = new Map<string, { columns: readonly string[]; rows: unknown[][] }>();
  add(table: string, columns: readonly string[], row: unknown[]): void {
    const t = this.tables.get(table) ?? { columns, rows: [] };
    t.rows.push(row);
    this.tables.set(table, t);
  }
  async flush(store: Store): Promise<void> {
    for (const [table, t] of this.tables) await store.append(table, t.columns, t.rows);
  }
}

/** What a secret holds (judged from its name) and whether an App is an AI app are decided by the model, not here. */
const SECRET_COLS = ['run_id', 'source_file', 'org', 'scope', 'repo', 'environment', 'name', 'created_at', 'updated_at', 'visibility', 'selected_repos'] as const;

async function loadOrg(store: Store, runId: string, root: string, org: string, out: GithubLoadResult): Promise<void> {
  const dir = orgDir(root, org);
  const rel = (f: string): string => relative(root, join(dir, f));
  const rows = new Rows();
  const gap = (file: string, detail: string, repo: string | null = null, endpoint = file): void => {
    out.gaps.push({ source: `github:${org}${repo ? '/' + repo : ''} ${rel(file)}`, detail });
    rows.add('github_coverage', ['run_id', 'org', 'repo', 'endpoint', 'status', 'detail'], [runId, org, repo, endpoint, null, detail]);
  };
  /** Read a list file; a missing file is a gap only when `required`. */
  const list = <T>(file: string, key: string | null, what: string, repo: string | null = null): T[] | null => {
    const r = readJson(join(dir, file));
    if (!r.ok) {
      if ('missing' in r) return null;
      gap(file, `${r.error}; ${what} not loaded`, repo);
      return null;
    }
    const items = listItems<unknown>(r.value, key);
    if (!items) {
      gap(file, `not a GitHub ${what} list${key ? ` (expected an array or {"${key}": […]})` : ' (expected an array)'}; not loaded`, repo);
      return null;
    }
    // An item that is not an object (null, a number, a string) is skipped and said, never read as one.
    const objects = items.filter((x): x is object => typeof x === 'object' && x !== null && !Array.isArray(x));
    if (objects.length < items.length) gap(file, `${items.length - objects.length} of ${items.length} item(s) are not ${what} objects; skipped (the other ${objects.length} loaded)`, repo);
    return objects as T[];
  };

  // What collection itself could not read.
  const cov = readJson(join(dir, ORG_FILES.coverage));
  if (cov.ok && Array.isArray(cov.value)) {
    for (const g of cov.value as CollectGap[]) {
      out.gaps.push({ source: `github:${org}${g.repo ? '/' + g.repo : ''} ${g.endpoint}`, detail: g.detail });
      rows.add('github_coverage', ['run_id', 'org', 'repo', 'endpoint', 'status', 'detail'], [runId, org, g.repo, g.endpoint, g.status, g.detail]);
    }
  }

  // Files the export lacks and collection did not explain: a coverage gap, never silence (a missing file means
  // "not collected"; an empty list means "none").
  const covGaps: CollectGap[] = cov.ok && Array.isArray(cov.value) ? cov.value as CollectGap[] : [];
  const explained = (endpoint: RegExp, repo: string | null = null): boolean =>
    covGaps.some((g) => g.endpoint === 'auth' || ((g.repo ?? null) === repo && endpoint.test(g.endpoint)));
  const MISSING: [string, RegExp, string][] = [
    [ORG_FILES.members, /\/members\b/, 'org members not exported: owners who left cannot be told from members'],
    [ORG_FILES.secrets, /^\/orgs\/[^/]+\/actions\/secrets/, 'org Actions secrets not exported: static keys and model keys held there are unknown'],
    [ORG_FILES.installations, /\/installations\b/, 'GitHub App installations not exported: AI apps and their permissions are unknown'],
    [ORG_FILES.patGrants, /\/personal-access-tokens\b/, 'fine-grained PAT grants not exported (listing them needs GitHub App auth): personal access tokens are unknown'],
    [ORG_FILES.secretAlerts, /\/secret-scanning\b/, 'secret-scanning alerts not exported: leaked keys are unknown'],
  ];
  for (const [file, endpoint, what] of MISSING) if (!existsSync(join(dir, file)) && !explained(endpoint)) gap(file, `missing: ${what}`);

  for (const m of list<Member>(ORG_FILES.members, null, 'members') ?? []) {
    rows.add('github_members', ['run_id', 'source_file', 'org', 'login', 'id', 'type'], [runId, rel(ORG_FILES.members), org, m.login, m.id, m.type]);
  }

  const listed = list<Repo>(ORG_FILES.repos, null, 'repositories');
  const repos = listed?.filter((r) => typeof r.name === 'string' && r.name !== '') ?? null;
  if (listed && repos && repos.length < listed.length) gap(ORG_FILES.repos, `${listed.length - repos.length} repository item(s) without a name; skipped`);
  // Without a readable repository list, the repositories are those the export has a folder for: their secrets,
  // deploy keys and workflows are separate files and still load.
  const repoFolder = join(dir, 'repos');
  const folders = existsSync(repoFolder) ? readdirSync(repoFolder, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
  const repoNames = [...new Set([...(repos ?? []).map((r) => r.name), ...folders])].sort();
  if (repos === null && !existsSync(join(dir, ORG_FILES.repos))) {
    gap(ORG_FILES.repos, repoNames.length > 0
      ? `missing: the repository list (names, visibility, dates); the ${repoNames.length} repository folder(s) of the export loaded without it`
      : 'missing: repositories, their secrets, deploy keys and workflows not loaded');
  } else if (repos === null && repoNames.length > 0) {
    gap(ORG_FILES.repos, `the repository list is unreadable (above); the ${repoNames.length} repository folder(s) of the export loaded without it`);
  }
  for (const r of repos ?? []) {
    out.repos++;
    rows.add('github_repos', ['run_id', 'source_file', 'org', 'repo', 'full_name', 'id', 'private', 'visibility', 'archived', 'fork', 'default_branch', 'created_at', 'pushed_at', 'updated_at'],
      [runId, rel(ORG_FILES.repos), org, r.name, r.full_name ?? `${org}/${r.name}`, r.id, r.private ?? null, r.visibility ?? null, r.archived ?? false, r.fork ?? false,
        r.default_branch ?? null, iso(r.created_at), iso(r.pushed_at), iso(r.updated_at)]);
  }

  // Org secrets (+ selected repositories).
  for (const s of list<OrgSecret>(ORG_FILES.secrets, 'secrets', 'Actions secrets') ?? []) {
    let selected: string[] | null = null;
    if (s.visibility === 'selected') {
      const sel = list<{ name: string }>(selectedReposFile(s.name), 'repositories', 'selected repositories');
      selected = sel ? sel.map((x) => x.name).sort() : null;
      if (!sel && !existsSync(join(dir, selectedReposFile(s.name)))) gap(selectedReposFile(s.name), `missing: the repositories org secret ${s.name} is visible to are unknown`);
    }
    out.secrets++;
    rows.add('github_secrets', SECRET_COLS, [runId, rel(ORG_FILES.secrets), org, 'org', null, null, s.name, iso(s.created_at), iso(s.updated_at), s.visibility, selected]);
  }

  for (const i of list<Installation>(ORG_FILES.installations, 'installations', 'App installations') ?? []) {
    out.installations++;
    rows.add('github_installations', ['run_id', 'source_file', 'org', 'id', 'app_id', 'app_slug', 'target_type', 'repository_selection', 'permissions', 'events', 'created_at', 'updated_at', 'suspended_at'],
      [runId, rel(ORG_FILES.installations), org, i.id, i.app_id, i.app_slug, i.target_type, i.repository_selection, JSON.stringify(i.permissions ?? {}), i.events ?? [],
        iso(i.created_at), iso(i.updated_at), iso(i.suspended_at)]);
  }

  for (const p of list<PatGrant>(ORG_FILES.patGrants, null, 'personal access token grants') ?? []) {
    out.patGrants++;
    rows.add('github_pat_grants', ['run_id', 'source_file', 'org', 'id', 'token_id', 'token_name', 'owner_login', 'owner_type', 'repository_selection', 'permissions', 'access_granted_at', 'token_expired', 'token_expires_at', 'token_last_used_at'],
      [runId, rel(ORG_FILES.patGrants), org, p.id, p.token_id ?? null, p.token_name ?? null, p.owner?.login ?? null, p.owner?.type ?? null, p.repository_selection,
        JSON.stringify(p.permissions ?? {}), iso(p.access_granted_at), p.token_expired ?? null, iso(p.token_expires_at), iso(p.token_last_used_at)]);
  }

  for (const raw of list<SecretAlert>(ORG_FILES.secretAlerts, null, 'secret-scanning alerts') ?? []) {
    const a = sanitizeSecretAlert(raw as unknown as Record<string, unknown>) as unknown as SecretAlert;
    out.alerts++;
    const loc = a.first_location_detected ?? null;
    rows.add('github_secret_alerts', ['run_id', 'source_file', 'org', 'repo', 'number', 'created_at', 'updated_at', 'state', 'resolution', 'resolved_at', 'secret_type', 'secret_type_display_name', 'validity', 'key_id', 'publicly_leaked', 'location_type', 'location_path', 'location_line', 'html_url'],
      [runId, rel(ORG_FILES.secretAlerts), org, a.repository?.name ?? null, a.number ?? null, iso(a.created_at), iso(a.updated_at), a.state ?? null, a.resolution ?? null,
        iso(a.resolved_at), a.secret_type ?? null, a.secret_type_display_name ?? null, a.validity ?? null, a.key_id ?? null, a.publicly_leaked ?? null,
        loc ? 'commit' : null, loc?.path ?? null, loc?.start_line ?? null, a.html_url ?? null]);
  }

  // Per repository.
  for (const name of repoNames) {
    const r = { name };
    const f = repoFiles(r.name);
    if (!existsSync(join(dir, f.secrets)) && !explained(/\/actions\/secrets/, r.name)) gap(f.secrets, 'missing: repository Actions secrets not exported', r.name);
    if (!existsSync(join(dir, f.keys)) && !explained(/\/keys\b/, r.name)) gap(f.keys, 'missing: deploy keys not exported', r.name);
    for (const s of list<RepoSecret>(f.secrets, 'secrets', 'Actions secrets', r.name) ?? []) {
      out.secrets++;
      rows.add('github_secrets', SECRET_COLS, [runId, rel(f.secrets), org, 'repo', r.name, null, s.name, iso(s.created_at), iso(s.updated_at), null, null]);
    }
    // As for repositories: without a readable environment list, the environment folders of the export still load.
    const envList = list<Environment>(f.environments, 'environments', 'environments', r.name);
    const envFolder = join(dir, dirname(environmentSecretsFile(r.name, 'x')), '..');
    const envFolders = existsSync(envFolder) ? readdirSync(envFolder, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => decodeURIComponent(d.name)) : [];
    const envNames = [...new Set([...(envList ?? []).map((e) => e.name).filter((n): n is string => typeof n === 'string' && n !== ''), ...envFolders])].sort();
    for (const envName of envNames) {
      const env = { name: envName };
      const ef = environmentSecretsFile(r.name, env.name);
      for (const s of list<RepoSecret>(ef, 'secrets', 'environment secrets', r.name) ?? []) {
        out.secrets++;
        rows.add('github_secrets', SECRET_COLS, [runId, rel(ef), org, 'environment', r.name, env.name, s.name, iso(s.created_at), iso(s.updated_at), null, null]);
      }
    }
    for (const raw of list<DeployKey>(f.keys, null, 'deploy keys', r.name) ?? []) {
      const k = sanitizeDeployKey(raw as unknown as Record<string, unknown>) as unknown as DeployKey & { added_by?: string | null; last_used?: string | null };
      out.deployKeys++;
      rows.add('github_deploy_keys', ['run_id', 'source_file', 'org', 'repo', 'id', 'title', 'read_only', 'verified', 'created_at', 'last_used', 'added_by'],
        [runId, rel(f.keys), org, r.name, k.id, k.title, k.read_only, k.verified, iso(k.created_at), iso(k.last_used), k.added_by ?? null]);
    }
    loadWorkflows(runId, dir, org, r.name, f.workflows, rows, rel, out);
  }
  await rows.flush(store);
}

/**
 * The repository's own actions (`repos/<repo>/actions/<dir>/action.yml`, `<dir>` as `uses: ./<dir>` names it; the
 * root action at `actions/action.yml`), analysed like workflows so a step running one inherits what it runs.
 */
function readLocalActions(dir: string, org: string, repo: string, rel: (f: string) => string, out: GithubLoadResult): Map<string, WorkflowAnalysis> {
  const found = new Map<string, WorkflowAnalysis>();
  const base = join(dir, 'repos', repo, 'actions');
  if (!existsSync(base)) return found;
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), prefix ? `${prefix}/${e.name}` : e.name);
      else if (/^action\.ya?ml$/i.test(e.name)) {
        const file = join(d, e.name);
        let text: string;
        try { text = readTextInput(file); } catch (err) {
          out.gaps.push({ source: `github:${org}/${repo} ${rel(relative(dir, file))}`, detail: err instanceof TextEncodingError ? `${err.message}; action not analysed` : `cannot read: ${redact(errorMessage(err))}` });
          continue;
        }
        const a = analyzeWorkflow(text);
        if (a.error) out.gaps.push({ source: `github:${org}/${repo} ${rel(relative(dir, file))}`, detail: `${a.error}; action not analysed` });
        else found.set(prefix, a);
      }
    }
  };
  walk(base, '');
  return found;
}

function loadWorkflows(runId: string, dir: string, org: string, repo: string, wfDir: string, rows: Rows, rel: (f: string) => string, out: GithubLoadResult): void {
  const abs = join(dir, wfDir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) return;
  const actions = readLocalActions(dir, org, repo, rel, out);
  for (const name of readdirSync(abs).sort()) {
    if (!/\.ya?ml$/i.test(name)) continue;
    const file = join(wfDir, name);
    const path = `.github/workflows/${name}`;
    let text: string;
    try {
      text = readTextInput(join(dir, file));
    } catch (e) {
      out.gaps.push({ source: `github:${org}/${repo} ${rel(file)}`, detail: e instanceof TextEncodingError ? `${e.message}; workflow not analysed` : `cannot read: ${redact(errorMessage(e))}` });
      continue;
    }
    const a = withLocalActions(analyzeWorkflow(text), actions);
    out.workflows++;
    if (a.error) out.gaps.push({ source: `github:${org}/${repo} ${rel(file)}`, detail: `${a.error}; workflow not analysed` });
    rows.add('github_workflows', ['run_id', 'source_file', 'org', 'repo', 'path', 'name', 'triggers', 'schedules', 'permissions', 'write_all', 'permissions_missing', 'runs_agent', 'parse_error'],
      [runId, rel(file), org, repo, path, a.name, a.triggers, a.schedules, a.permissions, a.writeAll, a.permissionsMissing, a.runsAgent, a.error]);
    for (const x of a.facts) {
      rows.add('github_workflow_facts', ['run_id', 'org', 'repo', 'path', 'line', 'fact', 'name', 'value', 'context'],
        [runId, org, repo, path, x.line, x.fact, x.name, x.value, x.context]);
    }
  }
}
