import { beforeAll, describe, expect, it } from 'vitest';
import { diffReports, gateViolations, parseGate } from '../../src/pipeline/diff.js';
import { SEVERITIES, type ScanReport } from '../../src/kernel/types.js';
import { eventsFromDiff } from '../../src/sinks/index.js';
import { goldenReport } from '../helpers/reports.js';

let base: ScanReport;
beforeAll(async () => {
  base = await goldenReport();
});

function next(mutate: (r: ScanReport) => void): ScanReport {
  const r = structuredClone(base);
  r.run.id = 'run-next';
  mutate(r);
  return r;
}

describe('diffReports', () => {
  it('no change between identical runs', () => {
    const d = diffReports({ report: base }, { report: next(() => undefined) });
    expect([d.findings.new, d.findings.resolved, d.findings.changed, d.identities.new, d.identities.removed, d.identities.changed].map((x) => x.length)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(eventsFromDiff(d)).toEqual([]);
  });

  it('severity changes are changed findings and become finding.changed events', () => {
    const i = base.findings.findIndex((f) => f.severity === 'high');
    expect(i).toBeGreaterThanOrEqual(0);
    const to = next((r) => { r.findings[i]!.severity = 'critical'; });
    const d = diffReports({ report: base }, { report: to });
    expect(d.findings.changed.map((c) => c.changes)).toEqual([['severity high → critical']]);
    expect(eventsFromDiff(d)).toEqual([{ type: 'finding.changed', run_id: 'run-next', finding: to.findings[i], changes: ['severity high → critical'] }]);
  });

  it('classification and owner changes, grant widening from summaries', () => {
    const id = 'arn:aws:iam::111122223333:role/nightly-export';
    const from = structuredClone(base);
    const own = from.inventory.find((i) => i.id === id)!;
    own.owner = { value: 'bob@example.com', source: 'tag', tag: 'owner' };
    const to = next((r) => { r.inventory.find((i) => i.id === id)!.classification = 'agent'; });
    const d = diffReports(
      { report: from, grants: new Map([[id, { action_count: 2, write_count: 1, patterns: ['dynamodb:GetItem', 'dynamodb:PutItem'] }]]) },
      { report: to, grants: new Map([[id, { action_count: 40, write_count: 20, patterns: ['dynamodb:GetItem', 'dynamodb:PutItem', 's3:Put*'] }]]) },
    );
    expect(d.identities.changed).toHaveLength(1);
    expect(d.identities.changed[0]!.changes.map((c) => c.kind)).toEqual(['classification', 'owner-removed', 'grants-widened']);
    expect(d.identities.changed[0]!.changes[2]!.detail).toBe('grants widened: 2 → 40 actions; 1 → 20 write/permission actions; new grants s3:Put*');
  });

  it('with no earlier run everything is new', () => {
    const d = diffReports(null, { report: base });
    expect(d.from).toBeNull();
    expect(d.findings.new).toHaveLength(base.findings.length);
    expect(eventsFromDiff(d).every((e) => e.type === 'finding.new')).toBe(true);
  });
});

describe('the gate', () => {
  it('parses SEVERITY and new:SEVERITY', () => {
    expect(parseGate('high', SEVERITIES)).toEqual({ severity: 'high', onlyNew: false });
    expect(parseGate('new:critical', SEVERITIES)).toEqual({ severity: 'critical', onlyNew: true });
    expect(parseGate('old:high', SEVERITIES)).toBeNull();
    expect(parseGate('new:urgent', SEVERITIES)).toBeNull();
  });

  it('new: counts only findings missing from the baseline', () => {
    const known = new Set(base.findings.slice(1).map((f) => f.id));
    expect(gateViolations(base, { severity: 'high', onlyNew: true }, known).map((f) => f.id)).toEqual([base.findings[0]!.id]);
    const highOrAbove = base.findings.filter((f) => f.severity === 'high' || f.severity === 'critical').length;
    expect(highOrAbove).toBeGreaterThan(1);
    expect(gateViolations(base, { severity: 'high', onlyNew: false }, known)).toHaveLength(highOrAbove);
    expect(gateViolations(base, { severity: 'high', onlyNew: true }, null)).toHaveLength(highOrAbove);
    expect(gateViolations(base, { severity: 'critical', onlyNew: true }, new Set(base.findings.map((f) => f.id)))).toEqual([]);
  });
});
