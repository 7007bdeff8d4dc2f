import type { Classification, Finding, ScanReport, Severity } from '../src/kernel/types.js';
import { SEVERITIES } from '../src/kernel/types.js';
import { SEVERITY_OUTPUT } from './severity.js';
import { iamSnapshotsLine, recordCountsLine } from './summary.js';
import { terminalSafe } from '../src/kernel/terminal-text.js';

/** Options for the terminal table. */
export interface TableOptions {
  /** How many findings to list (default 15). */
  top?: number;
  /** Terminal width (default 120). */
  width?: number;
  /** ANSI colours (default false; the CLI enables them on a TTY without NO_COLOR). */
  color?: boolean;
}

const CLASSES: Classification[] = ['agent', 'workload', 'human', 'aws-service', 'unknown'];

/** Truncate in the middle so both ends of an ARN stay readable. */
export function truncateMiddle(raw: string, max: number): string {
  const text = printable(raw);
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const head = Math.ceil((max - 1) / 2);
  return text.slice(0, head) + '…' + text.slice(text.length - (max - 1 - head));
}

/** The terminal report: counts by classification and severity, top findings, coverage gaps. */
export function renderTable(report: ScanReport, opts: TableOptions = {}): string {
  const top = opts.top ?? 15;
  const width = Math.max(60, opts.width ?? 120);
  const paint = (s: Severity, text: string): string => (opts.color ? `${SEVERITY_OUTPUT[s].ansi}${text}\x1b[0m` : text);
  const out: string[] = [];
  const { run } = report;
  out.push(`shadowscan — ${run.counts.identities} identities, ${run.counts.findings} findings (as of ${run.as_of}, lookback ${run.lookback})`);
  out.push(`run ${run.id}: ${run.counts.cloudtrail_records} CloudTrail records in ${run.counts.cloudtrail_files} files`);
  out.push(recordCountsLine(run.counts));
  const snapshots = iamSnapshotsLine(run);
  if (snapshots) out.push(snapshots);
  out.push('');
  const byClass = CLASSES.map((c) => `${c} ${report.inventory.filter((i) => i.classification === c).length}`);
  out.push(`Identities  ${byClass.join('  ')}`);
  const bySev = [...SEVERITIES].reverse().map((s) => paint(s, `${s} ${report.findings.filter((f) => f.severity === s).length}`));
  out.push(`Findings    ${bySev.join('  ')}`);
  out.push('');

  const agents = report.inventory.filter((i) => i.classification === 'agent').sort((a, b) => b.risk_score - a.risk_score || a.id.localeCompare(b.id));
  if (agents.length > 0) {
    out.push('Agents');
    for (const a of agents.slice(0, 10)) {
      const owner = a.owner.source === 'tag' ? a.owner.value : a.owner.source === 'registry' ? `${a.owner.value} (registry)` : a.owner.value ? `none (creator: ${a.owner.value})` : 'none';
      out.push(`  ${String(a.risk_score).padStart(3)}  ${truncateMiddle(a.name, 44).padEnd(44)}  ${printable(a.account)}  owner: ${truncateEnd(owner ?? 'none', 80)}`);
    }
    out.push('');
  }

  out.push(report.findings.length > top ? `Top ${top} findings` : 'Findings');
  const sevW = 8;
  const catW = 22;
  const subjW = Math.max(20, width - sevW - catW - 6);
  for (const f of report.findings.slice(0, top)) out.push(findingLine(f, sevW, catW, subjW, width, paint));
  if (report.findings.length === 0) out.push('  none');
  if (report.findings.length > top) out.push(`  … ${report.findings.length - top} more (use --format json for all)`);
  out.push('');
  if (report.suppressed.length > 0) {
    out.push(`Suppressed by exceptions (${report.suppressed.length}): accepted risks, reported until they expire`);
    for (const s of report.suppressed) {
      out.push(`  ${s.finding.severity.padEnd(sevW)} ${printable(s.finding.category).padEnd(catW)} ${truncateMiddle(s.finding.subject.arn ?? s.finding.subject.id, subjW)}`);
      out.push(`${' '.repeat(4 + sevW)}until ${printable(String(s.exception.expires))}, approved by ${truncateEnd(s.exception.approver, 60)}: ${truncateEnd(s.exception.reason, Math.max(30, width - 40 - sevW))}`);
    }
    out.push('');
  }
  if (run.coverage_gaps.length > 0) {
    out.push(`Coverage gaps (${run.coverage_gaps.length}): these sources were not (fully) read`);
    for (const g of run.coverage_gaps.slice(0, 20)) out.push(`  ${truncateMiddle(g.source, 70)}: ${printable(g.detail)}`);
    if (run.coverage_gaps.length > 20) out.push(`  … ${run.coverage_gaps.length - 20} more`);
  } else {
    out.push('Coverage gaps: none');
  }
  return out.join('\n') + '\n';
}

function findingLine(f: Finding, sevW: number, catW: number, subjW: number, width: number, paint: (s: Severity, t: string) => string): string {
  const subject = truncateMiddle(f.subject.type === 'access-key' ? f.subject.id
    : f.subject.type === 'registry-entry' ? `registry entry ${f.subject.id}` : (f.subject.arn ?? f.subject.id), subjW);
  const head = `  ${paint(f.severity, f.severity.padEnd(sevW))} ${printable(f.category).padEnd(catW)} ${subject}`;
  return `${head}\n${' '.repeat(4 + sevW)}${truncateEnd(f.reason, Math.max(30, width - 4 - sevW))}`;
}

/** Data text made safe for the terminal, on one line (src/kernel/terminal-text.ts: the one sanitiser). */
export function printable(text: string): string {
  return terminalSafe(text);
}

function truncateEnd(raw: string, max: number): string {
  const text = printable(raw);
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
