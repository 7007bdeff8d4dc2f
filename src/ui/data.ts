/**
 * The terminal UI's query layer over a stored run (runs, run_inventory, run_findings, coverage_gaps,
 * run_identity_summary). Every list is paged in DuckDB (LIMIT/OFFSET, with filters and sort pushed into SQL
 * over the JSON bodies), so the UI holds one screen of rows, never the whole run. No React here.
 */
import { UsageError } from '../kernel/errors.js';
import {
  SEVERITIES, emptyRunCounts, type Classification, type CoverageGap, type Finding, type InventoryItem, type RunInfo, type Severity,
} from '../kernel/types.js';
import type { Store } from '../store/db.js';
import { latestRunId, runExists } from '../store/history.js';
import { runCounts } from '../store/trends.js';
import { persistUiRows, severityOrderParam, type ActivitySummary, type GrantsSummary, type IdentitySummary } from '../store/run-summary.js';

/** Classifications in display order. */
export const CLASSIFICATIONS: readonly Classification[] = ['agent', 'workload', 'human', 'aws-service', 'unknown'];

/** Sort orders of the Inventory view, in the order `s` cycles through them. */
export const INVENTORY_SORTS = ['risk', 'findings', 'name', 'classification', 'account', 'owner'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

/** Sort orders of the Findings view, in the order `s` cycles through them. */
export const FINDING_SORTS = ['severity', 'category', 'subject', 'detector'] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

/** A page request: which rows, filtered how, sorted how. */
export interface PageQuery<S extends string, F extends string> {
  /** Case-insensitive substring over name, ARN, owner and finding category (default: none). */
  text?: string;
  /** Classification (Inventory) or severity (Findings) to keep (default: all). */
  only?: F;
  sort: S;
  offset: number;
  limit: number;
}

/** One Inventory row as the list shows it. */
export interface InventoryRow {
  id: string;
  kind: string;
  classification: Classification;
  name: string;
  arn: string;
  account: string;
  owner: string | null;
  owner_source: string;
  risk_score: number;
  finding_count: number;
}

/** One Findings row as the list shows it. */
export interface FindingRow {
  id: string;
  severity: Severity;
  category: string;
  detector: string;
  subject_id: string;
  subject: string;
  reason: string;
}

/** A page of rows and the number of rows matching the filter. */
export interface Page<T> {
  rows: T[];
  total: number;
}

/** The summary header: the run, counts by classification and severity, coverage gaps. */
export interface Summary {
  run: RunInfo;
  byClassification: Record<Classification, number>;
  bySeverity: Record<Severity, number>;
}

/** Everything the Detail view shows about one identity. */
export interface IdentityDetail {
  /** The inventory row; null when a finding names a subject the inventory does not list. */
  item: InventoryItem | null;
  /** The identity this one belongs to (an access key's user). */
  parent: InventoryItem | null;
  /** Credentials of the identity: inventory rows whose parent_id is it (access keys of a user). */
  credentials: InventoryItem[];
  /** Its findings, most severe first. */
  findings: Finding[];
  grants: GrantsSummary | null;
  /** Where the grants summary came from. */
  grants_source: 'run' | 'aws/overbroad evidence' | null;
  activity: ActivitySummary | null;
  /** The run's as-of (ISO): ages are counted to it, as `explain` counts them to --as-of, not to the wall clock. */
  as_of?: string;
}

/** What the UI asks of its data; `StoreSource` answers from DuckDB, tests may pass another. */
export interface UiSource {
  summary(): Promise<Summary>;
  inventory(q: PageQuery<InventorySort, Classification>): Promise<Page<InventoryRow>>;
  findings(q: PageQuery<FindingSort, Severity>): Promise<Page<FindingRow>>;
  detail(identityId: string): Promise<IdentityDetail>;
  /** What the `e` key writes: the text `shadowscan explain ID` prints. */
  explain(identityId: string): Promise<ExportText>;
  /** What the `r` key writes: the text `shadowscan registry suggest --identity ID` prints. */
  registryEntry(identityId: string): Promise<ExportText>;
}

/** A text the Detail view writes to a file, and the stored run it was computed from. */
export interface ExportText {
  text: string;
  /** The run the text describes (`explain` and `suggest` read the latest scan in the database). */
  runId: string | null;
}

/** The run to show: `runId` if given (must be a completed run), else the latest completed run. */
export async function resolveRun(store: Store, runId?: string): Promise<string> {
  if (runId) {
    if (!(await runExists(store, runId))) throw new UsageError(`--run ${runId}: no completed run with that id in ${store.path} (see \`shadowscan diff --db ${store.path} --list\`)`);
    return runId;
  }
  const latest = await latestRunId(store);
  if (!latest) throw new UsageError(`--db ${store.path}: no completed run stored yet (run \`shadowscan scan --from DIR --db ${store.path}\` first)`);
  return latest;
}


const INVENTORY_ORDER: Record<InventorySort, string> = {
  risk: 'risk_score DESC, finding_count DESC, name, id',
  findings: 'finding_count DESC, risk_score DESC, name, id',
  name: 'lower(name), id',
  classification: `CASE classification WHEN 'agent' THEN 0 WHEN 'workload' THEN 1 WHEN 'unknown' THEN 2 WHEN 'human' THEN 3 ELSE 4 END, risk_score DESC, name, id`,
  account: 'account, risk_score DESC, name, id',
  owner: 'owner NULLS FIRST, risk_score DESC, name, id',
};

const FINDING_ORDER: Record<FindingSort, string> = {
  severity: 'sev_rank, detector, subject_id, id',
  category: 'category, sev_rank, subject_id, id',
  subject: 'subject, sev_rank, detector, id',
  detector: 'detector, sev_rank, subject_id, id',
};

/** Escape LIKE wildcards so the user's text matches literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Answers the UI's queries for one run from the store. */
export class StoreSource implements UiSource {
  constructor(
    readonly store: Store,
    readonly runId: string,
  ) {}

  /** A source for `runId`, writing the run's list rows first if it predates migration 81. */
  static async open(store: Store, runId: string): Promise<StoreSource> {
    const has = await store.one<{ n: number }>('SELECT count(*) AS n FROM ui_inventory WHERE run_id = $run', { run: runId });
    if (!has?.n) await persistUiRows(store, runId);
    return new StoreSource(store, runId);
  }

  async summary(): Promise<Summary> {
    const p = { run: this.runId };
    const run = await this.store.one<{ id: string; started_at: string | null; finished_at: string | null; as_of: string | null; lookback: string | null; sources: unknown; counts: unknown }>(
      'SELECT id, started_at, finished_at, as_of, lookback, sources, counts FROM runs WHERE id = $run', p);
    if (!run) throw new UsageError(`run ${this.runId}: not in ${this.store.path}`);
    const gaps = await this.store.all<CoverageGap>('SELECT source, detail FROM coverage_gaps WHERE run_id = $run ORDER BY source, detail', p);
    const perRun = await runCounts(this.store, this.runId);
    const byClassification = { ...Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])), ...perRun.identities_by_classification } as Record<Classification, number>;
    const bySeverity = { ...Object.fromEntries(SEVERITIES.map((s) => [s, 0])), ...perRun.findings_by_severity } as Record<Severity, number>;
    const counts = emptyRunCounts(parseJson<Partial<RunInfo['counts']>>(run.counts) ?? {});
    return {
      run: {
        id: run.id,
        started_at: run.started_at ?? '',
        finished_at: run.finished_at ?? '',
        as_of: run.as_of ?? '',
        lookback: run.lookback ?? '',
        sources: parseJson<string[]>(run.sources) ?? [],
        counts: {
          ...counts,
          identities: Object.values(byClassification).reduce((a, b) => a + b, 0),
          findings: Object.values(bySeverity).reduce((a, b) => a + b, 0),
        },
        coverage_gaps: gaps,
      },
      byClassification,
      bySeverity,
    };
  }

  async inventory(q: PageQuery<InventorySort, Classification>): Promise<Page<InventoryRow>> {
    const where = ['run_id = $run'];
    const params: Record<string, string | number> = { run: this.runId, limit: q.limit, offset: q.offset };
    if (q.only) {
      where.push('classification = $only');
      params['only'] = q.only;
    }
    if (q.text) {
      where.push(`search LIKE $text ESCAPE '\\'`);
      params['text'] = likePattern(q.text);
    }
    const base = `WITH hit AS (
        SELECT id, kind, classification, name, arn, account, owner, owner_source, risk_score, finding_count
        FROM ui_inventory WHERE ${where.join(' AND ')})`;
    return this.page<InventoryRow>(base, INVENTORY_ORDER[q.sort], params);
  }

  /** One page of `hit` rows in `order`, with the total (counted apart only when the page is empty). */
  private async page<T>(base: string, order: string, params: Record<string, string | number>): Promise<Page<T>> {
    const rows = await this.store.all<T & { total: number }>(`${base} SELECT *, count(*) OVER () AS total FROM hit ORDER BY ${order} LIMIT $limit OFFSET $offset`, params);
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && Number(params['offset']) > 0) {
      const { limit: _l, offset: _o, ...p } = params;
      total = (await this.store.one<{ n: number }>(`${base} SELECT count(*) AS n FROM hit`, p))?.n ?? 0;
    }
    return { rows: rows.map(({ total: _t, ...r }) => r as T), total };
  }

  async findings(q: PageQuery<FindingSort, Severity>): Promise<Page<FindingRow>> {
    const where = ['run_id = $run'];
    const params: Record<string, string | number> = { run: this.runId, limit: q.limit, offset: q.offset };
    if (q.only) {
      where.push('severity = $only');
      params['only'] = q.only;
    }
    if (q.text) {
      where.push(`search LIKE $text ESCAPE '\\'`);
      params['text'] = likePattern(q.text);
    }
    const base = `WITH hit AS (
        SELECT id, severity, sev_rank, category, detector, subject_id, subject, reason FROM ui_findings WHERE ${where.join(' AND ')})`;
    const page = await this.page<FindingRow & { sev_rank?: number }>(base, FINDING_ORDER[q.sort], params);
    return { rows: page.rows.map(({ sev_rank: _s, ...r }) => r), total: page.total };
  }

  async detail(identityId: string): Promise<IdentityDetail> {
    const p = { run: this.runId, id: identityId };
    const item = await this.bodyOf<InventoryItem>('SELECT body FROM run_inventory WHERE run_id = $run AND identity_id = $id LIMIT 1', p);
    const parent = item?.parent_id
      ? await this.bodyOf<InventoryItem>('SELECT body FROM run_inventory WHERE run_id = $run AND identity_id = $id LIMIT 1', { run: this.runId, id: item.parent_id })
      : null;
    const credentials = (await this.store.all<{ body: unknown }>(
      `SELECT body FROM run_inventory WHERE run_id = $run AND json_extract_string(body, '$.parent_id') = $id ORDER BY identity_id LIMIT 50`, p))
      .map((r) => parseJson<InventoryItem>(r.body)).filter((x): x is InventoryItem => x !== null);
    const findings = (await this.store.all<{ body: unknown }>(
      `SELECT body FROM run_findings WHERE run_id = $run AND subject_id = $id ORDER BY list_position($severity_order, severity), detector, finding_id LIMIT 200`, { ...p, severity_order: severityOrderParam() }))
      .map((r) => parseJson<Finding>(r.body)).filter((x): x is Finding => x !== null);
    const summary = await this.bodyOf<IdentitySummary>('SELECT body FROM run_identity_summary WHERE run_id = $run AND identity_id = $id LIMIT 1', p);
    let grants: GrantsSummary | null = summary?.grants ?? null;
    let grantsSource: IdentityDetail['grants_source'] = grants ? 'run' : null;
    if (!grants) {
      grants = grantsFromOverbroad(findings);
      if (grants) grantsSource = 'aws/overbroad evidence';
    }
    const asOf = await this.store.one<{ as_of: string }>('SELECT as_of FROM runs WHERE id = $run', { run: this.runId });
    return { item, parent, credentials, findings, grants, grants_source: grantsSource, activity: summary?.activity ?? null, ...(asOf?.as_of ? { as_of: asOf.as_of } : {}) };
  }

  async explain(identityId: string): Promise<ExportText> {
    // Loaded on first use: the registry modules are not needed to draw the first screen.
    const { explainStored } = await import('../registry/explain.js');
    return explainStored(this.store, identityId);
  }

  async registryEntry(identityId: string): Promise<ExportText> {
    const { suggestStored } = await import('../pipeline/evaluate.js');
    const s = await suggestStored({ dbPath: this.store.path, store: this.store, identity: identityId });
    return { text: s.text, runId: s.evaluation.run?.id ?? null };
  }

  private async bodyOf<T>(sql: string, params: Record<string, string>): Promise<T | null> {
    const r = await this.store.one<{ body: unknown }>(sql, params);
    return r ? parseJson<T>(r.body) : null;
  }
}

/** Runs before migration 80 have no stored summary: the aws/overbroad evidence carries granted vs used. */
function grantsFromOverbroad(findings: Finding[]): GrantsSummary | null {
  const f = findings.find((x) => x.detector === 'aws/overbroad');
  if (!f) return null;
  const e = f.evidence as Record<string, unknown>;
  const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const actions = num(e['granted_action_count']);
  const unused = typeof e['unused_share'] === 'number' ? e['unused_share'] : null;
  return {
    actions,
    services: num(e['granted_service_count']),
    by_level: [],
    policies: [],
    wildcards: list(e['broad_grants']),
    used_granted: unused === null ? 0 : Math.round(actions * (1 - unused)),
    unused_share: unused,
  };
}

/** JSON columns come back as text from DuckDB; parse once, tolerate already-parsed values. */
function parseJson<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return null;
    }
  }
  return v as T;
}
