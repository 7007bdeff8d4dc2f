import { type Command } from 'commander';
import { parseInstant } from '../../kernel/duration.js';
import { ExitCode, UsageError } from '../../kernel/errors.js';
import { runScan } from '../../pipeline/pipeline.js';
import { evaluateStored, openForEvaluation } from '../../pipeline/evaluate.js';
import { explainText, storedBasis } from '../../registry/explain.js';
import { DEFAULT_DB_PATH, Store } from '../../store/db.js';
import { addAnalysisOptions, evaluationInputs, resolveAnalysis, type AnalysisFlags, type AnalysisInputs } from '../analysis-flags.js';
import { printOut } from '../../terminal/print.js';

interface ExplainFlags extends AnalysisFlags {
  db: string;
  from?: string;
  asOf?: string;
}

/**
 * What `explain` prints: over a fresh scan (--from), or the stored run. When a registry, roster or exceptions
 * file is given (flags, or shadowscan.yaml through the same resolver as `scan`), the registry is re-evaluated
 * and the explanation is read from the re-evaluated model, before it is rolled back.
 */
async function explainWith(query: string, flags: ExplainFlags, analysis: AnalysisInputs, store: Store): Promise<string> {
  if (flags.from) {
    const report = await runScan({ from: flags.from, dbPath: flags.db, store, asOf: flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date(), ...analysis });
    return explainText(store, query, { findings: report.findings, asOf: report.run.as_of, runId: report.run.id });
  }
  const stored = await storedBasis(store);
  if (!stored) throw new UsageError(`no scan stored in ${flags.db}: run \`shadowscan scan --from DIR\` first, or pass --from DIR`);
  if (!analysis.registryFile && !analysis.peopleFile && !analysis.exceptionsFile) return explainText(store, query, stored);
  let text = '';
  await evaluateStored({ dbPath: flags.db, store, ...evaluationInputs(analysis) }, async (model, ev) => {
    text = await explainText(model, query, { ...stored, findings: [...stored.findings.filter((f) => !f.detector.startsWith('registry/')), ...ev.findings] });
  });
  return text;
}

/** `shadowscan explain IDENTITY`. */
export async function explainCommand(query: string, flags: ExplainFlags): Promise<number> {
  // Config and flag files first: a bad one is exit 2 naming it, before any database is opened.
  const analysis = resolveAnalysis(flags);
  // A scan (--from) creates the database; otherwise a missing one is not created.
  const store = flags.from ? await Store.open(flags.db) : await openForEvaluation(flags.db);
  try {
    printOut(await explainWith(query, flags, analysis, store));
  } finally {
    store.close();
  }
  return ExitCode.ok;
}

/** `shadowscan explain`. */
export function register(program: Command): void {
  const cmd = program.command('explain')
    .description('explain one identity in plain words: is it an agent, what it can do and did, who owns it, what to do next')
    .argument('<identity>', 'IAM ARN, access key id (AKIA…), github:ORG/REPO, registry id, or a unique identity name')
    .option('--db <path>', 'DuckDB database holding the last scan', DEFAULT_DB_PATH)
    .option('--from <dir>', 'scan this offline export first')
    .option('--as-of <iso>', 'end of the analysis window when scanning (default: now)');
  // --registry (default: the one the stored scan used), --exceptions, --people, --config …, as for scan.
  addAnalysisOptions(cmd).action(async (identity: string, flags: ExplainFlags) => {
    process.exitCode = await explainCommand(identity, flags);
  });
}
