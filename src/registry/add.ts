/**
 * Register in five questions: what it does, who owns it, what it touches, does it run unattended, does it call an
 * LLM or an external API. The answers (and, when the identity is known to the last scan, its grants and calls)
 * propose a tier and say whether it is an agent at all; the entry is written into the registry file with the
 * approvals its tier still needs. `registry add` asks them on a terminal (src/ui/add.tsx) or takes them as flags.
 */
import { Document, isMap, type YAMLMap } from 'yaml';
import { UsageError } from '../kernel/errors.js';
import { parseInstant } from '../kernel/duration.js';
import { agentsSeq, editRegistry } from './edit.js';
import { approvalsNeeded, TIER_MEANING, type Policy, type Registry } from './registry.js';
import { OWNER_PLACEHOLDER } from './suggest.js';

/** Question 3: what it touches, each with the tier it implies. */
export const TOUCHES = [
  { key: 'read-internal', label: 'reads internal data only', tier: 1 },
  { key: 'write-internal', label: 'writes internal systems (buckets, tables, tickets, deploys)', tier: 2 },
  { key: 'customer-data', label: 'customer or personal data', tier: 3 },
  { key: 'financial', label: 'financial systems (billing, payments)', tier: 3 },
  { key: 'secrets', label: 'secrets or credentials', tier: 3 },
  { key: 'permissions', label: 'identities and permissions (IAM, GitHub admin)', tier: 3 },
  { key: 'sends-out', label: 'sends data outside the company (email, partner APIs, public links)', tier: 3 },
] as const;
export type Touch = (typeof TOUCHES)[number]['key'];

/** Question 5: what it calls. */
export const CALLS = [
  { key: 'none', label: 'neither' },
  { key: 'llm', label: 'an LLM inside our cloud accounts (Bedrock, our Azure OpenAI)' },
  { key: 'llm-external', label: 'an LLM provider outside (OpenAI, Anthropic API, …)' },
  { key: 'api', label: 'another external API (SaaS, partners), no LLM' },
] as const;
export type Calls = (typeof CALLS)[number]['key'];

/** The five answers, plus what it runs as and an optional id. */
export interface AddAnswers {
  what: string;
  owner: string;
  touches: Touch[];
  unattended: boolean;
  calls: Calls;
  identities: string[];
  id?: string | undefined;
}

/** What the last scan knows of the identity (undefined fields: not known). */
export interface Observed {
  identity: string;
  name?: string | undefined;
  classification?: string | undefined;
  grantTier?: number | null | undefined;
  observedTier?: number | null | undefined;
  suggestedOwner?: string | null | undefined;
}

/** "Is my script an agent?" — the verdict and why, from the answers (and the scan's classification when known). */
export interface Verdict {
  agent: boolean;
  register: boolean;
  why: string;
}

type Tier = 1 | 2 | 3;

/** Whether it is an agent and whether it must be registered, in plain words. */
export function verdict(a: Pick<AddAnswers, 'unattended' | 'calls'>, observed?: Observed): Verdict {
  const llm = a.calls === 'llm' || a.calls === 'llm-external';
  let v: Verdict;
  if (a.unattended && llm) v = { agent: true, register: true, why: 'It runs without a person watching and an LLM decides what it does: that is an AI agent. Register it.' };
  else if (a.unattended) v = { agent: false, register: true, why: 'It runs without a person watching but no LLM decides what it does: automation (a workload), not an agent. Unattended identities still need a registered owner and tier: register it.' };
  else if (llm) v = { agent: false, register: false, why: 'A person runs it and watches it: an AI-assisted tool, not an agent. It acts with your own credentials, so there is nothing to register — until it runs on a schedule, in CI, or gets its own identity.' };
  else v = { agent: false, register: false, why: 'A person runs it and no LLM decides what it does: a script, not an agent. It acts as you; nothing to register.' };
  if (observed?.classification === 'agent' && !v.agent) {
    v = { agent: true, register: true, why: `${v.why} But the last scan classified ${observed.name ?? observed.identity} as an agent from what it did (\`shadowscan explain ${observed.identity}\` says why): register it.` };
  }
  return v;
}

/** The proposed tier and the reasons, from the answers and what was observed. */
export function proposeTier(a: Pick<AddAnswers, 'touches' | 'calls'>, observed?: Observed): { tier: Tier; reasons: string[] } {
  const reasons: string[] = [];
  let tier: Tier = 1;
  const raise = (t: Tier, why: string): void => {
    if (t > tier) tier = t;
    reasons.push(`tier ${t}: ${why}`);
  };
  for (const key of a.touches) {
    const t = TOUCHES.find((x) => x.key === key);
    if (t) raise(t.tier as Tier, t.label);
  }
  if (a.calls === 'llm-external') raise(3, 'sends prompts (and the data in them) to an LLM provider outside the company');
  if (a.calls === 'api') raise(3, 'calls an external API (data leaves the company)');
  const obs = observed?.observedTier;
  if (obs === 1 || obs === 2 || obs === 3) raise(obs, 'what the last scan saw it do');
  if (reasons.length === 0) reasons.push('tier 1: reads internal data only');
  const grant = observed?.grantTier;
  if ((grant === 2 || grant === 3) && grant > tier) {
    reasons.push(`its grants allow tier ${grant}: scope them down to tier ${tier} (\`shadowscan explain ${observed?.identity ?? ''}\` prints a least-privilege policy), or register tier ${grant}`);
  }
  return { tier, reasons };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/^arn:.*[:/]/, '').replace(/^github:\/*/, '').replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'agent';
}

/** The entry id: --id, else the identity's name, else words of the purpose; made unique in the registry. */
export function entryId(a: AddAnswers, registry: Registry | undefined, observed?: Observed): string {
  const base = slug(a.id ?? observed?.name ?? a.identities[0] ?? (a.what ?? 'agent').split(/\s+/).slice(0, 4).join('-'));
  const taken = new Set((registry?.agents ?? []).map((x) => x.id.toLowerCase()));
  if (a.id && taken.has(a.id.toLowerCase())) throw new UsageError(`--id ${a.id}: an entry with that id exists already`);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The approvals the tier needs under the policy, as a comment for the entry. */
export function approvalsComment(policy: Policy | undefined, tier: Tier, owner: string, id: string, people?: readonly string[]): string {
  if (!policy) return ' no approval policy in this file: nothing to approve';
  const need = approvalsNeeded(policy, tier, { people, exclude: owner });
  const roles = need.roles.map((r) => `${r.role} (${r.holders.join(', ') || 'nobody on the roster'})`).join(', ');
  return ` tier ${tier} needs approval by ${roles}${need.usual_wait ? `, usually ${need.usual_wait}` : ''}: each runs shadowscan registry approve ${id} --role ROLE --by EMAIL`;
}

/** Everything `registry add` decided: the entry and the text shown before writing. */
export interface AddPlan {
  id: string;
  tier: Tier;
  reasons: string[];
  verdict: Verdict;
  entry: { id: string; owner: string; purpose: string; tier: Tier; certified: string; identities: string[]; approvals: never[]; notes: string };
  approvalsComment: string;
}

/** Plan the entry from the answers. */
export function planEntry(answers: AddAnswers, registry: Registry | undefined, today: string, observed?: Observed): AddPlan {
  // --dry-run needs only the answers that decide the verdict and tier: the rest are placeholders
  const a: AddAnswers = { ...answers, what: answers.what ?? 'TODO: what it does', owner: answers.owner ?? OWNER_PLACEHOLDER, touches: answers.touches ?? [], identities: answers.identities ?? [] };
  const { tier, reasons } = proposeTier(a, observed);
  const v = verdict(a, observed);
  const id = entryId(a, registry, observed);
  const touches = a.touches.map((t) => TOUCHES.find((x) => x.key === t)?.label ?? t).join('; ') || 'nothing named';
  const calls = CALLS.find((c) => c.key === a.calls)?.label ?? a.calls;
  return {
    id, tier, reasons, verdict: v,
    entry: {
      id, owner: a.owner.trim().toLowerCase(), purpose: a.what.trim(), tier, certified: today, identities: a.identities, approvals: [],
      notes: `registered with shadowscan registry add: touches ${touches}; runs unattended: ${a.unattended ? 'yes' : 'no'}; calls: ${calls}`,
    },
    approvalsComment: approvalsComment(registry?.policy, tier, a.owner.trim().toLowerCase(), id, registry?.people),
  };
}

/** The entry as YAML (what is shown before writing, and what `--dry-run` prints). */
export function entryYaml(plan: AddPlan): string {
  const doc = new Document([plan.entry]);
  const map = (doc.contents as unknown as { items: YAMLMap[] }).items[0];
  if (map && isMap(map)) decorate(map, plan);
  return doc.toString({ lineWidth: 0 });
}

function decorate(map: YAMLMap, plan: AddPlan): void {
  map.commentBefore = ` ${plan.verdict.agent ? 'agent' : 'workload'}: ${plan.reasons.join('; ')}`;
  const approvals = map.get('approvals', true) as { comment?: string } | undefined;
  if (approvals) approvals.comment = plan.approvalsComment;
  const tier = map.get('tier', true) as { comment?: string } | undefined;
  if (tier) tier.comment = ` ${TIER_MEANING[plan.tier]}`;
}

/** Append the planned entry to the registry file (created when missing), validated; comments of the file kept. */
export function writeEntry(file: string, plan: AddPlan): Registry {
  if (plan.entry.identities.length === 0) throw new UsageError('name at least one identity it runs as (--identity ARN, key id, github:ORG/REPO): the registry matches entries to identities');
  return editRegistry(file, (doc) => {
    const seq = agentsSeq(doc);
    const node = doc.createNode(plan.entry) as YAMLMap;
    decorate(node, plan);
    const approvals = node.get('approvals', true) as { flow?: boolean } | undefined;
    if (approvals) approvals.flow = true;
    seq.items.push(node);
  });
}

/** What the last scan stored in the database knows of an identity (nothing when there is no scan or no match). */
export async function observedIdentity(dbPath: string, query: string): Promise<Observed | undefined> {
  const { existsSync } = await import('node:fs');
  if (dbPath !== ':memory:' && !existsSync(dbPath)) return undefined;
  const { openForEvaluation } = await import('../store/db.js');
  const { resolveIdentity } = await import('./explain.js');
  const store = await openForEvaluation(dbPath);
  try {
    if (!(await store.one('SELECT 1 AS x FROM runs LIMIT 1'))) return undefined;
    const { identities } = await resolveIdentity(store, query);
    const i = identities[0];
    if (!i) return undefined;
    const t = await store.one<{ grant_tier: number | null; observed_tier: number | null }>(
      'SELECT grant_tier, observed_tier FROM identity_tiers WHERE identity_id = $id', { id: i.id }).catch(() => undefined);
    const person = [i.owner, i.creator].find((p) => p && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p));
    return { identity: query, name: i.name, classification: i.classification, grantTier: t?.grant_tier ?? null, observedTier: t?.observed_tier ?? null, suggestedOwner: person ?? null };
  } finally {
    store.close();
  }
}

/** The answers and switches of `registry add` as its flags give them (src/cli/commands/registry-add.ts). */
export interface AddFlags {
  registry?: string;
  db: string;
  identity: string[];
  id?: string;
  what?: string;
  owner?: string;
  touches?: string;
  unattended?: string;
  calls?: string;
  dryRun?: boolean;
  asOf?: string;
  input?: boolean;
}

/** What the plan says before (or instead of) writing. */
export function planText(plan: AddPlan, file: string | undefined, dryRun: boolean): string {
  const lines = [
    `Is it an agent? ${plan.verdict.agent ? 'Yes.' : 'No.'} ${plan.verdict.why}`,
    `Proposed tier: ${plan.tier} — ${plan.reasons.join('; ')}`,
    `Approvals:${plan.approvalsComment}`,
  ];
  if (!plan.verdict.register) lines.push('Nothing to register. If that changes, run this again.');
  else if (dryRun) lines.push(`The entry (not written; without --dry-run it goes into ${file ?? 'the registry file'}):`, '', entryYaml(plan).trimEnd());
  return `${lines.join('\n')}\n`;
}

function todayOf(f: AddFlags): string {
  return (f.asOf ? parseInstant(f.asOf, '--as-of') : new Date()).toISOString().slice(0, 10);
}

/** Run `registry add` with complete answers: print the verdict, write the entry (unless --dry-run or nothing to register). */
export function finishAdd(answers: AddAnswers, f: AddFlags, registry: Registry | undefined, file: string | undefined, observed: Observed | undefined): { plan: AddPlan; text: string } {
  const plan = planEntry(answers, registry, todayOf(f), observed);
  let text = planText(plan, file, Boolean(f.dryRun));
  if (!f.dryRun && plan.verdict.register) {
    if (!file) throw new UsageError('registry add needs a registry file to write: --registry FILE, or registry: in shadowscan.yaml');
    writeEntry(file, plan);
    text += `Wrote ${plan.id} (tier ${plan.tier}) to ${file}. Commit it and ask for the approvals above; \`shadowscan registry check --registry ${file}\` shows what is still missing.\n`;
  }
  return { plan, text };
}
