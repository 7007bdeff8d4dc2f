/**
 * The first screen as plain ANSI, written before ink and React have loaded (they take longer to load than
 * DuckDB takes to answer). The app then draws the same lines over it; keys typed meanwhile are kept.
 */
import { screenLines, screenToAnsi } from './screen.js';
import type { InitialData } from './session.js';
import { initialState } from './state.js';

/** The first Inventory screen for a terminal of `width`×`height`, from the cursor's home position. */
export function paintFirstScreen(initial: InitialData, width: number, height: number, color: boolean): string {
  return '\x1b[H' + screenToAnsi(screenLines(initialState(width, height, initial.inventory), initial.summary, null), color);
}
