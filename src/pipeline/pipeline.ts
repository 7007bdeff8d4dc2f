import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { TIMESTAMP, jsToDuckDBValue } from '@duckdb/node-api';
import { builtinDetectorDir, loadDetectorDir, type Detector } from '../detect/loader.js';
import { runDetectors, type DetectResult } from '../detect/runner.js';
import { buildInventory } from '../inventory/inventory.js';
import { namePatternRows } from '../github-workflow/agent-tools.js';
import { loadActionCatalogue } from '../iam-policy/iam-actions.js';
import { privescRows } from '../inventory/privesc-paths.js';
import { Store } from '../store/db.js';
import { loadDiffSide, loadGrantSummaries, loadReport, persistRunHistory, previousRunId } from '../store/history.js';
import { ingestCloudTrail } from '../store/ingest.js';
import { LOOKUP_EVENTS_FILE, addRecordCounts, emptyRecordCounts, loadCloudTrail, trailFilesOf } from '../store/load-cloudtrail.js';
import { loadCloudTrailFromEngine } from '../connectors/engine/load-cloudtrail-engine.js';
import type { RollupEngine } from '../connectors/engine/engine.js';
import { COVERAGE_GAPS_FILE, deniedCalls, loadCoverageGaps } from '../store/load-gaps.js';
import { loadGithub } from '../store/load-github.js';
import { loadIam } from '../store/load-iam.js';
import { leakReportGaps, loadLeaks, readLeakFile, type LeakReport } from '../store/load-leaks.js';
import { loadPeople, readPeopleFile, type PeopleRoster } from '../store/load-people.js';
import { persistIdentitySummaries } from '../store/run-summary.js';
import { applyExceptions, policyExceptionCheck, readExceptionsOrThrow, type Exception, type PolicyRegistry } from '../registry/exceptions.js';
import { loadRegistryTables, REGISTRY_PEOPLE_SOURCE } from '../registry/load.js';
import { buildModel } from '../model/build.js';
import { readRegistryOrThrow, type Registry } from '../registry/registry.js';
import { decorateRegistryFindings } from '../registry/suggest.js';
import { GITHUB_TABLES, IAM_TABLES, loadOrReuse } from '../store/reuse.js';
import { INCREMENTAL_TABLES, SOURCE_TABLES } from '../store/schema.js';
import { catalogueOf } from '../detect/catalogue.js';
import type { DetectorInfo } from '../kernel/catalogue.js';
import { asOfReusable, copyRunResults, inputFingerprint, latestResults, writeResults } from './reuse-results.js';
import { UsageError } from '../kernel/errors.js';
import { nothingUsableMessage } from './nothing-usable.js';
import type { ProgressCounts, ProgressFn } from '../kernel/progress.js';
import { atOrAbove, selectDetectorIds, selectionNote, type DetectorSelection } from '../detect/select.js';
import { diffReports, eventsFromDiff, type FindingEvent, type ReportDiff } from './diff.js';
import { EMPTY_SOURCE, SCHEMA_VERSION, bySeverityDesc, type CoverageGap, type DiffSide, type Finding, type ScanReport, type Severity, type SuppressedFinding } from '../kernel/types.js';
import { redactValue } from '../kernel/redact.js';

/** Options of one offline scan. Defaults are applied by the CLI layer. */
export interface ScanOptions {
  /** Offline export directory (DESIGN.md §3 layout). */
  from: string;
  /** DuckDB file, or ':memory:'. */
  dbPath: string;
  /** End of the window (default: now). */
  asOf: Date;
  /** Window length in seconds (default 90 days). */
  lookbackSeconds: number;
  /** The lookback as the user wrote it, for the report (e.g. "90d"). */
  lookbackText: string;
  /** Extra detector directories (`--detectors DIR`). */
  detectorDirs?: string[];
  /** Detector parameter overrides: `id.param` or `param`. */
  params?: Record<string, unknown>;
  /** People roster (`--people FILE`): one email or username per line; owners not in it count as departed. */
  peopleFile?: string;
  /** Leak reports (`--leaks FILE`, repeatable): gitleaks, TruffleHog or GitHub secret-scanning JSON. */
  leakFiles?: string[];
  /** Agent registry file (`--registry`); validated before anything loads. */
  registryFile?: string;
  /** An already validated registry (takes precedence over registryFile). */
  registry?: Registry;
  /** Accepted-risk exceptions file (`--exceptions`); matching findings are reported as suppressed. */
  exceptionsFile?: string;
  /** Detectors to run and findings to keep (`--detectors-only`, `--exclude-detectors`, `--min-severity`); default: all. */
  selection?: DetectorSelection;
  /** Progress messages (the CLI prints them on stderr; the core never prints). */
  onProgress?: ProgressFn;
  /** An open store to scan into and leave open (the daemon keeps one for its lifetime); default: open `dbPath` and close it. */
  store?: Store;
  /**
   * Daemon mode: keep CloudTrail rows between runs and read only files not ingested before (path + size
   * + mtime); rows older than the window are pruned. Default false: every scan reloads everything.
   */
  incremental?: boolean;
  /**
   * Incremental runs only: when no input changed since the latest run, its results are reused if this run's as-of
   * is at most this many seconds after that run's as-of (the reused run reports that as-of). Default 0: only the
   * same as-of. The daemon's `--recompute-every`.
   */
  reuseWithinSeconds?: number;
  /**
   * What the run is compared with (the diff and events steps): the previous completed run in the store, or a
   * baseline report (`--baseline`). Default: none (no diff, no events).
   */
  compareWith?: 'previous' | ScanReport;
  /** Coverage gaps found before the run (the daemon's source jobs): listed after the run's own. */
  gaps?: CoverageGap[];
  /**
   * Called inside the transaction that stores the run's results, after they are stored (the daemon writes the
   * run's events to its outbox there, so results and events commit together).
   */
  onPersist?: (store: Store, run: RunResult) => Promise<void>;
  /** Called at each step of a run (inside the transactions for the `*-commit` steps): logging, tests. */
  onStep?: (step: RunStep) => Promise<void>;
  /**
   * Whether CloudTrail was asked for (default: whenever the export has an aws/ folder; a live scan: when a
   * trail bucket or LookupEvents was requested). Asked for and no record loaded: a gap (EMPTY_SOURCE).
   */
  expectCloudTrail?: boolean;
  /** When aborted (SIGTERM), the run stops at the next step and is recorded as abandoned. */
  signal?: AbortSignal;
  /**
   * CloudTrail from a query engine (`--trino`, `--athena-*`): the rollup runs there over the window's partitions,
   * and trail files under `from` are not read. Default: the local files.
   */
  cloudtrailEngine?: CloudTrailEngineSource;
}

/** A CloudTrail table behind a query engine, and how to read it. */
export interface CloudTrailEngineSource {
  engine: RollupEngine;
  /** The table's date partition column (`yyyy/MM/dd` values), or null when it has none (default `timestamp`). */
  dateColumn: string | null;
  /** Stop a query that would read more than this many bytes (`--max-scan-bytes`). */
  maxScanBytes?: number;
}

/** What one run produced: the report, and with `compareWith` what it was compared with, the diff and its events. */
export interface RunResult {
  report: ScanReport;
  /** The other side of the diff (the previous run or the baseline); null when there is none or none was asked for. */
  base: DiffSide | null;
  diff: ReportDiff | null;
  events: FindingEvent[];
}

/** What a run analyses besides its sources (flags and config file): shared by `scan` and the daemon. */
export type AnalysisOptions = Pick<ScanOptions, 'lookbackSeconds' | 'lookbackText' | 'detectorDirs' | 'params' | 'peopleFile' | 'leakFiles' | 'registryFile' | 'exceptionsFile' | 'selection'>;

/** Steps a run reports to `onStep`, in order. */
export type RunStep = 'ingest-commit' | 'ingested' | 'detected' | 'persist-commit';

/** Status of a run abandoned on request (the daemon stopping); its results were never stored. */
export const ABANDONED = 'abandoned';

/** The `aws cloudtrail lookup-events` output files of an export's aws/ folder (DESIGN.md §3), sorted. */
export function lookupEventFiles(awsDir: string): string[] {
  return (existsSync(awsDir) ? readdirSync(awsDir) : []).filter((f) => LOOKUP_EVENTS_FILE.test(f)).sort().map((f) => join(awsDir, f));
}

/** Built-in plus user detectors; invalid user detector files are usage errors. */
export function loadDetectors(extraDirs: string[] = []): Detector[] {
  const out: Detector[] = [];
  const seen = new Set<string>();
  for (const dir of [builtinDetectorDir(), ...extraDirs]) {
    for (const d of loadDetectorDir(dir)) {
      if (!d.ok) throw new UsageError(`detector ${d.file}: ${d.error}`);
      if (seen.has(d.detector.meta.id)) throw new UsageError(`detector ${d.detector.file}: id "${d.detector.meta.id}" is already defined`);
      seen.add(d.detector.meta.id);
      out.push(d.detector);
    }
  }
  return out;
}

/** A new run id: sortable by time, unique. */
export function newRunId(now: Date = new Date()): string {
  return `run-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Load the reference tables that come from code rather than reference/ files: the IAM action catalogue (an
 * npm package) and the privilege-escalation paths. The rest (user-agent signatures, event→action exceptions,
 * tier rules, …) are model files of kind `reference` over reference/*.csv, built with the model.
 */
export async function loadReference(store: Store): Promise<void> {
  for (const t of ['iam_actions', 'privesc_paths', 'name_patterns']) await store.run(`DELETE FROM ${t}`);
  const catalogue = await loadActionCatalogue();
  await store.append('iam_actions', ['action', 'service', 'name', 'access_level'],
    catalogue.actions.map((a) => [a.action, a.service, a.name, a.accessLevel]));
  await store.append('name_patterns', ['ord', 'kind', 'pattern'], namePatternRows());
  await store.append('privesc_paths', new Array(9).fill(''), privescRows());
}

/** Set the scan window variables the model views read. */
export async function setWindow(store: Store, asOf: Date, lookbackSeconds: number): Promise<void> {
  await store.run('SET VARIABLE as_of = $t', { t: jsToDuckDBValue(asOf, TIMESTAMP) });
  await store.run('SET VARIABLE window_start = $t', { t: jsToDuckDBValue(new Date(asOf.getTime() - lookbackSeconds * 1000), TIMESTAMP) });
}

export { buildModel };

/*
 * The steps of a run, in order: collect (the CLI's and the daemon's source jobs, src/pipeline/collect.ts) → load →
 * model → detect → score → persist → diff → events. `runPipeline` runs them all for `scan` and the daemon; a
 * registry re-evaluation (`registry check|suggest`, `explain`, src/pipeline/evaluate.ts) runs load → model →
 * detect → score over a stored scan and rolls back.
 */

/** The files a run reads besides its sources, read and validated before anything loads (a bad one is a usage error, not a half scan). */
export interface RunInputs {
  roster?: PeopleRoster;
  leakReports: LeakReport[];
  registry?: Registry;
  exceptions: Exception[];
}

/** Read the roster, leak reports, registry and exceptions files a run names. */
export function readRunInputs(opts: Pick<ScanOptions, 'peopleFile' | 'leakFiles' | 'registry' | 'registryFile' | 'exceptionsFile'>): RunInputs {
  const roster = opts.peopleFile ? readPeopleFile(opts.peopleFile) : undefined;
  const leakReports = (opts.leakFiles ?? []).map(readLeakFile);
  const registry = opts.registry ?? (opts.registryFile ? readRegistryOrThrow(opts.registryFile) : undefined);
  const exceptions = opts.exceptionsFile ? readExceptionsOrThrow(opts.exceptionsFile) : [];
  return { ...(roster ? { roster } : {}), leakReports, ...(registry ? { registry } : {}), exceptions };
}

/**
 * Load step, the inputs besides the sources: a roster replaces the people loaded from any earlier roster, leak
 * reports are added, and the registry tables are replaced (emptied when `registry` is undefined) unless
 * `keepRegistry` keeps what the store holds. Returns the report's source lines for what was loaded.
 */
export async function loadRunInputs(store: Store, runId: string, inputs: Omit<RunInputs, 'exceptions'>, keepRegistry = false): Promise<string[]> {
  const sources: string[] = [];
  const { roster, registry } = inputs;
  if (roster) {
    await store.run('DELETE FROM people WHERE NOT starts_with(source, $s)', { s: REGISTRY_PEOPLE_SOURCE });
    await loadPeople(store, runId, roster);
    sources.push(`people:${roster.source} (${roster.people.length} people)`);
  }
  for (const leaks of inputs.leakReports) {
    await loadLeaks(store, runId, leaks);
    sources.push(`leaks:${leaks.file} (${leaks.records.length} AWS key id(s)${leaks.other ? `, ${leaks.other} other secret(s) ignored` : ''})`);
  }
  // The roster exception approvers are checked against (as scoreStep is given it), kept so re-evaluations check the same.
  if (!keepRegistry) await loadRegistryTables(store, runId, registry, roster ? [...(registry?.people ?? []), ...roster.people] : undefined);
  if (registry) sources.push(`registry:${registry.file} (${registry.agents.length} agent(s))`);
  return sources;
}

/** The analysis window. */
export interface RunWindow {
  asOf: Date;
  lookbackSeconds: number;
}

/** Model step: set the window and build every model file over what is loaded. */
export async function modelStep(store: Store, window: RunWindow): Promise<void> {
  await setWindow(store, window.asOf, window.lookbackSeconds);
  await buildModel(store);
}

/** Detect step: run the detectors over the model. A detector that fails is a coverage gap, not a failed run. */
export async function detectStep(store: Store, detectors: Detector[], window: RunWindow & { params?: Record<string, unknown> },
  onDetector?: (id: string, done: number) => void): Promise<DetectResult> {
  return runDetectors(store, detectors, {
    ...(onDetector ? { onDetector } : {}),
    asOf: window.asOf,
    lookbackDays: window.lookbackSeconds / 86400,
    ...(window.params ? { params: window.params } : {}),
  });
}

/** What the score step weighs findings against. */
export interface ScorePolicy {
  asOf: Date;
  exceptions: Exception[];
  /** The registry whose approval policy decides which exceptions count. */
  registry?: PolicyRegistry;
  /** The people roster exception approvers must be on (default: the registry's people). */
  people?: readonly string[];
  /** Findings and suppressed findings below this are dropped (`--min-severity`). */
  minSeverity?: Severity;
}

/**
 * Score step: registry suggestions on unregistered findings, accepted-risk exceptions (as the registry policy
 * allows them), `--min-severity`, and the stable order. (Risk scores per identity are the inventory's.)
 */
export function scoreStep(findings: Finding[], policy: ScorePolicy): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const applied = applyExceptions(decorateRegistryFindings(findings), policy.exceptions, policy.asOf, policyExceptionCheck(policy.registry, policy.asOf, policy.people));
  return {
    findings: sortFindings(atOrAbove(applied.active, policy.minSeverity)),
    suppressed: applied.suppressed.filter((x) => atOrAbove([x.finding], policy.minSeverity).length > 0),
  };
}

/**
 * Diff step: the run against the previous completed run in the store (with grant summaries on both sides) or a
 * baseline report. Call after the run is persisted (inside the persist transaction is fine: the run is 'ok' there).
 */
export async function diffStep(store: Store, report: ScanReport, compareWith: 'previous' | ScanReport): Promise<{ base: DiffSide | null; diff: ReportDiff }> {
  let base: DiffSide | null = null;
  if (compareWith !== 'previous') base = { report: compareWith };
  else {
    const prevId = await previousRunId(store, report.run.id);
    if (prevId) base = await loadDiffSide(store, prevId);
  }
  return { base, diff: diffReports(base, { report, grants: await loadGrantSummaries(store, report.run.id) }) };
}

/** The whole run for `scan` and the daemon: load → model → detect → score → persist → diff → events. */
export async function runScan(opts: ScanOptions): Promise<ScanReport> {
  return (await runPipeline(opts)).report;
}

/** The whole run, with what it was compared with (`compareWith`), the diff and its events. */
export async function runPipeline(opts: ScanOptions): Promise<RunResult> {
  const progress = opts.onProgress ?? (() => undefined);
  // The run's steps as counts, so a terminal shows one bar through loading and modelling (detectors count themselves).
  const phase = (done: number): ProgressCounts => ({ done, total: 5, unit: 'steps' });
  const from = resolve(opts.from);
  if (!existsSync(from)) throw new UsageError(`--from ${opts.from}: no such directory`);
  const awsDir = join(from, 'aws');
  // A collection that recorded only gaps (every call denied) is still an export: its gaps say what went wrong.
  if (!existsSync(awsDir) && !existsSync(join(from, 'github')) && !existsSync(join(from, COVERAGE_GAPS_FILE))) {
    throw new UsageError(`--from ${opts.from}: expected an offline export with an aws/ or github/ folder (see README "Offline export layout")`);
  }
  const catalogue = loadDetectors(opts.detectorDirs);
  const chosen = opts.selection ? new Set(selectDetectorIds(catalogue.map((d) => d.meta.id), opts.selection)) : undefined;
  const detectors = chosen ? catalogue.filter((d) => chosen.has(d.meta.id)) : catalogue;
  const inputs = readRunInputs(opts);
  const { roster, leakReports, registry, exceptions } = inputs;

  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const store = opts.store ?? await Store.open(opts.dbPath);
  const step = async (s: RunStep): Promise<void> => {
    opts.signal?.throwIfAborted();
    await opts.onStep?.(s);
  };
  try {
    const gaps: CoverageGap[] = [];
    await store.run(`INSERT INTO runs (id, started_at, as_of, lookback, status) VALUES ($id, $s, $a, $l, 'running')`,
      { id: runId, s: jsToDuckDBValue(startedAt, TIMESTAMP), a: jsToDuckDBValue(opts.asOf, TIMESTAMP), l: opts.lookbackText });
    // IAM and GitHub tables are cleared by loadOrReuse (an incremental run keeps them when their folder is unchanged).
    const reloadedBelow: readonly string[] = [...IAM_TABLES, ...GITHUB_TABLES];
    // An incremental run keeps the CloudTrail rows of the files it ingested before; with none recorded (a first run,
    // or after a full scan, which forgets them) it starts over: a full scan's rows and keys would make every record
    // it reads again a duplicate, and the run would report no CloudTrail record loaded.
    const keep = opts.incremental && Number((await store.one<{ n: number }>('SELECT count(*) AS n FROM ingested_files'))?.n ?? 0) > 0;
    for (const t of SOURCE_TABLES) {
      if (reloadedBelow.includes(t)) continue;
      if (!(keep && (INCREMENTAL_TABLES as readonly string[]).includes(t))) await store.run(`DELETE FROM ${t}`);
    }
    // A full reload forgets what was ingested incrementally, so a later daemon run starts over cleanly.
    if (!opts.incremental) await store.run('DELETE FROM ingested_files');
    await loadReference(store);
    const sources = await loadRunInputs(store, runId, inputs);

    // What `shadowscan collect` could not read (AccessDenied, disabled regions, …) is part of this scan's coverage.
    gaps.push(...loadCoverageGaps(from));
    gaps.push(...leakReports.flatMap(leakReportGaps));

    progress('loading IAM exports', phase(0));
    const iamLoad = await loadOrReuse(store, 'iam', join(awsDir, 'iam'), IAM_TABLES, Boolean(opts.incremental), () => loadIam(store, runId, join(awsDir, 'iam')));
    if (iamLoad.reused) progress('IAM exports unchanged since the last run: kept');
    const iam = iamLoad.result;
    gaps.push(...iam.gaps);
    if (iam.accounts.length > 0) sources.push(`aws-iam:${join(awsDir, 'iam')} (${iam.accounts.join(', ')})`);

    const engineSource = opts.cloudtrailEngine;
    const trailFiles = engineSource ? [] : trailFilesOf(awsDir);
    if (!engineSource) progress(`loading ${trailFiles.length} CloudTrail file(s)`, phase(1));
    const loadTrail = (kind: 's3' | 'lookup-events', files: string[]) => opts.incremental
      ? ingestCloudTrail(store, runId, kind, files, { ...(opts.signal ? { signal: opts.signal } : {}), beforeCommit: () => step('ingest-commit') })
      : loadCloudTrail(store, runId, kind, files);
    const trail = engineSource ? await loadFromEngine(store, runId, engineSource, opts, progress) : await loadTrail('s3', trailFiles);
    gaps.push(...trail.gaps);
    if (trailFiles.length > 0) {
      const logs = join(awsDir, 'AWSLogs');
      sources.push(`aws-cloudtrail-s3:${trailFiles.every((f) => f.startsWith(logs + sep)) ? logs : awsDir}`);
    }
    if ('source' in trail && typeof trail.source === 'string') sources.push(trail.source);

    const lookupFiles = lookupEventFiles(awsDir);
    const lookup = await loadTrail('lookup-events', lookupFiles);
    gaps.push(...lookup.gaps);
    if (lookupFiles.length > 0) sources.push(`aws-cloudtrail-lookup-events:${lookupFiles.length} file(s)`);

    progress('loading GitHub exports', phase(2));
    const githubLoad = await loadOrReuse(store, 'github', join(from, 'github'), GITHUB_TABLES, Boolean(opts.incremental), () => loadGithub(store, runId, from));
    if (githubLoad.reused) progress('GitHub exports unchanged since the last run: kept');
    const github = githubLoad.result;
    gaps.push(...github.gaps);
    if (github.orgs.length > 0) sources.push(`github:${join(from, 'github')} (${github.orgs.join(', ')})`);

    const records = trail.records + lookup.records;
    // The Athena/Trino rollup counts read, skipped and unattributable records in its totals row (not duplicates); without it, read = loaded.
    const trailCounts = 'counts' in trail ? trail.counts : { ...emptyRecordCounts(), read: trail.records, loaded: trail.records };
    const ct = addRecordCounts(addRecordCounts(emptyRecordCounts(), trailCounts), lookup.counts);
    // IAM identities include users known only from a credential report (root, users without policies) and keys of list-access-keys
    if (iam.principals + (iam.reportUsers ?? 0) + iam.keys === 0 && records === 0 && github.repos + github.secrets + github.installations + github.patGrants === 0) {
      throw new UsageError(nothingUsableMessage(opts.from, gaps, deniedCalls(from)));
    }

    const expectTrail = opts.expectCloudTrail ?? existsSync(awsDir);
    if (expectTrail && records === 0) {
      const where = engineSource ? 'the CloudTrail query engine' : `${awsDir}: ${trailFiles.length} trail file(s) (*.json[.gz] at any depth, except iam/) and ${lookupFiles.length} lookup-events*.json`;
      gaps.push({ source: engineSource ? 'cloudtrail' : awsDir, detail: `${EMPTY_SOURCE}: no CloudTrail record loaded from ${where}${ct.read > 0 ? ` (${ct.read} record(s) read, none usable)` : ''}; nothing was seen acting (use --allow-empty if that is expected)` });
    }
    await step('ingested');
    // Nothing new to read since the latest run (daemon): its results stand, evaluated at its as-of (src/pipeline/reuse-results.ts).
    const fingerprint = opts.incremental && !engineSource ? await inputFingerprint(store, {
      roster: roster ?? null, leakReports, registry: registry ?? null, exceptions, expectTrail,
      detectors: detectors.map((d) => d.meta.id), params: opts.params ?? {}, selection: opts.selection ?? null, lookback: opts.lookbackSeconds,
    }, opts.detectorDirs) : null;
    const latest = fingerprint ? await latestResults(store) : null;
    const reuse = latest && latest.fingerprint === fingerprint && asOfReusable(new Date(latest.as_of), opts.asOf, opts.reuseWithinSeconds ?? 0) ? latest : null;
    const asOf = reuse ? new Date(reuse.as_of) : opts.asOf;
    const window: RunWindow = { asOf, lookbackSeconds: opts.lookbackSeconds };
    await setWindow(store, asOf, opts.lookbackSeconds);
    if (opts.incremental) {
      // Rows that left the window (with a day of slack) are dropped; their files stay recorded as ingested.
      await store.run(`DELETE FROM cloudtrail_events WHERE last_time < getvariable('window_start') - INTERVAL 1 DAY`);
      await store.run(`DELETE FROM cloudtrail_event_keys WHERE event_hour < getvariable('window_start') - INTERVAL 1 DAY`);
    }
    let findings: Finding[];
    let suppressed: ScanReport['suppressed'];
    let inventory: ScanReport['inventory'];
    let detectorGaps: CoverageGap[];
    const note = opts.selection ? selectionNote(opts.selection, detectors.length, catalogue.length) : undefined;
    if (reuse) {
      progress(`no input changed since run ${reuse.run_id}: its results (as of ${reuse.as_of}) are reused`, phase(3));
      const prev = await loadReport(store, reuse.run_id);
      if (!prev) throw new Error(`bug: run ${reuse.run_id} has no stored report`);
      ({ findings, suppressed, inventory } = prev);
      detectorGaps = reuse.detector_gaps;
      await step('detected');
      if (note) sources.push(note);
      sources.push(`results: reused from ${reuse.run_id} (no input changed since; evaluated as of ${reuse.as_of})`);
    } else {
      progress(`modelling ${records} CloudTrail record(s) and ${iam.principals} IAM principal(s)`, phase(3));
      await modelStep(store, window);

      progress(`running ${detectors.length} detector(s)`);
      const detected = await detectStep(store, detectors, { ...window, ...(opts.params ? { params: opts.params } : {}) },
        (id, done) => progress('running detectors', { done, total: detectors.length, unit: 'detectors', item: id }));
      detectorGaps = detected.gaps;
      await step('detected');
      ({ findings, suppressed } = scoreStep(detected.findings, {
        asOf, exceptions, ...(registry ? { registry } : {}),
        ...(roster ? { people: [...(registry?.people ?? []), ...roster.people] } : {}),
        ...(opts.selection?.minSeverity ? { minSeverity: opts.selection.minSeverity } : {}),
      }));
      if (note) sources.push(note);
      inventory = await buildInventory(store, findings);
    }
    gaps.push(...detectorGaps, ...(opts.gaps ?? []));

    const finishedAt = new Date();
    // Gaps, sources and exception texts come from inputs too: the report is redacted as a whole (findings
    // and inventory already are), so no format, sink or stored run can carry a secret.
    const report: ScanReport = redactValue({
      schema_version: SCHEMA_VERSION,
      run: {
        id: runId,
        started_at: startedAt.toISOString(),
        finished_at: finishedAt.toISOString(),
        as_of: asOf.toISOString(),
        lookback: opts.lookbackText,
        sources,
        counts: {
          cloudtrail_records: records, cloudtrail_files: trail.files + lookup.files, identities: inventory.length, findings: findings.length,
          records_read: ct.read, loaded: ct.loaded, duplicates: ct.duplicates, unattributable: ct.unattributable, skipped: ct.skipped, files_skipped: ct.files_skipped,
        },
        coverage_gaps: gaps,
        iam_snapshots: iam.snapshots ?? [],
      },
      inventory,
      findings,
      suppressed,
    });
    progress('storing the run', phase(4));
    let result: RunResult = { report, base: null, diff: null, events: [] };
    await persistRun(store, report, catalogueOf(detectors), async () => {
      if (fingerprint) await writeResults(store, { fingerprint, run_id: runId, as_of: asOf.toISOString(), detector_gaps: detectorGaps });
      if (opts.compareWith !== undefined) {
        const { base, diff } = await diffStep(store, report, opts.compareWith);
        result = { report, base, diff, events: eventsFromDiff(diff) };
      }
      await opts.onPersist?.(store, result);
      await step('persist-commit');
    }, reuse?.run_id);
    return result;
  } catch (e) {
    const status = opts.signal?.aborted ? ABANDONED : 'failed';
    await store.run(`UPDATE runs SET status = $st, finished_at = now() WHERE id = $id`, { id: runId, st: status }).catch(() => undefined);
    throw e;
  } finally {
    if (!opts.store) store.close();
  }
}

/** The CloudTrail rollup from a query engine; in daemon mode it replaces the previous run's engine rows. */
async function loadFromEngine(store: Store, runId: string, src: CloudTrailEngineSource, opts: ScanOptions, progress: (m: string) => void) {
  progress(`running the CloudTrail rollup on ${src.engine.kind} ${src.engine.describe()}`);
  if (opts.incremental) await store.run(`DELETE FROM cloudtrail_events WHERE source_file LIKE 'trino:%' OR source_file LIKE 'athena:%'`);
  const r = await loadCloudTrailFromEngine(store, runId, src.engine, {
    dateColumn: src.dateColumn, from: new Date(opts.asOf.getTime() - opts.lookbackSeconds * 1000), to: opts.asOf,
  }, { ...(opts.signal ? { signal: opts.signal } : {}), ...(src.maxScanBytes !== undefined ? { maxScanBytes: src.maxScanBytes } : {}) });
  return { files: 0, records: r.records, gaps: r.gaps, source: r.source, ...(r.counts ? { counts: r.counts } : {}) };
}

/** Findings in a stable order: severity, detector, subject. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    bySeverityDesc(a.severity, b.severity) || a.detector.localeCompare(b.detector) || a.subject.id.localeCompare(b.subject.id));
}

/** Keep the run's results in the database (history for diff, report and UI). */
async function persistRun(store: Store, report: ScanReport, detectors: DetectorInfo[], inTransaction?: () => Promise<void>, copyFrom?: string): Promise<void> {
  const { run } = report;
  await store.transaction(async () => {
    await store.append('coverage_gaps', ['run_id', 'source', 'detail'], run.coverage_gaps.map((g) => [run.id, g.source, g.detail]));
    if (copyFrom) await copyRunResults(store, copyFrom, run.id);
    else await persistResults(store, report, detectors);
    await store.run(`UPDATE runs SET finished_at = $f, as_of = $a, sources = $s, counts = $c, status = 'ok' WHERE id = $id`, {
      id: run.id, f: jsToDuckDBValue(new Date(run.finished_at), TIMESTAMP), a: jsToDuckDBValue(new Date(run.as_of), TIMESTAMP),
      s: JSON.stringify(run.sources), c: JSON.stringify(run.counts),
    });
    // After the results (the diff step reads this run's stored grant summaries) and inside the same transaction.
    await inTransaction?.();
  });
}

/** A computed run's findings, inventory, suppressed list and history rows. */
async function persistResults(store: Store, report: ScanReport, detectors: DetectorInfo[]): Promise<void> {
  const { run } = report;
  await store.append('run_findings', ['run_id', 'finding_id', 'detector', 'category', 'severity', 'subject_id', 'body'],
    report.findings.map((f) => [run.id, f.id, f.detector, f.category, f.severity, f.subject.id, JSON.stringify(f)]));
  await store.append('run_inventory', ['run_id', 'identity_id', 'classification', 'body'],
    report.inventory.map((i) => [run.id, i.id, i.classification, JSON.stringify(i)]));
  await store.append('run_suppressed', ['run_id', 'finding_id', 'detector', 'subject_id', 'body', 'exception'],
    report.suppressed.map((s) => [run.id, s.finding.id, s.finding.detector, s.finding.subject.id, JSON.stringify(s.finding), JSON.stringify(s.exception)]));
  await persistRunHistory(store, run.id, detectors);
  await persistIdentitySummaries(store, run.id);
}
