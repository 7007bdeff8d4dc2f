/**
 * `shadowscan explain IDENTITY`: one identity (ARN, access key id, github:org/repo or registry id)
 * in plain words, for the person who built the script: is it an agent and why, what it can do, what
 * it did, who owns it, which findings apply, and the exact next steps. Reads the stored model of
 * the last scan; the text is rendered by a pure function (the CLI prints it).
 */
import { UsageError } from '../kernel/errors.js';
import type { Finding } from '../kernel/types.js';
import type { Store } from '../store/db.js';
import { latestRunId } from '../store/history.js';
import { suggestEntry, renderEntries } from './suggest.js';
import { TIER_MEANING } from './registry.js';
import { terminalSafeValue } from '../kernel/terminal-text.js';

interface IdentityRow {
  id: string; provider: string; account: string; kind: string; name: string; arn: string | null; parent_id: string | null;
  classification: string; confidence: string; evidence: { signal: string; class: string; detail: string | null; weight: number }[] | null;
  owner: string | null; owner_source: string; owner_tag_key: string | null; creator: string | null; created_at: string | null; last_used_at: string | null;
}

interface TierRow {
  grant_tier: number | null; granted_actions: number; grant_reasons: { action: string; access_level: string; policy: string; why: string }[];
  observed_tier: number | null; observed_calls: number; observed_reasons: { action: string; calls: number; why: string }[];
}

interface ActivityRow {
  calls: number; ok_calls: number; denied_calls: number; first_seen: string | null; last_seen: string | null; services: string[];
  actions_used: string[] | null; ua_families: string[]; agent_tokens: string[]; sample_ips: string[]; active_days: number; llm_calls: number;
}

interface KeyRow { access_key_id: string; user_name: string | null; status: string | null; age_days: number | null; last_used_at: string | null }
interface EntryRow { agent_id: string; owner: string; purpose: string; tier: number; certified: string; source_file: string; line: number }

/** Everything `explain` says about one identity. */
export interface Explanation {
  query: string;
  identity: IdentityRow;
  registry: EntryRow | null;
  registryLoaded: boolean;
  ownerActive: boolean | null;
  tiers: TierRow | null;
  grants: { actions: number; services: number; policies: string[] };
  activity: ActivityRow | null;
  keys: KeyRow[];
  findings: Finding[];
  asOf: string;
}

/** What a query names: identities (usually one) and, for a registry id, the entry. */
export interface Resolution {
  identities: IdentityRow[];
  entry: EntryRow | null;
}

const IDENTITY_COLS = `id, provider, account, kind, name, arn, parent_id, classification, confidence, evidence, owner, owner_source,
  owner_tag_key, creator, created_at, last_used_at`;

/** Find what `query` names: identity id/ARN/key id, github:org/repo, registry id, or a unique name. */
export async function resolveIdentity(store: Store, query: string): Promise<Resolution> {
  const q = query.trim();
  const entry = (await store.one<EntryRow>(`SELECT agent_id, owner, purpose, tier, strftime(certified, '%Y-%m-%d') AS certified, source_file, line
    FROM registry_agents WHERE agent_id = $q`, { q })) ?? null;
  if (entry) {
    const identities = await store.all<IdentityRow>(`SELECT ${IDENTITY_COLS} FROM identities WHERE id IN
      (SELECT identity_id FROM registry_matches WHERE agent_id = $q) ORDER BY kind = 'access-key', id`, { q });
    return { identities, entry };
  }
  let identities = await store.all<IdentityRow>(`SELECT ${IDENTITY_COLS} FROM identities WHERE id = $q OR arn = $q ORDER BY kind = 'access-key', id`, { q });
  if (identities.length === 0 && q.startsWith('github:')) {
    identities = await store.all<IdentityRow>(`SELECT ${IDENTITY_COLS} FROM identities WHERE provider = 'github'
      AND starts_with(lower(id), 'github://' || lower(substr($q, 8)) || '/') ORDER BY id`, { q });
  }
  if (identities.length === 0) {
    // Convenience: a bare name when it is unique (`report-agent`), or a role-session ARN.
    const name = q.replace(/^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/.*$/, '$1');
    identities = await store.all<IdentityRow>(`SELECT ${IDENTITY_COLS} FROM identities WHERE name = $n AND kind <> 'access-key' ORDER BY id`, { n: name });
  }
  // Show the principal rather than its key when both came back (the key is covered under it).
  return { identities: identities.length > 1 ? identities.filter((i) => i.kind !== 'access-key') : identities, entry: null };
}

/** Gather the explanation of one identity from the stored model plus the findings that apply. */
export async function explainIdentity(store: Store, query: string, identity: IdentityRow, allFindings: Finding[], asOf: string): Promise<Explanation> {
  const grantArn = identity.kind === 'access-key' ? identity.parent_id : identity.arn;
  const actType = identity.kind === 'access-key' ? 'access-key' : 'principal';
  const registry = (await store.one<EntryRow>(`SELECT a.agent_id, a.owner, a.purpose, a.tier, strftime(a.certified, '%Y-%m-%d') AS certified, a.source_file, a.line
    FROM registry_matches m JOIN registry_agents a USING (agent_id) WHERE m.identity_id = $id ORDER BY a.agent_id LIMIT 1`, { id: identity.id })) ?? null;
  const registryLoaded = Boolean(await store.one('SELECT 1 AS x FROM registry_state'));
  let ownerActive: boolean | null = null;
  if (identity.owner && (await store.one('SELECT 1 AS x FROM people_active LIMIT 1'))) {
    ownerActive = Boolean(await store.one(`SELECT 1 AS x FROM people_active WHERE person = lower($o) OR person = split_part(lower($o), '@', 1)`, { o: identity.owner }));
  }
  const tiers = (await store.one<TierRow>(`SELECT grant_tier, granted_actions, grant_reasons, observed_tier, observed_calls, observed_reasons
    FROM identity_tiers WHERE identity_id = $id`, { id: identity.id })) ?? null;
  const g = await store.one<{ actions: number; services: number; policies: string[] | null }>(`SELECT count(DISTINCT action) AS actions,
      count(DISTINCT service) AS services, list(DISTINCT source_policy ORDER BY source_policy) AS policies FROM grants WHERE principal_arn = $a`, { a: grantArn ?? '' });
  const activity = (await store.one<ActivityRow>(`SELECT calls, ok_calls, denied_calls, first_seen, last_seen, services, actions_used, ua_families,
      agent_tokens, sample_ips, active_days, llm_calls FROM activity_v WHERE subject_type = $t AND subject_id = $id`, { t: actType, id: identity.id })) ?? null;
  const keys = await store.all<KeyRow>(`SELECT access_key_id, user_name, status, age_days, last_used_at FROM credentials
    WHERE access_key_id = $id OR user_arn = $id ORDER BY access_key_id`, { id: identity.id });
  const ids = new Set([identity.id, identity.arn, registry ? registry.agent_id : null, ...keys.map((k) => k.access_key_id)].filter((x): x is string => Boolean(x)));
  const findings = allFindings.filter((f) => ids.has(f.subject.id) || (f.subject.arn !== null && f.subject.arn === identity.arn && f.subject.type !== 'registry-entry')
    || (registry !== null && f.subject.type === 'registry-entry' && f.subject.id === registry.agent_id));
  return {
    query, identity, registry, registryLoaded, ownerActive, tiers,
    grants: { actions: g?.actions ?? 0, services: g?.services ?? 0, policies: g?.policies ?? [] },
    activity, keys, findings, asOf,
  };
}

/** What `explain` reports on: the findings that apply and the time they were computed for. */
export interface ExplainBasis {
  findings: Finding[];
  asOf: string;
  /** The stored run they come from (null after a fresh scan's findings were passed in). */
  runId: string | null;
}

/** The latest stored run's findings: what `explain` uses without --from or --registry. Null when no scan is stored. */
export async function storedBasis(store: Store): Promise<ExplainBasis | null> {
  const id = await latestRunId(store);
  const run = id ? await store.one<{ id: string; as_of: string }>('SELECT id, as_of FROM runs WHERE id = $id', { id }) : undefined;
  if (!run) return null;
  const findings = (await store.all<{ body: unknown }>('SELECT body FROM run_findings WHERE run_id = $r', { r: run.id }))
    .map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as Finding);
  return { findings, asOf: run.as_of, runId: run.id };
}

/**
 * The text `shadowscan explain QUERY` prints, over the model stored in `store` and the findings of `basis`:
 * the registry entry when QUERY names one, then one explanation per identity it names. The terminal UI's
 * `e` key writes the same text. Throws a UsageError when QUERY names nothing in the last scan.
 */
export async function explainText(store: Store, query: string, basis: ExplainBasis): Promise<string> {
  const { findings, asOf } = basis;
  const { identities, entry } = await resolveIdentity(store, query);
  if (identities.length === 0 && !entry) {
    throw new UsageError(`"${query}" is not in the last scan: give an IAM ARN, an access key id (AKIA…), github:ORG/REPO, a registry id, or a unique identity name (see the inventory: shadowscan scan --format json)`);
  }
  const parts: string[] = [];
  if (entry) {
    // Data fields laid out one per line: each made terminal-safe on its own line first.
    const e = terminalSafeValue(entry);
    const own = terminalSafeValue(findings.filter((f) => f.subject.type === 'registry-entry' && f.subject.id === entry.agent_id));
    parts.push([
      `registry entry "${e.agent_id}" (${e.source_file}:${e.line}): ${e.purpose}`,
      `  owner ${e.owner}, tier ${e.tier}, certified ${e.certified}; ${identities.length} identit${identities.length === 1 ? 'y' : 'ies'} found`,
      ...own.map((f) => `  [${f.severity}] ${f.category} (${f.detector}): ${f.reason}`),
    ].join('\n') + '\n');
  }
  for (const i of identities.filter((x, _n, all) => x.kind !== 'access-key' || !all.some((p) => p.id === x.parent_id))) {
    parts.push(renderExplanation(terminalSafeValue(await explainIdentity(store, query, i, findings, asOf))));
  }
  return parts.join('\n' + '-'.repeat(80) + '\n\n');
}

/** `explainText` over the latest stored run (`shadowscan explain QUERY --db DB` with no --from or --registry). */
export async function explainStored(store: Store, query: string): Promise<{ text: string; runId: string }> {
  const basis = await storedBasis(store);
  if (!basis?.runId) throw new UsageError(`no scan stored in ${store.path}: run \`shadowscan scan --from DIR\` first, or pass --from DIR`);
  return { text: await explainText(store, query, basis), runId: basis.runId };
}

const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : 'never');

function kindWords(kind: string): string {
  return ({ 'iam-user': 'IAM user', 'iam-role': 'IAM role', 'access-key': 'long-lived access key', principal: 'AWS principal' } as Record<string, string>)[kind] ?? kind;
}

function classWords(ex: Explanation): string {
  const c = ex.identity.classification;
  const sure = ex.identity.confidence === 'high' ? '' : ex.identity.confidence === 'medium' ? 'probably ' : 'possibly ';
  if (c === 'agent') return `Yes — ${sure}an AI agent: software that calls language models or runs an agent framework, acting on its own.`;
  if (c === 'workload') return `Not an AI agent, but ${sure}software (a workload): a script, job, pipeline or service, not a person.`;
  if (c === 'human') return 'No — this looks like a person.';
  if (c === 'aws-service') return 'No — AWS itself uses it (service-linked role).';
  return 'Unclear: too little activity or configuration to tell.';
}

/** Render an explanation as plain text (no colour), for a terminal or a ticket. */
export function renderExplanation(ex: Explanation): string {
  const i = ex.identity;
  const out: string[] = [];
  const h = (t: string): void => { out.push('', t); };
  out.push(`${i.arn ?? i.id}`, `${kindWords(i.kind)} "${i.name}" in ${i.provider === 'aws' ? 'AWS account' : 'GitHub org'} ${i.account}${i.kind === 'access-key' && i.parent_id ? `, belongs to ${i.parent_id}` : ''}`);

  h('Is it an agent?');
  out.push(`  ${classWords(ex)}`);
  const ev = (i.evidence ?? []).filter((e) => e.weight > 0 || e.detail);
  for (const e of ev.slice(0, 6)) out.push(`  - ${e.signal}${e.detail ? `: ${e.detail}` : ''} (${e.class})`);

  h('What can it do?');
  const t = ex.tiers;
  if (ex.grants.actions === 0 && !t?.grant_tier) out.push('  No IAM permissions known for it in this scan.');
  else {
    out.push(`  ${ex.grants.actions} IAM action(s) across ${ex.grants.services} service(s), from ${ex.grants.policies.join(', ') || 'its policies'}.`);
    if (t?.grant_tier) {
      out.push(`  That makes it tier ${t.grant_tier} — ${TIER_MEANING[t.grant_tier as 1 | 2 | 3]} — because it can:`);
      for (const r of t.grant_reasons.slice(0, 5)) out.push(`    ${r.action} (${r.access_level}, ${r.why}; ${r.policy})`);
    }
  }

  h(`What did it do? (window ending ${day(ex.asOf)})`);
  const a = ex.activity;
  if (!a || a.calls === 0) out.push(`  No calls in the window${i.last_used_at ? `; last used ${day(i.last_used_at)}` : ''}.`);
  else {
    out.push(`  ${a.calls} call(s) on ${a.active_days} day(s), ${day(a.first_seen)} to ${day(a.last_seen)}; ${a.denied_calls} denied.`);
    out.push(`  Services: ${a.services.join(', ')}. Tools: ${a.ua_families.join(', ')}${a.agent_tokens.length ? `; agent frameworks: ${a.agent_tokens.join(', ')}` : ''}.`);
    if (a.llm_calls > 0) out.push(`  ${a.llm_calls} model/agent runtime call(s).`);
    if (t?.observed_tier) {
      out.push(`  Its calls fit tier ${t.observed_tier}:`);
      for (const r of t.observed_reasons.slice(0, 5)) out.push(`    ${r.action} x${r.calls} (${r.why})`);
    }
  }

  h('Who owns it?');
  if (i.owner_source === 'registry') out.push(`  ${i.owner}, named in the agent registry${ex.ownerActive === false ? ' — but not on the people roster: they may have left' : ''}.`);
  else if (i.owner_source === 'tag') out.push(`  ${i.owner} (tag ${i.owner_tag_key ?? 'owner'})${ex.ownerActive === false ? ' — not on the people roster' : ''}; not in the registry.`);
  else out.push(`  Nobody declared.${i.creator ? ` ${i.creator} created it (CloudTrail) and is the first person to ask.` : ' The creator is not in the logs either.'}`);
  if (ex.registry) out.push(`  Registry: "${ex.registry.agent_id}" (${ex.registry.source_file}:${ex.registry.line}), tier ${ex.registry.tier}, certified ${ex.registry.certified}: ${ex.registry.purpose}`);
  else if (ex.registryLoaded) out.push('  Registry: not registered.');

  h(`Findings (${ex.findings.length})`);
  if (ex.findings.length === 0) out.push('  None.');
  for (const f of ex.findings) out.push(`  [${f.severity}] ${f.category} (${f.detector}): ${f.reason}`);

  h('What to do next');
  let n = 0;
  // Every command printed so far (comments dropped), so a finding's command that an earlier step already gave is not repeated.
  const printed = new Set<string>();
  const bare = (c: string): string => c.replace(/\s+#.*$/, '').trim();
  const step = (text: string, lines: string[] = []): void => {
    out.push(`  ${++n}. ${text}`);
    for (const l of lines) { out.push(`       ${l}`); printed.add(bare(l)); }
  };
  const nhi = i.classification === 'agent' || i.classification === 'workload' || i.classification === 'unknown';
  const cats = new Set(ex.findings.map((f) => f.category));
  if (nhi && !ex.registry) {
    const s = suggestEntry(pseudoFinding(ex));
    step('Register it: add this entry under `agents:` in your registry file, fix the owner and purpose, and commit it:',
      renderEntries([s]).trimEnd().split('\n'));
  }
  if (ex.registry && (cats.has('certification-expired'))) step(`Recertify it: the owner confirms purpose, tier and identities, then sets certified: ${day(ex.asOf)} in ${ex.registry.source_file}.`);
  if (cats.has('ownerless')) {
    const f = ex.findings.find((x) => x.category === 'ownerless');
    const date = f?.evidence['deprovision_on'];
    step(`Give it an owner${date ? ` before ${String(date)}, when it is due to be deprovisioned` : ''}: a person who answers for it (registry owner, or tag owner=<email>).`);
  }
  const used = (a?.actions_used ?? []).filter((x) => !/^(sts|signin):/.test(x));
  const granted = ex.grants.actions;
  if (nhi && granted > 0 && (cats.has('overbroad') || cats.has('tier-violation') || (used.length > 0 && granted > used.length * 3))) {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: used, Resource: '*' }] });
    const put = i.kind === 'iam-role'
      ? `aws iam put-role-policy --role-name ${i.name} --policy-name least-privilege --policy-document file://least-privilege.json`
      : `aws iam put-user-policy --user-name ${i.kind === 'access-key' ? (ex.keys[0]?.user_name ?? '<user>') : i.name} --policy-name least-privilege --policy-document file://least-privilege.json`;
    step(`Scope it: it can call ${granted} action(s) but used ${used.length} in the window. Replace its policies with what it used (narrow Resource to the buckets/tables it touches):`,
      used.length > 0 ? [`least-privilege.json: ${policy}`, put, 'then detach the broader policies it no longer needs'] : ['It made no successful calls: remove its permissions, or the identity.']);
  }
  for (const k of ex.keys.filter((x) => (x.status ?? 'Active') === 'Active')) {
    const u = k.user_name ?? '<user>';
    step(`Rotate or remove access key ${k.access_key_id} (${k.age_days ?? '?'} days old, last used ${day(k.last_used_at)}). Better: run it as a role (Lambda/ECS/EC2 role, or GitHub OIDC) and delete the key.`, [
      `aws iam create-access-key --user-name ${u}          # new key into the secret store, redeploy`,
      `aws iam update-access-key --user-name ${u} --access-key-id ${k.access_key_id} --status Inactive`,
      `aws iam delete-access-key --user-name ${u} --access-key-id ${k.access_key_id}   # once nothing breaks`,
    ]);
  }
  // One step per finding with its commands not given yet; a finding whose commands were all given adds nothing.
  const steps = new Map<string, string[]>();
  for (const f of ex.findings) {
    for (const c of f.remediation.commands) {
      if (printed.has(bare(c)) || c.startsWith('shadowscan ')) continue;
      printed.add(bare(c));
      steps.set(f.remediation.summary, [...(steps.get(f.remediation.summary) ?? []), c]);
    }
  }
  for (const [summary, commands] of steps) step(summary, commands);
  if (n === 0) step('Nothing to do.');
  return out.join('\n') + '\n';
}

/** The unregistered-finding shape suggestEntry reads, from what explain already gathered. */
function pseudoFinding(ex: Explanation): Finding {
  const i = ex.identity;
  const keys = ex.keys.filter((k) => (k.status ?? 'Active') === 'Active' && k.access_key_id !== i.id).map((k) => k.access_key_id);
  return {
    id: '', detector: 'registry/unregistered', category: 'unregistered', severity: 'info', confidence: 'low', title: '',
    subject: { type: i.kind, id: i.id, arn: i.arn, account: i.account }, reason: '',
    evidence: {
      name: i.kind === 'access-key' ? (ex.keys[0]?.user_name ?? i.name) : i.name,
      classification: i.classification,
      identities: [i.arn ?? i.id, ...keys],
      suggested_owner: i.owner, suggested_owner_source: i.owner_source === 'tag' ? 'owner tag' : i.owner_source === 'creator' ? 'creator, from CloudTrail' : null,
      grant_tier: ex.tiers?.grant_tier ?? null, observed_tier: ex.tiers?.observed_tier ?? null,
      services: ex.activity?.services ?? [], as_of_date: day(ex.asOf),
    },
    remediation: { summary: '', steps: [], commands: [] }, owasp_nhi: [], mitre_attack: [], first_seen: null, last_seen: null,
  };
}
