import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../src/inventory/workflow.js';

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
});
