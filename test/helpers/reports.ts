import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueOf } from '../../src/detect/catalogue.js';
import type { HistoryPoint, ReportContext } from '../../src/kernel/catalogue.js';
import { loadDetectors } from '../../src/pipeline/pipeline.js';
import type { ScanReport } from '../../src/kernel/types.js';
import { materializeFixture, readFixture, type FixtureSpec } from '../../src/detect/fixture.js';
import { projectRoot } from '../../src/detect/loader.js';
import { scanDir, tempDir } from './scan.js';

/** The report fixture (three detector hit fixtures merged into one account). */
export function orgSpec(): FixtureSpec {
  return readFixture(join(projectRoot(), 'fixtures/reports/org.json'));
}

/** Replace what changes from run to run (run id, wall-clock times, temp paths) with fixed values. */
export function normalise(report: ScanReport, exportDir: string): ScanReport {
  const r = structuredClone(report);
  r.run.id = 'run-golden';
  r.run.started_at = r.run.as_of;
  r.run.finished_at = r.run.as_of;
  r.run.sources = r.run.sources.map((s) => s.split(exportDir).join('<export>'));
  // IAM snapshot times of a materialised export are its files' modification times.
  if (r.run.iam_snapshots) r.run.iam_snapshots = r.run.iam_snapshots.map((s) => ({ ...s, at: r.run.as_of }));
  r.run.coverage_gaps = r.run.coverage_gaps.map((g) => ({ source: g.source.split(exportDir).join('<export>'), detail: g.detail.split(exportDir).join('<export>') }));
  return r;
}

/** A fresh scan of the report fixture, normalised for golden files (test/reports/golden-scan.test.ts pins it). */
export async function scanGoldenReport(): Promise<ScanReport> {
  const dir = materializeFixture(orgSpec(), tempDir());
  return normalise(await scanDir(dir), dir);
}

/**
 * A stored report: the JSON golden of the report fixture (`reports`) or of the demo org (`demo`). The JSON report is
 * the ScanReport itself, so renderers, sinks and the diff are tested on it without a scan;
 * test/reports/golden-scan.test.ts holds it equal to what a fresh scan reports.
 */
export function storedReport(name: 'reports' | 'demo' = 'reports'): ScanReport {
  return JSON.parse(readFileSync(join(projectRoot(), 'test/golden', name, 'report.json'), 'utf8')) as ScanReport;
}

/** The report fixture's stored report (renderers, sinks and the diff read it; no scan). */
export async function goldenReport(): Promise<ScanReport> {
  return storedReport('reports');
}

/** Built-in detector catalogue plus a fixed three-run history (so the "agents over time" chart renders). */
export function goldenContext(report: ScanReport): ReportContext {
  const agents = report.inventory.filter((i) => i.classification === 'agent').length;
  const history: HistoryPoint[] = [
    { run_id: 'run-golden-1', as_of: '2026-11-06T00:00:00.000Z', identities: report.inventory.length - 2, agents: Math.max(0, agents - 2), findings: 2 },
    { run_id: 'run-golden-2', as_of: '2026-11-13T00:00:00.000Z', identities: report.inventory.length - 1, agents: Math.max(0, agents - 1), findings: 4 },
    { run_id: report.run.id, as_of: report.run.as_of, identities: report.inventory.length, agents, findings: report.findings.length },
  ];
  return { detectors: catalogueOf(loadDetectors()), history };
}

type Role = { RoleName: string; RoleId: string; Arn: string; Tags: { Key: string; Value: string }[]; RolePolicyList: unknown[] };
type User = { UserName: string; Tags?: { Key: string; Value: string }[] };

function details(spec: FixtureSpec): { RoleDetailList: Role[]; UserDetailList: User[] } {
  return spec.accounts!['111122223333']!.authorization_details as { RoleDetailList: Role[]; UserDetailList: User[] };
}

/** The org on day one: svc-bot has a declared owner. */
export function orgV1(): FixtureSpec {
  const spec = orgSpec();
  const bot = details(spec).UserDetailList.find((u) => u.UserName === 'svc-bot')!;
  bot.Tags = [{ Key: 'owner', Value: 'alice@example.com' }];
  return spec;
}

/**
 * The org a week later: svc-bot's owner tag was removed, nightly-export got an owner and a wider policy
 * (s3:* on *), and a new agent role `research-agent` appeared (a copy of support-agent-runtime's shape).
 */
export function orgV2(): FixtureSpec {
  const spec = orgSpec();
  const roles = details(spec).RoleDetailList;
  const nightly = roles.find((r) => r.RoleName === 'nightly-export')!;
  nightly.Tags = [...nightly.Tags, { Key: 'owner', Value: 'bob@example.com' }];
  nightly.RolePolicyList.push({ PolicyName: 'widen', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } });
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x).replaceAll('support-agent-runtime', 'research-agent').replaceAll('AROASUPPORT', 'AROARESEARCH')) as T;
  const agent = roles.find((r) => r.RoleName === 'support-agent-runtime')!;
  roles.push(clone(agent));
  spec.records = [...(spec.records ?? []), ...(spec.records ?? []).filter((r) => JSON.stringify(r).includes('support-agent-runtime')).map(clone)];
  return spec;
}

/** Materialise a spec into a fresh export directory. */
export function exportOf(spec: FixtureSpec): string {
  return materializeFixture(spec, tempDir());
}
