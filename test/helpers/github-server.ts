/**
 * A local GitHub API (node:http) serving one fake org from recorded-shape bodies: Link pagination,
 * ETags and 304s, GraphQL batches, GHES path prefixes, App installation tokens, and injected faults
 * (5xx, secondary rate limits with retry-after, 403 missing scope). Counts every request.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  name: string;
  archived?: boolean;
  private?: boolean;
  secrets?: { name: string; created_at: string; updated_at: string }[];
  keys?: Record<string, unknown>[];
  environments?: { name: string; secrets: { name: string; created_at: string; updated_at: string }[] }[];
  workflows?: Record<string, string>;
}

export interface FakeOrg {
  name: string;
  members: string[];
  repos: FakeRepo[];
  orgSecrets?: { name: string; created_at: string; updated_at: string; visibility: string; selected?: string[] }[];
  installations?: Record<string, unknown>[];
  patGrants?: Record<string, unknown>[];
  alerts?: Record<string, unknown>[];
}

/** A fault served instead of the real answer, `times` times, for requests whose path matches. */
export interface Fault {
  match: RegExp;
  status: number;
  times: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeGithub {
  url: string;
  /** REST base URL (with the GHES prefix when given). */
  apiUrl: string;
  counts: { total: number; notModified: number; graphql: number; byStatus: Record<number, number> };
  faults: Fault[];
  /** Tokens allowed to list PAT grants (GitHub: App installation tokens only). */
  appTokens: Set<string>;
  close(): Promise<void>;
}

const iso = '2026-01-05T09:00:00Z';

function repoBody(org: string, r: FakeRepo, i: number): Record<string, unknown> {
  return {
    id: 1000 + i, node_id: `R_${i}`, name: r.name, full_name: `${org}/${r.name}`, private: r.private ?? true, visibility: (r.private ?? true) ? 'private' : 'public',
    archived: r.archived ?? false, fork: false, default_branch: 'main', created_at: '2024-01-10T10:00:00Z', pushed_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z', owner: { login: org, type: 'Organization' },
  };
}

/** Start the server for `org`; `prefix` is '/api/v3' for GHES. */
export async function startFakeGithub(org: FakeOrg, opts: { prefix?: string } = {}): Promise<FakeGithub> {
  const prefix = opts.prefix ?? '';
  const graphqlPath = prefix === '/api/v3' ? '/api/graphql' : `${prefix}/graphql`;
  const byName = new Map(org.repos.map((r) => [r.name, r]));
  const state: FakeGithub = {
    url: '', apiUrl: '', counts: { total: 0, notModified: 0, graphql: 0, byStatus: {} }, faults: [], appTokens: new Set(),
    close: async () => undefined,
  };

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
    const base: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), ...headers,
    };
    if (status === 200 && req.method === 'GET') {
      base['etag'] = etag;
      if (req.headers['if-none-match'] === etag) {
        state.counts.notModified++;
        state.counts.byStatus[304] = (state.counts.byStatus[304] ?? 0) + 1;
        res.writeHead(304, base);
        res.end();
        return;
      }
    }
    state.counts.byStatus[status] = (state.counts.byStatus[status] ?? 0) + 1;
    res.writeHead(status, base);
    res.end(text);
  };

  /** One page of `items` with a Link header, as GitHub paginates. */
  const page = (req: IncomingMessage, res: ServerResponse, u: URL, items: unknown[], key?: string): void => {
    const per = Math.min(Number(u.searchParams.get('per_page') ?? 30), 100);
    const p = Number(u.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / per));
    const slice = items.slice((p - 1) * per, p * per);
    const headers: Record<string, string> = {};
    if (p < last) {
      const link = (n: number): string => { const x = new URL(u); x.searchParams.set('page', String(n)); x.searchParams.set('per_page', String(per)); return x.toString(); };
      headers['link'] = `<${link(p + 1)}>; rel="next", <${link(last)}>; rel="last"`;
    }
    send(req, res, 200, key ? { total_count: items.length, [key]: slice } : slice, headers);
  };

  const notFound = (req: IncomingMessage, res: ServerResponse): void => send(req, res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    state.counts.total++;
    const u = new URL(req.url ?? '/', state.url);
    const path = decodeURIComponent(u.pathname);
    for (const f of state.faults) {
      if (f.times > 0 && f.match.test(path)) {
        f.times--;
        send(req, res, f.status, f.body ?? { message: `injected ${f.status}` }, f.headers);
        return;
      }
    }
    const auth = req.headers['authorization'] ?? '';

    // App auth: JWT → installation lookup and installation token.
    if (req.method === 'GET' && path === `${prefix}/orgs/${org.name}/installation`) {
      if (!/^bearer /i.test(auth)) return send(req, res, 401, { message: 'A JSON web token could not be decoded' });
      return send(req, res, 200, { id: 4242, account: { login: org.name }, app_id: 77, app_slug: 'shadowscan' });
    }
    if (req.method === 'POST' && path === `${prefix}/app/installations/4242/access_tokens`) {
      const token = `ghs_fakeinstallationtoken${state.appTokens.size}`;
      state.appTokens.add(token);
      return send(req, res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} });
    }

    if (req.method === 'POST' && path === graphqlPath) {
      state.counts.graphql++;
      const { variables } = JSON.parse(body) as { query: string; variables: Record<string, string> };
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(variables)) {
        const m = /^n(\d+)$/.exec(k);
        if (!m) continue;
        const r = byName.get(v);
        data[`r${m[1]}`] = r ? {
          name: r.name,
          environments: { nodes: (r.environments ?? []).map((e) => ({ name: e.name })) },
          wf: r.workflows && Object.keys(r.workflows).length > 0
            ? { entries: Object.entries(r.workflows).map(([name, text]) => ({ name, type: 'blob', object: { text, isBinary: false, isTruncated: false } })) }
            : null,
        } : null;
      }
      return send(req, res, 200, { data });
    }
    if (req.method !== 'GET' || !path.startsWith(prefix + '/')) return notFound(req, res);
    const p = path.slice(prefix.length);
    let m: RegExpExecArray | null;
    if (p === `/orgs/${org.name}/members`) return page(req, res, u, org.members.map((login, i) => ({ login, id: 500 + i, type: 'User', site_admin: false })));
    if (p === `/orgs/${org.name}/repos`) return page(req, res, u, org.repos.map((r, i) => repoBody(org.name, r, i)));
    if (p === `/orgs/${org.name}/actions/secrets`) {
      return page(req, res, u, (org.orgSecrets ?? []).map(({ selected: _s, ...s }) => ({ ...s, ...(s.visibility === 'selected' ? { selected_repositories_url: 'x' } : {}) })), 'secrets');
    }
    if ((m = new RegExp(`^/orgs/${org.name}/actions/secrets/([^/]+)/repositories$`).exec(p))) {
      const s = (org.orgSecrets ?? []).find((x) => x.name === m?.[1]);
      if (!s) return notFound(req, res);
      return page(req, res, u, (s.selected ?? []).map((name) => ({ name, full_name: `${org.name}/${name}` })), 'repositories');
    }
    if (p === `/orgs/${org.name}/installations`) return page(req, res, u, org.installations ?? [], 'installations');
    if (p === `/orgs/${org.name}/personal-access-tokens`) {
      if (!state.appTokens.has(auth.replace(/^token /i, ''))) {
        return send(req, res, 403, { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest/orgs/personal-access-tokens', status: '403' });
      }
      return page(req, res, u, org.patGrants ?? []);
    }
    if (p === `/orgs/${org.name}/secret-scanning/alerts`) return page(req, res, u, org.alerts ?? []);
    if ((m = new RegExp(`^/repos/${org.name}/([^/]+)/(.*)$`).exec(p))) {
      const r = byName.get(m[1] as string);
      if (!r) return notFound(req, res);
      const rest = m[2] as string;
      if (rest === 'actions/secrets') return page(req, res, u, r.secrets ?? [], 'secrets');
      if (rest === 'keys') return page(req, res, u, r.keys ?? []);
      if (rest === 'environments') return page(req, res, u, (r.environments ?? []).map((e, i) => ({ id: i, name: e.name })), 'environments');
      let e: RegExpExecArray | null;
      if ((e = /^environments\/([^/]+)\/secrets$/.exec(rest))) {
        const env = (r.environments ?? []).find((x) => x.name === decodeURIComponent(e?.[1] ?? ''));
        return env ? page(req, res, u, env.secrets, 'secrets') : notFound(req, res);
      }
      if (rest === 'contents/.github/workflows') {
        const files = Object.keys(r.workflows ?? {});
        if (files.length === 0) return notFound(req, res);
        return send(req, res, 200, files.map((name) => ({ name, path: `.github/workflows/${name}`, type: 'file' })));
      }
      if ((e = /^contents\/\.github\/workflows\/(.+)$/.exec(rest))) {
        const text = r.workflows?.[e[1] as string];
        if (text === undefined) return notFound(req, res);
        state.counts.byStatus[200] = (state.counts.byStatus[200] ?? 0) + 1;
        res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json' });
        res.end(text);
        return;
      }
    }
    return notFound(req, res);
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => { void handle(req, res, body); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.apiUrl = `${state.url}${prefix}`;
  state.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return state;
}

/** A fake org of `n` repositories shaped like a real one (secrets, keys, environments, workflows). */
export function bigOrg(n: number, name = 'acme'): FakeOrg {
  const repos: FakeRepo[] = [];
  for (let i = 0; i < n; i++) {
    const wf: Record<string, string> = {};
    if (i % 3 !== 2) wf['ci.yml'] = `name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n        env:\n          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}\n`;
    if (i % 10 === 0) wf['deploy.yml'] = `name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}\n          aws-region: us-east-1\n`;
    if (i % 50 === 7) wf['agent.yml'] = `name: agent\non:\n  schedule:\n    - cron: "0 4 * * *"\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install crewai\n      - run: python crew.py\n        env:\n          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}\n`;
    repos.push({
      name: `svc-${String(i).padStart(4, '0')}`,
      archived: i % 40 === 39,
      secrets: [
        { name: 'NPM_TOKEN', created_at: iso, updated_at: iso },
        ...(i % 10 === 0 ? [{ name: 'AWS_ACCESS_KEY_ID', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' }, { name: 'AWS_SECRET_ACCESS_KEY', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' }] : []),
        ...(i % 7 === 0 ? [{ name: 'OLD_WEBHOOK', created_at: '2024-03-01T00:00:00Z', updated_at: '2024-03-01T00:00:00Z' }] : []),
      ],
      keys: i % 4 === 0 ? [{ id: 9000 + i, key: 'ssh-ed25519 AAAAFAKE', title: 'deploy', verified: true, created_at: '2024-06-01T00:00:00Z', read_only: i % 8 !== 0, added_by: i % 16 === 0 ? 'gone-user' : 'alice', last_used: i % 12 === 0 ? null : '2026-11-10T00:00:00Z' }] : [],
      environments: i % 10 === 0 ? [{ name: 'production', secrets: [{ name: 'DEPLOY_HOOK', created_at: iso, updated_at: iso }] }] : [],
      workflows: wf,
    });
  }
  return {
    name,
    members: Array.from({ length: 150 }, (_, i) => (i === 0 ? 'alice' : `user${i}`)),
    repos,
    orgSecrets: [
      { name: 'NPM_TOKEN', created_at: iso, updated_at: iso, visibility: 'all' },
      { name: 'OPENAI_API_KEY', created_at: '2025-02-01T00:00:00Z', updated_at: '2025-02-01T00:00:00Z', visibility: 'all' },
      { name: 'SONAR_TOKEN', created_at: iso, updated_at: iso, visibility: 'selected', selected: ['svc-0001', 'svc-0002'] },
    ],
    installations: [{ id: 1, app_id: 11, app_slug: 'coderabbitai', target_type: 'Organization', repository_selection: 'all', permissions: { administration: 'write', contents: 'write', metadata: 'read' }, events: [], created_at: iso, updated_at: iso, suspended_at: null, account: { login: name } }],
    patGrants: [{ id: 7, owner: { login: 'gone-user', type: 'User' }, repository_selection: 'all', permissions: { organization: {}, repository: { contents: 'write' }, other: {} }, access_granted_at: iso, token_id: 70, token_name: 'bulk', token_expired: false, token_expires_at: null, token_last_used_at: '2026-11-01T00:00:00Z' }],
    alerts: [
      { number: 1, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z', state: 'open', secret_type: 'aws_access_key_id', secret_type_display_name: 'Amazon AWS Access Key ID', secret: 'AKIAFAKELEAKEDKEY001', validity: 'active', repository: { name: 'svc-0003' }, first_location_detected: { path: 'app/config.py', start_line: 3 }, html_url: 'https://github.com/x/1' },
      { number: 2, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z', state: 'open', secret_type: 'aws_secret_access_key', secret_type_display_name: 'Amazon AWS Secret Access Key', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRETK', validity: 'unknown', repository: { name: 'svc-0003' }, first_location_detected: { path: 'app/config.py', start_line: 4 }, html_url: 'https://github.com/x/2' },
    ],
  };
}
