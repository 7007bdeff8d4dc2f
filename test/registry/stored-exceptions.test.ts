import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/kernel/types.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scan.js';

// The exception rule (approver holds the tier's role, does not own the subject, is on the roster, expiry within
// policy.exception_max_days) applied by `explain` and `registry suggest` over the registry stored with the scan,
// exactly as the scan applied it: nothing the scan refused is suppressed there, nothing it accepted comes back.
const AS_OF = '2026-11-20T00:00:00Z';
const PIPELINE_BOT = 'arn:aws:iam::345678901234:user/data-pipeline-bot';
const GPT_NIGHTLY = 'arn:aws:iam::345678901234:user/gpt-nightly';
const VENDOR_AUDIT = 'arn:aws:iam::210987654321:role/vendor-audit';
const EXCEPTIONS = `exceptions:
  - subject: ${VENDOR_AUDIT}
    detector: registry/unregistered
    reason: Third-party audit role governed by the vendor contract and listed in the vendor inventory.
    approver: alice@example.com
    expires: 2027-01-31
  - subject: ${PIPELINE_BOT}
    detector: registry/tier-violation
    reason: The pipeline keeps its write grant until the migration finishes next quarter.
    approver: alice@example.com
    expires: 2027-01-31
  - subject: ${GPT_NIGHTLY}
    detector: registry/unregistered
    reason: Being registered by the data team; accepted meanwhile for half a year.
    approver: victor@example.com
    expires: 2027-06-30
`;

let db: string;
let exceptions: string;
let report: ScanReport;

beforeAll(async () => {
  const dir = tempDir();
  db = join(dir, 'scan.duckdb');
  exceptions = join(dir, 'exceptions.yaml');
  writeFileSync(exceptions, EXCEPTIONS);
  const out = join(dir, 'report.json');
  const r = await cli('scan', '--from', 'fixtures/demo', '--as-of', AS_OF, '--db', db, '--people', 'fixtures/demo/people.txt',
    '--registry', 'fixtures/demo/registry.yaml', '--exceptions', exceptions, '--format', 'json', '--output', out, '-q');
  expect(r.code).toBe(0);
  report = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) as ScanReport;
}, 120_000);

describe('explain and registry suggest over the stored scan apply the scan\'s exception rule', () => {
  it('the scan refuses two of the three exceptions and says why', () => {
    const why = (subject: string): unknown => report.findings.find((f) => f.subject.id === subject && f.detector.startsWith('registry/'))?.evidence['rejected_exception'];
    expect(why(PIPELINE_BOT)).toMatchObject({ why: 'alice@example.com does not hold the role security that tier 2 exceptions need (sam@example.com, priya@example.com)' });
    expect(why(GPT_NIGHTLY)).toMatchObject({ why: expect.stringContaining('it expires 2027-06-30, more than 90 days after 2026-11-20') });
    expect(report.suppressed.map((s) => s.finding.subject.id)).toEqual([VENDOR_AUDIT]);
  });

  it('explain with the same exceptions (registry from the stored scan) keeps the refused tier violation', async () => {
    const r = await cli('explain', PIPELINE_BOT, '--db', db, '--exceptions', exceptions);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Findings (5)');
    expect(r.out).toContain('[high] tier-violation (registry/tier-violation): agent data-pipeline-bot is registered as tier 1');
  });

  it('explain keeps suppressed what the scan accepted', async () => {
    const r = await cli('explain', VENDOR_AUDIT, '--db', db, '--exceptions', exceptions);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('registry/unregistered');
  });

  it('registry suggest lists the identity whose exception the scan refused, not the one it accepted', async () => {
    const r = await cli('registry', 'suggest', '--db', db, '--exceptions', exceptions);
    expect(r.code).toBe(0);
    expect(r.out).toContain(GPT_NIGHTLY);
    expect(r.out).not.toContain(VENDOR_AUDIT);
  });
});
