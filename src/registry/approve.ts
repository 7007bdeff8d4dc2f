/**
 * `shadowscan registry approve ID --role ROLE --by EMAIL`: record one approval under an entry, after checking it
 * would count (the approver holds the role, is not the owner, the role is one the entry's tier requires).
 */
import { isSeq, YAMLSeq, type YAMLMap } from 'yaml';
import { UsageError } from '../kernel/errors.js';
import { agentsSeq, editRegistry, findEntry } from './edit.js';
import { approvalsNeeded, readRegistryOrThrow, type Registry } from './registry.js';

export interface ApproveOptions {
  file: string;
  id: string;
  role: string;
  by: string;
  /** YYYY-MM-DD (default today). */
  date: string;
}

/** What was recorded, and what the entry still needs afterwards. */
export interface ApproveResult {
  registry: Registry;
  recorded: boolean;
  stillNeeded: string[];
}

export function approveEntry(o: ApproveOptions): ApproveResult {
  const reg = readRegistryOrThrow(o.file);
  const by = o.by.trim().toLowerCase();
  const entry = reg.agents.find((a) => a.id.toLowerCase() === o.id.toLowerCase());
  if (!entry) throw new UsageError(`${o.file}: no entry with id ${o.id} (ids: ${reg.agents.map((a) => a.id).join(', ') || 'none'})`);
  const policy = reg.policy;
  if (!policy) throw new UsageError(`${o.file} declares no approval policy: add policy.roles and policy.tiers first (see README "Approvals per tier")`);
  const holders = policy.roles[o.role];
  if (!holders) throw new UsageError(`--role ${o.role}: not a role of the policy in ${o.file} (${Object.keys(policy.roles).join(', ')})`);
  if (!holders.includes(by)) throw new UsageError(`${by} does not hold the role ${o.role} in ${o.file} (holders: ${holders.join(', ')})`);
  if (by === entry.owner) throw new UsageError(`${by} owns ${entry.id}: an owner never approves their own agent; ask ${holders.filter((h) => h !== by).join(' or ') || `another ${o.role}`}`);
  const need = approvalsNeeded(policy, entry.tier);
  if (!need.roles.some((r) => r.role === o.role)) throw new UsageError(`tier ${entry.tier} needs ${need.roles.map((r) => r.role).join(', ')}, not ${o.role}`);
  const already = entry.approvals.some((a) => a.by === by && a.role === o.role && a.tier >= entry.tier);
  const registry = already ? reg : editRegistry(o.file, (doc) => {
    agentsSeq(doc);
    const map = findEntry(doc, entry.id) as YAMLMap;
    const found: unknown = map.get('approvals', true);
    const seq = isSeq(found) ? found : new YAMLSeq();
    if (!isSeq(found)) map.set('approvals', seq);
    const item = doc.createNode({ by, role: o.role, tier: entry.tier, date: o.date });
    item.flow = true;
    seq.flow = false;
    seq.items.push(item);
  });
  const now = registry.agents.find((a) => a.id === entry.id);
  const valid = new Set((now?.approvals ?? []).filter((a) => a.tier >= entry.tier && a.by !== entry.owner && (policy.roles[a.role] ?? []).includes(a.by)).map((a) => a.role));
  return { registry, recorded: !already, stillNeeded: need.roles.map((r) => r.role).filter((r) => !valid.has(r)) };
}
