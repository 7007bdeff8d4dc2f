/**
 * The real-world corpus (fixtures/realworld/<set>/): public data written by others, scanned as a regression
 * suite. Each set holds `export/` (the offline export layout), its licence files, `ORIGIN.yaml` (repository,
 * commit and how every file was taken) and `expected.yaml`:
 *
 * ```yaml
 * scan: { as_of: 2024-12-01T00:00:00Z, lookback: 180d }
 * identities:                       # per identity: the classification it must get
 *   - id: arn:aws:iam::111122223333:user/ci
 *     classification: workload      # or a list of acceptable ones; `none`: no inventory row
 *     evidence: [amazon-ssm-agent]  # optional: texts the classification evidence must contain
 *     evidence_not: [CLAUDE_WORKING_DIR]   # optional: texts it must not contain (false evidence)
 * findings:
 *   must:                           # per category: findings that must be found
 *     - category: runtime-escalation
 *       subject: arn:aws:iam::111122223333:user/ci   # optional (any subject when left out)
 *       detector: aws/runtime-escalation              # optional
 *       evidence: [stratus-red-team]                  # optional: texts the finding (reason + evidence) must contain
 *   must_not:                       # findings that must not be found (false flags)
 *     - category: static-key-automation
 * coverage_gaps:
 *   must: [{ source: members.json }]   # a gap whose source or detail contains the text
 * github_subjects_inventoried: true     # every GitHub finding's subject has an inventory row
 * ```
 *
 * Any expectation may carry `known_failing: <reason>`: the scanner cannot meet it yet. The table shows it, and the
 * check then *pins* it: it fails when such an expectation starts to hold, so the marker is removed in the same
 * change that fixes it. Nothing is hidden: a known failure is reported on every run with its reason.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../../src/kernel/duration.js';
import { runScan } from '../../src/pipeline/pipeline.js';
import type { Finding, InventoryItem, ScanReport } from '../../src/kernel/types.js';

const text = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const known = { known_failing: z.string().min(1).optional() };

const IdentityExpectation = z.object({
  id: z.string().min(1),
  classification: text,
  evidence: text.optional(),
  evidence_not: text.optional(),
  ...known,
}).strict();

const FindingExpectation = z.object({
  category: z.string().min(1),
  subject: z.string().min(1).optional(),
  detector: z.string().min(1).optional(),
  evidence: text.optional(),
  ...known,
}).strict();

const GapExpectation = z.object({ source: z.string().min(1), ...known }).strict();

const Expected = z.object({
  scan: z.object({ as_of: z.string().min(1), lookback: z.string().min(1).default('90d') }).strict(),
  identities: z.array(IdentityExpectation).default([]),
  findings: z.object({
    must: z.array(FindingExpectation).default([]),
    must_not: z.array(FindingExpectation).default([]),
  }).strict().default({ must: [], must_not: [] }),
  coverage_gaps: z.object({ must: z.array(GapExpectation).default([]) }).strict().default({ must: [] }),
  github_subjects_inventoried: z.union([z.boolean(), z.object({ known_failing: z.string().min(1) }).strict()]).optional(),
}).strict();

/** A set's expected.yaml, validated. */
export type Expectations = z.infer<typeof Expected>;

/** One expectation checked against a scan. */
export interface Check {
  /** identity | must | must-not | gap | inventoried */
  kind: 'identity' | 'must' | 'must-not' | 'gap' | 'inventoried';
  /** What was expected, in words (`arn:…: workload`, `runtime-escalation on arn:…`). */
  expected: string;
  /** What the scan gave (`unknown`, `not found`, `found: aws/… on …`). */
  found: string;
  /** The expectation holds. */
  holds: boolean;
  /** The set marks it as not met yet, with this reason. */
  knownFailing: string | null;
}

/** How a check ends up: ok (holds), known (known failing, still failing), regression, or fixed (a known failure that now holds). */
export type Outcome = 'ok' | 'known' | 'regression' | 'fixed';

export function outcome(c: Check): Outcome {
  if (c.knownFailing === null) return c.holds ? 'ok' : 'regression';
  return c.holds ? 'fixed' : 'known';
}

/** One set's result. */
export interface SetResult {
  set: string;
  checks: Check[];
  /** Found findings per category (all of them, expected or not). */
  categories: Record<string, number>;
  identities: number;
  findings: number;
}

/** The corpus folder of this checkout. */
export function corpusRoot(projectRoot: string): string {
  return join(projectRoot, 'fixtures', 'realworld');
}

/** The sets of the corpus this runner checks: folders with `export/` and an expected.yaml, sorted. */
export function listSets(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'export')) && existsSync(join(root, d, 'expected.yaml'))).sort();
}

/** Corpus folders with their own layout and test (e.g. cloudsplaining: test/realworld/cloudsplaining.test.ts), named in the table. */
export function otherSets(root: string): string[] {
  if (!existsSync(root)) return [];
  const mine = new Set(listSets(root));
  return readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory() && !mine.has(d)).sort();
}

/** Read and validate a set's expected.yaml (errors name the file and the field). */
export function readExpectations(setDir: string): Expectations {
  const file = join(setDir, 'expected.yaml');
  const parsed = Expected.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${file}: ${first ? `${first.path.join('.') || '(top)'}: ${first.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** Scan one set's export as its expected.yaml says (in memory; no flag files). */
export async function scanSet(setDir: string, exp: Expectations = readExpectations(setDir)): Promise<ScanReport> {
  return runScan({
    from: join(setDir, 'export'),
    dbPath: ':memory:',
    asOf: new Date(exp.scan.as_of),
    lookbackSeconds: parseDuration(exp.scan.lookback),
    lookbackText: exp.scan.lookback,
  });
}

const lower = (s: string): string => s.toLowerCase();

function evidenceText(row: InventoryItem): string {
  return lower(row.evidence.map((e) => `${e.signal} ${e.detail}`).join('\n'));
}

function findingText(f: Finding): string {
  return lower(`${f.reason}\n${JSON.stringify(f.evidence)}`);
}

function describeFinding(e: z.infer<typeof FindingExpectation>): string {
  return `${e.detector ?? e.category}${e.subject ? ` on ${e.subject}` : ''}${e.evidence?.length ? ` naming ${e.evidence.join(', ')}` : ''}`;
}

function matches(f: Finding, e: z.infer<typeof FindingExpectation>): boolean {
  if (f.category !== e.category) return false;
  if (e.subject && f.subject.id !== e.subject && f.subject.arn !== e.subject) return false;
  if (e.detector && f.detector !== e.detector) return false;
  const t = findingText(f);
  return (e.evidence ?? []).every((x) => t.includes(lower(x)));
}

/** Check a scan against a set's expectations. Pure: the same report gives the same checks. */
export function checkReport(set: string, exp: Expectations, report: ScanReport): SetResult {
  const checks: Check[] = [];
  const byId = new Map(report.inventory.map((i) => [i.id, i]));

  for (const e of exp.identities) {
    const row = byId.get(e.id);
    const classOk = row === undefined ? e.classification.includes('none') : e.classification.includes(row.classification);
    const ev = row ? evidenceText(row) : '';
    const missing = row ? (e.evidence ?? []).filter((x) => !ev.includes(lower(x))) : [];
    const wrong = (e.evidence_not ?? []).filter((x) => ev.includes(lower(x)));
    const found = !row ? 'no inventory row'
      : `${row.classification}${missing.length ? `; evidence lacks ${missing.join(', ')}` : ''}${wrong.length ? `; evidence names ${wrong.join(', ')}` : ''}`
        + ` (${row.evidence.filter((x) => x.signal !== 'not an agent').map((x) => `${x.signal}: ${x.detail}`.slice(0, 90)).join('; ') || 'no evidence'})`;
    checks.push({
      kind: 'identity',
      expected: `${e.id}: ${e.classification.join(' or ')}${e.evidence?.length ? ` with evidence ${e.evidence.join(', ')}` : ''}${e.evidence_not?.length ? ` without ${e.evidence_not.join(', ')}` : ''}`,
      found,
      holds: classOk && missing.length === 0 && wrong.length === 0,
      knownFailing: e.known_failing ?? null,
    });
  }

  for (const e of exp.findings.must) {
    const hit = report.findings.find((f) => matches(f, e));
    const near = report.findings.filter((f) => f.category === e.category && (!e.subject || f.subject.id === e.subject || f.subject.arn === e.subject));
    checks.push({
      kind: 'must',
      expected: describeFinding(e),
      found: hit ? `${hit.detector} on ${hit.subject.id}` : near.length ? `${near.length} ${e.category} finding(s), none matching` : 'nothing',
      holds: hit !== undefined,
      knownFailing: e.known_failing ?? null,
    });
  }

  for (const e of exp.findings.must_not) {
    const hits = report.findings.filter((f) => matches(f, e));
    checks.push({
      kind: 'must-not',
      expected: `no ${describeFinding(e)}`,
      found: hits.length ? `false flag: ${hits.map((f) => `${f.detector} on ${f.subject.id}`).slice(0, 3).join('; ')}${hits.length > 3 ? ` (+${hits.length - 3})` : ''}` : 'none',
      holds: hits.length === 0,
      knownFailing: e.known_failing ?? null,
    });
  }

  for (const e of exp.coverage_gaps.must) {
    const gaps = report.run.coverage_gaps;
    const hit = gaps.find((g) => lower(`${g.source} ${g.detail}`).includes(lower(e.source)));
    checks.push({
      kind: 'gap',
      expected: `coverage gap naming ${e.source}`,
      found: hit ? `gap: ${hit.source}` : `${gaps.length} gap(s), none naming it`,
      holds: hit !== undefined,
      knownFailing: e.known_failing ?? null,
    });
  }

  if (exp.github_subjects_inventoried !== undefined && exp.github_subjects_inventoried !== false) {
    const orphans = report.findings.filter((f) => f.subject.id.startsWith('github://') && !byId.has(f.subject.id));
    checks.push({
      kind: 'inventoried',
      expected: 'every GitHub finding\'s subject has an inventory row',
      found: orphans.length ? `no row for ${[...new Set(orphans.map((f) => f.subject.id))].slice(0, 3).join('; ')}` : 'all have rows',
      holds: orphans.length === 0,
      knownFailing: typeof exp.github_subjects_inventoried === 'object' ? exp.github_subjects_inventoried.known_failing : null,
    });
  }

  const categories: Record<string, number> = {};
  for (const f of report.findings) categories[f.category] = (categories[f.category] ?? 0) + 1;
  return { set, checks, categories, identities: report.inventory.length, findings: report.findings.length };
}

/** Scan and check one set. */
export async function runSet(root: string, set: string): Promise<SetResult> {
  const dir = join(root, set);
  const exp = readExpectations(dir);
  return checkReport(set, exp, await scanSet(dir, exp));
}

/** The table `npm run realworld` prints: one line per set, then every miss, false flag and known failure by name. */
export function renderTable(results: SetResult[]): string {
  const count = (r: SetResult, o: Outcome): number => r.checks.filter((c) => outcome(c) === o).length;
  const head = ['set', 'identities', 'findings', 'expected', 'met', 'known-failing', 'regressions', 'fixed'];
  const rows = results.map((r) => [r.set, String(r.identities), String(r.findings), String(r.checks.length), String(count(r, 'ok')),
    String(count(r, 'known')), String(count(r, 'regression')), String(count(r, 'fixed'))]);
  const total = (i: number): string => String(rows.reduce((s, r) => s + Number(r[i]), 0));
  rows.push(['total', total(1), total(2), total(3), total(4), total(5), total(6), total(7)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1] ?? [])];
  const label: Record<Outcome, string> = { ok: 'ok', known: 'KNOWN-FAILING', regression: 'REGRESSION', fixed: 'FIXED (remove known_failing)' };
  for (const r of results) {
    const notOk = r.checks.filter((c) => outcome(c) !== 'ok');
    const cats = Object.entries(r.categories).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
    out.push('', `${r.set}: findings by category: ${cats}`);
    for (const c of notOk) {
      const what = c.kind === 'must-not' ? 'false flag' : c.kind === 'identity' ? 'classification' : c.kind === 'gap' ? 'coverage gap' : c.kind === 'inventoried' ? 'inventory' : 'miss';
      out.push(`  ${label[outcome(c)]} ${what}: expected ${c.expected}; found ${c.found}${c.knownFailing ? `  [known failing: ${c.knownFailing}]` : ''}`);
    }
  }
  return out.join('\n');
}

/** True when no set regressed and no known failure silently started to hold. */
export function passed(results: SetResult[]): boolean {
  return results.every((r) => r.checks.every((c) => outcome(c) === 'ok' || outcome(c) === 'known'));
}
