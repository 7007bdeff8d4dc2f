import type { Command } from 'commander';
import { DEFAULT_DB_PATH } from '../../store/db.js';
import { openInteractiveReport } from '../interactive.js';

interface UiFlags {
  db: string;
  run?: string;
}

/** `shadowscan ui`: the interactive terminal report on a stored run. */
export function register(program: Command): void {
  program.command('ui')
    .description('browse a stored scan interactively: inventory, findings, detail with next steps (needs a terminal)')
    .option('--db <path>', 'DuckDB database file', DEFAULT_DB_PATH)
    .option('--run <id>', 'run to show (default: the latest finished run)')
    .action(async (flags: UiFlags) => {
      process.exitCode = await openInteractiveReport({ db: flags.db, ...(flags.run ? { run: flags.run } : {}) });
    });
}
