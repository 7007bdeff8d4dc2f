import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../src/kernel/types.js';
import type { IdentityDetail } from '../../src/ui/data.js';
import { detailLines, subjectText } from '../../src/ui/layout.js';

const text = (d: IdentityDetail) => detailLines(d, 100).lines.map((l) => l.map((s) => s.text).join('')).join('\n');

describe('Detail view details', () => {
  it("a key's age is counted to the run's as-of (as explain counts to --as-of), not to the wall clock", () => {
    const key = { id: 'AKIAEXAMPLEKEY000001', created_at: '2026-10-21T00:00:00.000Z', last_used_at: null, finding_ids: [] } as unknown as InventoryItem;
    const d: IdentityDetail = { item: null, parent: null, credentials: [key], findings: [], grants: null, grants_source: null, activity: null, as_of: '2026-11-20T00:00:00.000Z' };
    expect(text(d)).toContain('created 2026-10-21 (30d old at 2026-11-20)');
  });

  it('a Findings-list subject keeps the account of an ARN and cuts the resource part', () => {
    const s = subjectText('arn:aws:iam::210987654321:role/service-role/AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f3a9c', 40);
    expect(s.startsWith('210987654321 ')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(40);
    expect(s.endsWith('7f3a9c')).toBe(true);
    expect(subjectText('AKIAEXAMPLEKEY000001', 40)).toBe('AKIAEXAMPLEKEY000001');
  });
});
