import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FORMAT_EXTENSIONS, FORMATS, isFormat, render, type Format } from '../../reports/index.js';
import type { ReportContext } from '../kernel/catalogue.js';
import { UsageError } from '../kernel/errors.js';
import type { ScanReport } from '../kernel/types.js';
import { Store } from '../store/db.js';
import { loadCatalogue } from '../store/history.js';
import { historyOf, trendSeries } from '../store/trends.js';
import { builtinDetectorDir, loadDetectorDir } from '../detect/loader.js';
import { catalogueOf } from '../detect/catalogue.js';
import { jsonErrorWithoutText } from '../kernel/redact.js';
import { terminalSafe } from '../kernel/terminal-text.js';
import { printErr } from '../terminal/print.js';

/** Where reports go: stdout, one `--output FILE`, or `--output-dir DIR` (one file per format). */
export interface ReportDestination {
  output?: string | undefined;
  outputDir?: string | undefined;
}

/**
 * `--format` as a list (`json,sarif,html`), checked: known names, no repeats; several formats need `--output-dir`
 * (one stream cannot hold them), and `--output` names one file, so it takes one format.
 */
export function parseFormats(text: string | undefined, fallback: Format, dest: ReportDestination): Format[] {
  const names = (text ?? fallback).split(',').map((f) => f.trim()).filter((f) => f !== '');
  const bad = names.filter((f) => !isFormat(f));
  if (bad.length > 0 || names.length === 0) throw new UsageError(`--format ${text ?? ''}: ${bad.length > 0 ? `unknown ${bad.join(', ')}; ` : ''}expected one or more of ${FORMATS.join(', ')}, comma-separated`);
  const formats = [...new Set(names)] as Format[];
  if (dest.output && dest.outputDir) throw new UsageError('--output FILE and --output-dir DIR: use one (--output-dir writes DIR/shadowscan.<ext> per format)');
  if (formats.length > 1 && !dest.outputDir) throw new UsageError(`--format ${formats.join(',')}: several formats need --output-dir DIR (one file per format)`);
  // Checked now, before any scan: finding out after a long scan that the report cannot be written loses it.
  if (dest.output) {
    const dir = dirname(resolve(dest.output));
    if (!existsSync(dir)) throw new UsageError(`--output ${dest.output}: folder ${dir} does not exist (create it first, or use --output-dir DIR, which is created)`);
    if (existsSync(dest.output) && statSync(dest.output).isDirectory()) throw new UsageError(`--output ${dest.output}: is a folder; give a file name (or use --output-dir)`);
  }
  return formats;
}

/** The file `--output-dir` writes for a format. */
export function reportFileName(dir: string, format: Format): string {
  return join(dir, `shadowscan.${FORMAT_EXTENSIONS[format]}`);
}

/** Render and write a report to `output` or stdout (the only place reports reach the terminal). */
export function emitReport(format: Format, report: ScanReport, ctx: ReportContext, output: string | undefined, quiet = false, color = true): void {
  const text = render(format, report, ctx, {
    width: process.stdout.columns ?? 120,
    color: format === 'table' && Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'] && !output && color,
  });
  if (output) {
    writeFileSync(output, text, { mode: 0o600 });
    if (!quiet) printErr(`wrote ${format} report to ${output}`);
  } else {
    // The table sanitises each field itself (its colours are its own escapes); any other format shown on a
    // terminal gets the same protection (JSON keeps valid JSON).
    process.stdout.write(format === 'table' || !process.stdout.isTTY ? text : terminalSafe(text, { json: format !== 'md' && format !== 'csv' }));
  }
}

/** Write every format to its destination: `--output-dir` (created 0700 when missing), `--output` or stdout. */
export function emitReports(formats: Format[], report: ScanReport, ctx: ReportContext, dest: ReportDestination, quiet = false): void {
  if (dest.outputDir) mkdirSync(dest.outputDir, { recursive: true, mode: 0o700 });
  for (const f of formats) emitReport(f, report, ctx, dest.outputDir ? reportFileName(dest.outputDir, f) : dest.output, quiet);
}

/** The render context of a stored run: its detector catalogue (built-ins when none was stored) and history. */
export async function storedContext(store: Store, runId: string): Promise<ReportContext> {
  let detectors = await loadCatalogue(store, runId);
  if (detectors.length === 0) {
    detectors = catalogueOf(loadDetectorDir(builtinDetectorDir()).flatMap((d) => (d.ok ? [d.detector] : [])));
  }
  const trends = await trendSeries(store, runId);
  return { detectors, history: historyOf(trends), trends };
}

/** Open an existing database for reading history (never creates one); lives with the store, re-exported here. */
export { openExistingDb } from '../store/db.js';

/** Read a previous JSON report (`--baseline FILE`); a file that is not one is a usage error. */
export function readBaseline(file: string): ScanReport {
  let doc: unknown;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    doc = JSON.parse(text);
  } catch (e) {
    const why = e instanceof SyntaxError ? jsonErrorWithoutText(e, text) : (e as Error).message.split('\n')[0];
    throw new UsageError(`--baseline ${file}: cannot read a JSON report (${why})`);
  }
  const r = doc as Partial<ScanReport>;
  if (!r || typeof r !== 'object' || typeof r.schema_version !== 'string' || !Array.isArray(r.findings) || !r.run || !Array.isArray(r.inventory)
    || r.findings.some((f) => !f || typeof (f as { id?: unknown }).id !== 'string')) {
    throw new UsageError(`--baseline ${file}: not a shadowscan JSON report (expected schema_version, run, inventory and findings[].id; write one with --format json)`);
  }
  return r as ScanReport;
}
