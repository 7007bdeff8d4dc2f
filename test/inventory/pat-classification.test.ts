import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InventoryItem, ScanReport } from '../../src/kernel/types.js';
import { projectRoot } from '../../src/detect/loader.js';
import { readFixture } from '../../src/detect/fixture.js';
import { scanFixture } from '../helpers/scan.js';

// Fine-grained PAT grants are classified from the grant alone (name, owner, permissions, membership, last use),
// with the reason in the inventory row (fixtures/inventory/pat-grants.json).
let report: ScanReport;
beforeAll(async () => {
  report = await scanFixture(readFixture(join(projectRoot(), 'fixtures/inventory/pat-grants.json')));
}, 60_000);

const pat = (n: number): InventoryItem => {
  const row = report.inventory.find((i) => i.id === `github://example/personal-access-tokens/${n}`);
  expect(row, `PAT grant ${n}`).toBeDefined();
  return row!;
};
const signals = (r: InventoryItem): string[] => r.evidence.map((e) => e.signal);

const CASES: { n: number; name: string; classification: string; confidence: string; because: string }[] = [
  { n: 1, name: 'claude-mcp (alice)', classification: 'agent', confidence: 'low', because: 'agent: name suggests an agent' },
  { n: 2, name: 'summarizer (bob)', classification: 'agent', confidence: 'medium', because: 'agent: GitHub Models permission' },
  { n: 3, name: 'release-bot (release-bot)', classification: 'workload', confidence: 'high', because: 'workload: machine account' },
  { n: 4, name: 'laptop-gh (bob)', classification: 'human', confidence: 'low', because: 'human: name suggests personal use' },
  { n: 5, name: 'token-x (carol)', classification: 'unknown', confidence: 'low', because: 'unknown: fine-grained personal access token' },
  { n: 6, name: 'notes (erin)', classification: 'workload', confidence: 'low', because: 'workload: used after its owner left' },
  { n: 7, name: 'deploy-agent (carol)', classification: 'workload', confidence: 'medium', because: 'workload: CI/CD permissions' },
];

describe('fine-grained PAT grant classification', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.classification} (${c.confidence}) because of "${c.because}"`, () => {
      const r = pat(c.n);
      expect(r.name).toBe(c.name);
      expect(r.kind).toBe('pat-grant');
      expect({ classification: r.classification, confidence: r.confidence }, JSON.stringify(r.evidence)).toEqual({ classification: c.classification, confidence: c.confidence });
      expect(signals(r)).toContain(c.because);
    });
  }

  it('explains the grant in every row: what it can do and when it was last used', () => {
    const release = pat(3);
    expect(release.evidence).toEqual(expect.arrayContaining([
      { signal: 'unknown: fine-grained personal access token', detail: 'acts as release-bot on all repositories, can write actions, contents, workflows' },
      { signal: 'workload: CI/CD permissions', detail: 'write on actions, workflows' },
      { signal: 'workload: name suggests automation', detail: 'token name release-bot (release)' },
      { signal: 'unknown: last used', detail: '1 day(s) ago' },
    ]));
    expect(pat(5).evidence).toEqual(expect.arrayContaining([{ signal: 'unknown: last used', detail: 'never used' }]));
    // a member's token used yesterday is not "used after its owner left"; a departed owner's is
    expect(signals(pat(4))).not.toContain('workload: used after its owner left');
    expect(signals(pat(6))).toContain('unknown: owner left the org');
  });

  it('weighs a name against the grant: an agent name is outweighed by deploy permissions, and says so', () => {
    const r = pat(7);
    expect(signals(r)).toEqual(expect.arrayContaining(['agent: name suggests an agent', 'workload: name suggests automation', 'workload: CI/CD permissions']));
    expect(r.evidence.find((e) => e.signal === 'not an agent')?.detail).toContain('only weak hints (name suggests an agent) are outweighed by workload evidence');
    expect(signals(pat(3))).not.toContain('agent: name suggests an agent');
  });
});
