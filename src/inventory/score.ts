import type { Classification, Finding, Severity } from '../core/types.js';

/** Points a finding of each severity adds to its identity's risk score. */
const SEVERITY_POINTS: Record<Severity, number> = { critical: 35, high: 20, medium: 10, low: 4, info: 1 };
const CLASS_POINTS: Partial<Record<Classification, number>> = { agent: 10, workload: 5, unknown: 5 };

/** Risk score 0–100 of one identity from its findings and classification, with the reasons. */
export function riskScore(classification: Classification, findings: Finding[], ownerSource: string): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  const c = CLASS_POINTS[classification];
  if (c && findings.length > 0) {
    score += c;
    reasons.push(`+${c} ${classification}: non-human identities act without a person watching`);
  }
  const sorted = [...findings].sort((a, b) => SEVERITY_POINTS[b.severity] - SEVERITY_POINTS[a.severity] || a.detector.localeCompare(b.detector));
  for (const f of sorted) {
    const p = SEVERITY_POINTS[f.severity];
    score += p;
    reasons.push(`+${p} ${f.severity} ${f.category}: ${f.reason}`);
  }
  if (ownerSource !== 'tag' && classification !== 'human' && classification !== 'aws-service' && findings.length > 0 && !findings.some((f) => f.category === 'ownerless')) {
    score += 5;
    reasons.push('+5 no declared owner');
  }
  return { score: Math.min(100, score), reasons };
}
