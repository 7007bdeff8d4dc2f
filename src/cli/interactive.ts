/**
 * The one door to the terminal UI. Commands call these; the UI modules (ink, React) are imported lazily and
 * only when both stdin and stdout are terminals, so non-interactive runs never load them.
 */
import { dirname, join } from 'node:path';
import { UsageError } from '../kernel/errors.js';

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
  const timing = process.env['SHADOWSCAN_UI_TIMING'] ? (what: string): void => {
    const cpu = process.cpuUsage();
    process.stderr.write(`shadowscan ui: ${what} ${performance.now().toFixed(0)} ms after process start (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)\n`);
  } : undefined;
  const [{ openSession, listRowsFor }, { openExistingDb }] = await Promise.all([import('../ui/session.js'), import('../store/db.js')]);
  const session = await openSession(await openExistingDb(opts.db, { snapshotWhenLocked: true }), opts.run, listRowsFor(process.stdout.rows || 24));
  // The alternate screen keeps the user's scrollback and is restored on quit. Raw mode now, so keys typed
  // while the app starts are kept, not line-buffered.
  process.stdout.write('\x1b[?1049h\x1b[H');
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  try {
    const color = !process.env['NO_COLOR'];
    // The data is there before ink is (ink and React take longer to load than DuckDB takes to answer): paint
    // the first screen now, then load the app, which draws the same lines over it.
    const { paintFirstScreen } = await import('../ui/paint.js');
    process.stdout.write(paintFirstScreen(session.initial, process.stdout.columns || 80, process.stdout.rows || 24, color));
    timing?.('first screen painted');
    forgetCiForInk();
    const ui = await import('../ui/run.js');
    await ui.runUi(session, {
      color,
      exportDir: join(dirname(opts.db === ':memory:' ? './.shadowscan/x' : opts.db), 'exports'),
      ...(timing ? { onFirstFrame: () => timing('first frame rendered by ink (interactive)') } : {}),
    });
  } finally {
    process.stdout.write('\x1b[?1049l');
    session.store.close();
  }
  return 0;
}

/**
 * ink decides once, when it loads, whether it runs "in CI" (CI or CONTINUOUS_INTEGRATION set) and then draws
 * nothing until exit. Call before loading ink for a terminal with a person at it, whatever the environment says.
 */
export function forgetCiForInk(): void {
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[k];
}
