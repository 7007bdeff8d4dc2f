/**
 * The demo org's GitHub side: org `example`, in the offline layout of src/store/github-layout.ts
 * (REST bodies as GitHub returns them, workflow files as text). It matches the AWS side: infra keeps
 * ci-deployer's static key as Actions secrets, web carries a secret-scanning alert for leaked-bot's key
 * id, every repository can assume github-actions-deploy through its `repo:example/*` trust.
 * Deterministic: dates derive from as-of, nothing random.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DemoClassification } from './planted.js';
import { DAY } from './time.js';
import { KEYS, PROD, roleArn } from './world.js';

export const GITHUB_ORG = 'example';

/** One planted GitHub identity and the finding categories a correct scan raises for it. */
export interface PlantedGithub {
  id: string;
  kind: 'actions-secret' | 'deploy-key' | 'app-installation' | 'pat-grant' | 'agent-workflow';
  /** Expected classification in the inventory. */
  classification: DemoClassification;
  expect: string[];
  mustNot: string[];
  story: string;
}

/** `n` days before as-of (midnight) at hh:mm UTC, GitHub's timestamp format. */
const day = (asOf: number, n: number, hh = 10, mm = 0): string => new Date(asOf - n * DAY + (hh * 60 + mm) * 60_000).toISOString().replace('.000Z', 'Z');

function repo(id: number, name: string, asOf: number, extra: { archived?: boolean; private?: boolean; createdDays: number; pushedDays: number; description: string }): Record<string, unknown> {
  const priv = extra.private ?? true;
  return {
    id, node_id: `R_kgDOdemo${id}`, name, full_name: `${GITHUB_ORG}/${name}`, private: priv,
    owner: { login: GITHUB_ORG, id: 90001, type: 'Organization' },
    html_url: `https://github.com/${GITHUB_ORG}/${name}`, description: extra.description, fork: false,
    created_at: day(asOf, extra.createdDays), updated_at: day(asOf, extra.pushedDays, 16), pushed_at: day(asOf, extra.pushedDays, 16),
    archived: extra.archived ?? false, disabled: false, visibility: priv ? 'private' : 'public', default_branch: 'main',
  };
}

const W = {
  webCi: `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci && npm test
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`,
  webDeploy: `name: deploy
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${roleArn(PROD, 'github-actions-deploy')}
          aws-region: us-east-1
      - run: aws s3 sync ./dist s3://example-web-assets --delete
`,
  infraDeploy: `name: deploy-stacks
on:
  push:
    branches: [main]
  workflow_dispatch:
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
      - run: aws cloudformation deploy --template-file stacks/app.yml --stack-name example-app --capabilities CAPABILITY_IAM
      - run: terraform -chdir=lambda apply -auto-approve
`,
  figmaSync: `name: figma-sync agent
on:
  schedule:
    - cron: "*/30 * * * *"
  workflow_dispatch:
permissions:
  contents: read
  id-token: write
jobs:
  sync:
    runs-on: ubuntu-latest
    environment: figma
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${roleArn(PROD, 'github-actions-deploy')}
          aws-region: eu-west-1
      - run: pip install -r requirements.txt strands-agents
      - run: python -m figma_sync --export s3://example-figma-exports/
        env:
          FIGMA_TOKEN: \${{ secrets.FIGMA_TOKEN }}
`,
  nightlyDigest: `name: nightly digest
on:
  schedule:
    - cron: "15 2 * * *"
permissions: write-all
jobs:
  digest:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install langchain langchain-openai langgraph
      - run: python digest.py --publish
        env:
          OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
`,
  aiReview: `name: ai review
on:
  pull_request:
  issue_comment:
    types: [created]
jobs:
  review:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
`,
  docsBuild: `name: docs
on: [push]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make html
`,
};

/** Every file of the GitHub side, relative to the export root. */
export function githubDemoFiles(asOf: number): Map<string, string> {
  const files = new Map<string, string>();
  const json = (rel: string, v: unknown): void => { files.set(`github/${GITHUB_ORG}/${rel}`, JSON.stringify(v, null, 1) + '\n'); };
  const text = (rel: string, v: string): void => { files.set(`github/${GITHUB_ORG}/${rel}`, v); };
  const secret = (name: string, createdDays: number, updatedDays = createdDays, hh = 10, mm = 0) => ({ name, created_at: day(asOf, createdDays, hh, mm), updated_at: day(asOf, updatedDays, hh, mm) });
  const list = (key: string, items: unknown[]) => ({ total_count: items.length, [key]: items });

  json('members.json', ['alice', 'bob', 'carol', 'jane', 'mia'].map((login, i) => ({ login, id: 7001 + i, type: 'User', site_admin: false })));
  json('repos.json', [
    repo(5001, 'web', asOf, { createdDays: 700, pushedDays: 1, description: 'Storefront' }),
    repo(5002, 'infra', asOf, { createdDays: 690, pushedDays: 2, description: 'CloudFormation and Terraform stacks' }),
    repo(5003, 'design-bots', asOf, { createdDays: 130, pushedDays: 3, description: 'figma-sync agent (registered: agt-figma-sync-01)' }),
    repo(5004, 'nightly-digest', asOf, { createdDays: 240, pushedDays: 9, description: 'LangChain agent that summarises yesterday and opens issues' }),
    repo(5005, 'docs', asOf, { createdDays: 500, pushedDays: 20, private: false, description: 'Public docs' }),
    repo(5006, 'old-site', asOf, { createdDays: 1200, pushedDays: 400, archived: true, description: 'The 2023 marketing site' }),
  ]);

  // Org secrets: an OpenAI key every repository can read, an npm token for web, a webhook nobody uses.
  json('actions-secrets.json', list('secrets', [
    { ...secret('ANTHROPIC_API_KEY', 90), visibility: 'selected', selected_repositories_url: `https://api.github.com/orgs/${GITHUB_ORG}/actions/secrets/ANTHROPIC_API_KEY/repositories` },
    { ...secret('NPM_TOKEN', 120), visibility: 'selected', selected_repositories_url: `https://api.github.com/orgs/${GITHUB_ORG}/actions/secrets/NPM_TOKEN/repositories` },
    { ...secret('OPENAI_API_KEY', 410, 300), visibility: 'all' },
    { ...secret('SLACK_WEBHOOK_OLD', 640), visibility: 'all' },
  ]));
  json('actions-secrets/ANTHROPIC_API_KEY.repositories.json', list('repositories', [{ id: 5001, name: 'web', full_name: `${GITHUB_ORG}/web` }]));
  json('actions-secrets/NPM_TOKEN.repositories.json', list('repositories', [{ id: 5001, name: 'web', full_name: `${GITHUB_ORG}/web` }]));

  // An AI review app on every repository with admin rights, and a scoped dependency updater.
  json('installations.json', list('installations', [
    {
      id: 61001, account: { login: GITHUB_ORG, type: 'Organization' }, repository_selection: 'all', app_id: 3101, app_slug: 'claude', target_id: 90001, target_type: 'Organization',
      permissions: { administration: 'write', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write', workflows: 'write' },
      events: ['issue_comment', 'pull_request', 'push'], created_at: day(asOf, 75), updated_at: day(asOf, 75), single_file_name: null, suspended_at: null, suspended_by: null,
    },
    {
      id: 61002, account: { login: GITHUB_ORG, type: 'Organization' }, repository_selection: 'selected', app_id: 2740, app_slug: 'renovate', target_id: 90001, target_type: 'Organization',
      permissions: { contents: 'write', metadata: 'read', pull_requests: 'write', checks: 'read' },
      events: ['push', 'pull_request'], created_at: day(asOf, 600), updated_at: day(asOf, 200), single_file_name: null, suspended_at: null, suspended_by: null,
    },
  ]));

  // Fine-grained PAT grants: nick's reporting token never expires; dave (offboarded) left an all-repo write token.
  const pat = (id: number, owner: string, name: string, selection: string, repoPerms: Record<string, string>, granted: number, expires: string | null, lastUsed: string | null) => ({
    id, owner: { login: owner, id: 7100 + id, type: 'User' }, repository_selection: selection,
    repositories_url: `https://api.github.com/organizations/90001/personal-access-token-requests/${id}/repositories`,
    permissions: { organization: {}, repository: repoPerms, other: {} }, access_granted_at: day(asOf, granted),
    token_id: 880000 + id, token_name: name, token_expired: false, token_expires_at: expires, token_last_used_at: lastUsed,
  });
  json('personal-access-tokens.json', [
    pat(31, 'nick', 'report-sync', 'subset', { contents: 'read', metadata: 'read' }, 64, null, day(asOf, 1, 6)),
    pat(32, 'dave', 'bulk-label', 'all', { contents: 'write', issues: 'write', metadata: 'read' }, 300, day(asOf, -200), day(asOf, 160)),
  ]);

  // Secret scanning: leaked-bot's key id committed to web (only the key id is kept; the secret is never stored).
  json('secret-scanning-alerts.json', [
    {
      number: 14, created_at: day(asOf, 30, 9, 41), updated_at: day(asOf, 30, 9, 41), url: `https://api.github.com/repos/${GITHUB_ORG}/web/secret-scanning/alerts/14`,
      html_url: `https://github.com/${GITHUB_ORG}/web/security/secret-scanning/14`, state: 'open', resolution: null, resolved_at: null,
      secret_type: 'aws_access_key_id', secret_type_display_name: 'Amazon AWS Access Key ID', validity: 'active', publicly_leaked: false, multi_repo: false,
      repository: { id: 5001, name: 'web', full_name: `${GITHUB_ORG}/web` }, key_id: KEYS.leakedBot,
      first_location_detected: { path: 'scripts/backfill_etl.py', start_line: 8, end_line: 8, start_column: 20, end_column: 40 },
    },
    {
      number: 9, created_at: day(asOf, 200), updated_at: day(asOf, 199), url: `https://api.github.com/repos/${GITHUB_ORG}/docs/secret-scanning/alerts/9`,
      html_url: `https://github.com/${GITHUB_ORG}/docs/security/secret-scanning/9`, state: 'resolved', resolution: 'revoked', resolved_at: day(asOf, 199),
      secret_type: 'slack_incoming_webhook_url', secret_type_display_name: 'Slack Incoming Webhook URL', validity: 'inactive', publicly_leaked: true, multi_repo: false,
      repository: { id: 5005, name: 'docs', full_name: `${GITHUB_ORG}/docs` },
      first_location_detected: { path: 'conf.py', start_line: 40, end_line: 40, start_column: 1, end_column: 80 },
    },
  ]);

  const key = (id: number, title: string, readOnly: boolean, created: number, addedBy: string, lastUsed: string | null) => ({
    id, url: `https://api.github.com/repos/${GITHUB_ORG}/x/keys/${id}`, title, verified: true, created_at: day(asOf, created), read_only: readOnly,
    added_by: addedBy, last_used: lastUsed, enabled: true,
  });
  const repoFiles: Record<string, { secrets: ReturnType<typeof secret>[]; envs: Record<string, ReturnType<typeof secret>[]>; keys: unknown[]; workflows: Record<string, string> }> = {
    web: { secrets: [], envs: { production: [] }, keys: [], workflows: { 'ai-review.yml': W.aiReview, 'ci.yml': W.webCi, 'deploy.yml': W.webDeploy } },
    // ci-deployer's key (created 60 days ago at 11:03), pasted into repository secrets 18 minutes later.
    infra: { secrets: [secret('AWS_ACCESS_KEY_ID', 60, 60, 11, 21), secret('AWS_SECRET_ACCESS_KEY', 60, 60, 11, 21)], envs: {}, keys: [], workflows: { 'deploy-stacks.yml': W.infraDeploy } },
    'design-bots': { secrets: [], envs: { figma: [secret('FIGMA_TOKEN', 40)] }, keys: [key(7301, 'figma-sync read', true, 120, 'mia', day(asOf, 1, 8))], workflows: { 'figma-sync.yml': W.figmaSync } },
    'nightly-digest': { secrets: [], envs: {}, keys: [key(7401, 'digest-bot push', false, 230, 'dave', day(asOf, 1, 2, 16))], workflows: { 'nightly.yml': W.nightlyDigest } },
    docs: { secrets: [], envs: {}, keys: [], workflows: { 'docs.yml': W.docsBuild } },
    'old-site': { secrets: [secret('NETLIFY_AUTH_TOKEN', 900)], envs: {}, keys: [key(7601, 'netlify deploy', true, 900, 'alice', day(asOf, 420))], workflows: {} },
  };
  for (const [name, r] of Object.entries(repoFiles)) {
    json(`repos/${name}/actions-secrets.json`, list('secrets', r.secrets));
    json(`repos/${name}/environments.json`, list('environments', Object.keys(r.envs).map((env, i) => ({ id: 9100 + i, name: env }))));
    for (const [env, s] of Object.entries(r.envs)) json(`repos/${name}/environments/${encodeURIComponent(env)}/actions-secrets.json`, list('secrets', s));
    json(`repos/${name}/keys.json`, r.keys);
    for (const [file, body] of Object.entries(r.workflows)) text(`repos/${name}/workflows/${file}`, body);
  }
  json('coverage.json', []);
  return files;
}

/** Write the GitHub side under `out`. */
export async function writeGithubDemo(out: string, asOf: number): Promise<number> {
  let bytes = 0;
  for (const [rel, body] of githubDemoFiles(asOf)) {
    const p = join(out, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, body);
    bytes += Buffer.byteLength(body);
  }
  return bytes;
}

/** The GitHub identities the demo plants, with what a correct scan says about them. */
export const PLANTED_GITHUB: readonly PlantedGithub[] = [
  { id: 'github://example/infra/secrets/AWS_ACCESS_KEY_ID', kind: 'actions-secret', classification: 'workload', expect: ['static-key-in-ci'], mustNot: ['unused-secret'], story: "ci-deployer's long-lived key as repository secrets; deploy-stacks.yml hands it to configure-aws-credentials." },
  { id: 'github://example/secrets/OPENAI_API_KEY', kind: 'actions-secret', classification: 'agent', expect: ['long-lived-credential'], mustNot: ['unused-secret'], story: 'Org secret visible to all repositories, last set 300 days ago; read by the nightly LangChain agent.' },
  { id: 'github://example/secrets/SLACK_WEBHOOK_OLD', kind: 'actions-secret', classification: 'workload', expect: ['unused-secret'], mustNot: [], story: 'Org secret visible to all repositories that no workflow reads.' },
  { id: 'github://example/secrets/NPM_TOKEN', kind: 'actions-secret', classification: 'workload', expect: [], mustNot: ['unused-secret', 'long-lived-credential'], story: 'Selected-repository org secret, used by web CI.' },
  { id: 'github://example/old-site/secrets/NETLIFY_AUTH_TOKEN', kind: 'actions-secret', classification: 'workload', expect: ['stale'], mustNot: [], story: 'Secret left in an archived repository.' },
  { id: 'github://example/nightly-digest/deploy-keys/7401', kind: 'deploy-key', classification: 'workload', expect: ['overbroad'], mustNot: [], story: 'Write deploy key on the agent repository, added by dave (no longer a member).' },
  { id: 'github://example/design-bots/deploy-keys/7301', kind: 'deploy-key', classification: 'workload', expect: [], mustNot: ['overbroad', 'stale'], story: 'Read-only key of the registered figma-sync agent, used today.' },
  { id: 'github://example/installations/61001', kind: 'app-installation', classification: 'agent', expect: ['overbroad'], mustNot: [], story: 'AI app installed on all repositories with administration and workflows write.' },
  { id: 'github://example/installations/61002', kind: 'app-installation', classification: 'workload', expect: [], mustNot: ['overbroad'], story: 'Dependency updater on selected repositories.' },
  { id: 'github://example/personal-access-tokens/31', kind: 'pat-grant', classification: 'workload', expect: ['long-lived-credential'], mustNot: ['overbroad', 'stale'], story: "nick's read-only token that never expires; nick has left (not an org member), yet it was used yesterday: a sync job (name report-sync) still runs it." },
  { id: 'github://example/personal-access-tokens/32', kind: 'pat-grant', classification: 'workload', expect: ['overbroad', 'stale'], mustNot: [], story: "dave's all-repository write token (name bulk-label: a script), unused for 160 days; dave left the org." },
  { id: 'github://example/nightly-digest/.github/workflows/nightly.yml', kind: 'agent-workflow', classification: 'agent', expect: ['overbroad'], mustNot: [], story: 'Scheduled LangChain agent with permissions: write-all and the org OpenAI key.' },
  { id: 'github://example/design-bots/.github/workflows/figma-sync.yml', kind: 'agent-workflow', classification: 'agent', expect: [], mustNot: ['overbroad'], story: 'The registered figma-sync agent: scheduled, strands-agents, read-only token, OIDC.' },
  { id: 'github://example/web/.github/workflows/ai-review.yml', kind: 'agent-workflow', classification: 'agent', expect: [], mustNot: ['overbroad'], story: 'claude-code-action on pull requests with scoped permissions.' },
];
