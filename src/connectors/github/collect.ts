/**
 * Collect one or more GitHub orgs into the offline layout (layout.ts). Connectors only fetch and write;
 * nothing here decides what is risky.
 *
 * Requests per org: a handful of org-level lists (members, repos, secrets, installations, PAT grants,
 * secret-scanning alerts, one per selected-visibility secret), then per repository two REST calls
 * (Actions secrets, deploy keys) plus one per deployment environment, and workflow files and
 * environments for 25 repositories per GraphQL call (REST contents API when GraphQL is unavailable).
 */
import type { ProgressFn } from '../../kernel/progress.js';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { errorMessage } from '../../kernel/errors.js';
import { redact } from '../../kernel/redact.js';
import {
  createGithubClient, EtagCache, type GithubAuthOptions, type GithubClient, type GithubClientTuning, type RequestStats,
} from './client.js';
import { environmentSecretsFile, ORG_FILES, orgDir, repoFiles, selectedReposFile, type CollectGap } from '../../store/github-layout.js';

/** Options of `collectGithub`. */
export interface CollectGithubOptions {
  orgs: string[];
  /** Export root: files go to <outDir>/github/<org>/. */
  outDir: string;
  auth: GithubAuthOptions;
  /** Parallel requests per org (default 8). */
  concurrency?: number;
  /** Repositories per GraphQL call for workflow files and environments (default 25). */
  graphqlBatch?: number;
  /** Use conditional requests with the ETag cache in <outDir>/github/<org>/.http-cache.json (default true). */
  conditional?: boolean;
  tuning?: GithubClientTuning;
  onProgress?: ProgressFn;
}

/** What was collected for one org. */
export interface OrgCollectResult {
  org: string;
  repos: number;
  stats: RequestStats;
  gaps: CollectGap[];
}

/** What permission each endpoint needs, for coverage gaps that teach the fix. */
const NEEDS: Record<string, string> = {
  members: 'classic token scope read:org; App permission Members: read',
  repos: 'classic token scope repo (private repositories); App permission Metadata: read',
  'org-secrets': 'classic token scope admin:org; App/fine-grained organization permission Secrets: read',
  installations: 'classic token scope admin:org (org owner); App organization permission Administration: read',
  'pat-grants': 'a GitHub App (--github-app-id/--github-app-key) with organization permission Personal access tokens: read; tokens cannot list these',
  'secret-scanning': 'classic token scope repo or security_events (org owner or security manager); App permission Secret scanning alerts: read; secret scanning enabled',
  'repo-secrets': 'classic token scope repo (admin on the repository); App permission Secrets: read',
  'env-secrets': 'classic token scope repo; App permission Environments: read',
  'deploy-keys': 'classic token scope repo (admin on the repository); App permission Administration: read',
  workflows: 'classic token scope repo; App permission Contents: read',
};

const GRAPHQL_REPO = `
  name
  environments(first: 100) { nodes { name } }
  wf: object(expression: "HEAD:.github/workflows") {
    ... on Tree { entries { name type object { ... on Blob { text isBinary isTruncated } } } }
  }`;

interface GqlRepo {
  name: string;
  environments?: { nodes?: ({ name: string } | null)[] | null } | null;
  wf?: { entries?: { name: string; type: string; object?: { text?: string | null; isBinary?: boolean | null; isTruncated?: boolean } | null }[] } | null;
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
}

/**
 * What a failed GitHub call means, for the gap: a bad token (401) is not a missing scope; a secondary rate
 * limit (403/429 after the throttling plugin's retries) says so; 403/404 name the permission; a timeout says
 * how long; a body that is not what GitHub documents names the endpoint, never quoting the body.
 */
export function githubFailure(what: string, endpoint: string, e: unknown): string {
  const status = (e as { status?: number }).status ?? null;
  const msg = redact(errorMessage(e)).split('\n')[0] ?? 'error';
  if (status === 401) return 'bad or expired token (401 Bad credentials): check GITHUB_TOKEN / GH_TOKEN, or the GitHub App id and key';
  if ((status === 403 || status === 429) && /rate limit|abuse/i.test(msg)) return `rate limited (${status}): GitHub's ${/secondary|abuse/i.test(msg) ? 'secondary' : 'primary'} rate limit; still limited after waiting and retrying, try again later`;
  if (status === 403) return `forbidden (403): needs ${NEEDS[what] ?? 'more permissions'}`;
  if (status === 404) return `not found or not visible (404): needs ${NEEDS[what] ?? 'more permissions'}, or the feature is not enabled`;
  if (/timed out/i.test(msg) || /timed out/i.test(errorMessage((e as { cause?: unknown }).cause ?? ''))) return `no answer: ${/timed out[^;]*/i.exec(msg)?.[0] ?? msg} (after retries)`;
  if (e instanceof TypeError || e instanceof SyntaxError || /JSON|Unexpected token/i.test(msg)) return `malformed response from ${endpoint}: not the JSON GitHub documents for it; skipped`;
  return `failed: ${msg}`;
}

/** Collect every org; one org's failure is recorded as a gap for that org, the others go on. */
export async function collectGithub(opts: CollectGithubOptions): Promise<OrgCollectResult[]> {
  const out: OrgCollectResult[] = [];
  for (const org of opts.orgs) out.push(await collectOrg(org, opts));
  return out;
}

async function collectOrg(org: string, opts: CollectGithubOptions): Promise<OrgCollectResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const dir = orgDir(opts.outDir, org);
  mkdirSync(dir, { recursive: true });
  const cache = new EtagCache(opts.conditional === false ? null : join(dir, '.http-cache.json'));
  const stats: RequestStats = { requests: 0, notModified: 0, retries: 0, rateLimitWaitMs: 0 };
  const gaps: CollectGap[] = [];
  const result: OrgCollectResult = { org, repos: 0, stats, gaps };
  const limit = pLimit(opts.concurrency ?? 8);

  const gap = (what: string, endpoint: string, repo: string | null, e: unknown): void => {
    gaps.push({ endpoint, repo, status: (e as { status?: number }).status ?? null, detail: githubFailure(what, endpoint, e) });
  };

  let client: GithubClient;
  try {
    client = await createGithubClient(opts.auth, org, cache, stats, {
      ...(opts.onProgress ? { onWait: (m: string) => opts.onProgress?.(m) } : {}), ...opts.tuning,
    });
  } catch (e) {
    gap('repos', 'auth', null, e);
    writeJson(join(dir, ORG_FILES.coverage), gaps);
    return result;
  }

  /** All pages of a list endpoint, or null (gap recorded). */
  const list = async <T>(what: string, route: string, params: Record<string, unknown>, repo: string | null = null): Promise<T[] | null> => {
    try {
      return (await client.paginate(route as never, { per_page: 100, ...params } as never)) as T[];
    } catch (e) {
      gap(what, (client.request.endpoint as unknown as (r: string, p: object) => { url: string })(route, params).url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, ''), repo, e);
      return null;
    }
  };

  progress(`github ${org}: listing repositories and org-level credentials`);
  const [members, repos, orgSecrets, installations, patGrants, alerts] = await Promise.all([
    limit(() => list<unknown>('members', 'GET /orgs/{org}/members', { org })),
    limit(() => list<{ name: string; archived?: boolean }>('repos', 'GET /orgs/{org}/repos', { org, type: 'all' })),
    limit(() => list<{ name: string; visibility: string }>('org-secrets', 'GET /orgs/{org}/actions/secrets', { org })),
    limit(() => list<unknown>('installations', 'GET /orgs/{org}/installations', { org })),
    limit(() => list<unknown>('pat-grants', 'GET /orgs/{org}/personal-access-tokens', { org })),
    limit(() => list<unknown>('secret-scanning', 'GET /orgs/{org}/secret-scanning/alerts', { org })),
  ]);
  if (members) writeJson(join(dir, ORG_FILES.members), members);
  if (repos) writeJson(join(dir, ORG_FILES.repos), repos);
  if (orgSecrets) writeJson(join(dir, ORG_FILES.secrets), { total_count: orgSecrets.length, secrets: orgSecrets });
  if (installations) writeJson(join(dir, ORG_FILES.installations), { total_count: installations.length, installations });
  if (patGrants) writeJson(join(dir, ORG_FILES.patGrants), patGrants);
  if (alerts) writeJson(join(dir, ORG_FILES.secretAlerts), alerts);

  await Promise.all((orgSecrets ?? []).filter((s) => s.visibility === 'selected').map((s) => limit(async () => {
    const sel = await list<unknown>('org-secrets', 'GET /orgs/{org}/actions/secrets/{secret_name}/repositories', { org, secret_name: s.name });
    if (sel) writeJson(join(dir, selectedReposFile(s.name)), { total_count: sel.length, repositories: sel });
  })));

  const repoList = repos ?? [];
  result.repos = repoList.length;
  progress(`github ${org}: ${repoList.length} repositories: workflows and environments`);

  // Workflow files and environments: GraphQL batches, REST when GraphQL is unavailable.
  const environments = new Map<string, string[]>();
  let graphqlOk = true;
  const batchSize = opts.graphqlBatch ?? 25;
  const batches: string[][] = [];
  for (let i = 0; i < repoList.length; i += batchSize) batches.push(repoList.slice(i, i + batchSize).map((r) => r.name));
  await Promise.all(batches.map((batch) => limit(async () => {
    const done = graphqlOk ? await graphqlBatch(batch) : null;
    if (done === null) await Promise.all(batch.map((repo) => restWorkflows(repo)));
  })));

  async function graphqlBatch(batch: string[]): Promise<boolean | null> {
    const vars: Record<string, string> = { owner: org };
    const fields = batch.map((name, i) => {
      vars[`n${i}`] = name;
      return `r${i}: repository(owner: $owner, name: $n${i}) {${GRAPHQL_REPO}\n}`;
    });
    const query = `query(${['$owner: String!', ...batch.map((_, i) => `$n${i}: String!`)].join(', ')}) {\n${fields.join('\n')}\n}`;
    let data: Record<string, GqlRepo | null>;
    try {
      data = await client.graphql<Record<string, GqlRepo | null>>(query, vars);
    } catch (e) {
      const partial = (e as { data?: Record<string, GqlRepo | null> }).data;
      const status = (e as { status?: number }).status;
      if (!partial || status !== undefined) {
        graphqlOk = false; // endpoint without GraphQL (or no access to it): REST for the rest
        return null;
      }
      data = partial;
    }
    for (const [i, name] of batch.entries()) {
      const r = data[`r${i}`];
      if (!r) {
        gaps.push({ endpoint: `graphql repository ${org}/${name} workflows`, repo: name, status: null, detail: `not readable: needs ${NEEDS['workflows']}` });
        continue;
      }
      const envs = (r.environments?.nodes ?? []).flatMap((n) => (n ? [n.name] : []));
      environments.set(name, envs);
      writeJson(join(dir, repoFiles(name).environments), { total_count: envs.length, environments: envs.map((n) => ({ name: n })) });
      const files: { name: string; text: string | null }[] = [];
      for (const entry of r.wf?.entries ?? []) {
        if (entry.type !== 'blob' || !/\.ya?ml$/i.test(entry.name)) continue;
        let text = entry.object?.text ?? null;
        if (entry.object?.isTruncated || (text === null && !entry.object?.isBinary)) text = await restFile(name, `.github/workflows/${entry.name}`);
        files.push({ name: entry.name, text });
      }
      writeWorkflows(name, files);
    }
    return true;
  }

  async function restFile(repo: string, path: string): Promise<string | null> {
    try {
      const res = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: org, repo, path, headers: { accept: 'application/vnd.github.raw+json' } });
      const data: unknown = res.data;
      if (typeof data === 'string') return data;
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return Buffer.from(data as ArrayBuffer).toString('utf8');
      return null;
    } catch (e) {
      gap('workflows', `repos/${repo}/workflows/${path}`, repo, e);
      return null;
    }
  }

  async function restWorkflows(repo: string): Promise<void> {
    const envs = await list<{ name: string }>('env-secrets', 'GET /repos/{owner}/{repo}/environments', { owner: org, repo }, repo);
    if (envs) {
      environments.set(repo, envs.map((e) => e.name));
      writeJson(join(dir, repoFiles(repo).environments), { total_count: envs.length, environments: envs.map((e) => ({ name: e.name })) });
    }
    let entries: { name: string; type: string; path: string }[];
    try {
      const res = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: org, repo, path: '.github/workflows' });
      entries = Array.isArray(res.data) ? (res.data as { name: string; type: string; path: string }[]) : [];
    } catch (e) {
      if ((e as { status?: number }).status === 404) entries = []; // no workflows folder
      else { gap('workflows', `repos/${repo}/workflows`, repo, e); return; }
    }
    const files: { name: string; text: string | null }[] = [];
    for (const en of entries.filter((x) => x.type === 'file' && /\.ya?ml$/i.test(x.name))) files.push({ name: en.name, text: await restFile(repo, en.path) });
    writeWorkflows(repo, files);
  }

  function writeWorkflows(repo: string, files: { name: string; text: string | null }[]): void {
    const wfDir = join(dir, repoFiles(repo).workflows);
    rmSync(wfDir, { recursive: true, force: true });
    mkdirSync(wfDir, { recursive: true });
    for (const f of files) {
      if (f.text === null || f.name.includes('/') || f.name.startsWith('.')) continue;
      writeFileSync(join(wfDir, f.name), redact(f.text));
    }
  }

  progress(`github ${org}: secrets and deploy keys of ${repoList.length} repositories`);
  await Promise.all(repoList.map((r) => limit(async () => {
    const f = repoFiles(r.name);
    const [secrets, keys] = await Promise.all([
      list<unknown>('repo-secrets', 'GET /repos/{owner}/{repo}/actions/secrets', { owner: org, repo: r.name }, r.name),
      list<unknown>('deploy-keys', 'GET /repos/{owner}/{repo}/keys', { owner: org, repo: r.name }, r.name),
    ]);
    if (secrets) writeJson(join(dir, f.secrets), { total_count: secrets.length, secrets });
    if (keys) writeJson(join(dir, f.keys), keys);
    for (const env of environments.get(r.name) ?? []) {
      const es = await list<unknown>('env-secrets', 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets',
        { owner: org, repo: r.name, environment_name: env }, r.name);
      if (es) writeJson(join(dir, environmentSecretsFile(r.name, env)), { total_count: es.length, secrets: es });
    }
  })));

  writeJson(join(dir, ORG_FILES.coverage), gaps);
  cache.save();
  progress(`github ${org}: ${stats.requests} request(s), ${stats.notModified} not modified, ${gaps.length} gap(s)`);
  return result;
}
