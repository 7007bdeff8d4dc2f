/**
 * Opening a run for the UI, without ink or React: the CLI starts this (database open, run lookup, the
 * summary and the first page of the Inventory) while the UI modules are still loading, so the queries run
 * on DuckDB's threads in parallel with module loading.
 */
import type { Store } from '../store/db.js';
import { INVENTORY_SORTS, StoreSource, resolveRun, type InventoryRow, type Page, type Summary } from './data.js';

/** Lines of the list screen that are not rows: header 4, tabs 1, column titles 1, footer 1, one spare. */
export const LIST_CHROME = 8;

/** Rows of a list on a terminal of `height` lines. */
export function listRowsFor(height: number): number {
  return Math.max(3, height - LIST_CHROME);
}

/** The first screen's data, fetched before the first render. */
export interface InitialData {
  summary: Summary;
  inventory: Page<InventoryRow> & { offset: number; key: string };
}

/** An open run. */
export interface UiSession {
  store: Store;
  runId: string;
  source: StoreSource;
  initial: InitialData;
}

/** Pick the run in an open store and fetch the first screen (`rows` Inventory rows); closes the store on failure. */
export async function openSession(store: Store, runId: string | undefined, rows: number): Promise<UiSession> {
  try {
    const id = await resolveRun(store, runId);
    const source = await StoreSource.open(store, id);
    const [summary, inventory] = await Promise.all([
      source.summary(),
      source.inventory({ sort: INVENTORY_SORTS[0], offset: 0, limit: rows }),
    ]);
    return { store, runId: id, source, initial: { summary, inventory: { ...inventory, offset: 0, key: JSON.stringify(['', null, 0]) } } };
  } catch (e) {
    store.close();
    throw e;
  }
}
