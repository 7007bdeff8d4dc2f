import { type Command } from 'commander';
import { parseDuration, parseInstant } from '../../core/duration.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { runScan } from '../../core/pipeline.js';
import type { Finding } from '../../core/types.js';
import { evaluateStored, latestRun, openForEvaluation } from '../../registry/evaluate.js';
import { readExceptionsOrThrow } from '../../registry/exceptions.js';
import { explainIdentity, renderExplanation, resolveIdentity } from '../../registry/explain.js';
import { readRegistryOrThrow } from '../../registry/registry.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';

interface ExplainFlags {
  db: string;
  from?: string;
  registry?: string;
  exceptions?: string;
  asOf?: string;
  lookback: string;
}

/** Findings that apply: a fresh scan (--from), or the stored run with registry findings re-evaluated when --registry is given. */
async function currentFindings(flags: ExplainFlags): Promise<{ findings: Finding[]; asOf: string }> {
  if (flags.from) {
    const report = await runScan({
      from: flags.from, dbPath: flags.db, asOf: flags.asOf ? parseInstant(flags.asOf, '--as-of') : new Date(),
      lookbackSeconds: parseDuration(flags.lookback), lookbackText: flags.lookback,
      ...(flags.registry ? { registryFile: flags.registry } : {}),
      ...(flags.exceptions ? { exceptionsFile: flags.exceptions } : {}),
    });
    return { findings: report.findings, asOf: report.run.as_of };
  }
  const store = await openForEvaluation(flags.db);
  let stored: Finding[];
  let asOf: string;
  try {
    const run = await latestRun(store);
    if (!run) throw new UsageError(`no scan stored in ${flags.db}: run \`shadowscan scan --from DIR\` first, or pass --from DIR`);
    asOf = run.as_of;
    stored = (await store.all<{ body: string }>('SELECT body FROM run_findings WHERE run_id = $r', { r: run.id }))
      .map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as Finding);
  } finally {
    store.close();
  }
  if (!flags.registry) return { findings: stored, asOf };
  const ev = await evaluateStored({
    dbPath: flags.db, registry: readRegistryOrThrow(flags.registry),
    ...(flags.exceptions ? { exceptions: readExceptionsOrThrow(flags.exceptions) } : {}),
  });
  return { findings: [...stored.filter((f) => !f.detector.startsWith('registry/')), ...ev.findings], asOf };
}

/** `shadowscan explain IDENTITY`. */
export async function explainCommand(query: string, flags: ExplainFlags): Promise<number> {
  const { findings, asOf } = await currentFindings(flags);
  const store = await openForEvaluation(flags.db);
  try {
    const { identities, entry } = await resolveIdentity(store, query);
    if (identities.length === 0 && !entry) {
      throw new UsageError(`"${query}" is not in the last scan: give an IAM ARN, an access key id (AKIA…), github:ORG/REPO, a registry id, or a unique identity name (see the inventory: shadowscan scan --format json)`);
    }
    const parts: string[] = [];
    if (entry) {
      const own = findings.filter((f) => f.subject.type === 'registry-entry' && f.subject.id === entry.agent_id);
      parts.push([
        `registry entry "${entry.agent_id}" (${entry.source_file}:${entry.line}): ${entry.purpose}`,
        `  owner ${entry.owner}, tier ${entry.tier}, certified ${entry.certified}; ${identities.length} identit${identities.length === 1 ? 'y' : 'ies'} found`,
        ...own.map((f) => `  [${f.severity}] ${f.category} (${f.detector}): ${f.reason}`),
      ].join('\n') + '\n');
    }
    for (const i of identities.filter((x, _n, all) => x.kind !== 'access-key' || !all.some((p) => p.id === x.parent_id))) {
      parts.push(renderExplanation(await explainIdentity(store, query, i, findings, asOf)));
    }
    process.stdout.write(parts.join('\n' + '-'.repeat(80) + '\n\n'));
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
