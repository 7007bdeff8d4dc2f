import type { Classification, Confidence, EvidenceItem, Finding, InventoryItem } from '../core/types.js';
import type { Store } from '../store/db.js';
import { riskScore, type RiskFacts } from './score.js';

interface IdentityRow {
  id: string; provider: 'aws' | 'github'; account: string; kind: string; name: string; arn: string | null;
  classification: Classification; confidence: Confidence;
  evidence: { signal: string; class: string; detail: string | null; weight: number }[];
  owner: string | null; owner_source: 'tag' | 'registry' | 'creator' | 'none'; owner_tag_key: string | null;
  created_at: string | null; creator: string | null; last_used_at: string | null; parent_id: string | null;
}

/** Build inventory rows from the `identities` table, linking findings and scoring risk. */
export async function buildInventory(store: Store, findings: Finding[]): Promise<InventoryItem[]> {
  const rows = await store.all<IdentityRow>(`SELECT id, provider, account, kind, name, arn, classification, confidence, evidence,
      owner, owner_source, owner_tag_key, created_at, creator, last_used_at, parent_id FROM identities ORDER BY account, kind, name, id`);
  const facts = await riskFacts(store);
  const bySubject = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = bySubject.get(f.subject.id) ?? [];
    list.push(f);
    bySubject.set(f.subject.id, list);
  }
  return rows.map((r): InventoryItem => {
    const own = bySubject.get(r.id) ?? [];
    const f = facts.get(r.id);
    const { score, reasons } = riskScore({
      classification: r.classification, kind: r.kind, ownerSource: r.owner_source,
      admin: f?.admin ?? false, broad: f?.broad ?? false, permissionsManagement: f?.pm ?? 0, writes: f?.writes ?? 0, granted: f?.total ?? 0,
      staticKeyDriven: f?.static_key_driven ?? false, activeKeys: f?.active_keys ?? 0, tier: f?.tier ?? null,
      llmCalls: f?.llm_calls ?? 0, callsInWindow: f?.calls_in_window ?? 0,
    } satisfies RiskFacts, own);
    const owner: InventoryItem['owner'] = { value: r.owner, source: r.owner_source };
    if (r.owner_tag_key) owner.tag = r.owner_tag_key;
    return {
      id: r.id,
      provider: r.provider,
      account: r.account,
      kind: r.kind,
      name: r.name,
      arn: r.arn ?? r.id,
      classification: r.classification,
      confidence: r.confidence,
      evidence: [...(r.evidence ?? []).map((e): EvidenceItem => ({ signal: `${e.class}: ${e.signal}`, detail: e.detail ?? '' })), ...notAnAgent(r)],
      owner,
      created_at: r.created_at,
      creator: r.creator,
      last_used_at: r.last_used_at,
      risk_score: score,
      risk_reasons: reasons,
      finding_ids: own.map((f) => f.id).sort(),
      parent_id: r.parent_id,
    };
  });
}

/** Why an identity is not classified as an agent (the agent evidence it lacks), so every row explains itself. */
function notAnAgent(r: IdentityRow): EvidenceItem[] {
  if (r.classification === 'agent') return [];
  if (r.classification === 'aws-service') return [{ signal: 'not an agent', detail: 'service-linked role: acts for an AWS service, never an agent' }];
  const ev = r.evidence ?? [];
  if (ev.some((e) => e.signal === 'SSO permission-set role')) return [{ signal: 'not an agent', detail: 'IAM Identity Center role: people sign in through it, never an agent' }];
  const agentSignals = ev.filter((e) => e.class === 'agent');
  const missing = r.provider === 'github'
    ? 'no AI agent tools or LLM provider secrets in the workflows that use it, not an AI app, no agent name or GitHub Models permission'
    : 'no LLM runtime calls, no AI-agent framework in its user agents, not trusted by bedrock/bedrock-agentcore';
  const weak = agentSignals.length > 0 ? `; only weak hints (${agentSignals.map((e) => e.signal).join(', ')}) are outweighed by ${r.classification} evidence` : '';
  const deployed = ev.some((e) => e.signal === 'deployed an agent runtime') ? '; it deployed an agent, which makes it the agent\'s creator, not the agent' : '';
  return [{ signal: 'not an agent', detail: missing + weak + deployed }];
}

interface FactRow {
  id: string; admin: boolean | null; broad: boolean | null; pm: number | null; writes: number | null; total: number | null;
  static_key_driven: boolean | null; tier: string | null; calls_in_window: number | null; active_keys: number | null; llm_calls: number | null;
}

/** Per identity: what the risk score reads besides findings (access keys carry their user's grants). */
async function riskFacts(store: Store): Promise<Map<string, FactRow>> {
  const rows = await store.all<FactRow>(`
    WITH g AS (
      SELECT principal_arn,
        bool_or(pattern IN ('*', '*:*') AND resource = '*' AND NOT conditional AND NOT partially_denied) AS admin,
        bool_or(NOT partially_denied AND NOT conditional AND (via_not_action OR (resource = '*' AND pattern LIKE '%:*'))) AS broad,
        count(DISTINCT action) FILTER (WHERE access_level = 'Permissions management' AND NOT conditional AND NOT partially_denied) AS pm,
        count(DISTINCT action) FILTER (WHERE access_level IN ('Write', 'Permissions management', 'Tagging')) AS writes,
        count(DISTINCT action) AS total
      FROM grants GROUP BY principal_arn
    ),
    k AS (
      SELECT user_arn, count(*) AS n FROM credentials WHERE coalesce(status, 'Active') = 'Active' GROUP BY user_arn
    )
    SELECT i.id, g.admin, g.broad, g.pm, g.writes, g.total, sc.static_key_driven, sc.tier, sc.calls_in_window,
      CASE WHEN i.kind = 'access-key' THEN CASE WHEN coalesce(c.status, 'Active') = 'Active' THEN 1 ELSE 0 END ELSE coalesce(k.n, 0) END AS active_keys,
      coalesce(a.llm_calls, 0) AS llm_calls
    FROM identities i
    LEFT JOIN g ON g.principal_arn = CASE WHEN i.kind = 'access-key' THEN i.parent_id ELSE i.arn END
    LEFT JOIN subject_context sc ON sc.id = i.id
    LEFT JOIN k ON i.kind = 'iam-user' AND k.user_arn = i.arn
    LEFT JOIN credentials c ON i.kind = 'access-key' AND c.access_key_id = i.id
    LEFT JOIN activity_v a ON a.subject_type = CASE WHEN i.kind = 'access-key' THEN 'access-key' ELSE 'principal' END AND a.subject_id = i.id`);
  return new Map(rows.map((r) => [r.id, r]));
}
