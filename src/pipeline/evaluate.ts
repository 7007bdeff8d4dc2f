/**
 * The pipeline over a stored scan (load the inputs given → model → detect → score, src/pipeline/pipeline.ts).
 * Re-evaluate a registry against what a previous scan stored (the raw tables and model persist in
 * the database), without collecting again: what `registry check`, `registry suggest` and `explain`
 * run. Everything happens in a transaction that is rolled back: the stored scan, its registry and
 * the ownerless countdown are left exactly as the last scan wrote them.
 */
import { jsToDuckDBValue, LIST, VARCHAR } from '@duckdb/node-api';
import { parseDuration } from '../kernel/duration.js';
import { detectStep, loadDetectors, loadReference, loadRunInputs, modelStep, scoreStep } from './pipeline.js';
import type { Finding, SuppressedFinding } from '../kernel/types.js';
import { openForEvaluation, type Store } from '../store/db.js';
import { latestRunId } from '../store/history.js';
import type { Exception } from '../registry/exceptions.js';
import { readPeopleFile } from '../store/load-people.js';
import { resolveIdentity } from '../registry/explain.js';
import { storedPolicyRegistry } from '../registry/load.js';
import { EMPTY_REGISTRY, type Registry } from '../registry/registry.js';
import { renderSuggestions, suggestedFindings, type SuggestionFilter } from '../registry/suggest.js';

/** The scan a re-evaluation is based on. */
export interface StoredRun {
  id: string;
  as_of: string;
  lookback: string;
}

export interface EvaluateOptions {
  dbPath: string;
  /** An open store on `dbPath` (the terminal UI's, or the caller's): evaluated on a second connection of it. */
  store?: Store;
  /** The registry to compare with; undefined keeps what the stored scan loaded. */
  registry?: Registry;
  /** Used when `registry` is undefined and the stored scan had none. */
  fallbackRegistry?: Registry;
  exceptions?: Exception[];
  /** Which detectors to run (default: every detector whose id starts with `registry/`). */
  detectorFilter?: (id: string) => boolean;
  /** Time when there is no stored scan (default now). */
  asOf?: Date;
  detectorDirs?: string[];
  params?: Record<string, unknown>;
  /** People roster file replacing the stored scan's (`--people`, or people: in shadowscan.yaml); registry people stay. */
  peopleFile?: string;
}

export interface Evaluation {
  /** The stored scan used, or null when the database holds none (only file-level checks can fire). */
  run: StoredRun | null;
  asOf: Date;
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

export { openForEvaluation };

/** Latest successful run recorded in an open store (history's notion of "latest"), with its window. */
export async function latestRun(store: Store): Promise<StoredRun | null> {
  const id = await latestRunId(store);
  if (!id) return null;
  return (await store.one<StoredRun>('SELECT id, as_of, lookback FROM runs WHERE id = $id', { id })) ?? null;
}

/**
 * Run the registry detectors (or a chosen set) over the stored model with `opts.registry`. `within` runs on the
 * re-evaluated model before it is rolled back (what `explain --registry` reads: the new matches and owners).
 */
export async function evaluateStored(opts: EvaluateOptions, within?: (store: Store, evaluation: Evaluation) => Promise<void>): Promise<Evaluation> {
  const filter = opts.detectorFilter ?? ((id: string) => id.startsWith('registry/'));
  const detectors = loadDetectors(opts.detectorDirs).filter((d) => filter(d.meta.id));
  // Its own connection even when the caller's store is open: the transaction below is rolled back, and the
  // caller's queries meanwhile must see the stored scan, not the re-evaluation.
  const store = opts.store ? await opts.store.connect() : await openForEvaluation(opts.dbPath);
  try {
    const run = await latestRun(store);
    const asOf = run ? new Date(run.as_of.endsWith('Z') ? run.as_of : `${run.as_of}Z`) : (opts.asOf ?? new Date());
    const lookbackSeconds = run ? parseDuration(run.lookback) : 90 * 86400;
    await store.run('BEGIN TRANSACTION');
    let evaluation: Evaluation;
    try {
      // The pipeline's steps over the stored scan: load (the inputs given) → model → detect → score.
      if (!run) await loadReference(store);
      const hadRegistry = Boolean(await store.one('SELECT 1 AS x FROM registry_state'));
      const registry = opts.registry ?? (hadRegistry ? undefined : opts.fallbackRegistry);
      const roster = opts.peopleFile ? readPeopleFile(opts.peopleFile) : undefined;
      // The exception rule as the scan applied it: with the stored scan's registry, its policy, entries and the
      // roster the scan checked approvers against (a roster given now replaces the scan's, as in a scan).
      const stored = registry === undefined ? await storedPolicyRegistry(store) : undefined;
      const policyRegistry = registry ?? stored?.registry;
      const people = roster ? [...(policyRegistry?.people ?? []), ...roster.people] : stored?.exceptionPeople;
      // Loaded as a run of its own ('evaluate', not a stored run): a registry given now is the next state, so its tier
      // history (registry/approvals) compares it with every stored run, the stored scan included.
      await loadRunInputs(store, 'evaluate', {
        leakReports: [], ...(roster ? { roster } : {}), ...(registry ? { registry } : {}),
      }, registry === undefined);
      const window = { asOf, lookbackSeconds };
      await modelStep(store, window);
      const detected = await detectStep(store, detectors, { ...window, ...(opts.params ? { params: opts.params } : {}) });
      evaluation = { run, asOf, ...scoreStep(detected.findings, {
        asOf, exceptions: opts.exceptions ?? [], ...(policyRegistry ? { registry: policyRegistry } : {}), ...(people ? { people } : {}),
      }) };
      // Before the rollback: the model still holds the re-evaluated registry (matches, owners, tiers).
      await within?.(store, evaluation);
    } finally {
      await store.run('ROLLBACK');
    }
    return evaluation;
  } finally {
    store.close();
  }
}

/** What `suggestStored` returns: the text, how many entries it holds, and what it was computed from. */
export interface Suggestions {
  text: string;
  count: number;
  evaluation: Evaluation;
}

/**
 * `shadowscan registry suggest [--identity ID]` over the scan stored in the database: the registry the scan
 * used (or `registry`, or none), re-evaluated; entries for every unregistered agent and workload, or for the
 * identities `identity` names. The terminal UI's `r` key writes the same text.
 */
export async function suggestStored(opts: Omit<EvaluateOptions, 'fallbackRegistry' | 'detectorFilter'> & { identity?: string }): Promise<Suggestions> {
  const evaluation = await evaluateStored({ ...opts, fallbackRegistry: EMPTY_REGISTRY });
  let only: SuggestionFilter | undefined;
  if (opts.identity !== undefined) {
    const store = opts.store ?? await openForEvaluation(opts.dbPath);
    try {
      only = { ids: await identityIds(store, opts.identity), query: opts.identity };
    } finally {
      if (!opts.store) store.close();
    }
  }
  const text = renderSuggestions(evaluation.findings, only);
  const count = suggestedFindings(evaluation.findings, only).length;
  return { text, count, evaluation };
}

/** Identity ids a query names (as `explain` resolves it), with a named user's access keys and a named key's user. */
export async function identityIds(store: Store, query: string): Promise<Set<string>> {
  const { identities } = await resolveIdentity(store, query);
  const ids = new Set(identities.flatMap((i) => (i.kind === 'access-key' && i.parent_id ? [i.id, i.parent_id] : [i.id])));
  if (ids.size > 0) {
    const keys = await store.all<{ id: string }>(`SELECT id FROM identities WHERE kind = 'access-key' AND list_contains($ids, parent_id)`,
      { ids: jsToDuckDBValue([...ids], LIST(VARCHAR)) });
    for (const k of keys) ids.add(k.id);
  }
  return ids;
}
