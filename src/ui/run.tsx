/**
 * Start the terminal UI on an open run. Imported only through `await import()` on an interactive terminal,
 * so ink and React never load in pipes, CI or the daemon.
 */
import { render } from 'ink';
import { App } from './app.js';
import type { UiSession } from './session.js';

/** Options of the running UI. */
export interface RunUiOptions {
  /** Colours (default: on unless NO_COLOR is set). */
  color?: boolean;
  /** Where `e` and `r` write files. */
  exportDir: string;
  /** Called with milliseconds since process start when the first screen with data is drawn. */
  onFirstFrame?: (ms: number) => void;
}

/** Show the run; resolves when the user quits. The caller closes the session's store. */
export async function runUi(session: UiSession, opts: RunUiOptions): Promise<void> {
  const color = opts.color ?? !process.env['NO_COLOR'];
  // The alternate screen keeps the user's scrollback intact and restores it on quit.
  process.stdout.write('\x1b[?1049h\x1b[H');
  // Raw mode before the first render, so keys typed while the app starts are kept, not line-buffered.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  try {
    const app = render(
      <App
        source={session.source}
        runId={session.runId}
        initial={session.initial}
        color={color}
        exportDir={opts.exportDir}
        onFirstFrame={() => opts.onFirstFrame?.(performance.now())}
      />,
      { exitOnCtrlC: true, patchConsole: false },
    );
    await app.waitUntilExit();
  } finally {
    process.stdout.write('\x1b[?1049l');
  }
}
