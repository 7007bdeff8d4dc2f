import type { Classification, Confidence, EvidenceItem, Finding, InventoryItem } from '../core/types.js';
import type { Store } from '../store/db.js';
import { riskScore } from './score.js';

interface IdentityRow {
  id: string; provider: 'aws' | 'github'; account: string; kind: string; name: string; arn: string | null;
  classification: Classification; confidence: Confidence;
  evidence: { signal: string; class: string; detail: string | null; weight: number }[];
  owner: string | null; owner_source: 'tag' | 'creator' | 'none'; owner_tag_key: string | null;
  created_at: string | null; creator: string | null; last_used_at: string | null; parent_id: string | null;
}

/** Build inventory rows from the `identities` table, linking findings and scoring risk. */
export async function buildInventory(store: Store, findings: Finding[]): Promise<InventoryItem[]> {
  const rows = await store.all<IdentityRow>(`SELECT id, provider, account, kind, name, arn, classification, confidence, evidence,
      owner, owner_source, owner_tag_key, created_at, creator, last_used_at, parent_id FROM identities ORDER BY account, kind, name, id`);
  const bySubject = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = bySubject.get(f.subject.id) ?? [];
    list.push(f);
    bySubject.set(f.subject.id, list);
  }
  return rows.map((r): InventoryItem => {
    const own = bySubject.get(r.id) ?? [];
    const { score, reasons } = riskScore(r.classification, own, r.owner_source);
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
      evidence: (r.evidence ?? []).map((e): EvidenceItem => ({ signal: `${e.class}: ${e.signal}`, detail: e.detail ?? '' })),
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
