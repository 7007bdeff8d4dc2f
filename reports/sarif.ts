import type { DetectorInfo, ReportContext } from '../src/kernel/catalogue.js';
import type { Finding, ScanReport } from '../src/kernel/types.js';
import { TOOL_NAME, TOOL_URI, TOOL_VERSION } from '../src/kernel/version.js';
import { CONFIDENCE_OUTPUT, SEVERITY_OUTPUT } from './severity.js';

/** The `$schema` every SARIF file names (the OASIS 2.1.0 schema, vendored at reports/schema/sarif-2.1.0.json). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where a GitHub-side finding points: a file in a repository and a line (set by GitHub detectors). */
export interface SourceLocation {
  path: string;
  line?: number;
  repo?: string;
}

/** The file-and-line location a finding carries in `evidence.location`, if any. */
export function sourceLocation(f: Finding): SourceLocation | null {
  const loc = f.evidence['location'];
  if (!loc || typeof loc !== 'object') return null;
  const { path, line, repo } = loc as Record<string, unknown>;
  if (typeof path !== 'string' || path.length === 0) return null;
  const out: SourceLocation = { path: path.replace(/^\/+/, '') };
  if (typeof line === 'number' && Number.isInteger(line) && line >= 1) out.line = line;
  if (typeof repo === 'string') out.repo = repo;
  return out;
}

/**
 * A stable pseudo-file for a cloud identity, so code scanning (which needs a physical location) can show
 * the alert and track it across runs: `aws/<account>/<service>/<resource path>` from the ARN. The ARN
 * itself goes into `logicalLocations`. ARNs cannot be used as the URI as they are: `arn:` would be read
 * as a URI scheme.
 */
export function pseudoPath(f: Finding): string {
  const arn = f.subject.type === 'access-key' ? null : f.subject.arn;
  const m = arn ? /^arn:[^:]*:([^:]*):[^:]*:([^:]*):(.+)$/.exec(arn) : null;
  const segments = m
    ? ['aws', m[2] || 'global', m[1] ?? 'unknown', ...(m[3] ?? '').split(/[/:]/)]
    : [f.subject.id.startsWith('arn:') || /^A[KS]IA/.test(f.subject.id) ? 'aws' : (f.detector.split('/')[0] ?? 'identity'), f.subject.account ?? 'unknown', f.subject.type, f.subject.id];
  return segments.filter((s) => s.length > 0).map((s) => encodeURIComponent(s)).join('/');
}

/** `aws/overbroad` → `AwsOverbroad` (SARIF rule names are identifiers). */
function ruleName(id: string): string {
  return id.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function ruleHelp(d: DetectorInfo): { text: string; markdown: string } {
  const text = [
    d.rationale,
    '',
    `Remediation: ${d.remediation.summary}`,
    ...d.remediation.steps.map((s, i) => `${i + 1}. ${s}`),
    ...(d.remediation.commands.length > 0 ? ['', 'Commands:', ...d.remediation.commands.map((c) => `  ${c}`)] : []),
    ...(d.false_positives.length > 0 ? ['', 'False positives:', ...d.false_positives.map((x) => `- ${x}`)] : []),
    ...(d.references.length > 0 ? ['', 'References:', ...d.references.map((r) => `- ${r}`)] : []),
  ].join('\n');
  const markdown = [
    d.rationale,
    '',
    `**Remediation:** ${d.remediation.summary}`,
    '',
    ...d.remediation.steps.map((s, i) => `${i + 1}. ${s}`),
    ...(d.remediation.commands.length > 0 ? ['', '```sh', ...d.remediation.commands, '```'] : []),
    ...(d.false_positives.length > 0 ? ['', '**False positives:**', '', ...d.false_positives.map((x) => `- ${x}`)] : []),
    ...(d.references.length > 0 ? ['', '**References:**', '', ...d.references.map((r) => `- <${r}>`)] : []),
    '',
    `**Mappings:** OWASP ${d.mappings.owasp_nhi.join(', ')}${d.mappings.mitre_attack.length > 0 ? `; MITRE ATT&CK ${d.mappings.mitre_attack.join(', ')}` : ''}`,
  ].join('\n');
  return { text, markdown };
}

/** A catalogue entry for a finding whose detector is not in the catalogue (e.g. rendering an old baseline). */
function infoFromFinding(f: Finding): DetectorInfo {
  return {
    id: f.detector, title: f.title, category: f.category, severity: f.severity, confidence: f.confidence,
    summary: f.title, rationale: f.title, false_positives: [],
    remediation: { summary: f.remediation.summary, steps: f.remediation.steps, commands: [] },
    references: [], mappings: { owasp_nhi: f.owasp_nhi, mitre_attack: f.mitre_attack },
  };
}

function rule(d: DetectorInfo): Record<string, unknown> {
  const sev = SEVERITY_OUTPUT[d.severity];
  return {
    id: d.id,
    name: ruleName(d.id),
    shortDescription: { text: d.title },
    fullDescription: { text: d.summary },
    ...(d.references[0] ? { helpUri: d.references[0] } : {}),
    help: ruleHelp(d),
    defaultConfiguration: { level: sev.sarifLevel },
    properties: {
      tags: ['security', 'non-human-identity', d.category, ...d.mappings.owasp_nhi.map((o) => `owasp-nhi/${o}`), ...d.mappings.mitre_attack.map((t) => `mitre-attack/${t}`)],
      precision: CONFIDENCE_OUTPUT[d.confidence].sarifPrecision,
      'security-severity': sev.securitySeverity,
      problem: { severity: d.severity === 'info' ? 'recommendation' : d.severity === 'low' || d.severity === 'medium' ? 'warning' : 'error' },
    },
  };
}

function result(f: Finding, ruleIndex: number): Record<string, unknown> {
  const src = sourceLocation(f);
  const physicalLocation = src
    ? { artifactLocation: { uri: src.path, uriBaseId: '%SRCROOT%' }, region: { startLine: src.line ?? 1 } }
    : { artifactLocation: { uri: pseudoPath(f) }, region: { startLine: 1 } };
  const subjectName = f.subject.arn ?? f.subject.id;
  const next = f.remediation.commands[0] ? ` Next step: ${f.remediation.summary} (\`${f.remediation.commands[0]}\`)` : ` Next step: ${f.remediation.summary}`;
  return {
    ruleId: f.detector,
    ruleIndex,
    level: SEVERITY_OUTPUT[f.severity].sarifLevel,
    message: { text: `${f.reason} [${f.subject.type} ${f.subject.type === 'access-key' ? f.subject.id : subjectName}${src?.repo ? ` in ${src.repo}/${src.path}${src.line ? `:${src.line}` : ''}` : ''}]${next}` },
    locations: [{
      physicalLocation,
      logicalLocations: [{ name: f.subject.id.split(/[/:]/).pop() ?? f.subject.id, fullyQualifiedName: f.subject.type === 'access-key' ? f.subject.id : subjectName, kind: 'resource' }],
    }],
    partialFingerprints: { 'shadowscanFindingId/v1': f.id },
    properties: {
      'security-severity': SEVERITY_OUTPUT[f.severity].securitySeverity,
      severity: f.severity,
      confidence: f.confidence,
      category: f.category,
      subject: f.subject,
      ...(src?.repo ? { repository: src.repo } : {}),
      first_seen: f.first_seen,
      last_seen: f.last_seen,
      owasp_nhi: f.owasp_nhi,
      mitre_attack: f.mitre_attack,
      remediation: f.remediation,
    },
  };
}

/**
 * SARIF 2.1.0 for CI and GitHub code scanning: one rule per detector (help from rationale and remediation,
 * `security-severity` from severity), one result per finding. GitHub-side findings point at the workflow
 * file and line; cloud identities at a stable pseudo-file plus a logical location holding the ARN.
 * Coverage gaps become tool execution notifications.
 */
export function renderSarif(report: ScanReport, ctx: ReportContext): string {
  const catalogue = new Map(ctx.detectors.map((d) => [d.id, d]));
  for (const f of report.findings) if (!catalogue.has(f.detector)) catalogue.set(f.detector, infoFromFinding(f));
  const infos = [...catalogue.values()].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(infos.map((d, i) => [d.id, i]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: TOOL_VERSION,
          semanticVersion: TOOL_VERSION,
          informationUri: TOOL_URI,
          rules: infos.map(rule),
        },
      },
      invocations: [{
        executionSuccessful: true,
        startTimeUtc: report.run.started_at,
        endTimeUtc: report.run.finished_at,
        toolExecutionNotifications: report.run.coverage_gaps.map((g) => ({
          level: 'warning',
          message: { text: `coverage gap: ${g.source}: ${g.detail}` },
        })),
      }],
      // A stable category: code scanning closes alerts that a later upload of the same category no longer has.
      automationDetails: { id: `${TOOL_NAME}/` },
      originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the scanned repository (GitHub findings).' } } },
      results: report.findings.map((f) => result(f, index.get(f.detector) ?? 0)),
      properties: { run_id: report.run.id, schema_version: report.schema_version, as_of: report.run.as_of, lookback: report.run.lookback, sources: report.run.sources },
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
