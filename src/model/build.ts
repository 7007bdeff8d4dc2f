import { VARCHAR, jsToDuckDBValue } from '@duckdb/node-api';
import { storeEscalationGraph } from '../inventory/privesc-graph.js';
import type { Store } from '../store/db.js';
import { builtinModel, modelPath, referenceDir, type ModelObject } from './loader.js';
import { fillMatches } from './matches.js';
import { builtinSignals, loadSignalTable, runSignals } from './signals.js';

/** A model step written in TypeScript rather than SQL: what it reads and what it writes. */
export interface CodeStep {
  name: string;
  file: string;
  reads: readonly string[];
  writes: readonly string[];
  run: (store: Store) => Promise<unknown>;
}

/**
 * Model steps in TypeScript (the repo-wide test counts what they write as provided by the model). They read
 * raw tables only, so they run before the SQL files.
 */
export const CODE_STEPS: readonly CodeStep[] = [
  {
    name: 'privesc_graph', file: 'src/inventory/privesc-graph.ts',
    reads: ['iam_principals', 'iam_credential_report', 'iam_policy_documents', 'cloudtrail_events'],
    writes: ['privesc_found', 'privesc_hops'],
    run: storeEscalationGraph,
  },
];

/**
 * Build the model: point `reference_dir` at the reference data, run the code steps, then every model file in
 * dependency order (reference tables first, as nothing they read is a model object); the `signals` file creates
 * identity_signals and every signal in signals/ fills it. The window variables
 * (`as_of`, `window_start`) are set by the pipeline before. A failing file is named.
 *
 * `only` builds just those model files (tests, benchmarks), without the code steps.
 */
export async function buildModel(store: Store, only?: readonly ModelObject[], onObject?: (o: ModelObject, ms: number) => void): Promise<void> {
  await store.run('SET VARIABLE reference_dir = $d', { d: jsToDuckDBValue(referenceDir(), VARCHAR) });
  if (!only) for (const step of CODE_STEPS) await step.run(store);
  for (const o of only ?? builtinModel()) {
    const t = performance.now();
    try {
      await store.run(o.sql);
      if (o.meta.kind === 'signals') {
        const signals = builtinSignals();
        await loadSignalTable(store, signals);
        await runSignals(store, signals);
      }
      if (o.meta.kind === 'matches') await fillMatches(store, o.meta.name);
    } catch (e) {
      throw new Error(`model ${modelPath(o.file)}: ${(e as Error).message}`, { cause: e });
    }
    onObject?.(o, performance.now() - t);
  }
}
