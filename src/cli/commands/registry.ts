import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { parseDuration, parseInstant } from '../../core/duration.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { runScan } from '../../core/pipeline.js';
import { SEVERITIES, severityRank, type Finding, type Severity, type SuppressedFinding } from '../../core/types.js';
import { formatYamlIssues } from '../../core/yaml-input.js';
import { evaluateStored, identityIds, openForEvaluation, suggestStored, type StoredRun } from '../../registry/evaluate.js';
import { readExceptionsOrThrow } from '../../registry/exceptions.js';
import { EMPTY_REGISTRY, readRegistry, type Registry } from '../../registry/registry.js';
import { renderSuggestions, suggestedFindings, type SuggestionFilter } from '../../registry/suggest.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';

interface RegistryFlags {
  registry?: string;
  db: string;
  from?: string;
  asOf?: string;
  lookback: string;
  exceptions?: string;
  failOn: string;
  format?: string;
  output?: string;
  quiet?: boolean;
  identity?: string;
}

/** Validate `--registry`; an invalid file prints every problem as file:line:col and exits 2. */
function loadRegistryFlag(file: string): Registry {
  const r = readRegistry(file);
  if (!r.ok) throw new UsageError(`${file} is not a valid registry (${r.issues.length} problem(s)):\n${formatYamlIssues(file, r.issues)}`);
  return r.registry;
}

interface Outcome { findings: Finding[]; suppressed: SuppressedFinding[]; basis: string; run: StoredRun | null }

/** Registry findings: from a fresh scan (--from) or re-evaluated over the scan stored in --db. */
async function registryFindings(flags: RegistryFlags, registry: Registry | undefined, registryFile: string | undefined): Promise<Outcome> {
  const isRegistry = (f: Finding): boolean => f.detector.startsWith('registry/');
  if (flags.from) {
    const report = await runScan({
      from: flags.from, dbPath: flags.db, asOf: flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date(),
      lookbackSeconds: parseDuration(flags.lookback), lookbackText: flags.lookback,
      ...(registryFile ? { registryFile } : { registry: registry ?? EMPTY_REGISTRY }),
      ...(flags.exceptions ? { exceptionsFile: flags.exceptions } : {}),
    });
    return { findings: report.findings.filter(isRegistry), suppressed: report.suppressed.filter((s) => isRegistry(s.finding)), basis: `scan of ${flags.from} (as of ${report.run.as_of})`, run: null };
  }
  const ev = await evaluateStored({
    dbPath: flags.db, fallbackRegistry: EMPTY_REGISTRY,
    ...(registry ? { registry } : {}),
    ...(flags.exceptions ? { exceptions: readExceptionsOrThrow(flags.exceptions) } : {}),
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
  if (!flags.registry) throw new UsageError('registry check needs --registry FILE');
  const failOn = flags.failOn as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on ${failOn}: expected one of ${SEVERITIES.join(', ')}`);
  const registry = loadRegistryFlag(flags.registry);
  const outcome = await registryFindings(flags, registry, flags.registry);
  const violations = outcome.findings.filter((f) => severityRank(f.severity) >= severityRank(failOn));
  const warnings = outcome.findings.filter((f) => severityRank(f.severity) < severityRank(failOn));
  let text: string;
  if (flags.format === 'json') {
    text = JSON.stringify({ registry: flags.registry, agents: registry.agents.length, basis: outcome.basis, fail_on: failOn, violations, warnings, suppressed: outcome.suppressed }, null, 2) + '\n';
  } else {
    const lines = [`${flags.registry}: valid, ${registry.agents.length} agent(s)${registry.people ? `, ${registry.people.length} people` : ''}`, `compared with: ${outcome.basis}`];
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
  if (flags.output) writeFileSync(flags.output, text);
  else process.stdout.write(text);
  return violations.length > 0 ? ExitCode.policy : ExitCode.ok;
}

/** `shadowscan registry suggest`: ready-to-review entries for every unregistered agent and workload (or one identity's). */
export async function suggestCommand(flags: RegistryFlags): Promise<number> {
  // Without --registry: the registry the stored scan used, or none (then everything is suggested).
  const registry = flags.registry ? loadRegistryFlag(flags.registry) : undefined;
  const exceptions = flags.exceptions ? readExceptionsOrThrow(flags.exceptions) : undefined;
  let text: string;
  let count: number;
  let basis: string;
  if (flags.from) {
    const outcome = await registryFindings(flags, registry, flags.registry);
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
      dbPath: flags.db, ...(registry ? { registry } : {}), ...(exceptions ? { exceptions } : {}),
      ...(flags.identity !== undefined ? { identity: flags.identity } : {}),
    });
    if (!s.evaluation.run) throw new UsageError(`no scan stored in ${flags.db}: run \`shadowscan scan --from DIR\` first, or pass --from DIR`);
    ({ text, count } = s);
    basis = storedBasisText(flags.db, s.evaluation.run);
  }
  if (flags.output) writeFileSync(flags.output, text);
  else process.stdout.write(text);
  if (!flags.quiet && process.stderr.isTTY) process.stderr.write(`shadowscan: ${count} suggestion(s) from ${basis}\n`);
  return ExitCode.ok;
}

function common(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'DuckDB database holding the last scan', DEFAULT_DB_PATH)
    .option('--from <dir>', 'scan this offline export first instead of using the stored scan')
    .option('--as-of <iso>', 'end of the analysis window when scanning (default: now)')
    .option('--lookback <duration>', 'window length when scanning', '90d')
    .option('--exceptions <file>', 'accepted risks (YAML); covered findings are listed as suppressed')
    .option('--output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr');
}

/** `shadowscan registry …`. */
export function register(program: Command): void {
  const reg = program.command('registry').description('the agent registry as code: validate it against reality, suggest entries');
  common(reg.command('check')
    .description('validate a registry file and compare it with the last scan; exit 1 on violations, 2 on an invalid file')
    .requiredOption('--registry <file>', 'the registry file (YAML)')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that counts as a violation').choices([...SEVERITIES]).default('low'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')))
    .action(async (flags: RegistryFlags) => {
      process.exitCode = await checkCommand(flags);
    });
  common(reg.command('suggest')
    .description('print registry entries (YAML) for every active agent and workload that is not registered')
    .option('--registry <file>', 'the current registry: only what it does not cover is suggested (default: the one the stored scan used, else none)')
    .option('--identity <identity>', 'only this identity: IAM ARN, access key id, github:ORG/REPO or a unique name (as for explain)'))
    .action(async (flags: RegistryFlags) => {
      process.exitCode = await suggestCommand(flags);
    });
}
