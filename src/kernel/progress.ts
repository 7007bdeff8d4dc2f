/** Counts that go with a progress message: `done` of `total` items of a unit (files, objects, detectors, …). */
export interface ProgressCounts {
  done: number;
  total: number;
  unit: string;
  /** The item being worked on (a detector id, an object key), shown beside the counts. */
  item?: string;
}

/**
 * How the core reports progress (the CLI renders it: a bar on a terminal, log lines elsewhere; the core never
 * prints). A message alone starts a phase; one with counts advances it.
 */
export type ProgressFn = (message: string, counts?: ProgressCounts) => void;
