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
  /** Called when ink has drawn the first screen with data. */
  onFirstFrame?: () => void;
}

/** Show the run; resolves when the user quits. The caller owns the alternate screen and the session's store. */
export async function runUi(session: UiSession, opts: RunUiOptions): Promise<void> {
  const color = opts.color ?? !process.env['NO_COLOR'];
  // The caller has switched to the alternate screen (and may have painted the first screen); draw from the top.
  process.stdout.write('\x1b[H');
  const app = render(
    <App
      source={session.source}
      runId={session.runId}
      initial={session.initial}
      color={color}
      exportDir={opts.exportDir}
      onFirstFrame={() => opts.onFirstFrame?.()}
    />,
    { exitOnCtrlC: true, patchConsole: false },
  );
  await app.waitUntilExit();
}
