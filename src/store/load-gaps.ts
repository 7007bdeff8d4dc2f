import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../kernel/errors.js';
import type { CoverageGap } from '../kernel/types.js';
import { jsonErrorWithoutText } from '../kernel/redact.js';
import { readTextInput } from '../kernel/text-input.js';

/** File at the top of an export directory where `shadowscan collect` records what it could not read. */
export const COVERAGE_GAPS_FILE = 'coverage-gaps.json';

/** One gap as collect records it: the report's source/detail plus where and what was missing. */
export interface RecordedGap extends CoverageGap {
  account: string | null;
  region: string | null;
  /** API name, e.g. "GetAccountAuthorizationDetails". */
  api: string | null;
  /** The IAM action that was denied, when the call was denied. */
  permission: string | null;
}

/** DIR/coverage-gaps.json. */
export interface CoverageGapsFile {
  version: 1;
  collected_at: string;
  accounts: { id: string; via: string }[];
  gaps: RecordedGap[];
}

/**
 * Coverage gaps recorded by a collect run in `dir` (none when the file is absent), so an offline
 * scan of a collected export reports what the collection missed. An unreadable file is a gap itself.
 */
export function loadCoverageGaps(dir: string): CoverageGap[] {
  const file = join(dir, COVERAGE_GAPS_FILE);
  if (!existsSync(file)) return [];
  let doc: Partial<CoverageGapsFile>;
  let text = '';
  try {
    text = readTextInput(file);
    doc = JSON.parse(text) as Partial<CoverageGapsFile>;
  } catch (e) {
    const why = e instanceof SyntaxError ? jsonErrorWithoutText(e, text) : errorMessage(e).split('\n')[0];
    return [{ source: file, detail: `unreadable coverage-gaps file (${why}); what the collection missed is unknown` }];
  }
  if (!doc || !Array.isArray(doc.gaps)) return [{ source: file, detail: 'not a shadowscan coverage-gaps file (no gaps array); what the collection missed is unknown' }];
  return doc.gaps
    .filter((g): g is RecordedGap => Boolean(g) && typeof g.source === 'string' && typeof g.detail === 'string')
    .map((g) => ({ source: g.source, detail: `collect: ${g.detail}` }));
}

/** The calls a collect run in `dir` recorded as denied (gaps naming a permission); none when the file is absent or unreadable. */
export function deniedCalls(dir: string): RecordedGap[] {
  try {
    const doc = JSON.parse(readFileSync(join(dir, COVERAGE_GAPS_FILE), 'utf8')) as Partial<CoverageGapsFile>;
    return Array.isArray(doc.gaps) ? doc.gaps.filter((g): g is RecordedGap => Boolean(g) && typeof g.permission === 'string' && typeof g.api === 'string') : [];
  } catch {
    return [];
  }
}
