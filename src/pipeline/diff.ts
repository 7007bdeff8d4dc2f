import { severityRank, type DiffSide, type Finding, type GrantSummary, type InventoryItem, type ScanReport, type Severity } from '../kernel/types.js';

/** A finding present in both runs whose assessment changed. */
export interface FindingChange {
  finding: Finding;
  previous: Finding;
  changes: string[];
}

/** What changed about one identity between two runs. */
export interface IdentityChange {
  identity: InventoryItem;
  previous: InventoryItem;
  changes: { kind: 'classification' | 'owner-removed' | 'owner-changed' | 'grants-widened' | 'grants-narrowed' | 'risk-up'; detail: string }[];
}

/** New, resolved and changed findings and identities between two reports. */
export interface ReportDiff {
  from: { run_id: string; as_of: string } | null;
  to: { run_id: string; as_of: string };
  findings: { new: Finding[]; resolved: Finding[]; changed: FindingChange[] };
  identities: { new: InventoryItem[]; removed: InventoryItem[]; changed: IdentityChange[] };
}

function ownerText(i: InventoryItem): string {
  return i.owner.value === null ? 'none' : `${i.owner.value} (${i.owner.source}${i.owner.tag ? ` ${i.owner.tag}` : ''})`;
}

/** A declared owner (tag or registry) counts as an owner; a creator is only a suggestion. */
function declaredOwner(i: InventoryItem): string | null {
  return i.owner.source === 'tag' || i.owner.source === 'registry' ? i.owner.value : null;
}

function identityChanges(prev: InventoryItem, cur: InventoryItem, pg?: GrantSummary, cg?: GrantSummary): IdentityChange['changes'] {
  const out: IdentityChange['changes'] = [];
  if (prev.classification !== cur.classification) {
    out.push({ kind: 'classification', detail: `classified ${prev.classification} → ${cur.classification}${cur.classification === 'agent' ? ' (now an AI agent)' : ''}` });
  }
  const po = declaredOwner(prev);
  const co = declaredOwner(cur);
  if (po !== null && co === null) out.push({ kind: 'owner-removed', detail: `owner removed (was ${ownerText(prev)}; now ${ownerText(cur)})` });
  else if (po !== null && co !== null && po !== co) out.push({ kind: 'owner-changed', detail: `owner changed ${po} → ${co}` });
  if (pg && cg) {
    const added = cg.patterns.filter((p) => !pg.patterns.includes(p));
    if (cg.action_count > pg.action_count || added.length > 0) {
      const parts = [`${pg.action_count} → ${cg.action_count} actions`];
      if (cg.write_count !== pg.write_count) parts.push(`${pg.write_count} → ${cg.write_count} write/permission actions`);
      if (added.length > 0) parts.push(`new grants ${added.slice(0, 5).join(', ')}${added.length > 5 ? ` (+${added.length - 5})` : ''}`);
      out.push({ kind: 'grants-widened', detail: `grants widened: ${parts.join('; ')}` });
    } else if (cg.action_count < pg.action_count) {
      out.push({ kind: 'grants-narrowed', detail: `grants narrowed: ${pg.action_count} → ${cg.action_count} actions` });
    }
  } else if (!pg && cg && cg.action_count > 0 && prev) {
    out.push({ kind: 'grants-widened', detail: `grants widened: none → ${cg.action_count} actions` });
  }
  if (cur.risk_score - prev.risk_score >= 10) out.push({ kind: 'risk-up', detail: `risk ${prev.risk_score} → ${cur.risk_score}` });
  return out;
}

/** Compare two runs (or a baseline report and a run). `from` null: everything in `to` is new. */
export function diffReports(from: DiffSide | null, to: DiffSide): ReportDiff {
  const prevF = new Map((from?.report.findings ?? []).map((f) => [f.id, f]));
  const curF = new Map(to.report.findings.map((f) => [f.id, f]));
  const changedF: FindingChange[] = [];
  for (const f of to.report.findings) {
    const p = prevF.get(f.id);
    if (!p) continue;
    const changes: string[] = [];
    if (p.severity !== f.severity) changes.push(`severity ${p.severity} → ${f.severity}`);
    if (p.confidence !== f.confidence) changes.push(`confidence ${p.confidence} → ${f.confidence}`);
    if (changes.length > 0) changedF.push({ finding: f, previous: p, changes });
  }
  const prevI = new Map((from?.report.inventory ?? []).map((i) => [i.id, i]));
  const curI = new Map(to.report.inventory.map((i) => [i.id, i]));
  const changedI: IdentityChange[] = [];
  for (const i of to.report.inventory) {
    const p = prevI.get(i.id);
    if (!p) continue;
    const changes = identityChanges(p, i, from?.grants?.get(i.id), from?.grants ? to.grants?.get(i.id) : undefined);
    if (changes.length > 0) changedI.push({ identity: i, previous: p, changes });
  }
  return {
    from: from ? { run_id: from.report.run.id, as_of: from.report.run.as_of } : null,
    to: { run_id: to.report.run.id, as_of: to.report.run.as_of },
    findings: {
      new: to.report.findings.filter((f) => !prevF.has(f.id)),
      resolved: (from?.report.findings ?? []).filter((f) => !curF.has(f.id)),
      changed: changedF,
    },
    identities: {
      new: to.report.inventory.filter((i) => !prevI.has(i.id)),
      removed: (from?.report.inventory ?? []).filter((i) => !curI.has(i.id)),
      changed: changedI,
    },
  };
}

/** A finding lifecycle event: what every sink delivers and the daemon's outbox stores. */
export interface FindingEvent {
  type: 'finding.new' | 'finding.resolved' | 'finding.changed';
  run_id: string;
  finding: Finding;
  /** For `finding.changed`: what changed, e.g. "severity medium → high". */
  changes?: string[];
}

/** The lifecycle events of a diff: new, changed and resolved findings, in that order. */
export function eventsFromDiff(diff: ReportDiff): FindingEvent[] {
  const run_id = diff.to.run_id;
  return [
    ...diff.findings.new.map((finding): FindingEvent => ({ type: 'finding.new', run_id, finding })),
    ...diff.findings.changed.map((c): FindingEvent => ({ type: 'finding.changed', run_id, finding: c.finding, changes: c.changes })),
    ...diff.findings.resolved.map((finding): FindingEvent => ({ type: 'finding.resolved', run_id, finding })),
  ];
}

/** `--fail-on` policy: any finding at or above a severity, or only findings new since a baseline. */
export interface GatePolicy {
  severity: Severity;
  onlyNew: boolean;
}

/** Parse `high` or `new:high`; null when the text is neither. */
export function parseGate(text: string, severities: readonly Severity[]): GatePolicy | null {
  const m = /^(new:)?([a-z]+)$/.exec(text.trim().toLowerCase());
  if (!m || !(severities as readonly string[]).includes(m[2]!)) return null;
  return { severity: m[2] as Severity, onlyNew: Boolean(m[1]) };
}

/** The findings that violate the policy. `baseline` = finding ids already known (null: none known, all are new). */
export function gateViolations(report: ScanReport, policy: GatePolicy, baseline: Set<string> | null): Finding[] {
  return report.findings.filter((f) => severityRank(f.severity) >= severityRank(policy.severity) && (!policy.onlyNew || !baseline || !baseline.has(f.id)));
}
