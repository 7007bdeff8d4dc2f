import { type Command } from 'commander';
import { parseDuration, parseInstant } from '../../core/duration.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { runScan } from '../../core/pipeline.js';
import { evaluateStored, openForEvaluation } from '../../registry/evaluate.js';
import { readExceptionsOrThrow } from '../../registry/exceptions.js';
import { explainText, storedBasis, type ExplainBasis } from '../../registry/explain.js';
import { readRegistryOrThrow } from '../../registry/registry.js';
import { DEFAULT_DB_PATH, Store } from '../../store/db.js';

interface ExplainFlags {
  db: string;
  from?: string;
  registry?: string;
  exceptions?: string;
  asOf?: string;
  lookback: string;
}

/** Findings that apply: a fresh scan (--from), or the stored run with registry findings re-evaluated when a registry is given. */
async function currentBasis(flags: ExplainFlags, store: Store): Promise<ExplainBasis> {
  if (flags.from) {
    const report = await runScan({
      from: flags.from, dbPath: flags.db, store, asOf: flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date(),
      lookbackSeconds: parseDuration(flags.lookback), lookbackText: flags.lookback,
      ...(flags.registry ? { registryFile: flags.registry } : {}),
      ...(flags.exceptions ? { exceptionsFile: flags.exceptions } : {}),
    });
    return { findings: report.findings, asOf: report.run.as_of, runId: report.run.id };
  }
  const stored = await storedBasis(store);
  if (!stored) throw new UsageError(`no scan stored in ${flags.db}: run \`shadowscan scan --from DIR\` first, or pass --from DIR`);
  if (!flags.registry) return stored;
  const ev = await evaluateStored({
    dbPath: flags.db, store, registry: readRegistryOrThrow(flags.registry),
    ...(flags.exceptions ? { exceptions: readExceptionsOrThrow(flags.exceptions) } : {}),
  });
  return { ...stored, findings: [...stored.findings.filter((f) => !f.detector.startsWith('registry/')), ...ev.findings] };
}

/** `shadowscan explain IDENTITY`. */
export async function explainCommand(query: string, flags: ExplainFlags): Promise<number> {
  // A scan (--from) creates the database; otherwise a missing one is not created.
  const store = flags.from ? await Store.open(flags.db) : await openForEvaluation(flags.db);
  try {
    process.stdout.write(await explainText(store, query, await currentBasis(flags, store)));
  } finally {
    store.close();
  }
  return ExitCode.ok;
}

/** `shadowscan explain`. */
export function register(program: Command): void {
  program.command('explain')
    .description('explain one identity in plain words: is it an agent, what it can do and did, who owns it, what to do next')
    .argument('<identity>', 'IAM ARN, access key id (AKIA…), github:ORG/REPO, registry id, or a unique identity name')
    .option('--db <path>', 'DuckDB database holding the last scan', DEFAULT_DB_PATH)
    .option('--from <dir>', 'scan this offline export first')
    .option('--registry <file>', 'compare with this registry (default: the one the stored scan used)')
    .option('--exceptions <file>', 'accepted risks (YAML)')
    .option('--as-of <iso>', 'end of the analysis window when scanning (default: now)')
    .option('--lookback <duration>', 'window length when scanning', '90d')
    .action(async (identity: string, flags: ExplainFlags) => {
      process.exitCode = await explainCommand(identity, flags);
    });
}
