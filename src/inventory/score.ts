import type { Category, Classification, Finding, Severity } from '../kernel/types.js';

/**
 * What the risk score reads about one identity besides its findings (from the model: grants,
 * subject_context, credentials, activity). Access keys carry their user's grants.
 */
export interface RiskFacts {
  classification: Classification;
  kind: string;
  /** Unconditional `*` on `*`. */
  admin: boolean;
  /** A NotAction Allow or a service-wide wildcard on all resources. */
  broad: boolean;
  /** Unconditional "Permissions management" actions (IAM writes, policy changes). */
  permissionsManagement: number;
  /** Write actions granted (access levels that change state: model object access_levels). */
  writes: number;
  /** Any action granted. */
  granted: number;
  /** A long-lived access key of this identity (or this key) is driven by software. */
  staticKeyDriven: boolean;
  /** Active long-lived access keys (users) or 1 for an active key. */
  activeKeys: number;
  /** subject_context.tier: agent-static-key, dormant-guarded, dormant, static-key, or the classification. */
  tier: string | null;
  llmCalls: number;
  callsInWindow: number;
  ownerSource: string;
}

/** The five dimensions and their caps (they add up to 100). */
export const RISK_DIMENSIONS = { privilege: 30, exposure: 25, automation: 20, ownership: 10, staleness: 15 } as const;
export type RiskDimension = keyof typeof RISK_DIMENSIONS;

/** Which dimension a finding of each category raises, and to how many points (severity scales it). */
const CATEGORY_POINTS: Partial<Record<Category, [RiskDimension, number]>> = {
  overbroad: ['privilege', 20],
  'privilege-escalation': ['privilege', 28],
  'runtime-escalation': ['automation', 20],
  'exfiltration-capable': ['privilege', 18],
  'leaked-credential': ['exposure', 25],
  'trust-too-broad': ['exposure', 20],
  'static-key-in-ci': ['exposure', 18],
  'static-key-automation': ['exposure', 15],
  'human-key-automation': ['exposure', 18],
  'shared-credential': ['exposure', 12],
  'human-use-of-nhi': ['exposure', 12],
  ownerless: ['ownership', 10],
  stale: ['staleness', 12],
  'long-lived-credential': ['staleness', 10],
};
const SEVERITY_SCALE: Record<Severity, number> = { critical: 1, high: 0.9, medium: 0.7, low: 0.4, info: 0.2 };

interface Candidate { dim: RiskDimension; points: number; why: string }

/**
 * Risk score 0–100 of one identity: for each dimension the strongest reason (from its facts or
 * its findings) counts, capped per dimension; the reasons list every dimension that scored, so a
 * person can see why one agent ranks above another.
 */
export function riskScore(facts: RiskFacts, findings: Finding[]): { score: number; reasons: string[] } {
  if (facts.classification === 'aws-service') return { score: 0, reasons: ['0 AWS service-linked role: managed by AWS, not scored'] };
  const c: Candidate[] = [];
  // Privilege
  if (facts.admin) c.push({ dim: 'privilege', points: 30, why: 'administrator access (*:*)' });
  else if (facts.broad) c.push({ dim: 'privilege', points: 20, why: 'service-wide wildcard or NotAction grant' });
  else if (facts.permissionsManagement > 0) c.push({ dim: 'privilege', points: 15, why: `${facts.permissionsManagement} permissions-management action(s) (IAM writes)` });
  else if (facts.writes > 0) c.push({ dim: 'privilege', points: 8, why: `${facts.writes} write action(s)` });
  else if (facts.granted > 0) c.push({ dim: 'privilege', points: 2, why: 'read-only grants' });
  // Exposure
  if (facts.staticKeyDriven) c.push({ dim: 'exposure', points: 15, why: 'long-lived access key driven by software' });
  else if (facts.activeKeys > 0) c.push({ dim: 'exposure', points: 8, why: `${facts.activeKeys} active long-lived access key(s)` });
  // Automation
  if (facts.classification === 'agent') c.push({ dim: 'automation', points: facts.llmCalls > 0 ? 20 : 15, why: facts.llmCalls > 0 ? `AI agent (${facts.llmCalls} LLM call(s) in the window)` : 'AI agent' });
  else if (facts.classification === 'workload') c.push({ dim: 'automation', points: 10, why: 'software acting without a person' });
  else if (facts.classification === 'unknown') c.push({ dim: 'automation', points: 5, why: 'unclassified: nobody knows what drives it' });
  // Ownership
  if (facts.classification !== 'human') {
    if (facts.ownerSource === 'none') c.push({ dim: 'ownership', points: 8, why: 'no owner and no known creator' });
    else if (facts.ownerSource === 'creator') c.push({ dim: 'ownership', points: 5, why: 'owner only inferred from the creator' });
  }
  // Staleness
  if (facts.tier === 'dormant' || facts.tier === 'dormant-guarded') c.push({ dim: 'staleness', points: 8, why: 'unused in the window but still able to act' });
  // Findings raise their dimension.
  for (const f of findings) {
    const m = CATEGORY_POINTS[f.category];
    if (m) c.push({ dim: m[0], points: Math.round(m[1] * SEVERITY_SCALE[f.severity]), why: `${f.severity} ${f.detector}` });
  }
  const reasons: string[] = [];
  let score = 0;
  for (const dim of Object.keys(RISK_DIMENSIONS) as RiskDimension[]) {
    const best = c.filter((x) => x.dim === dim).sort((a, b) => b.points - a.points || a.why.localeCompare(b.why))[0];
    if (!best) continue;
    let points = Math.min(best.points, RISK_DIMENSIONS[dim]);
    let why = best.why;
    // A break-glass role nobody uses and only MFA can assume: its privilege is guarded.
    if (dim === 'privilege' && facts.tier === 'dormant-guarded') {
      points = Math.round(points / 2);
      why += ', halved: unused and only assumable with MFA';
    }
    const also = c.filter((x) => x.dim === dim && x !== best).map((x) => x.why);
    score += points;
    reasons.push(`+${points} ${dim}: ${why}${also.length ? ` (also: ${[...new Set(also)].slice(0, 3).join('; ')})` : ''}`);
  }
  return { score: Math.min(100, score), reasons };
}
