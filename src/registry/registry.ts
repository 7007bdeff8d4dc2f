/**
 * The agent registry as code (`--registry FILE`): what each agent is for, who owns it, its risk tier,
 * when it was last recertified and which identities it runs as. Parsed and validated here, with
 * line-numbered errors; loaded into DuckDB by ./load.ts so detectors can join it.
 */
import { z } from 'zod';
import { UsageError } from '../kernel/errors.js';
import { formatYamlIssues, readYamlWithSchema, type YamlIssue } from '../kernel/yaml-input.js';

/** Tier meanings, as practitioners define them; shown in messages and suggested entries. */
export const TIER_MEANING: Record<1 | 2 | 3, string> = {
  1: 'read-only observer: reads internal data, no writes, no external calls',
  2: 'internal actor: writes internal systems, no customer PII or financial data, sends nothing out',
  3: 'external-facing: customer data, external APIs, financial systems, identity changes',
};

/** What kind of identity a registry line names. */
export type IdentityRefKind = 'aws-arn' | 'github-repo' | 'github-id' | 'access-key';

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$/;
const GITHUB = /^github:[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+$/;
const AKIA = /^AKIA[A-Z0-9]{16}$/;
/** A GitHub identity exactly as the inventory names it (a workflow, secret, deploy key, app installation). */
const GITHUB_ID = /^github:\/\/[^\s/]+\/\S+$/;

/** Classify a registry identity reference (undefined when it is none of the accepted forms). */
export function identityRefKind(ref: string): IdentityRefKind | undefined {
  if (ARN.test(ref)) return 'aws-arn';
  if (GITHUB.test(ref)) return 'github-repo';
  if (GITHUB_ID.test(ref)) return 'github-id';
  if (AKIA.test(ref)) return 'access-key';
  return undefined;
}

const IdentityRef = z.string().superRefine((v, ctx) => {
  if (identityRefKind(v)) return;
  if (/^ASIA[A-Z0-9]{16}$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `${v} is a temporary STS session key (ASIA…), it changes every hour: register the role it belongs to (arn:aws:iam::ACCOUNT:role/NAME)` });
  } else if (/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `"${v}" looks like a repository: write it as github:${v}` });
  } else {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not an identity: use an IAM ARN (arn:aws:iam::ACCOUNT:role/NAME), github:ORG/REPO, a GitHub inventory id (github://…) or an access key id (AKIA…)` });
  }
});

const DateOnly = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const text = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
  const d = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a date: write YYYY-MM-DD, e.g. 2026-10-11` });
    return z.NEVER;
  }
  return text;
});

const Person = z.string().trim().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be the email address of a person (not a team or alias)');

const RoleName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'role names are lower-case words joined by "-", e.g. team-lead');
const TierNumber = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'tier must be 1, 2 or 3' });

/** One approval recorded on an entry: who signed off, in which role, for which tier, on which day. */
export const ApprovalSchema = z.object({
  by: Person,
  role: RoleName,
  tier: TierNumber,
  date: DateOnly,
}).strict();

/** What one tier requires: the roles that must each sign off, how long that usually takes, who may grant an exception. */
const TierPolicySchema = z.object({
  approvers: z.array(RoleName).min(1, 'name at least one role that must approve this tier'),
  usual_wait: z.string().trim().min(1).optional(),
  exception_approver: RoleName.optional(),
}).strict();

/**
 * The approval policy as code (`policy:`): roles required per tier, who holds each role, usual approval times,
 * how long a temporary exception may run, and where a blocked developer gets help or appeals. Messages read
 * these values; nothing about a company's process is written in the code.
 */
export const PolicySchema = z.object({
  roles: z.record(RoleName, z.array(Person).min(1, 'name at least one person who holds this role')),
  tiers: z.object({ 1: TierPolicySchema, 2: TierPolicySchema, 3: TierPolicySchema }).strict(),
  exception_max_days: z.number().int().positive().max(366).default(90),
  help: z.object({
    channel: z.string().trim().min(1).optional(),
    url: z.url({ error: 'must be a URL, e.g. https://wiki.example.com/agent-registry' }).optional(),
    appeals: z.string().trim().min(1).optional(),
  }).strict().optional(),
}).strict().superRefine((p, ctx) => {
  const roles = new Set(Object.keys(p.roles));
  for (const t of ['1', '2', '3'] as const) {
    const tier = p.tiers[t];
    tier.approvers.forEach((r, i) => {
      if (!roles.has(r)) ctx.addIssue({ code: 'custom', path: ['tiers', t, 'approvers', i], message: `role "${r}" is not declared under policy.roles (${[...roles].join(', ') || 'none'})` });
    });
    if (new Set(tier.approvers).size !== tier.approvers.length) ctx.addIssue({ code: 'custom', path: ['tiers', t, 'approvers'], message: 'a role is listed twice' });
    if (tier.exception_approver && !roles.has(tier.exception_approver)) {
      ctx.addIssue({ code: 'custom', path: ['tiers', t, 'exception_approver'], message: `role "${tier.exception_approver}" is not declared under policy.roles` });
    }
  }
});

export type Approval = z.infer<typeof ApprovalSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type TierPolicy = z.infer<typeof TierPolicySchema>;

/** One registered agent. */
export const AgentEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'ids are letters, digits, ".", "_" and "-", e.g. figma-sync-agent'),
  owner: Person,
  purpose: z.string().trim().min(5, 'say in a few words what the agent does'),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'tier must be 1 (read-only observer), 2 (internal actor) or 3 (external-facing)' }),
  certified: DateOnly,
  identities: z.array(IdentityRef).min(1, 'list at least one identity the agent runs as'),
  approvals: z.array(ApprovalSchema).optional(),
  notes: z.string().optional(),
}).strict();

/** The whole registry file. */
export const RegistrySchema = z.object({
  policy: PolicySchema.optional(),
  agents: z.array(AgentEntrySchema).default([]),
  people: z.array(Person).optional(),
}).strict().superRefine((r, ctx) => {
  const roles = r.policy ? Object.keys(r.policy.roles) : [];
  r.agents.forEach((a, i) => (a.approvals ?? []).forEach((ap, j) => {
    if (!r.policy) ctx.addIssue({ code: 'custom', path: ['agents', i, 'approvals'], message: 'approvals need an approval policy: declare policy.roles and policy.tiers in this file' });
    else if (!roles.includes(ap.role)) ctx.addIssue({ code: 'custom', path: ['agents', i, 'approvals', j, 'role'], message: `role "${ap.role}" is not declared under policy.roles (${roles.join(', ')})` });
  }));
  const ids = new Map<string, number>();
  const refs = new Map<string, number>();
  r.agents.forEach((a, i) => {
    if (ids.has(a.id.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['agents', i, 'id'], message: `duplicate id "${a.id}" (first at agents.${ids.get(a.id.toLowerCase())})` });
    else ids.set(a.id.toLowerCase(), i);
    a.identities.forEach((ref, j) => {
      const other = refs.get(ref);
      if (other !== undefined && other !== i) ctx.addIssue({ code: 'custom', path: ['agents', i, 'identities', j], message: `${ref} is already registered (agents.${other}): one identity, one agent` });
      else refs.set(ref, i);
    });
  });
});

export type AgentEntry = z.infer<typeof AgentEntrySchema>;

/** An approval with the line it is written on. */
export type ApprovalAt = Approval & { line: number };

/** A validated registry, with the source line of each agent (for messages that point at the file). */
export interface Registry {
  file: string;
  /** The approval policy; undefined when the file declares none (approvals are then not checked). */
  policy?: Policy | undefined;
  agents: (Omit<AgentEntry, 'approvals'> & { line: number; approvals: ApprovalAt[] })[];
  /** The roster of people who still work here; undefined when the file has none. */
  people: string[] | undefined;
}

/** An empty registry: every active agent and workload is then unregistered (what `registry suggest` lists without one). */
export const EMPTY_REGISTRY: Registry = { file: '(none)', agents: [], people: undefined };

export type RegistryLoad = { ok: true; registry: Registry } | { ok: false; file: string; issues: YamlIssue[] };

/** Read and validate a registry file; problems come back with their line numbers, never thrown. */
export function readRegistry(file: string): RegistryLoad {
  const r = readYamlWithSchema(file, RegistrySchema);
  if (!r.ok) return { ok: false, file, issues: r.issues };
  return {
    ok: true,
    registry: {
      file,
      policy: r.value.policy ? normalisePolicy(r.value.policy) : undefined,
      agents: r.value.agents.map((a, i) => ({
        ...a,
        owner: a.owner.toLowerCase(),
        line: r.lineOf(['agents', i]),
        approvals: (a.approvals ?? []).map((ap, j) => ({ ...ap, by: ap.by.toLowerCase(), line: r.lineOf(['agents', i, 'approvals', j]) })),
      })),
      people: r.value.people?.map((p) => p.toLowerCase()),
    },
  };
}

function normalisePolicy(p: Policy): Policy {
  return { ...p, roles: Object.fromEntries(Object.entries(p.roles).map(([k, v]) => [k, v.map((x) => x.toLowerCase())])) };
}

/** What a tier requires under a policy: the roles, who holds each one (people who left and `exclude` left out), the usual wait. */
export function approvalsNeeded(policy: Policy, tier: 1 | 2 | 3, opts: { people?: readonly string[] | undefined; exclude?: string } = {}): { tier: 1 | 2 | 3; roles: { role: string; holders: string[] }[]; usual_wait: string | null } {
  const tp = policy.tiers[String(tier) as '1' | '2' | '3'];
  const onRoster = (p: string): boolean => !opts.people || opts.people.includes(p) || opts.people.includes(p.split('@')[0] ?? p);
  return {
    tier,
    roles: tp.approvers.map((role) => ({ role, holders: (policy.roles[role] ?? []).filter((p) => onRoster(p) && p !== opts.exclude) })),
    usual_wait: tp.usual_wait ?? null,
  };
}

/** Read a registry for a scan: an invalid file is a usage error listing every problem by line. */
export function readRegistryOrThrow(file: string): Registry {
  const r = readRegistry(file);
  if (!r.ok) throw new UsageError(`--registry ${file} is not valid:\n${formatYamlIssues(file, r.issues)}`);
  return r.registry;
}
