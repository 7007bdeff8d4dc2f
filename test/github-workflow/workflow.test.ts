import { describe, expect, it } from 'vitest';
import { LLM_SECRET_NAME } from '../../src/github-workflow/agent-tools.js';
import { analyzeWorkflow, localActionDir, withLocalActions } from '../../src/github-workflow/workflow.js';

const NIGHTLY = `name: nightly agent
on:
  schedule:
    - cron: "0 3 * * *"
  workflow_dispatch:
permissions: write-all
env:
  OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
      - run: |
          pip install langchain langchain-openai crewai
          python agent.py --token \${{ secrets['SLACK_TOKEN'] }}
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
  call:
    uses: example/infra/.github/workflows/deploy.yml@main
    secrets: inherit
`;

describe('analyzeWorkflow', () => {
  const a = analyzeWorkflow(NIGHTLY);
  const of = (fact: string) => a.facts.filter((f) => f.fact === fact);

  it('reads triggers, crons and permissions from the parsed YAML', () => {
    expect(a.error).toBeNull();
    expect(a.name).toBe('nightly agent');
    expect(a.triggers).toEqual(['schedule', 'workflow_dispatch']);
    expect(a.schedules).toEqual(['0 3 * * *']);
    expect(a.permissions).toBe('write-all');
    expect(a.writeAll).toBe(true);
    expect(of('schedule')[0]?.line).toBe(4);
  });

  it('finds every secret reference with its line and context', () => {
    const refs = of('secret-ref').map((f) => [f.name, f.line, f.value]);
    expect(refs).toEqual([
      ['OPENAI_API_KEY', 8, 'env'],
      ['AWS_ACCESS_KEY_ID', 16, 'with'],
      ['AWS_SECRET_ACCESS_KEY', 17, 'with'],
      ['SLACK_TOKEN', 21, 'run'],
      ['ANTHROPIC_API_KEY', 24, 'with'],
    ]);
    expect(of('secret-ref')[0]?.context).toBe('env.OPENAI_API_KEY');
    expect(of('secrets-inherit')).toHaveLength(1);
  });

  it('tells static AWS keys from role assumption', () => {
    expect(of('aws-static-keys').map((f) => [f.name, f.value, f.line])).toEqual([['AWS_ACCESS_KEY_ID', 'configure-aws-credentials', 16]]);
    expect(of('aws-role')).toEqual([]);
    const oidc = analyzeWorkflow('on: push\njobs:\n  d:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/deploy\n');
    expect(oidc.facts.filter((f) => f.fact === 'aws-role').map((f) => [f.name, f.line])).toEqual([['arn:aws:iam::111122223333:role/deploy', 7]]);
    expect(oidc.facts.filter((f) => f.fact === 'aws-static-keys')).toEqual([]);
    expect(oidc.permissionsMissing).toBe(true);
  });

  it('finds agent frameworks installed and agent actions used, and LLM secrets', () => {
    expect(a.runsAgent).toBe(true);
    const tools = [...new Set(of('agent-tool').map((f) => f.name))].sort();
    expect(tools).toEqual(['claude-code-action', 'crewai', 'langchain']);
    expect(of('agent-tool').find((f) => f.name === 'langchain')?.line).toBe(20);
    expect(of('llm-secret').map((f) => f.name)).toContain('ANTHROPIC_API_KEY');
    // langchain-openai is not the openai SDK itself
    expect(tools).not.toContain('openai');
  });

  it('does not call a plain CI workflow an agent', () => {
    const ci = analyzeWorkflow('name: ci\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci && npm test\n');
    expect(ci.runsAgent).toBe(false);
    expect(ci.triggers).toEqual(['push', 'pull_request']);
    expect(ci.permissions).toBe('contents: read');
    expect(ci.permissionsMissing).toBe(false);
  });

  it('reports bad YAML instead of throwing', () => {
    expect(analyzeWorkflow('on: [push\n').error).toMatch(/invalid YAML/);
    expect(analyzeWorkflow('- a\n').error).toMatch(/not a workflow/);
  });

  it('reads key-shaped names as LLM keys, not names that merely start with a vendor word (real-world corpus)', () => {
    for (const n of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'EVAL_GEMINI_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'HF_TOKEN', 'AZURE_OPENAI_KEY', 'ANTHROPIC_KEY_PROD']) {
      expect(LLM_SECRET_NAME.test(n), n).toBe(true);
    }
    // claude-code-action and gemini-cli workflows: settings, paths, a deploy key and a GitHub PAT named after the vendor
    for (const n of ['CLAUDE_WORKING_DIR', 'CLAUDE_CODE_SCRIPT_CAPS', 'CLAUDE_CODE_BASE_ACTION_REPO_DEPLOY_KEY', 'CLAUDE_CODE_BASE_ACTION_PAT',
      'GEMINI_CLI_ROBOT_GITHUB_PAT', 'GEMINI_CLI_TRUST_WORKSPACE', 'GEMINI_MODEL', 'GEMINI_CLI_HOME', 'OPENAI_BASE_URL']) {
      expect(LLM_SECRET_NAME.test(n), n).toBe(false);
    }
    const w = analyzeWorkflow('on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    env:\n      CLAUDE_WORKING_DIR: /tmp/w\n    steps:\n      - run: git push\n        env:\n          KEY: ${{ secrets.CLAUDE_CODE_BASE_ACTION_REPO_DEPLOY_KEY }}\n');
    expect(w.facts.filter((f) => f.fact === 'llm-secret')).toEqual([]);
    expect(w.runsAgent).toBe(false);
  });

  it('knows the Gemini CLI, Codex and Ollama actions, the Claude Code installer, ollama run and hosted-agent API calls', () => {
    const w = analyzeWorkflow(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: google-gemini/gemini-cli-action@main
      - uses: openai/codex/.github/actions/codex@main
      - uses: ai-action/ollama-action@v2
        with: { model: llama3, prompt: hi }
      - run: curl -fsSL https://claude.ai/install.sh | bash
      - run: ollama run tinyllama "say hi"
      - run: curl -X POST https://api.devin.ai/v1/sessions -d @task.json
`);
    expect([...new Set(w.facts.filter((f) => f.fact === 'agent-tool').map((f) => f.name))].sort())
      .toEqual(['claude-code', 'codex-action', 'gemini-cli-action', 'hosted-coding-agent', 'ollama', 'ollama-action']);
    expect(w.runsAgent).toBe(true);
  });

  it('sees a static AWS key handed to any action (input or step env), not only to configure-aws-credentials', () => {
    const w = analyzeWorkflow(`on: { schedule: [{ cron: '0 0 * * *' }] }
jobs:
  clean:
    runs-on: ubuntu-latest
    steps:
      - uses: NVIDIA/holodeck@v0.3.6
        with:
          aws_access_key_id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws_secret_access_key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
      - uses: shallwefootball/s3-upload-action@master
        with:
          aws_key_id: \${{ secrets.DEPLOY_KEY }}
      - uses: kaskadi/action-s3cp@master
        env:
          AWS_KEY_ID: \${{ secrets.S3_AWS_KEY_ID }}
`);
    expect(w.facts.filter((f) => f.fact === 'aws-static-keys').map((f) => [f.name, f.value, f.line])).toEqual([
      ['AWS_ACCESS_KEY_ID', 'input aws_access_key_id of NVIDIA/holodeck@v0.3.6', 8],
      ['DEPLOY_KEY', 'input aws_key_id of shallwefootball/s3-upload-action@master', 12],
      ['S3_AWS_KEY_ID', 'env AWS_KEY_ID of kaskadi/action-s3cp@master', 15],
    ]);
  });

  it('follows local composite actions (uses: ./dir) that run an agent, nested ones too', () => {
    expect(localActionDir('./')).toBe('');
    expect(localActionDir('./base-action')).toBe('base-action');
    expect(localActionDir('./.github/actions/x/')).toBe('.github/actions/x');
    expect(localActionDir('./.github/workflows/ci.yml')).toBeNull();
    expect(localActionDir('actions/checkout@v4')).toBeNull();
    const wf = analyzeWorkflow('on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/review\n        with: { prompt: review }\n');
    expect(wf.runsAgent).toBe(false);
    const review = analyzeWorkflow('name: review\nruns:\n  using: composite\n  steps:\n    - uses: ./base-action\n');
    const base = analyzeWorkflow('name: base\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: curl -fsSL https://claude.ai/install.sh | bash\n');
    const out = withLocalActions(wf, new Map([['.github/actions/review', review], ['base-action', base]]));
    expect(out.runsAgent).toBe(true);
    expect(out.facts.filter((f) => f.fact === 'agent-tool').map((f) => [f.name, f.line])).toEqual([['claude-code (./.github/actions/review)', 7]]);
    // an unknown or agent-free local action changes nothing
    expect(withLocalActions(wf, new Map([['.github/actions/review', analyzeWorkflow('runs:\n  using: node20\n  main: index.js\n')]]))).toBe(wf);
  });
});
