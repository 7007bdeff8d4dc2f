/**
 * Renders a block message (src/registry/unblock.ts) for a CI log (text) or a pull-request comment and job
 * summary (Markdown). Markdown is cut to fit a size (GitHub rejects comments over 65,536 characters): the
 * findings that do not fit in full are listed one line each, and what still does not fit is counted.
 */
import type { BlockMessage, BlockSection, BlockStep } from '../src/registry/unblock.js';

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

function longestTickRun(s: string): number {
  return Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
}

/** Inline Markdown from scanned data: no HTML, no line breaks. */
function inline(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** A fenced block that the content cannot close early. */
function fence(lang: string, body: string, indent: string): string[] {
  const ticks = '`'.repeat(Math.max(3, longestTickRun(body) + 1));
  return [`${indent}${ticks}${lang}`, ...body.split('\n').map((l) => `${indent}${l}`), `${indent}${ticks}`];
}

function mdStep(s: BlockStep, n: number): string[] {
  const out = [`${n}. ${inline(s.text)}`];
  if (s.code) out.push(...fence(s.code.lang, s.code.body, '   '));
  return out;
}

function mdSection(s: BlockSection, n: number): string {
  return [
    `### ${n}. ${s.severity}: ${inline(s.kind)} — ${inline(s.subject)}`,
    '',
    `**What we found:** ${inline(s.found)}`,
    '',
    `**Why it matters:** ${inline(s.why)}`,
    '',
    '**How to get unblocked:**',
    '',
    ...s.steps.flatMap((st, i) => mdStep(st, i + 1)),
    '',
  ].join('\n');
}

/** The message as Markdown, at most `limit` characters (default: what a GitHub comment takes). */
export function renderBlockMarkdown(m: BlockMessage, limit = GITHUB_COMMENT_LIMIT): string {
  const head = `## ${inline(m.title)}\n\n${inline(m.intro)}\n\n`;
  const foot = `---\n${m.help.map((h) => `- ${inline(h)}`).join('\n')}\n`;
  // Room for the "not shown" line, so the total never exceeds the limit.
  const reserve = 200;
  let body = '';
  let shown = 0;
  for (const [i, s] of m.sections.entries()) {
    const block = mdSection(s, i + 1);
    if (head.length + body.length + block.length + foot.length + reserve > limit) break;
    body += `${block}\n`;
    shown++;
  }
  const rest = m.sections.slice(shown);
  if (rest.length > 0) {
    let list = `### ${rest.length} more (one line each; the full text is in the job log)\n\n`;
    let listed = 0;
    for (const s of rest) {
      const line = `- ${s.severity}: ${inline(s.kind)} — ${inline(s.subject)}: ${inline(s.found).slice(0, 300)}\n`;
      if (head.length + body.length + list.length + line.length + foot.length + reserve > limit) break;
      list += line;
      listed++;
    }
    if (listed < rest.length) list += `- … and ${rest.length - listed} more not shown here (see the job log or the report)\n`;
    body += `${list}\n`;
  }
  return head + body + foot;
}

function wrapStep(s: BlockStep, n: number): string[] {
  const out = [`     ${n}. ${s.text.replace(/\r?\n/g, ' ')}`];
  if (s.code) out.push(...s.code.body.split('\n').map((l) => `          ${l}`));
  return out;
}

/** The message as plain text for a CI log (no size limit). */
export function renderBlockText(m: BlockMessage): string {
  const out = [m.title.replace(/`/g, ''), m.intro, ''];
  m.sections.forEach((s, i) => {
    out.push(`${i + 1}. ${s.severity}: ${s.kind} — ${s.subject}`);
    out.push(`   What we found: ${s.found}`);
    out.push(`   Why it matters: ${s.why}`);
    out.push('   How to get unblocked:');
    s.steps.forEach((st, j) => out.push(...wrapStep(st, j + 1)));
    out.push('');
  });
  out.push(...m.help);
  return `${out.join('\n')}\n`;
}
