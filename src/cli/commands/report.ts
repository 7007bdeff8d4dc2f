import { type Command, Option } from 'commander';
import { FORMATS } from '../../../reports/index.js';
import { UsageError } from '../../kernel/errors.js';
import { DEFAULT_DB_PATH } from '../../store/db.js';
import { latestRunId, loadReport, runExists } from '../../store/history.js';
import { isInteractive, openInteractiveReport } from '../interactive.js';
import { emitReports, openExistingDb, parseFormats, storedContext } from '../output.js';

interface ReportFlags {
  db: string;
  format?: string;
  output?: string;
  outputDir?: string;
  run?: string;
  quiet?: boolean;
}

/** Render a stored run (default: the latest) without rescanning. */
export async function reportCommand(flags: ReportFlags): Promise<number> {
  // No --format on an interactive terminal: the interactive report (ink, loaded only then).
  if (!flags.format && !flags.output && !flags.outputDir && isInteractive()) return openInteractiveReport({ db: flags.db, ...(flags.run ? { run: flags.run } : {}) });
  const formats = parseFormats(flags.format, process.stdout.isTTY && !flags.output && !flags.outputDir ? 'table' : 'json', flags);
  const store = await openExistingDb(flags.db, { snapshotWhenLocked: true, say: (m) => { if (!flags.quiet) process.stderr.write(`shadowscan: ${m}\n`); } });
  try {
    const runId = flags.run ?? await latestRunId(store);
    if (!runId) throw new UsageError(`--db ${flags.db}: no completed run stored yet (run \`shadowscan scan --db ${flags.db}\` first)`);
    if (!(await runExists(store, runId))) throw new UsageError(`--run ${runId}: no completed run with that id in ${flags.db} (see \`shadowscan diff --db ${flags.db} --list\`)`);
    const report = await loadReport(store, runId);
    if (!report) throw new UsageError(`--run ${runId}: not found`);
    emitReports(formats, report, await storedContext(store, runId), flags, flags.quiet);
    return 0;
  } finally {
    store.close();
  }
}

/** `shadowscan report`. */
export function register(program: Command): void {
  program.command('report')
    .description('render a stored run (default: the latest) in any format, without rescanning')
    .option('--db <path>', 'DuckDB database file', DEFAULT_DB_PATH)
    .option('--format <formats>', `output format, or several comma-separated with --output-dir: ${FORMATS.join(', ')} (default: the interactive report on a terminal, json otherwise)`)
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--output-dir <dir>', 'write one file per --format into DIR, named shadowscan.<ext>')
    .option('--run <id>', 'the run to render (default: the latest completed run)')
    .option('-q, --quiet', 'no messages on stderr')
    .action(async (flags: ReportFlags) => {
      process.exitCode = await reportCommand(flags);
    });
}
