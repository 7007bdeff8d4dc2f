/**
 * Pure layout of the terminal UI: every line the app draws is built here as styled segments of a known
 * width, so the ink components only print them and tests can check widths without a terminal.
 */
import { SEVERITY_OUTPUT } from '../../reports/severity.js';
import { truncateMiddle } from '../../reports/table.js';
import { SEVERITIES, type Classification, type Finding, type Severity } from '../kernel/types.js';
import { CLASSIFICATIONS, type FindingRow, type IdentityDetail, type InventoryRow, type Summary } from './data.js';
import { evidenceLines, nextSteps } from './export.js';
import { terminalSafe } from '../kernel/terminal-text.js';

/** A run of text with one style. Colours are dropped when the UI runs without colour (NO_COLOR). */
export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}
export type Line = Segment[];

/** Colour of each severity (the terminal table uses the same hues). */
/** ink colour per severity (reports/severity.ts holds every format's). */
export const SEVERITY_COLOR: Record<Severity, string> = Object.fromEntries(Object.entries(SEVERITY_OUTPUT).map(([k, v]) => [k, v.ink])) as Record<Severity, string>;
/** Colour of each classification. */
export const CLASS_COLOR: Record<Classification, string> = { agent: 'magenta', workload: 'blue', human: 'green', 'aws-service': 'gray', unknown: 'yellow' };

/** Cut at the end with an ellipsis (for prose; identifiers use truncateMiddle). */
export function truncateEnd(raw: string, max: number): string {
  if (max <= 0) return '';
  const text = terminalSafe(raw);
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + '…';
}

/** Exactly `width` characters: truncated (middle or end) and padded. */
export function cell(text: string, width: number, how: 'middle' | 'end' = 'end', align: 'left' | 'right' = 'left'): string {
  const t = how === 'middle' ? truncateMiddle(text, width) : truncateEnd(text, width);
  return align === 'right' ? t.padStart(width) : t.padEnd(width);
}

/** Total width of a line. */
export function lineWidth(line: Line): number {
  return line.reduce((n, s) => n + s.text.length, 0);
}

/** Header: the run, counts by classification and by severity, coverage gaps (always 4 lines). */
export function headerLines(s: Summary, width: number): Line[] {
  const r = s.run;
  const title: Line = [
    { text: 'shadowscan', bold: true },
    { text: truncateEnd(`  run ${r.id}  as of ${r.as_of.slice(0, 19).replace('T', ' ')}  lookback ${r.lookback}`, width - 10), dim: true },
  ];
  const classes: Line = [{ text: `${r.counts.identities} identities:`, bold: true }];
  for (const c of CLASSIFICATIONS) classes.push({ text: ` ${c} ${s.byClassification[c]}`, color: CLASS_COLOR[c] });
  const sev: Line = [{ text: `${r.counts.findings} findings:`, bold: true }];
  for (const v of [...SEVERITIES].reverse()) sev.push({ text: ` ${v} ${s.bySeverity[v]}`, color: SEVERITY_COLOR[v] });
  const gaps = r.coverage_gaps;
  const gapLine: Line = gaps.length === 0
    ? [{ text: 'coverage gaps: none', dim: true }]
    : [{ text: `coverage gaps: ${gaps.length}`, color: 'yellow', bold: true },
      { text: truncateEnd(` — ${truncateMiddle(gaps[0]?.source ?? '', 40)}: ${gaps[0]?.detail ?? ''}${gaps.length > 1 ? ` (+${gaps.length - 1} more)` : ''}`, Math.max(0, width - 18)) }];
  return [title, classes, sev, gapLine].map((l) => clip(l, width));
}

/** Cut a line to `width` characters. */
export function clip(line: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const raw of line) {
    if (left <= 0) break;
    const s = { ...raw, text: terminalSafe(raw.text) };
    if (s.text.length <= left) {
      out.push(s);
      left -= s.text.length;
    } else {
      out.push({ ...s, text: truncateEnd(s.text, left) });
      left = 0;
    }
  }
  return out;
}

interface InventoryCols { cls: number; risk: number; count: number; account: number; owner: number; name: number }

function inventoryCols(width: number): InventoryCols {
  const cls = 12;
  const risk = 5;
  const count = 5;
  const account = width >= 100 ? 14 : 13;
  const owner = Math.max(8, Math.min(28, Math.floor(width * 0.18)));
  const name = Math.max(10, width - 2 - cls - risk - count - account - owner - 1);
  return { cls, risk, count, account, owner, name };
}

/** Column titles of the Inventory list. */
export function inventoryHeader(width: number): Line {
  const c = inventoryCols(width);
  return clip([{ text: `  ${cell('CLASS', c.cls)}${cell('NAME', c.name)} ${cell('ACCOUNT', c.account)}${cell('OWNER', c.owner)}${cell('RISK', c.risk, 'end', 'right')}${cell('FIND', c.count, 'end', 'right')}`, bold: true }], width);
}

/** One Inventory row. */
export function inventoryLine(r: InventoryRow, width: number): Line {
  const c = inventoryCols(width);
  const owner = r.owner ? (r.owner_source === 'tag' ? r.owner : `${r.owner}?`) : '—';
  return clip([
    { text: cell(r.classification, c.cls), color: CLASS_COLOR[r.classification] },
    { text: cell(r.name, c.name, 'middle') + ' ' },
    { text: cell(r.account, c.account) },
    { text: cell(owner, c.owner, 'middle'), ...(r.owner ? {} : { dim: true }) },
    { text: cell(String(r.risk_score), c.risk, 'end', 'right'), bold: r.risk_score >= 50 },
    { text: cell(String(r.finding_count), c.count, 'end', 'right') },
  ], width - 2);
}

interface FindingCols { sev: number; cat: number; subject: number; reason: number }

function findingCols(width: number): FindingCols {
  const sev = 9;
  const cat = 22;
  const rest = Math.max(20, width - 2 - sev - cat);
  const subject = Math.max(12, Math.min(60, Math.floor(rest * 0.5)));
  return { sev, cat, subject, reason: Math.max(8, rest - subject - 1) };
}

/**
 * A subject for a narrow column: an ARN keeps its account, cut in its resource part
 * (`210987654321 user/svc-sup…-agent`), so two accounts' `user/deploy` never look the same.
 */
export function subjectText(subject: string, width: number): string {
  const m = /^arn:aws[\w-]*:[\w-]*:[\w-]*:(\d{12}):(.+)$/.exec(subject);
  if (!m || subject.length <= width) return subject;
  const account = m[1]!;
  return `${account} ${truncateMiddle(m[2]!, Math.max(6, width - account.length - 1))}`;
}

/** Column titles of the Findings list. */
export function findingHeader(width: number): Line {
  const c = findingCols(width);
  return clip([{ text: `  ${cell('SEVERITY', c.sev)}${cell('CATEGORY', c.cat)}${cell('SUBJECT', c.subject)} ${cell('REASON', c.reason)}`, bold: true }], width);
}

/** One Findings row. */
export function findingLine(r: FindingRow, width: number): Line {
  const c = findingCols(width);
  return clip([
    { text: cell(r.severity, c.sev), color: SEVERITY_COLOR[r.severity], bold: r.severity === 'critical' },
    { text: cell(r.category, c.cat) },
    { text: cell(subjectText(r.subject, c.subject), c.subject, 'middle') + ' ' },
    { text: cell(r.reason, c.reason) },
  ], width - 2);
}

/** Wrap prose to `width`; continuation lines keep the first line's indent plus two spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const lead = /^\s*/.exec(para)?.[0] ?? '';
    let line = lead;
    for (const word of para.split(/\s+/)) {
      if (!word) continue;
      const next = line.trim() ? `${line} ${word}` : line + word;
      if (next.length > width && line.trim()) {
        out.push(line);
        line = `${lead}  ${word}`;
      } else {
        line = next;
      }
    }
    out.push(line);
  }
  return out.map((l) => (l.length > width ? truncateMiddle(l, width) : l));
}

/** The Detail view's body as lines, and the line where each finding starts (to scroll to it). */
export function detailLines(d: IdentityDetail, width: number): { lines: Line[]; findingAt: Map<string, number> } {
  const lines: Line[] = [];
  const findingAt = new Map<string, number>();
  const text = (t: string, style: Omit<Segment, 'text'> = {}): void => {
    for (const w of wrap(t, width)) lines.push([{ text: w, ...style }]);
  };
  const kv = (k: string, v: string, style: Omit<Segment, 'text'> = {}): void => {
    lines.push(clip([{ text: `${k.padEnd(16)}`, dim: true }, { text: truncateMiddle(v, Math.max(10, width - 16)), ...style }], width));
  };
  const section = (t: string): void => {
    lines.push([]);
    lines.push([{ text: t, bold: true }]);
  };
  const it = d.item;
  if (it) {
    lines.push(clip([{ text: `${it.kind} `, dim: true }, { text: it.name, bold: true }, { text: `  ${it.account}` }], width));
    kv('ARN', it.arn);
    if (it.id !== it.arn) kv('id', it.id);
    kv('risk score', `${it.risk_score}/100`, { bold: true, ...(it.risk_score >= 50 ? { color: 'red' } : {}) });
    kv('classification', `${it.classification} (${it.confidence} confidence; evidence below)`, { color: CLASS_COLOR[it.classification] });
    const ownerSource = it.owner.source === 'tag' ? `declared, tag "${it.owner.tag ?? 'owner'}"` : it.owner.source === 'creator' ? 'inferred from the creator (CloudTrail)' : it.owner.source;
    kv('owner', it.owner.value ? `${it.owner.value} (${ownerSource})` : 'none — nobody declared or created it in the window', it.owner.value ? {} : { color: 'yellow' });
    if (it.creator) kv('creator', it.creator);
    kv('created', it.created_at ?? 'unknown');
    kv('last used', it.last_used_at ?? 'not seen in the window');
    if (d.parent) kv('belongs to', `${d.parent.kind} ${d.parent.arn}`);
  } else {
    const f = d.findings[0];
    lines.push([{ text: f ? (f.subject.arn ?? f.subject.id) : 'unknown identity', bold: true }]);
    text('Not in this run\'s inventory: shown from its findings.', { dim: true });
  }

  // What is wrong and what to do first; why it is classified so, and the rest, below.
  section(`Findings (${d.findings.length})`);
  if (d.findings.length === 0) text('  none', { dim: true });
  for (const f of d.findings) findingBlock(f, width, lines, findingAt, text);

  if (it) {
    section(`Classification: ${it.classification} (${it.confidence} confidence)`);
    for (const e of it.evidence.slice(0, 8)) text(`  • ${e.signal}${e.detail ? `: ${e.detail}` : ''}`);
    if (it.risk_reasons.length) lines.push([{ text: `  risk ${it.risk_score}/100:`, dim: true }]);
    for (const r of it.risk_reasons.slice(0, 6)) text(`    ${r}`, { dim: true });
  }

  const now = d.as_of ? Date.parse(d.as_of) : Date.now();
  section(`Credentials (${d.credentials.length})`);
  if (d.credentials.length === 0) text(it?.kind === 'iam-role' ? '  none: a role has no long-term keys (sessions come from AssumeRole)' : '  none', { dim: true });
  for (const c of d.credentials) {
    const age = c.created_at ? `${Math.max(0, Math.round((now - Date.parse(c.created_at)) / 86400_000))}d old${d.as_of ? ` at ${d.as_of.slice(0, 10)}` : ''}` : 'age unknown';
    lines.push(clip([{ text: `  ${c.id}`, bold: true }, { text: `  created ${c.created_at?.slice(0, 10) ?? '?'} (${age})  last used ${c.last_used_at?.slice(0, 10) ?? 'never seen'}  findings ${c.finding_ids.length}` }], width));
  }

  section('Grants (granted vs used)');
  if (d.grants) {
    const g = d.grants;
    // Floor, so 1 used action of 22,091 reads "99% unused", not a rounded 100%.
    const share = g.actions > 0 ? 1 - g.used_granted / g.actions : g.unused_share;
    const unused = share === null ? '' : `  (${Math.floor(share * 100)}% unused)`;
    lines.push(clip([{ text: `  used ${g.used_granted} of ${g.actions} granted action(s) in ${g.services} service(s)` }, { text: unused, color: (g.unused_share ?? 0) > 0.5 ? 'yellow' : 'green' }], width));
    if (g.by_level.length) text(`  by access level: ${g.by_level.map((l) => `${l.level} ${l.actions}`).join(', ')}`);
    for (const w of g.wildcards.slice(0, 5)) text(`  wildcard: ${w}`, { color: 'yellow' });
    if (g.policies.length) text(`  policies: ${g.policies.slice(0, 8).join(', ')}${g.policies.length > 8 ? ', …' : ''}`, { dim: true });
    if (d.grants_source !== 'run') text(`  (from ${d.grants_source})`, { dim: true });
  } else {
    text(it?.kind === 'access-key' ? '  see its user' : '  no grants recorded for this identity', { dim: true });
  }

  section('Activity');
  if (d.activity) {
    const a = d.activity;
    text(`  ${a.calls} call(s) on ${a.active_days} day(s), ${a.first_seen?.slice(0, 10) ?? '?'} → ${a.last_seen?.slice(0, 10) ?? '?'}${a.denied_calls ? `, ${a.denied_calls} denied` : ''}`);
    text(`  services: ${a.services.join(', ') || 'none'}; ${a.actions_used} action(s) used${a.sample_actions.length ? `: ${a.sample_actions.slice(0, 8).join(', ')}${a.actions_used > 8 ? ', …' : ''}` : ''}`);
    const extra = [a.ua_families.length ? `clients: ${a.ua_families.join(', ')}` : '', `${a.source_ips} source IP(s)`,
      a.llm_calls ? `${a.llm_calls} LLM call(s)` : '', a.console_logins ? `${a.console_logins} console sign-in(s)` : ''].filter(Boolean);
    text(`  ${extra.join('; ')}`);
  } else {
    text('  no CloudTrail activity in the window', { dim: true });
  }

  return { lines, findingAt };
}

function findingBlock(f: Finding, width: number, lines: Line[], findingAt: Map<string, number>, text: (t: string, s?: Omit<Segment, 'text'>) => void): void {
  lines.push([]);
  findingAt.set(f.id, lines.length);
  lines.push(clip([{ text: `  ${f.severity.toUpperCase()}`, color: SEVERITY_COLOR[f.severity], bold: true }, { text: `  ${f.category}`, bold: true }, { text: `  ${f.title}` }], width));
  text(`    ${f.reason}`);
  text(`    detector ${f.detector}, ${f.confidence} confidence${f.first_seen ? `, seen ${f.first_seen.slice(0, 10)} → ${(f.last_seen ?? '').slice(0, 10)}` : ''}`, { dim: true });
  lines.push([{ text: '    next steps', color: 'green', bold: true }]);
  text(`      ${f.remediation.summary}`);
  for (const s of nextSteps(f)) {
    if (s.startsWith('$ ')) for (const l of wrapCommand(s, width, '      ')) lines.push([{ text: l, color: 'cyan' }]);
    else text(`      ${s}`);
  }
  const ev = evidenceLines(f.evidence);
  if (ev.length) {
    lines.push([{ text: '    evidence', dim: true }]);
    for (const l of ev.slice(0, 14)) text(`      ${l}`);
    if (ev.length > 14) text(`      … ${ev.length - 14} more (press e to write everything to a file)`, { dim: true });
  }
}

/**
 * Break a shell command at spaces with trailing ` \\` so the lines paste back into a shell as one command;
 * nothing is cut (a single word longer than the line stays whole).
 */
export function wrapCommand(cmd: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = indent;
  for (const word of cmd.split(' ')) {
    const sep = line.trim() ? ' ' : '';
    if (line.trim() && (line + sep + word).length > width - 2) {
      out.push(line + ' \\');
      line = indent + '  ' + word;
    } else {
      line += sep + word;
    }
  }
  out.push(line);
  return out;
}
