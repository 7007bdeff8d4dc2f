/**
 * The one door to the terminal UI. Commands call these; the UI modules (ink, React) are imported lazily and
 * only when both stdin and stdout are terminals, so non-interactive runs never load them.
 */
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { openExistingDb } from './output.js';

/** True when the UI can run: stdin and stdout are both terminals. */
export function isInteractive(): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY);
}

/** Options of the interactive report. */
export interface InteractiveOptions {
  /** DuckDB file. */
  db: string;
  /** Run id (default: the latest finished run). */
  run?: string;
}

/**
 * Open the interactive report on a stored run (`shadowscan ui`, and `shadowscan report` without
 * `--format` on a terminal). Throws a UsageError when not on a terminal.
 */
export async function openInteractiveReport(opts: InteractiveOptions): Promise<number> {
  if (!isInteractive()) {
    throw new UsageError('the interactive report needs a terminal (stdin and stdout are not a TTY); in pipes and CI use `shadowscan scan --format json`');
  }
  // React's production build loads in half the time of its development build.
  process.env['NODE_ENV'] ??= 'production';
  const { openSession, listRowsFor } = await import('../ui/session.js');
  // Database open and first queries run on DuckDB's threads while ink and React load.
  const sessionP = openExistingDb(opts.db).then((store) => openSession(store, opts.run, listRowsFor(process.stdout.rows || 24)));
  const uiP = import('../ui/run.js');
  const [session, ui] = await Promise.all([sessionP, uiP]);
  const timing = process.env['SHADOWSCAN_UI_TIMING'];
  try {
    await ui.runUi(session, {
      exportDir: join(dirname(opts.db === ':memory:' ? './.shadowscan/x' : opts.db), 'exports'),
      ...(timing ? { onFirstFrame: (ms: number) => {
        const cpu = process.cpuUsage();
        process.stderr.write(`shadowscan ui: first frame ${ms.toFixed(0)} ms after process start (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)\n`);
      } } : {}),
    });
  } finally {
    session.store.close();
  }
  return 0;
}
