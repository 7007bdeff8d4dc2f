import type { ReportContext } from '../src/kernel/catalogue.js';
import type { Finding, ScanReport } from '../src/kernel/types.js';
import { reportCharts } from './charts.js';
import { humanTime } from './charts.js';
import { evidenceLines, iamSnapshotsLine, ownerLabel, recordCountsLine, subjectLabel, suggestedPolicy, summarize } from './summary.js';
import { terminalSafe } from '../src/kernel/terminal-text.js';

/**
 * Data text (names, tags, reasons, gap details) as Markdown inline text: controls shown as visible escapes
 * and kept on one line (the terminal sanitiser), inline HTML disarmed, and the brackets that every link and
 * image needs, code, emphasis and table-cell characters backslash-escaped, so text from the scanned accounts
 * renders as the text it is (`![x](https://…)` stays those characters, never an image or a link).
 */
function inline(s: string): string {
  return terminalSafe(s).replace(/[\\`*[\]<>|~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** A table cell of data (`inline`, which also escapes pipes). */
function cell(s: string | number | null | undefined): string {
  return inline(String(s ?? '—'));
}

/** Text of the detector catalogue (remediation summary and steps: trusted, may use `code`): controls and HTML disarmed. */
function prose(s: string): string {
  return terminalSafe(s).replace(/</g, '&lt;');
}

/** Longest run of backticks in `s` (a code span or fence must be longer to contain it). */
function longestTickRun(s: string): number {
  return Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
}

/** A code span that text from the scanned accounts (user agents, names) cannot break out of. */
function code(raw: string): string {
  const s = terminalSafe(raw);
  const ticks = '`'.repeat(longestTickRun(s) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** A code span inside a table row (GFM splits cells on pipes before reading code spans). */
function codeCell(s: string): string {
  return code(s).replace(/\|/g, '\\|');
}

function findingBlock(f: Finding): string[] {
  const out = [`- **${f.severity}** \`${f.detector}\` — ${inline(f.reason)}`];
  const ev = evidenceLines(f.evidence, 8);
  if (ev.length > 0) {
    out.push('  - Evidence:');
    for (const e of ev) out.push(`    - ${code(e)}`);
  }
  out.push(`  - Next steps: ${prose(f.remediation.summary)}`);
  for (const [i, s] of f.remediation.steps.entries()) out.push(`    ${i + 1}. ${prose(s)}`);
  if (f.remediation.commands.length > 0) {
    const fence = '`'.repeat(Math.max(3, longestTickRun(f.remediation.commands.join('')) + 1));
    out.push('', `    ${fence}sh`, ...f.remediation.commands.map((c) => `    ${terminalSafe(c)}`), `    ${fence}`, '');
  }
  const policy = suggestedPolicy(f);
  if (policy) {
    const fence = '`'.repeat(Math.max(3, longestTickRun(policy) + 1));
    out.push('  - Suggested least-privilege policy (from the calls it made):', '', `    ${fence}json`, ...policy.split('\n').map((l) => `    ${terminalSafe(l)}`), `    ${fence}`, '');
  }
  return out;
}

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * The summary form of the Markdown report, for a pull-request comment or a job summary: counts, the top risks
 * with one line per finding and its first command, coverage gaps — cut to fit `limit` characters (GitHub's
 * comment limit by default), saying how much was left out. The full `md` report is for files and wikis.
 */
export function renderMarkdownSummary(report: ScanReport, _ctx: ReportContext, limit = GITHUB_COMMENT_LIMIT - 536): string {
  const { run } = report;
  const s = summarize(report, 25);
  const agents = s.byClassification.find((c) => c.key === 'agent')?.count ?? 0;
  const head: string[] = [
    '## shadowscan summary', '',
    `As of **${humanTime(run.as_of)}** (lookback ${run.lookback}) · run \`${run.id}\``, '',
    `**${report.inventory.length}** identities (**${agents}** AI agents) · **${report.findings.length}** findings · **${run.coverage_gaps.length}** coverage gaps`, '',
    '| severity | findings |', '|---|---:|', ...s.bySeverity.map((c) => `| ${c.key} | ${c.count} |`), '',
    '| classification | identities |', '|---|---:|', ...s.byClassification.map((c) => `| ${c.key} | ${c.count} |`), '',
  ];
  const gaps = run.coverage_gaps.length === 0 ? ['**Coverage gaps:** none, every source was read.', '']
    : ['**Coverage gaps** (these sources were not fully read):', '', ...run.coverage_gaps.slice(0, 20).map((g) => `- ${code(g.source)}: ${inline(g.detail.slice(0, 300))}`),
      ...(run.coverage_gaps.length > 20 ? [`- … ${run.coverage_gaps.length - 20} more in the full report`] : []), ''];
  const tail = ['', '_Full report with evidence, suggested policies and the inventory: `shadowscan report --format md` (or `html`)._', ''];
  const blocks: string[] = [];
  let shownFindings = 0;
  const size = (parts: string[]) => parts.reduce((n, l) => n + l.length + 1, 0);
  const budget = limit - size(head) - size(gaps) - size(tail) - 200;
  let used = 0;
  for (const [n, r] of s.topRisks.entries()) {
    const name = r.identity ? r.identity.name : subjectLabel(r.findings[0]!);
    const lines = [`### ${n + 1}. ${inline(name)} — risk ${r.score}`, ''];
    if (r.identity) lines.push(`${code(r.identity.arn)} · ${r.identity.classification} · owner: ${inline(ownerLabel(r.identity))}`, '');
    for (const f of r.findings) {
      const reason = f.reason.length > 220 ? `${f.reason.slice(0, 219)}…` : f.reason;
      lines.push(`- **${f.severity}** \`${f.detector}\` — ${inline(reason)}`);
      lines.push(`  - Next step: ${prose(f.remediation.summary)}${f.remediation.commands[0] ? ` ${code(f.remediation.commands[0])}` : ''}`);
    }
    lines.push('');
    if (used + size(lines) > budget) break;
    used += size(lines);
    blocks.push(...lines);
    shownFindings += r.findings.length;
  }
  const left = report.findings.length - shownFindings;
  const more = left > 0 ? [`_${left} more finding(s) not shown here._`, ''] : [];
  return [...head, '### Top risks', '', ...(blocks.length > 0 ? blocks : ['No findings.', '']), ...more, ...gaps, ...tail].join('\n');
}

/**
 * The report a person reads, as Markdown: summary with inline SVG charts (and the same numbers as tables,
 * for viewers that strip SVG), top risks with evidence and next steps, the full inventory, every finding,
 * coverage gaps.
 */
export function renderMarkdown(report: ScanReport, ctx: ReportContext): string {
  const { run } = report;
  const s = summarize(report);
  const out: string[] = [];
  out.push('# shadowscan report', '');
  out.push(`As of **${run.as_of}** (lookback ${run.lookback}) · run \`${run.id}\` · ${run.counts.cloudtrail_records} CloudTrail records in ${run.counts.cloudtrail_files} files`, '');
  out.push(recordCountsLine(run.counts), '');
  const snapshots = iamSnapshotsLine(run);
  if (snapshots) out.push(snapshots, '');
  if (run.sources.length > 0) out.push(`Sources: ${run.sources.map((x) => code(x)).join(', ')}`, '');

  out.push('## Summary', '');
  const agents = s.byClassification.find((c) => c.key === 'agent')?.count ?? 0;
  out.push(`- **${report.inventory.length}** identities, of which **${agents}** AI agents`);
  out.push(`- **${report.findings.length}** findings: ${s.bySeverity.map((b) => `${b.count} ${b.key}`).join(', ')}`);
  out.push(`- **${run.coverage_gaps.length}** coverage gaps${run.coverage_gaps.length > 0 ? ' (see the end of this report: these sources were not fully read)' : ''}`, '');
  for (const c of reportCharts(s, ctx.history)) out.push(c.svg, '');
  out.push('| classification | identities |', '|---|---:|', ...s.byClassification.map((c) => `| ${c.key} | ${c.count} |`), '');
  out.push('| severity | findings |', '|---|---:|', ...s.bySeverity.map((c) => `| ${c.key} | ${c.count} |`), '');
  if (s.byOwasp.length > 0) out.push('| OWASP NHI risk | findings |', '|---|---:|', ...s.byOwasp.map((c) => `| ${c.key} ${cell(c.label)} | ${c.count} |`), '');
  if (ctx.history && ctx.history.length >= 2) {
    out.push('| run | as of | identities | agents | findings |', '|---|---|---:|---:|---:|',
      ...ctx.history.map((h) => `| \`${h.run_id}\` | ${h.as_of} | ${h.identities} | ${h.agents} | ${h.findings} |`), '');
  }

  out.push('## Top risks', '');
  if (s.topRisks.length === 0) out.push('No findings.', '');
  for (const [n, r] of s.topRisks.entries()) {
    const name = r.identity ? r.identity.name : subjectLabel(r.findings[0]!);
    out.push(`### ${n + 1}. ${inline(name)} — risk ${r.score}`, '');
    if (r.identity) {
      out.push(`${code(r.identity.arn)} · ${inline(r.identity.kind)} · ${r.identity.classification} (${r.identity.confidence}) · account ${inline(r.identity.account)} · owner: ${inline(ownerLabel(r.identity))} · last used: ${r.identity.last_used_at ?? 'never seen'}`, '');
    }
    for (const f of r.findings) out.push(...findingBlock(f));
    out.push('');
  }

  out.push('## Inventory', '');
  out.push('| identity | kind | account | classification | owner | last used | risk | findings |', '|---|---|---|---|---|---|---:|---:|');
  for (const i of [...report.inventory].sort((a, b) => b.risk_score - a.risk_score || a.id.localeCompare(b.id))) {
    out.push(`| ${cell(i.name)}<br>${codeCell(i.arn)} | ${cell(i.kind)} | ${cell(i.account)} | ${i.classification} | ${cell(ownerLabel(i))} | ${cell(i.last_used_at)} | ${i.risk_score} | ${i.finding_ids.length} |`);
  }
  out.push('');

  out.push('## All findings', '');
  if (report.findings.length === 0) out.push('None.', '');
  else {
    out.push('| severity | detector | subject | reason | OWASP NHI | ATT&CK |', '|---|---|---|---|---|---|');
    for (const f of report.findings) out.push(`| ${f.severity} | ${f.detector} | ${cell(subjectLabel(f))} | ${cell(f.reason)} | ${f.owasp_nhi.join(', ')} | ${f.mitre_attack.join(', ') || '—'} |`);
    out.push('');
  }

  out.push('## Coverage gaps', '');
  if (run.coverage_gaps.length === 0) out.push('None: every source was read.', '');
  else {
    out.push('| source | detail |', '|---|---|', ...run.coverage_gaps.map((g) => `| ${cell(g.source)} | ${cell(g.detail)} |`), '');
  }
  return out.join('\n');
}
