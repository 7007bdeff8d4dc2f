/**
 * Blocks that teach: turn the findings that failed a gate (`scan --fail-on`, `registry check`, the daemon's sink
 * events) into what a blocked developer needs — what was found, why it matters in one sentence, numbered next
 * steps with the exact commands and snippets (register: the ready entry; reduce scope: the policy from observed
 * use; a higher tier: who must approve and the usual wait), and how to appeal. Who approves, how long it takes
 * and where to get help come from the registry's `policy:`, never from this code. Rendered by reports/block.ts.
 */
import type { Finding } from '../kernel/types.js';
import { approvalsNeeded, type Policy, type Registry } from './registry.js';

/** One next step: a sentence, optionally followed by a snippet to paste or run. */
export interface BlockStep {
  text: string;
  code?: { lang: 'yaml' | 'json' | 'sh'; body: string; file?: string };
}

/** One failing finding, explained. */
export interface BlockSection {
  severity: Finding['severity'];
  kind: string;
  subject: string;
  found: string;
  why: string;
  steps: BlockStep[];
}

/** The whole message, before rendering. */
export interface BlockMessage {
  title: string;
  intro: string;
  sections: BlockSection[];
  help: string[];
}

/** What the message is built from besides the failing findings. */
export interface BlockContext {
  /** The gate that failed, as the developer saw it run (e.g. `shadowscan scan --fail-on high`). */
  gate: string;
  asOf: Date;
  policy?: Policy | undefined;
  /** Roster of people who still work here: role holders not on it are not offered as approvers. */
  people?: readonly string[] | undefined;
  /** Registry file the steps point at (default registry.yaml). */
  registryFile?: string | undefined;
  /** Exceptions file appeals go to (default exceptions.yaml). */
  exceptionsFile?: string | undefined;
  /** Every finding of the run: a failing tier violation borrows the least-privilege policy of an overbroad finding on the same identity. */
  related?: readonly Finding[] | undefined;
  /** Detector id → why it matters (the detector's rationale); the finding's title otherwise. */
  why?: Readonly<Record<string, string>> | undefined;
  /** Registered tier of a subject (id or ARN), for findings that do not carry one. */
  tierOfSubject?: ((f: Finding) => 1 | 2 | 3 | undefined) | undefined;
}

type Tier = 1 | 2 | 3;

/** Registered tier of a finding's subject: its registry entry (registry findings), or an entry listing its id or ARN exactly. */
export function registryTierOf(registry: { agents: Pick<Registry['agents'][number], 'id' | 'tier' | 'identities'>[] }): (f: Finding) => Tier | undefined {
  const byRef = new Map<string, Tier>();
  const byId = new Map(registry.agents.map((a) => [a.id, a.tier]));
  for (const a of registry.agents) for (const ref of a.identities) byRef.set(ref, a.tier);
  return (f) => {
    const id = f.evidence['registry_id'];
    return (typeof id === 'string' ? byId.get(id) : undefined) ?? byRef.get(f.subject.id) ?? (f.subject.arn ? byRef.get(f.subject.arn) : undefined);
  };
}

const asTier = (n: unknown): Tier | undefined => (n === 1 || n === 2 || n === 3 ? n : undefined);
const day = (d: Date): string => d.toISOString().slice(0, 10);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** First sentence of a text (the rationale), whitespace folded. */
export function firstSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(t);
  return m?.[1] ?? t;
}

function where(f: Finding, ctx: BlockContext): string {
  const file = str(f.evidence['registry_file']) ?? ctx.registryFile ?? 'registry.yaml';
  const line = f.evidence['registry_line'];
  return typeof line === 'number' ? `${file}:${line}` : file;
}

/** The tier whose policy applies to a finding (for approvals and for who may grant an exception). */
export function findingTier(f: Finding, ctx: Pick<BlockContext, 'tierOfSubject'>): Tier {
  const ev = f.evidence;
  const entry = ev['registry_entry'] as { tier?: unknown } | undefined;
  return asTier(ev['needed_tier']) ?? asTier(ev['tier']) ?? asTier(ev['registered_tier']) ?? asTier(entry?.tier)
    ?? ctx.tierOfSubject?.(f) ?? asTier(ev['grant_tier']) ?? 3;
}

function roleList(roles: { role: string; holders: string[] }[]): string {
  return roles.map((r) => `${r.role} (${r.holders.length ? r.holders.join(', ') : 'nobody on the roster holds it: ask the help channel'})`).join(', ');
}

/** "Get tier N approved" — the roles, the people, the usual wait, the commands that record each approval. */
function approvalStep(ctx: BlockContext, tier: Tier, owner: string | undefined, id: string | undefined, at: string | undefined, roles?: string[]): BlockStep | undefined {
  if (!ctx.policy) return undefined;
  const need = approvalsNeeded(ctx.policy, tier, { people: ctx.people, ...(owner ? { exclude: owner } : {}) });
  const todo = roles ? need.roles.filter((r) => roles.includes(r.role)) : need.roles;
  if (todo.length === 0) return undefined;
  const wait = need.usual_wait ? ` — usually ${need.usual_wait}` : '';
  const file = ctx.registryFile ?? 'registry.yaml';
  const cmds = id ? todo.map((r) => `shadowscan registry approve ${id} --role ${r.role} --by ${r.holders[0] ?? 'EMAIL'} --registry ${file}`) : [];
  return {
    text: `Get tier ${tier} approved by ${roleList(todo)}${wait}. The owner never approves their own agent. Each approver records it${at ? ` under approvals: at ${at}` : ''}${cmds.length ? ':' : ' once the entry is in the registry.'}`,
    ...(cmds.length ? { code: { lang: 'sh' as const, body: cmds.join('\n') } } : {}),
  };
}

/** A policy document with one statement per line: short enough for a PR comment, still valid JSON to paste. */
function policyJson(policy: unknown): string {
  const p = policy as { Version?: unknown; Statement?: unknown };
  if (!Array.isArray(p.Statement)) return JSON.stringify(policy, null, 2);
  const rest = Object.entries(p).filter(([k]) => k !== 'Version' && k !== 'Statement').map(([k, v]) => `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join('');
  return `{\n  "Version": ${JSON.stringify(p.Version ?? '2012-10-17')},\n  "Statement": [\n${p.Statement.map((st) => `    ${JSON.stringify(st)}`).join(',\n')}\n  ]${rest}\n}`;
}

/** The least-privilege policy an overbroad finding on the same identity built from its observed calls. */
function observedPolicy(f: Finding, ctx: BlockContext): unknown {
  const own = f.evidence['suggested_policy'];
  if (own) return own;
  const same = (ctx.related ?? []).find((x) => x.detector === 'aws/overbroad' && (x.subject.id === f.subject.id || (f.subject.arn !== null && x.subject.arn === f.subject.arn)));
  return same?.evidence['suggested_policy'];
}

function scopeStep(f: Finding, ctx: BlockContext, lead: string): BlockStep {
  const policy = observedPolicy(f, ctx);
  const explainCmd = `shadowscan explain ${f.subject.arn ?? f.subject.id}`;
  if (!policy) return { text: `${lead} this prints a least-privilege policy built from the calls it made:`, code: { lang: 'sh', body: explainCmd } };
  const put = f.remediation.commands.find((c) => /put-(role|user)-policy/.test(c));
  return {
    text: `${lead} this policy allows only what it used in the window (least-privilege.json)${put ? `, then \`${put}\` and detach the broader policies` : ''}:`,
    code: { lang: 'json', body: policyJson(policy), file: 'least-privilege.json' },
  };
}

/** The appeal step: a temporary exception, approved by whom the policy names for the tier, with an expiry. */
function appealStep(f: Finding, ctx: BlockContext): BlockStep {
  const tier = findingTier(f, ctx);
  const file = ctx.exceptionsFile ?? 'exceptions.yaml';
  const p = ctx.policy;
  const role = p ? (p.tiers[String(tier) as '1' | '2' | '3'].exception_approver ?? p.tiers[String(tier) as '1' | '2' | '3'].approvers[0]) : undefined;
  const holders = p && role ? approvalsNeeded({ ...p, tiers: { ...p.tiers, [String(tier)]: { approvers: [role] } } }, tier, { people: ctx.people }).roles[0]?.holders ?? [] : [];
  const maxDays = p?.exception_max_days ?? 90;
  const expires = day(new Date(ctx.asOf.getTime() + maxDays * 86_400_000));
  const who = role ? `the ${role} role (${holders.length ? holders.join(', ') : 'nobody on the roster holds it'})` : 'a person with authority to accept the risk';
  const body = [
    `- subject: ${f.subject.arn ?? f.subject.id}`,
    `  detector: ${f.detector}`,
    '  reason: WHY this is acceptable for now, in a sentence or two',
    `  approver: ${holders[0] ?? 'EMAIL'}`,
    `  expires: ${expires}                      # at most ${maxDays} days`,
  ].join('\n');
  return {
    text: `If this is wrong or must ship first: appeal${p?.help?.appeals ? ` (${p.help.appeals})` : ''}, or add a temporary exception to ${file}, approved by ${who} for tier ${tier}, expiring within ${maxDays} days:`,
    code: { lang: 'yaml', body, file },
  };
}

/** Next steps for one failing finding, by kind. */
function stepsFor(f: Finding, ctx: BlockContext): BlockStep[] {
  const ev = f.evidence;
  const steps: (BlockStep | undefined)[] = [];
  const file = ctx.registryFile ?? str(ev['registry_file']) ?? 'registry.yaml';
  const id = str(ev['registry_id']);
  const owner = str(ev['owner']);
  switch (f.detector) {
    case 'registry/unregistered': {
      const entry = ev['registry_entry'] as { id?: string; tier?: number } | undefined;
      const tier = asTier(entry?.tier) ?? 1;
      const yaml = str(ev['registry_yaml']);
      const target = f.subject.arn ?? f.subject.id;
      steps.push({ text: `Register it: answer five questions with \`shadowscan registry add --identity ${target} --registry ${file}\`, or add this entry under agents: in ${file} (fix owner and purpose):`, ...(yaml ? { code: { lang: 'yaml' as const, body: yaml.trimEnd(), file } } : {}) });
      steps.push(approvalStep(ctx, tier, undefined, entry?.id, undefined));
      const observed = asTier(ev['observed_tier']);
      if (observed !== undefined && observed < tier) {
        const lower = ctx.policy ? approvalsNeeded(ctx.policy, observed, { people: ctx.people }) : undefined;
        steps.push(scopeStep(f, ctx, `Or reduce its scope first: it only acted as tier ${observed}${lower ? `, which needs only ${lower.roles.map((r) => r.role).join(', ')}${lower.usual_wait ? ` (usually ${lower.usual_wait})` : ''}` : ''};`));
      }
      break;
    }
    case 'registry/tier-violation': {
      const registered = asTier(ev['registered_tier']) ?? 1;
      const needed = asTier(ev['needed_tier']) ?? 3;
      const observed = asTier(ev['observed_tier']);
      const acted = observed !== undefined && observed > registered;
      steps.push(scopeStep(f, ctx, acted
        ? `Reduce its scope to tier ${registered} (it already acted as tier ${observed}: those calls must stop too):`
        : `Reduce its scope to tier ${registered} (it never acted above it):`));
      steps.push({ text: `Or request tier ${needed}: set \`tier: ${needed}\` at ${where(f, ctx)} in the same change as the approvals below.` });
      steps.push(approvalStep(ctx, needed, owner ?? str(ev['registry_owner']), id, where(f, ctx)));
      break;
    }
    case 'registry/approvals': {
      const tier = asTier(ev['tier']) ?? 1;
      const missing = (ev['missing'] as { role: string }[] | undefined ?? []).map((m) => m.role);
      for (const bad of (ev['invalid'] as { by: string; role: string; line: number; problem: string }[] | undefined ?? [])) {
        steps.push({ text: `Remove the approval by ${bad.by} as ${bad.role} at ${file}:${bad.line}: ${bad.problem}.` });
      }
      steps.push(approvalStep(ctx, tier, owner, id, where(f, ctx), missing));
      break;
    }
    case 'registry/certification-expired':
      steps.push({ text: `The owner${owner ? ` (${owner})` : ''} reviews purpose, tier and identities (\`shadowscan explain ${id ?? f.subject.id}\`) and sets \`certified: ${day(ctx.asOf)}\` at ${where(f, ctx)}; if it is no longer needed, remove the entry and its identities.` });
      break;
    case 'registry/ownerless':
      steps.push({ text: `Name a new owner, a person on the roster, at ${where(f, ctx)}${str(ev['deprovision_on']) ? ` before ${String(ev['deprovision_on'])}, when it is due to be deprovisioned` : ''}; or deprovision it now.` });
      break;
    case 'registry/drift':
      steps.push({ text: `Fix the identities listed at ${where(f, ctx)} (${((ev['unmatched'] as string[] | undefined) ?? []).join(', ') || 'none matched'}), or remove the entry if the agent is gone.` });
      break;
    default: {
      if (observedPolicy(f, ctx)) steps.push(scopeStep(f, ctx, 'Reduce its scope:'));
      else steps.push({ text: `${f.remediation.summary}${f.remediation.steps.length ? ` ${f.remediation.steps.slice(0, 3).join(' ')}` : ''}` });
      const cmds = f.remediation.commands.filter((c) => !/put-(role|user)-policy/.test(c) || !observedPolicy(f, ctx)).slice(0, 6);
      if (cmds.length) steps.push({ text: 'Commands:', code: { lang: 'sh', body: cmds.join('\n') } });
    }
  }
  steps.push(appealStep(f, ctx));
  return steps.filter((s): s is BlockStep => s !== undefined);
}

function subjectText(f: Finding): string {
  if (f.subject.type === 'registry-entry') return `registry entry ${f.subject.id}`;
  return f.subject.arn && f.subject.arn !== f.subject.id ? `${f.subject.id} (${f.subject.arn})` : f.subject.id;
}

/** Build the message for the findings that failed a gate. */
export function blockMessage(failures: readonly Finding[], ctx: BlockContext): BlockMessage {
  const p = ctx.policy;
  const help: string[] = [];
  if (p?.help?.channel) help.push(`Questions: ${p.help.channel}`);
  if (p?.help?.url) help.push(`How registration and approval work: ${p.help.url}`);
  if (p?.help?.appeals) help.push(`Appeals: ${p.help.appeals}`);
  if (help.length === 0) help.push(`No help channel is declared: add policy.help (channel, url, appeals) to ${ctx.registryFile ?? 'the registry file'} so this message can say where to ask.`);
  const n = failures.length;
  return {
    title: `shadowscan blocked this: ${n} finding${n === 1 ? '' : 's'} from \`${ctx.gate}\``,
    intro: n === 0
      ? 'Nothing failed the gate.'
      : 'Each one says what was found, why it matters and how to get unblocked; the usual approval times come from the registry policy.',
    sections: failures.map((f) => ({
      severity: f.severity,
      kind: f.category === f.detector.split('/')[1] ? f.category : `${f.category} (${f.detector})`,
      subject: subjectText(f),
      found: f.reason,
      why: firstSentence(ctx.why?.[f.detector] ?? f.title),
      steps: stepsFor(f, ctx),
    })),
    help,
  };
}
