import { errorMessage, UsageError } from '../kernel/errors.js';
import { jsonErrorWithoutText } from '../kernel/redact.js';
import type { CoverageGap } from '../kernel/types.js';
import type { Store } from './db.js';
import { readTextInput, TextEncodingError } from '../kernel/text-input.js';

/** Which scanner wrote a leak report. */
export type LeakTool = 'gitleaks' | 'trufflehog' | 'github-secret-scanning';

/** One leaked AWS access key id; the secret itself is never kept. */
export interface LeakRecord {
  tool: LeakTool;
  access_key_id: string;
  /** When the secret became exposed (commit date, scan timestamp or alert creation), ISO. */
  leaked_at: string | null;
  /** File and line, commit, repository or alert URL: where to go and remove it. */
  location: string | null;
  rule: string | null;
  /** The scanner's own validity verdict, when it has one. */
  verified: boolean | null;
}

/** A parsed `--leaks FILE`. */
export interface LeakReport {
  file: string;
  records: LeakRecord[];
  /** Findings for other secret types (GitHub tokens, …) that hold no AWS key id. */
  other: number;
  /** Items no scanner wrote (not an object, or none of gitleaks', TruffleHog's or GitHub's fields): skipped, and a coverage gap. */
  skipped?: number;
}

/** The coverage gap of a leak report whose items could not all be read. */
export function leakReportGaps(r: LeakReport): CoverageGap[] {
  return r.skipped ? [{ source: r.file, detail: `${r.skipped} item(s) are not gitleaks, TruffleHog or GitHub secret-scanning findings; skipped (the other findings loaded)` }] : [];
}

const KEY_ID = /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The first access key id in any of the given values (secret fields are read, never stored). */
function keyIdIn(...values: unknown[]): string | null {
  for (const v of values) {
    const m = typeof v === 'string' ? KEY_ID.exec(v) : null;
    if (m?.[1]) return m[1];
  }
  return null;
}

function isoOrNull(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function gitleaks(o: Obj): LeakRecord | null {
  const key = keyIdIn(o['Secret'], o['Match']);
  if (!key) return null;
  const file = str(o['File']);
  const where = [file && (o['StartLine'] ? `${file}:${String(o['StartLine'])}` : file), str(o['Commit']) && `commit ${String(o['Commit']).slice(0, 12)}`, str(o['Link'])]
    .filter(Boolean).join(' ');
  return { tool: 'gitleaks', access_key_id: key, leaked_at: isoOrNull(o['Date']), location: where || null, rule: str(o['RuleID']), verified: null };
}

function trufflehog(o: Obj): LeakRecord | null {
  const key = keyIdIn(o['Redacted'], o['Raw'], o['RawV2']);
  if (!key) return null;
  const data = isObj(o['SourceMetadata']) && isObj(o['SourceMetadata']['Data']) ? o['SourceMetadata']['Data'] : {};
  const src = Object.values(data).find(isObj) ?? {};
  const file = str(src['file']) ?? str(src['path']);
  const where = [str(src['repository']), file && (src['line'] ? `${file}:${String(src['line'])}` : file),
    str(src['commit']) && `commit ${String(src['commit']).slice(0, 12)}`, str(src['link'])].filter(Boolean).join(' ');
  return {
    tool: 'trufflehog', access_key_id: key, leaked_at: isoOrNull(src['timestamp']), location: where || null,
    rule: str(o['DetectorName']), verified: typeof o['Verified'] === 'boolean' ? o['Verified'] : null,
  };
}

function githubAlert(o: Obj): LeakRecord | null {
  const key = keyIdIn(o['secret']);
  if (!key) return null;
  const loc = isObj(o['first_location_detected']) ? o['first_location_detected'] : {};
  const repo = isObj(o['repository']) ? str(o['repository']['full_name']) : null;
  const where = [repo, str(loc['path']) && (loc['start_line'] ? `${String(loc['path'])}:${String(loc['start_line'])}` : loc['path']),
    str(loc['commit_sha']) && `commit ${String(loc['commit_sha']).slice(0, 12)}`, str(o['html_url'])].filter(Boolean).join(' ');
  const validity = o['validity'];
  return {
    tool: 'github-secret-scanning', access_key_id: key, leaked_at: isoOrNull(o['created_at']), location: where || null,
    rule: str(o['secret_type']), verified: validity === 'active' ? true : validity === 'inactive' ? false : null,
  };
}

/** Which tool wrote this item, by the fields only that tool writes. */
function toolOf(o: Obj): LeakTool | null {
  if ('RuleID' in o && ('Secret' in o || 'Match' in o)) return 'gitleaks';
  if ('DetectorName' in o || 'SourceMetadata' in o) return 'trufflehog';
  if ('secret_type' in o && ('number' in o || 'secret' in o)) return 'github-secret-scanning';
  return null;
}

/** Items of a JSON document or of JSON Lines (TruffleHog writes one object per line). */
function parseItems(file: string, text: string): unknown[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : [v];
  } catch (whole) {
    const lines = text.split(/\r?\n/).map((l, i) => [i + 1, l.trim()] as const).filter(([, l]) => l !== '');
    if (lines.length <= 1) throw new UsageError(`--leaks ${file}: malformed JSON (${jsonErrorWithoutText(whole, text)})`);
    return lines.map(([n, l]) => {
      try {
        return JSON.parse(l) as unknown;
      } catch (e) {
        throw new UsageError(`--leaks ${file}: malformed JSON on line ${n} (${jsonErrorWithoutText(e, l, true)}); expected a JSON array or one JSON object per line`);
      }
    });
  }
}

/**
 * Read a leak report: gitleaks `--report-format json`, TruffleHog `--json` (JSON Lines), or GitHub
 * secret-scanning alerts (`GET /orgs/{org}/secret-scanning/alerts`). Only access key ids are kept.
 * Unreadable, malformed or unrecognised files are usage errors naming the file.
 */
export function readLeakFile(file: string): LeakReport {
  let text: string;
  try {
    text = readTextInput(file);
  } catch (e) {
    if (e instanceof TextEncodingError) throw new UsageError(`--leaks ${file}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--leaks ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${errorMessage(e)})`}`);
  }
  if (text.trim() === '') return { file, records: [], other: 0 };
  const items = parseItems(file, text);
  const records: LeakRecord[] = [];
  let other = 0;
  let recognised = 0;
  let skipped = 0;
  for (const item of items) {
    const tool = isObj(item) ? toolOf(item) : null;
    if (!isObj(item) || !tool) {
      skipped++;
      continue;
    }
    recognised++;
    const r = tool === 'gitleaks' ? gitleaks(item) : tool === 'trufflehog' ? trufflehog(item) : githubAlert(item);
    if (r) records.push(r);
    else other++;
  }
  if (items.length > 0 && recognised === 0) {
    throw new UsageError(`--leaks ${file}: not a gitleaks, TruffleHog or GitHub secret-scanning alert report (no item has RuleID, DetectorName/SourceMetadata or secret_type)`);
  }
  return { file, records, other, ...(skipped ? { skipped } : {}) };
}

/** Put leak records into `leak_reports`. */
export async function loadLeaks(store: Store, runId: string, report: LeakReport): Promise<number> {
  return store.append('leak_reports', new Array(8).fill(''), report.records.map((r) => [
    runId, report.file, r.tool, r.access_key_id, r.leaked_at, r.location, r.rule, r.verified,
  ]));
}
