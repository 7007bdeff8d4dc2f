import { UsageError } from '../kernel/errors.js';
import { severityRank, type Finding, type Severity } from '../kernel/types.js';

/** Which detectors run and which findings are kept (`--detectors-only`, `--exclude-detectors`, `--min-severity`). */
export interface DetectorSelection {
  /** Detector ids or globs (`aws/*`, `*\/stale`); empty: every detector. */
  only: string[];
  /** Detector ids or globs to leave out (applied after `only`). */
  exclude: string[];
  /** Findings below this severity are dropped. */
  minSeverity?: Severity;
}

/**
 * A detector-id glob as a matcher: `*` any run of characters except `/`, `**` any run including `/`, `?` one
 * character; everything else literal. (Node's path.matchesGlob is still experimental and warns on Node 22.)
 */
export function globMatcher(pattern: string): (id: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') { re += '.*'; i++; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const rx = new RegExp(`^${re}$`);
  return (id) => rx.test(id);
}

/** Split repeatable, comma-separated flag values into patterns. */
export function patternsOf(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * The ids to run out of `ids`, checked: a pattern that matches no detector is a usage error (a misspelt id would
 * otherwise silently run everything, or nothing), and so is a selection that leaves no detector.
 */
export function selectDetectorIds(ids: readonly string[], sel: DetectorSelection): string[] {
  const matcher = (flag: string, patterns: string[]) => patterns.map((p) => {
    const m = globMatcher(p);
    if (!ids.some((id) => m(id))) throw new UsageError(`${flag} ${p}: matches no detector (see \`shadowscan detectors list\`)`);
    return m;
  });
  const only = matcher('--detectors-only', sel.only);
  const exclude = matcher('--exclude-detectors', sel.exclude);
  const chosen = ids.filter((id) => (only.length === 0 || only.some((m) => m(id))) && !exclude.some((m) => m(id)));
  if (chosen.length === 0) throw new UsageError('--detectors-only/--exclude-detectors: no detector left to run');
  return chosen;
}

/** Findings at or above `minSeverity` (all of them without one). */
export function atOrAbove<T extends Pick<Finding, 'severity'>>(findings: T[], minSeverity: Severity | undefined): T[] {
  return minSeverity ? findings.filter((f) => severityRank(f.severity) >= severityRank(minSeverity)) : findings;
}

/** A line for the report's sources saying the run was narrowed (so a reader knows it is not the whole catalogue). */
export function selectionNote(sel: DetectorSelection, ran: number, of: number): string | undefined {
  const parts = [
    ...(sel.only.length > 0 ? [`only ${sel.only.join(',')}`] : []),
    ...(sel.exclude.length > 0 ? [`excluding ${sel.exclude.join(',')}`] : []),
  ];
  const detectors = parts.length > 0 ? `${ran} of ${of} detectors (${parts.join('; ')})` : '';
  const sev = sel.minSeverity ? `findings at or above ${sel.minSeverity}` : '';
  const text = [detectors, sev].filter(Boolean).join('; ');
  return text ? `selection: ${text}` : undefined;
}
