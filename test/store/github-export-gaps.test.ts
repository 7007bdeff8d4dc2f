import { describe, expect, it } from 'vitest';
import { scanFixture } from '../helpers/scan.js';

// A GitHub export with only repositories and workflow files (what the real-world corpus holds): missing files are
// coverage gaps, a local action that runs an agent is followed, and a key secret known only from workflows is an
// inventory row, so the finding about it names an identity the inventory lists.
const WORKFLOW = `name: cleanup
on: { schedule: [{ cron: '0 3 * * *' }] }
jobs:
  clean:
    runs-on: ubuntu-latest
    steps:
      - uses: example-org/cleanup-action@v1
        with:
          aws_access_key_id: \${{ secrets.CLEANUP_AWS_ACCESS_KEY_ID }}
          aws_secret_access_key: \${{ secrets.CLEANUP_AWS_SECRET_ACCESS_KEY }}
      - uses: ./.github/actions/summarise
`;
const ACTION = `name: summarise
runs:
  using: composite
  steps:
    - shell: bash
      run: ollama run llama3 "summarise the cleanup log"
`;

describe('a GitHub export with only repositories and workflows', () => {
  it('reports the missing files, follows the local action, and inventories the key secret it finds', async () => {
    const report = await scanFixture({
      description: 'workflows only',
      files: {
        'github/acme/repos.json': [{ name: 'ops', full_name: 'acme/ops', default_branch: 'main' }],
        'github/acme/repos/ops/workflows/cleanup.yml': WORKFLOW,
        'github/acme/repos/ops/actions/.github/actions/summarise/action.yml': ACTION,
      },
    });
    const gaps = report.run.coverage_gaps.map((g) => `${g.source} ${g.detail}`);
    for (const f of ['members.json', 'installations.json', 'personal-access-tokens.json', 'secret-scanning-alerts.json', 'github/acme/actions-secrets.json',
      'repos/ops/actions-secrets.json', 'repos/ops/keys.json']) {
      expect(gaps.some((g) => g.includes(f) && g.includes('missing')), f).toBe(true);
    }
    const wf = report.inventory.find((i) => i.id === 'github://acme/ops/.github/workflows/cleanup.yml');
    expect(wf?.classification).toBe('agent');
    expect(wf?.evidence.map((e) => e.detail).join(' ')).toContain('ollama (./.github/actions/summarise)');
    const f = report.findings.find((x) => x.detector === 'cross/static-key-in-ci');
    expect(f?.subject.id).toBe('github://acme/ops/secrets/CLEANUP_AWS_ACCESS_KEY_ID');
    expect(JSON.stringify(f?.evidence)).toContain('input aws_access_key_id of example-org/cleanup-action@v1');
    for (const g of report.findings.filter((x) => x.subject.id.startsWith('github://'))) {
      expect(report.inventory.some((i) => i.id === g.subject.id), `${g.detector} on ${g.subject.id} has an inventory row`).toBe(true);
    }
  }, 60_000);
});
