import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { diffReports, type ReportDiff } from '../../pipeline/diff.js';
import type { DiffSide } from '../../kernel/types.js';
import { UsageError } from '../../kernel/errors.js';
import type { Finding, InventoryItem } from '../../kernel/types.js';
import { DEFAULT_DB_PATH, type Store } from '../../store/db.js';
import { latestRunId, listRuns, loadDiffSide, previousRunId, runExists } from '../../store/history.js';
import { openExistingDb } from '../output.js';
import { personText, printOut } from '../../terminal/print.js';
import { terminalSafe, terminalSafeValue } from '../../kernel/terminal-text.js';

interface DiffFlags {
  db: string;
  from?: string;
  to?: string;
  format: 'text' | 'json';
  output?: string;
  list?: boolean;
}

function identityLabel(i: InventoryItem): string {
  return i.kind === 'access-key' ? i.name : i.arn;
}

function subject(f: Finding): string {
  return f.subject.type === 'access-key' ? f.subject.id : (f.subject.arn ?? f.subject.id);
}

/** The diff as a person reads it. */
export function renderDiffText(d: ReportDiff): string {
  const out: string[] = [];
  out.push(d.from ? `shadowscan diff ${d.from.run_id} (as of ${d.from.as_of}) → ${d.to.run_id} (as of ${d.to.as_of})` : `shadowscan diff: no earlier run; everything in ${d.to.run_id} is new`);
  out.push('');
  const f = d.findings;
  out.push(`Findings: ${f.new.length} new, ${f.resolved.length} resolved, ${f.changed.length} changed`);
  for (const x of f.new) out.push(`  + ${x.severity.padEnd(8)} ${x.detector.padEnd(28)} ${subject(x)}  ${x.reason}`);
  for (const x of f.changed) out.push(`  ~ ${x.finding.severity.padEnd(8)} ${x.finding.detector.padEnd(28)} ${subject(x.finding)}  ${x.changes.join('; ')}`);
  for (const x of f.resolved) out.push(`  - ${x.severity.padEnd(8)} ${x.detector.padEnd(28)} ${subject(x)}  resolved`);
  out.push('');
  const i = d.identities;
  const newAgents = i.new.filter((x) => x.classification === 'agent').length;
  out.push(`Identities: ${i.new.length} new${newAgents > 0 ? ` (${newAgents} agent${newAgents > 1 ? 's' : ''})` : ''}, ${i.removed.length} removed, ${i.changed.length} changed`);
  for (const x of i.new) out.push(`  + ${x.classification.padEnd(11)} ${identityLabel(x)}${x.classification === 'agent' ? '  new agent appeared' : ''}`);
  for (const x of i.changed) out.push(`  ~ ${x.identity.classification.padEnd(11)} ${identityLabel(x.identity)}  ${x.changes.map((c) => c.detail).join('; ')}`);
  for (const x of i.removed) out.push(`  - ${x.classification.padEnd(11)} ${identityLabel(x)}  removed`);
  return out.join('\n') + '\n';
}

async function side(store: Store, runId: string): Promise<DiffSide> {
  const s = await loadDiffSide(store, runId);
  if (!s) throw new UsageError(`run ${runId}: not found`);
  return s;
}

/** Compare two stored runs: new, resolved and changed findings and identities. */
export async function diffCommand(flags: DiffFlags): Promise<number> {
  const store = await openExistingDb(flags.db, { snapshotWhenLocked: true, say: (m) => process.stderr.write(`shadowscan: ${m}\n`) });
  try {
    if (flags.list) {
      const runs = await listRuns(store);
      const text = runs.map((r) => `${r.id}  as of ${r.as_of}  ${r.counts?.identities ?? 0} identities  ${r.counts?.findings ?? 0} findings`).join('\n');
      printOut(text + (text ? '\n' : 'no completed runs\n'));
      return 0;
    }
    const to = flags.to ?? await latestRunId(store);
    if (!to) throw new UsageError(`--db ${flags.db}: no completed run stored yet`);
    for (const [flag, id] of [['--to', to], ['--from', flags.from]] as const) {
      if (id && !(await runExists(store, id))) throw new UsageError(`${flag} ${id}: no completed run with that id in ${flags.db} (list them with --list)`);
    }
    const from = flags.from ?? await previousRunId(store, to);
    const d = diffReports(from ? await side(store, from) : null, await side(store, to));
    const text = flags.format === 'json' ? terminalSafe(JSON.stringify(d, null, 2) + '\n', { json: true }) : personText(renderDiffText(terminalSafeValue(d)));
    if (flags.output) writeFileSync(flags.output, text);
    else process.stdout.write(text);
    return 0;
  } finally {
    store.close();
  }
}

/** `shadowscan diff`. */
export function register(program: Command): void {
  program.command('diff')
    .description('list new, resolved and changed findings and identities between two stored runs')
    .option('--db <path>', 'DuckDB database file', DEFAULT_DB_PATH)
    .option('--from <run>', 'the earlier run (default: the run before --to)')
    .option('--to <run>', 'the later run (default: the latest run)')
    .addOption(new Option('--format <format>', 'text for people, json for machines').choices(['text', 'json']).default('text'))
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--list', 'list the stored runs instead')
    .action(async (flags: DiffFlags) => {
      process.exitCode = await diffCommand(flags);
    });
}
