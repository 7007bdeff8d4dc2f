import type { Classification, Confidence, EvidenceItem, Finding, InventoryItem } from '../kernel/types.js';
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
  const texts = await notAgentTexts(store);
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
      evidence: [...(r.evidence ?? []).map((e): EvidenceItem => ({ signal: `${e.class}: ${e.signal}`, detail: e.detail ?? '' })), ...notAnAgent(r, texts)],
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

/** What the signal files say about an identity that is not an agent (the `signals` table, from signals/**.sql front matter). */
interface NotAgentText {
  /** By `class: signal` label: the text a carried signal adds, and whether it replaces the list of missing evidence. */
  bySignal: Map<string, { text: string; replaces: boolean }>;
  /** By provider: how the absence of each agent signal reads, weakest signal first. */
  absent: Map<string, string[]>;
}

async function notAgentTexts(store: Store): Promise<NotAgentText> {
  const rows = await store.all<{ provider: string; signal: string; class: string; not_agent: string | null; not_agent_replaces: boolean; absent: string | null }>(
    'SELECT provider, signal, class, not_agent, not_agent_replaces, absent FROM signals ORDER BY provider, weight, id');
  const bySignal = new Map<string, { text: string; replaces: boolean }>();
  const absent = new Map<string, string[]>();
  for (const r of rows) {
    if (r.not_agent) bySignal.set(`${r.class}: ${r.signal}`, { text: r.not_agent, replaces: r.not_agent_replaces });
    if (r.absent) {
      const list = absent.get(r.provider) ?? [];
      if (!list.includes(r.absent)) list.push(r.absent);
      absent.set(r.provider, list);
    }
  }
  return { bySignal, absent };
}

/** Why an identity is not classified as an agent (the agent evidence it lacks), so every row explains itself. */
function notAnAgent(r: IdentityRow, texts: NotAgentText): EvidenceItem[] {
  if (r.classification === 'agent') return [];
  const ev = r.evidence ?? [];
  const said = ev.map((e) => texts.bySignal.get(`${e.class}: ${e.signal}`)).filter((t): t is { text: string; replaces: boolean } => t !== undefined);
  const replaced = said.find((t) => t.replaces);
  if (replaced) return [{ signal: 'not an agent', detail: replaced.text }];
  const agentSignals = ev.filter((e) => e.class === 'agent');
  const missing = (texts.absent.get(r.provider) ?? []).join(', ');
  const weak = agentSignals.length > 0 ? `; only weak hints (${agentSignals.map((e) => e.signal).join(', ')}) are outweighed by ${r.classification} evidence` : '';
  const notes = said.map((t) => `; ${t.text}`).join('');
  return [{ signal: 'not an agent', detail: missing + weak + notes }];
}

interface FactRow {
  id: string; admin: boolean | null; broad: boolean | null; pm: number | null; writes: number | null; total: number | null;
  static_key_driven: boolean | null; tier: string | null; calls_in_window: number | null; active_keys: number | null; llm_calls: number | null;
}

/** Per identity: what the risk score reads besides findings (the model's `risk_facts`, model/inventory/risk_facts.sql). */
async function riskFacts(store: Store): Promise<Map<string, FactRow>> {
  const rows = await store.all<FactRow>('SELECT * FROM risk_facts');
  return new Map(rows.map((r) => [r.id, r]));
}
