import { readFileSync, writeFileSync } from 'node:fs';
import { personText, printOut } from '../../terminal/print.js';
import { type Command, Option } from 'commander';
import { renderBlockMarkdown, renderBlockText } from '../../../reports/block.js';
import { parseInstant } from '../../kernel/duration.js';
import { ExitCode, UsageError } from '../../kernel/errors.js';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../../kernel/types.js';
import { blockMessage } from '../../registry/unblock.js';
import { addAnalysisOptions, resolveAnalysis, type AnalysisFlags } from '../analysis-flags.js';
import { blockContext } from '../block.js';

interface BlockFlags extends AnalysisFlags {
  failOn: Severity;
  format: 'text' | 'md';
  output?: string;
  asOf?: string;
  limit?: string;
}

/** What a gate left behind, read back: its findings, the time they are as of, and what produced them. */
interface GateInput { findings: Finding[]; asOf?: string; gate: string }

/**
 * Findings from any gate's output: a JSON report (`scan --format json`), `registry check --format json`, the
 * daemon's or scan's sink events (JSONL lines, or a webhook body `{"events": [...]}`); resolved events are skipped.
 */
export function readGateInput(file: string, text: string): GateInput {
  const t = text.trim();
  const fromEvents = (events: { type?: string; finding?: Finding }[]): Finding[] =>
    events.filter((e) => e.type !== 'finding.resolved' && e.finding).map((e) => e.finding as Finding);
  try {
    if (t.startsWith('{') && !t.includes('\n{')) {
      const doc = JSON.parse(t) as { findings?: Finding[]; violations?: Finding[]; events?: { type?: string; finding?: Finding }[]; run?: { as_of?: string }; registry?: string; type?: string; finding?: Finding };
      if (Array.isArray(doc.findings)) return { findings: doc.findings, ...(doc.run?.as_of ? { asOf: doc.run.as_of } : {}), gate: `shadowscan scan (${file})` };
      if (Array.isArray(doc.violations)) return { findings: doc.violations, gate: `shadowscan registry check --registry ${doc.registry ?? '…'}` };
      if (Array.isArray(doc.events)) return { findings: fromEvents(doc.events), gate: `shadowscan sink events (${file})` };
      if (doc.type && doc.finding) return { findings: fromEvents([doc]), gate: `shadowscan sink events (${file})` };
    } else {
      const events = t.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { type?: string; finding?: Finding });
      if (events.every((e) => e.finding)) return { findings: fromEvents(events), gate: `shadowscan sink events (${file})` };
    }
  } catch (e) {
    throw new UsageError(`${file}: not JSON or JSON Lines (${(e as Error).message})`);
  }
  throw new UsageError(`${file}: expected a JSON report (scan --format json), registry check --format json output, or sink events (JSONL or a webhook body)`);
}

/** `shadowscan block [FILE]`. */
export async function blockCommand(file: string, flags: BlockFlags): Promise<number> {
  if (!SEVERITIES.includes(flags.failOn)) throw new UsageError(`--fail-on ${String(flags.failOn)}: expected one of ${SEVERITIES.join(', ')}`);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const input = readGateInput(file === '-' ? 'stdin' : file, text);
  const analysis = resolveAnalysis(flags);
  const asOf = flags.asOf ? parseInstant(flags.asOf, '--as-of') : input.asOf ? new Date(input.asOf) : new Date();
  const failures = input.findings.filter((f) => severityRank(f.severity) >= severityRank(flags.failOn));
  const m = blockMessage(failures, blockContext(input.gate, asOf, analysis, input.findings));
  const limit = flags.limit ? Number(flags.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1000)) throw new UsageError(`--limit ${flags.limit}: a number of characters, at least 1000`);
  const out = flags.format === 'md' ? renderBlockMarkdown(m, limit) : renderBlockText(m);
  if (flags.output) writeFileSync(flags.output, personText(out), { mode: 0o600 });
  else printOut(out);
  return ExitCode.ok;
}

/** `shadowscan block`. */
export function register(program: Command): void {
  addAnalysisOptions(program.command('block')
    .description('explain a failed gate to the developer it blocked: what was found, why, numbered next steps, approvers and usual wait (from the registry policy), how to appeal')
    .argument('[file]', 'a JSON report, registry check --format json output, or sink events (JSONL, webhook body); - for stdin', '-')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that blocks').choices([...SEVERITIES]).default('low'))
    .addOption(new Option('--format <format>', 'text for a CI log, md for a PR comment or job summary').choices(['text', 'md']).default('text'))
    .option('--limit <chars>', 'md: at most this many characters (default 65536, a GitHub comment)')
    .option('--as-of <iso>', 'date exceptions expire from (default: the report\'s as-of, else now)')
    .option('--output <file>', 'write to a file instead of stdout'))
    .action(async (file: string, flags: BlockFlags) => {
      process.exitCode = await blockCommand(file, flags);
    });
}
