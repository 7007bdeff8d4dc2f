import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/detect/loader.js';
import { readFixture, type FixtureSpec } from '../../src/detect/fixture.js';
import { scanFixture } from '../helpers/scan.js';

// Classification cases the real-world corpus showed (fixtures/classification/*.json): each spec is scanned as an
// offline export and names the classification (and evidence text) identities must get. Each failed on the code
// before its fix: CloudShell, unnamed clients, declared agents (tags, registry), AWS-service-only roles, LLM-jacking.
type Case = FixtureSpec & { expect_classification: Record<string, string | string[]>; expect_evidence?: Record<string, string> };
const dir = join(projectRoot(), 'fixtures', 'classification');

describe('classification cases from the real-world corpus', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const spec = readFixture(join(dir, file)) as Case;
    it(`${file.replace(/\.json$/, '')}: ${spec.description.split(':')[0]}`, async () => {
      const report = await scanFixture(spec);
      for (const [id, want] of Object.entries(spec.expect_classification)) {
        const row = report.inventory.find((i) => i.id === id);
        const why = (row?.evidence ?? []).map((e) => `${e.signal} (${e.detail})`).join('; ');
        expect(row, `${id} in the inventory`).toBeDefined();
        expect(Array.isArray(want) ? want : [want], `${id}: ${row?.classification}: ${why}`).toContain(row?.classification);
      }
      for (const [id, text] of Object.entries(spec.expect_evidence ?? {})) {
        const row = report.inventory.find((i) => i.id === id);
        expect((row?.evidence ?? []).map((e) => `${e.signal} ${e.detail}`).join('\n'), id).toContain(text);
      }
    }, 60_000);
  }
});
