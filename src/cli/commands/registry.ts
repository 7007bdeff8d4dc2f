import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { parseInstant } from '../../kernel/duration.js';
import { ExitCode, UsageError } from '../../kernel/errors.js';
import { runScan } from '../../pipeline/pipeline.js';
import { SEVERITIES, severityRank, type Finding, type Severity, type SuppressedFinding } from '../../kernel/types.js';
import { evaluateStored, identityIds, openForEvaluation, suggestStored, type StoredRun } from '../../pipeline/evaluate.js';
import { existsSync } from 'node:fs';
import { CALLS, TOUCHES } from '../../registry/add.js';
import { approveEntry } from '../../registry/approve.js';
import { addCommand, type AddFlags } from './registry-add.js';
import { EMPTY_REGISTRY, readRegistryOrThrow } from '../../registry/registry.js';
import { renderSuggestions, suggestedFindings, type SuggestionFilter } from '../../registry/suggest.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';
import { blockContext, emitBlockMessage } from '../block.js';
import { addAnalysisOptions, collect, evaluationInputs, resolveAnalysis, type AnalysisFlags, type AnalysisInputs } from '../analysis-flags.js';
import { personText, printErr, printOut } from '../../terminal/print.js';
import { terminalSafe } from '../../kernel/terminal-text.js';

interface RegistryFlags extends AnalysisFlags {
  db: string;
  from?: string;
  asOf?: string;
  failOn: string;
  format?: string;
  output?: string;
  quiet?: boolean;
  identity?: string;
  blockMessage?: string;
}

interface Outcome { findings: Finding[]; suppressed: SuppressedFinding[]; basis: string; run: StoredRun | null }

/**
 * Registry findings: from a fresh scan (--from) or re-evaluated over the scan stored in --db, with the analysis
 * the flags and shadowscan.yaml resolve to (the same resolver as `scan`; flags win over the file).
 */
async function registryFindings(flags: RegistryFlags, analysis: AnalysisInputs): Promise<Outcome> {
  const isRegistry = (f: Finding): boolean => f.detector.startsWith('registry/');
  if (flags.from) {
    const report = await runScan({
      from: flags.from, dbPath: flags.db, asOf: flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date(),
      ...analysis, ...(analysis.registryFile ? {} : { registry: EMPTY_REGISTRY }),
    });
    return { findings: report.findings.filter(isRegistry), suppressed: report.suppressed.filter((s) => isRegistry(s.finding)), basis: `scan of ${flags.from} (as of ${report.run.as_of})`, run: null };
  }
  const ev = await evaluateStored({
    dbPath: flags.db, fallbackRegistry: EMPTY_REGISTRY, ...evaluationInputs(analysis),
    ...(flags.asOf ? { asOf: parseInstant(flags.asOf, '--as-of') } : {}),
  });
  const basis = ev.run
    ? storedBasisText(flags.db, ev.run)
    : `no scan stored in ${flags.db}: only the file itself was checked (certification dates, owners against the roster); run \`shadowscan scan --registry …\` or pass --from to compare with reality`;
  return { findings: ev.findings, suppressed: ev.suppressed, basis, run: ev.run };
}

function storedBasisText(db: string, run: StoredRun): string {
  return `scan ${run.id} stored in ${db} (as of ${run.as_of}, lookback ${run.lookback})`;
}

function where(f: Finding): string {
  const file = f.evidence['registry_file'];
  const line = f.evidence['registry_line'];
  return typeof file === 'string' && line !== undefined && line !== null ? `${file}:${String(line)}` : (f.subject.arn ?? f.subject.id);
}

/** `shadowscan registry check`: the GitOps gate. */
export async function checkCommand(flags: RegistryFlags): Promise<number> {
  const failOn = flags.failOn as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on ${failOn}: expected one of ${SEVERITIES.join(', ')}`);
  const analysis = resolveAnalysis(flags);
  const file = analysis.registryFile;
  if (!file) throw new UsageError('registry check needs a registry: --registry FILE, or registry: in shadowscan.yaml (or the --config file)');
  const registry = readRegistryOrThrow(file);
  const outcome = await registryFindings(flags, analysis);
  const violations = outcome.findings.filter((f) => severityRank(f.severity) >= severityRank(failOn));
  const warnings = outcome.findings.filter((f) => severityRank(f.severity) < severityRank(failOn));
  let text: string;
  if (flags.format === 'json') {
    text = JSON.stringify({ registry: file, agents: registry.agents.length, basis: outcome.basis, fail_on: failOn, violations, warnings, suppressed: outcome.suppressed }, null, 2) + '\n';
  } else {
    const lines = [`${file}: valid, ${registry.agents.length} agent(s)${registry.people ? `, ${registry.people.length} people` : ''}`, `compared with: ${outcome.basis}`];
    const list = (title: string, fs: Finding[]): void => {
      lines.push('', `${title} (${fs.length})${fs.length ? ':' : ''}`);
      for (const f of fs) lines.push(`  ${f.severity.padEnd(8)} ${f.category.padEnd(22)} ${where(f)}`, `           ${f.reason}`);
    };
    list(`violations at or above ${failOn}`, violations);
    if (warnings.length) list('warnings', warnings);
    if (outcome.suppressed.length) {
      lines.push('', `suppressed by exceptions (${outcome.suppressed.length}):`);
      for (const s of outcome.suppressed) lines.push(`  ${s.finding.category.padEnd(22)} ${s.finding.subject.id} — until ${s.exception.expires}, approved by ${s.exception.approver} (${s.exception.source})`);
    }
    text = lines.join('\n') + '\n';
  }
  const safe = flags.format === 'json' ? terminalSafe(text, { json: true }) : personText(text);
  if (flags.output) writeFileSync(flags.output, safe);
  else process.stdout.write(safe);
  const asOf = outcome.run ? new Date(outcome.run.as_of.endsWith('Z') ? outcome.run.as_of : `${outcome.run.as_of}Z`) : flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date();
  emitBlockMessage(flags.blockMessage, violations, blockContext(`shadowscan registry check --registry ${file}${failOn === 'low' ? '' : ` --fail-on ${failOn}`}`, asOf, analysis, outcome.findings));
  return violations.length > 0 ? ExitCode.policy : ExitCode.ok;
}

/** `shadowscan registry suggest`: ready-to-review entries for every unregistered agent and workload (or one identity's). */
export async function suggestCommand(flags: RegistryFlags): Promise<number> {
  // Without a registry (flag or shadowscan.yaml): the one the stored scan used, or none (then everything is suggested).
  const analysis = resolveAnalysis(flags);
  let text: string;
  let count: number;
  let basis: string;
  if (flags.from) {
    const outcome = await registryFindings(flags, analysis);
    let only: SuggestionFilter | undefined;
    if (flags.identity !== undefined) {
      const store = await openForEvaluation(flags.db);
      try {
        only = { ids: await identityIds(store, flags.identity), query: flags.identity };
      } finally {
        store.close();
      }
    }
    text = renderSuggestions(outcome.findings, only);
    count = suggestedFindings(outcome.findings, only).length;
    basis = outcome.basis;
  } else {
    const s = await suggestStored({
      dbPath: flags.db, ...evaluationInputs(analysis),
      ...(flags.identity !== undefined ? { identity: flags.identity } : {}),
    });
    if (!s.evaluation.run) throw new UsageError(`no scan stored in ${flags.db}: run \`shadowscan scan --from DIR\` first, or pass --from DIR`);
    ({ text, count } = s);
    basis = storedBasisText(flags.db, s.evaluation.run);
  }
  if (flags.output) writeFileSync(flags.output, personText(text));
  else printOut(text);
  if (!flags.quiet && process.stderr.isTTY) printErr(`${count} suggestion(s) from ${basis}`);
  return ExitCode.ok;
}

function common(cmd: Command): Command {
  return addAnalysisOptions(cmd
    .option('--db <path>', 'DuckDB database holding the last scan', DEFAULT_DB_PATH)
    .option('--from <dir>', 'scan this offline export first instead of using the stored scan')
    .option('--as-of <iso>', 'end of the analysis window when scanning (default: now)')
    .option('--output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr'));
}

interface ApproveFlags { registry?: string; config?: string; role: string; by: string; date?: string }

/** `shadowscan registry approve ID --role ROLE --by EMAIL`. */
export function approveCommand(id: string, flags: ApproveFlags): number {
  const file = flags.registry ?? resolveAnalysis({ ...flags, detectors: [], param: [], leaks: [] } as AnalysisFlags).registryFile;
  if (!file) throw new UsageError('registry approve needs a registry: --registry FILE, or registry: in shadowscan.yaml');
  const date = flags.date ?? new Date().toISOString().slice(0, 10);
  const r = approveEntry({ file, id, role: flags.role, by: flags.by, date });
  const rest = r.stillNeeded.length ? `; still needed: ${r.stillNeeded.join(', ')}` : '; every approval its tier needs is recorded';
  printOut(`${file}: ${r.recorded ? `recorded ${flags.by.toLowerCase()} as ${flags.role} for ${id} on ${date}` : `${flags.by.toLowerCase()} already approved ${id} as ${flags.role}`}${rest}\n`);
  return ExitCode.ok;
}

/** `shadowscan registry …`. */
export function register(program: Command): void {
  const reg = program.command('registry').description('the agent registry as code: validate it against reality, suggest entries');
  common(reg.command('check')
    .description('validate a registry file (--registry, or registry: in shadowscan.yaml) and compare it with the last scan; exit 1 on violations, 2 on an invalid file')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that counts as a violation').choices([...SEVERITIES]).default('low'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--block-message <file>', 'on violations: write what the developer must do (Markdown, for a PR comment or job summary) to FILE, and the same as text on stderr'))
    .action(async (flags: RegistryFlags) => {
      process.exitCode = await checkCommand(flags);
    });
  common(reg.command('suggest')
    .description('print registry entries (YAML) for every active agent and workload the registry (default: the one the stored scan used, else none) does not cover')
    .option('--identity <identity>', 'only this identity: IAM ARN, access key id, github:ORG/REPO or a unique name (as for explain)'))
    .action(async (flags: RegistryFlags) => {
      process.exitCode = await suggestCommand(flags);
    });
  reg.command('add')
    .description('register an agent or workload in five questions (asked on a terminal, or as flags): proposes a tier from the answers and the identity\'s observed grants and calls, says whether it is an agent, and writes the entry with the approvals it needs')
    .option('--identity <id>', 'what it runs as: IAM ARN, access key id, github:ORG/REPO (repeatable)', collect, [])
    .option('--id <id>', 'entry id (default: from the identity\'s name)')
    .option('--what <text>', '1. what it does')
    .option('--owner <email>', '2. who owns it (a person)')
    .option('--touches <list>', `3. what it touches, comma-separated: ${TOUCHES.map((t) => t.key).join(', ')}`)
    .option('--unattended <yes|no>', '4. does it run unattended (schedule, CI, events)?')
    .option('--calls <what>', `5. does it call an LLM or external API: ${CALLS.map((c) => c.key).join(', ')}`)
    .option('--dry-run', '"is my script an agent?": say why, print the entry, write nothing')
    .option('--no-input', 'never ask on a terminal: missing answers are an error')
    .option('--registry <file>', 'registry file to write (default: registry: in shadowscan.yaml; created if missing)')
    .option('--config <file>', 'configuration file naming the registry')
    .option('--db <path>', 'database of the last scan (observed grants and calls of --identity)', DEFAULT_DB_PATH)
    .option('--as-of <iso>', 'date written as certified (default: today)')
    .action(async (flags: AddFlags & { config?: string }) => {
      const file = flags.registry ?? (flags.config || existsSync('shadowscan.yaml') ? resolveAnalysis({ config: flags.config, detectors: [], param: [], leaks: [] } as AnalysisFlags).registryFile : undefined);
      process.exitCode = await addCommand(flags, file);
    });
  reg.command('approve')
    .description('record your approval of an entry (role from the registry policy, for the entry\'s tier, dated today); the owner cannot approve')
    .argument('<id>', 'registry entry id')
    .requiredOption('--role <role>', 'the policy role you approve in (policy.roles)')
    .requiredOption('--by <email>', 'who approves: a holder of the role')
    .option('--date <yyyy-mm-dd>', 'date of the approval (default: today)')
    .option('--registry <file>', 'registry file (default: registry: in shadowscan.yaml)')
    .option('--config <file>', 'configuration file naming the registry')
    .action((id: string, flags: ApproveFlags) => {
      process.exitCode = approveCommand(id, flags);
    });
}
