import type { DetectorInfo, ReportContext } from '../src/kernel/catalogue.js';
import type { Finding, RunInfo, ScanReport } from '../src/kernel/types.js';
import { TOOL_NAME, TOOL_URI, TOOL_VERSION } from '../src/kernel/version.js';
import { OWASP_NHI } from './summary.js';
import { CONFIDENCE_OUTPUT, SEVERITY_OUTPUT } from './severity.js';

/** OCSF schema version the events follow (validated against reports/schema/ocsf-detection-finding.schema.json). */
export const OCSF_VERSION = '1.3.0';
const CLASS_UID = 2004;
const CATEGORY_UID = 2;

/** Finding lifecycle as OCSF activities: a new finding is Create, a changed one Update, a resolved one Close. */
export type OcsfActivity = 'create' | 'update' | 'close';
const ACTIVITY: Record<OcsfActivity, { id: number; name: string }> = {
  create: { id: 1, name: 'Create' }, update: { id: 2, name: 'Update' }, close: { id: 3, name: 'Close' },
};

const RESOURCE_TYPES: Record<string, string> = {
  'iam-role': 'AWS::IAM::Role', 'iam-user': 'AWS::IAM::User', 'access-key': 'AWS::IAM::AccessKey',
  'web-identity': 'AWS::IAM::OIDCProvider', 'oidc-subject': 'AWS::IAM::OIDCProvider',
};

function ms(iso: string | null): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function isAws(f: Finding): boolean {
  return f.detector.startsWith('aws/') || (f.subject.arn ?? f.subject.id).startsWith('arn:aws') || f.subject.type === 'access-key';
}

/** One OCSF Detection Finding (class 2004) for one finding. */
export function ocsfFinding(f: Finding, run: RunInfo, opts: { activity?: OcsfActivity; detector?: DetectorInfo } = {}): Record<string, unknown> {
  const activity = ACTIVITY[opts.activity ?? 'create'];
  const sev = SEVERITY_OUTPUT[f.severity];
  const conf = CONFIDENCE_OUTPUT[f.confidence];
  const closed = activity.id === 3;
  const aws = isAws(f);
  const first = ms(f.first_seen);
  const last = ms(f.last_seen);
  const partition = f.subject.arn?.split(':')[1];
  const steps = f.remediation.steps.map((s, i) => `${i + 1}. ${s}`).join(' ');
  const references = opts.detector?.references ?? [];
  return {
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `Detection Finding: ${activity.name}`,
    severity_id: sev.ocsfId,
    severity: sev.ocsfName,
    status_id: closed ? 4 : 1,
    status: closed ? 'Resolved' : 'New',
    confidence_id: conf.ocsfId,
    confidence: conf.ocsfName,
    is_alert: !closed,
    time: ms(run.finished_at) ?? 0,
    ...(first !== undefined ? { start_time: first } : {}),
    ...(last !== undefined ? { end_time: last } : {}),
    message: f.reason,
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.reason,
      types: [f.category, ...f.owasp_nhi.map((o) => `OWASP ${o} ${OWASP_NHI[o] ?? ''}`.trim())],
      ...(first !== undefined ? { first_seen_time: first } : {}),
      ...(last !== undefined ? { last_seen_time: last } : {}),
      analytic: { uid: f.detector, name: f.detector, type_id: 1, type: 'Rule', category: f.category },
      attacks: f.mitre_attack.map((t) => ({ technique: { uid: t }, version: '16.1' })),
      product_uid: TOOL_NAME,
      src_url: TOOL_URI,
      tags: f.owasp_nhi.map((o) => ({ name: 'owasp_nhi', value: o })),
    },
    resources: [{
      uid: f.subject.type === 'access-key' ? f.subject.id : (f.subject.arn ?? f.subject.id),
      name: f.subject.id.split(/[/:]/).pop() ?? f.subject.id,
      type: RESOURCE_TYPES[f.subject.type] ?? f.subject.type,
      ...(aws && partition ? { cloud_partition: partition } : {}),
      data: { subject_type: f.subject.type, subject_id: f.subject.id, ...(f.subject.arn ? { arn: f.subject.arn } : {}), ...(f.subject.account ? { account: f.subject.account } : {}) },
    }],
    ...(aws && f.subject.account ? { cloud: { provider: 'AWS', account: { uid: f.subject.account, type: 'AWS Account', type_id: 10 } } } : {}),
    remediation: {
      desc: steps ? `${f.remediation.summary} ${steps}` : f.remediation.summary,
      ...(references.length > 0 ? { references } : {}),
    },
    evidences: [{ data: f.evidence }],
    metadata: {
      version: OCSF_VERSION,
      product: { name: TOOL_NAME, vendor_name: TOOL_NAME, version: TOOL_VERSION, url_string: TOOL_URI },
      uid: `${run.id}:${f.id}`,
      correlation_uid: f.id,
      log_name: 'shadowscan-findings',
    },
    unmapped: {
      owasp_nhi: f.owasp_nhi,
      mitre_attack: f.mitre_attack,
      commands: f.remediation.commands,
      run_id: run.id,
      as_of: run.as_of,
    },
  };
}

/** Every finding as an OCSF Detection Finding, as one JSON array (`jq -c '.[]'` makes NDJSON of it). */
export function renderOcsf(report: ScanReport, ctx: ReportContext): string {
  const catalogue = new Map(ctx.detectors.map((d) => [d.id, d]));
  const events = report.findings.map((f) => {
    const detector = catalogue.get(f.detector);
    return ocsfFinding(f, report.run, detector ? { detector } : {});
  });
  return JSON.stringify(events, null, 2) + '\n';
}
