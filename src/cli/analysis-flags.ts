/**
 * The analysis flags shared by `scan`, `daemon`, `registry check|suggest` and `explain`: everything a run reads
 * besides its sources (config file, window, detectors and their parameters, people roster, leak reports,
 * registry, exceptions). One definition and one resolver, so every command with the same flags and the same
 * shadowscan.yaml sees what `shadowscan scan` sees.
 */
import type { Command } from 'commander';
import { checkParams, configPath, loadConfig } from '../pipeline/config.js';
import { parseDuration } from '../kernel/duration.js';
import { UsageError } from '../kernel/errors.js';
import { loadDetectors, type AnalysisOptions } from '../pipeline/pipeline.js';
import type { EvaluateOptions } from '../pipeline/evaluate.js';
import { readExceptionsOrThrow } from '../registry/exceptions.js';
import { readRegistryOrThrow } from '../registry/registry.js';
import { readLeakFile } from '../store/load-leaks.js';
import { readPeopleFile } from '../store/load-people.js';
import { patternsOf, selectDetectorIds, type DetectorSelection } from '../detect/select.js';
import { SEVERITIES, type Severity } from '../kernel/types.js';

/** Default analysis window when neither `--lookback` nor the config file sets one. */
export const DEFAULT_LOOKBACK = '90d';

/** Parsed analysis flags (commander camel-cases them). */
export interface AnalysisFlags {
  config?: string;
  lookback?: string;
  detectors: string[];
  param: string[];
  people?: string;
  leaks: string[];
  registry?: string;
  exceptions?: string;
  /** Only `scan` and `daemon` have the selection flags (addSelectionOptions). */
  detectorsOnly?: string[];
  excludeDetectors?: string[];
  minSeverity?: string;
}

/** What a run analyses besides its sources: the fields of `ScanOptions` the flags and config file decide. */
export type AnalysisInputs = AnalysisOptions & Required<Pick<AnalysisOptions, 'detectorDirs' | 'params' | 'leakFiles'>>;

/** Commander collector for repeatable flags. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Parse `--param id.name=value` / `--param name=value` flags. */
export function parseParams(list: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param ${p}: expected NAME=VALUE or DETECTOR.NAME=VALUE`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Add the analysis flags to a command. */
export function addAnalysisOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file: lookback, detector params, detector_dirs, people, registry, exceptions (default: ./shadowscan.yaml if present)')
    .option('--lookback <duration>', `length of the analysis window, e.g. 90d, 12h (default: ${DEFAULT_LOOKBACK}, or lookback: in the config file)`)
    .option('--detectors <dir>', 'add detectors from a directory (repeatable)', collect, [])
    .option('--param <name=value>', 'override a detector parameter, e.g. aws/stale.days=60 (repeatable)', collect, [])
    .option('--people <file>', 'roster of current people, one email or username per line; owners and creators not in it count as departed')
    .option('--leaks <file>', 'leak report to match against IAM keys: gitleaks JSON, TruffleHog JSON, GitHub secret-scanning alerts (repeatable)', collect, [])
    .option('--registry <file>', 'agent registry (YAML): report unregistered agents, tier violations, expired certifications, drift')
    .option('--exceptions <file>', 'accepted risks (YAML): matching findings are listed as suppressed until they expire');
}

/** `--detectors-only`, `--exclude-detectors`, `--min-severity` (scan and daemon: they run the detectors). */
export function addSelectionOptions(cmd: Command): Command {
  return cmd
    .option('--detectors-only <ids>', "run only these detectors: ids or globs, comma-separated or repeated (e.g. 'aws/*', cross/static-key-in-ci)", collect, [])
    .option('--exclude-detectors <ids>', "leave out these detectors: ids or globs (e.g. 'github/*', aws/stale)", collect, [])
    .option('--min-severity <severity>', `drop findings below this severity (${SEVERITIES.join('|')}); the report says it was narrowed`);
}

/**
 * Resolve the flags against the config file (./shadowscan.yaml when present, or `--config`; flags win)
 * and check every input file now, so a missing or invalid one is a usage error (exit 2) naming the file
 * before any collection or run. The files are read again by each run (a daemon picks up edits).
 */
export function resolveAnalysis(flags: AnalysisFlags, cwd = process.cwd()): AnalysisInputs {
  const cfgFile = configPath(flags.config, cwd);
  const cfg = cfgFile ? loadConfig(cfgFile) : undefined;
  const detectorDirs = [...flags.detectors, ...(cfg?.detectorDirs ?? [])];
  const flagParams = parseParams(flags.param);
  const params = { ...(cfg?.params ?? {}), ...flagParams };
  // Detector files are checked now too: a broken --detectors DIR stops a daemon at startup, not at its first run.
  const detectors = loadDetectors(detectorDirs);
  // A misspelt parameter would otherwise be ignored silently and the default used.
  const known = detectors.map((d) => ({ id: d.meta.id, params: Object.keys(d.meta.params) }));
  const selection = selectionOf(flags, detectors.map((d) => d.meta.id));
  if (cfg) checkParams(cfg.params, known, (key) => `${cfg.file}:${cfg.paramLines[key] ?? '?'}`);
  checkParams(flagParams, known, (key) => `--param ${key}`);
  const lookbackText = flags.lookback ?? cfg?.config.lookback ?? DEFAULT_LOOKBACK;
  const lookbackSeconds = parseDuration(lookbackText);
  if (!(lookbackSeconds > 0)) throw new UsageError(`--lookback ${lookbackText}: must be longer than zero`);
  const peopleFile = flags.people ?? cfg?.people;
  const registryFile = flags.registry ?? cfg?.registry;
  const exceptionsFile = flags.exceptions ?? cfg?.exceptions;
  if (peopleFile) readPeopleFile(peopleFile);
  for (const f of flags.leaks) readLeakFile(f);
  if (registryFile) readRegistryOrThrow(registryFile);
  if (exceptionsFile) readExceptionsOrThrow(exceptionsFile);
  return {
    lookbackText, lookbackSeconds, detectorDirs, params, leakFiles: flags.leaks,
    ...(selection ? { selection } : {}),
    ...(peopleFile ? { peopleFile } : {}),
    ...(registryFile ? { registryFile } : {}),
    ...(exceptionsFile ? { exceptionsFile } : {}),
  };
}

/** The selection flags, checked against the detector ids now (a pattern matching nothing is exit 2 at startup). */
function selectionOf(flags: AnalysisFlags, ids: string[]): DetectorSelection | undefined {
  const only = patternsOf(flags.detectorsOnly ?? []);
  const exclude = patternsOf(flags.excludeDetectors ?? []);
  const min = flags.minSeverity;
  if (min !== undefined && !(SEVERITIES as readonly string[]).includes(min)) throw new UsageError(`--min-severity ${min}: expected one of ${SEVERITIES.join(', ')}`);
  if (only.length === 0 && exclude.length === 0 && min === undefined) return undefined;
  const selection: DetectorSelection = { only, exclude, ...(min !== undefined ? { minSeverity: min as Severity } : {}) };
  selectDetectorIds(ids, selection);
  return selection;
}

/**
 * What a re-evaluation of the stored scan (`registry check|suggest`, `explain` without --from) takes from the
 * resolved analysis: the registry and exceptions read, the roster file, detector directories and parameters.
 */
export function evaluationInputs(a: AnalysisInputs): Pick<EvaluateOptions, 'registry' | 'exceptions' | 'peopleFile' | 'params' | 'detectorDirs'> {
  return {
    ...(a.registryFile ? { registry: readRegistryOrThrow(a.registryFile) } : {}),
    ...(a.exceptionsFile ? { exceptions: readExceptionsOrThrow(a.exceptionsFile) } : {}),
    ...(a.peopleFile ? { peopleFile: a.peopleFile } : {}),
    params: a.params,
    detectorDirs: a.detectorDirs,
  };
}
