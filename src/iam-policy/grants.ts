/**
 * Effective IAM grants and role trust, from `GetAccountAuthorizationDetails` output.
 *
 * Grant rows: one per (principal, source policy, action, resource, conditional). `resource` is one
 * pattern from the statement's Resource list (a statement with three resources gives three rows per
 * action); a NotResource statement gives one row with `NOT:` + its patterns joined by `,`.
 * `pattern` is the first action pattern, in document order, that produced the row.
 *
 * Scale: expansion is memoised per policy document and per distinct set of policies, and rows are
 * produced lazily, so 2,000 roles sharing AdministratorAccess cost one expansion, not 2,000, and
 * never hold 44 million row objects in memory at once.
 */
import type {
  AttachedPermissionsBoundary,
  AttachedPolicy,
  GroupDetail,
  ManagedPolicyDetail,
  PolicyDetail,
  PolicyVersion,
  RoleDetail,
  UserDetail,
} from '@aws-sdk/client-iam';
import { loadActionCatalogue, wildcardMatch, type ActionCatalogue } from './iam-actions.js';
import { parsePolicyDocument, type ConditionBlock, type PolicyStatement, type PrincipalType } from './policy.js';

/** One inline policy; the document may be a JSON object (CLI) or (URL-encoded) JSON text (API). */
export type PolicyDetailInput = Pick<PolicyDetail, 'PolicyName'> & { PolicyDocument?: unknown };

/** A user as exported; only the fields grant expansion reads. */
export type UserDetailInput = Pick<UserDetail, 'UserName' | 'Arn' | 'GroupList'> & {
  UserPolicyList?: readonly PolicyDetailInput[] | undefined;
  AttachedManagedPolicies?: readonly AttachedPolicy[] | undefined;
  PermissionsBoundary?: AttachedPermissionsBoundary | undefined;
};

/** A group as exported. */
export type GroupDetailInput = Pick<GroupDetail, 'GroupName' | 'Arn'> & {
  GroupPolicyList?: readonly PolicyDetailInput[] | undefined;
  AttachedManagedPolicies?: readonly AttachedPolicy[] | undefined;
};

/** A role as exported. */
export type RoleDetailInput = Pick<RoleDetail, 'RoleName' | 'Arn'> & {
  InstanceProfileList?: readonly { Arn?: string | undefined }[] | undefined;
  AssumeRolePolicyDocument?: unknown;
  RolePolicyList?: readonly PolicyDetailInput[] | undefined;
  AttachedManagedPolicies?: readonly AttachedPolicy[] | undefined;
  PermissionsBoundary?: AttachedPermissionsBoundary | undefined;
};

/** A managed policy version as exported. */
export type PolicyVersionInput = Pick<PolicyVersion, 'VersionId' | 'IsDefaultVersion'> & { Document?: unknown };

/** A managed policy as exported. */
export type ManagedPolicyInput = Pick<ManagedPolicyDetail, 'PolicyName' | 'Arn' | 'DefaultVersionId'> & {
  PolicyVersionList?: readonly PolicyVersionInput[] | undefined;
};

/**
 * `GetAccountAuthorizationDetails` output, loosened so both the SDK response (URL-encoded strings,
 * Date objects) and the AWS CLI's JSON file (decoded objects, date strings) are accepted as is.
 */
export interface AuthorizationDetails {
  UserDetailList?: readonly UserDetailInput[] | undefined;
  GroupDetailList?: readonly GroupDetailInput[] | undefined;
  RoleDetailList?: readonly RoleDetailInput[] | undefined;
  Policies?: readonly ManagedPolicyInput[] | undefined;
}

/** Where a grant came from. */
export type GrantSourceKind = 'inline' | 'managed' | 'group-inline' | 'group-managed';

/** One effective (action, resource) grant of one principal; mirrors the `grants` table. */
export interface GrantRow {
  principal_arn: string;
  principal_type: 'user' | 'role';
  account_id: string;
  /** Canonical `s3:GetObject`; for patterns that match no known action, the pattern as written. */
  action: string;
  /** Service prefix, lower case. */
  service: string;
  /** iam-data access level, or `Unknown` for patterns matching no known action. */
  access_level: string;
  /** One Resource pattern of the statement (`*` or an ARN pattern), or `NOT:<p1>,<p2>` for NotResource. */
  resource: string;
  /** The Allow statement has a Condition. */
  conditional: boolean;
  /** `inline:name`, a managed policy ARN, `group:G/inline:name` or `group:G/<managed ARN>`. */
  source_policy: string;
  source_kind: GrantSourceKind;
  /** The action pattern that produced the row (`*`, `s3:Get*`, `NotAction:iam:*,sts:*`). */
  pattern: string;
  via_not_action: boolean;
  /**
   * Something narrows this grant without removing it: a Deny with a resource or condition
   * constraint covers the action, or the permissions boundary allows it only on some resources or
   * under a condition. Conservative: the grant is kept.
   */
  partially_denied: boolean;
}

/** One principal of one trust-policy statement; mirrors the `trusts` table. */
export interface TrustRow {
  role_arn: string;
  account_id: string;
  effect: string;
  principal_type: PrincipalType;
  /** The principal as written; `NOT:<value>` for a NotPrincipal entry. */
  principal: string;
  /** Statement actions; NotAction entries as `NOT:<pattern>`. */
  actions: string[];
  /** The statement's Condition with keys sorted, or null. */
  condition_json: string | null;
  has_external_id: boolean;
  has_mfa_condition: boolean;
  /** For web-identity principals: the OIDC issuer (`token.actions.githubusercontent.com`), else null. */
  oidc_provider: string | null;
  /** Values of `<issuer>:aud` from positive String* conditions; null when not constrained. */
  oidc_aud: string[] | null;
  /** Values of `<issuer>:sub` from positive String* conditions; null when not constrained. */
  oidc_sub: string[] | null;
}

/** Grant count of one principal, and the id of its (shared) grant set. */
export interface PrincipalGrantSummary {
  principal_arn: string;
  principal_type: 'user' | 'role';
  count: number;
  grant_set: number;
}

/** A grant row without the principal columns: what principals with the same policies share. */
export type GrantSetRow = Omit<GrantRow, 'principal_arn' | 'principal_type' | 'account_id'>;

/**
 * The effective grants of one distinct combination of policies (and boundary). Principals with the
 * same policies share one set, so a loader can store sets once plus a principal → set link
 * instead of principals × actions rows.
 */
export interface GrantSet {
  readonly id: number;
  readonly count: number;
  rows(): Iterable<GrantSetRow>;
}

/** The grant rows of an account, produced on iteration (re-iterable). */
export interface GrantRows extends Iterable<GrantRow> {
  /** Total rows iteration will yield. */
  readonly count: number;
  /** Per principal, in output order. */
  readonly principals: readonly PrincipalGrantSummary[];
  /** Distinct grant sets referenced by `principals[].grant_set`, in order of first use. */
  readonly sets: readonly GrantSet[];
  /** Rows of one principal (materialised). */
  forPrincipal(principalArn: string): GrantRow[];
}

/**
 * One policy that applies to a principal or group, with its parsed statements (JSON), or a fact the
 * escalation graph needs: `group` rows name a user's groups, `instance-profile` rows a role's instance
 * profiles (statements null). Mirrors the `iam_policy_documents` table.
 */
export interface PolicyDocumentRow {
  principal_arn: string;
  principal_type: 'user' | 'role' | 'group';
  account_id: string;
  /** `inline:name`, a managed policy ARN, `group:G/...` (as in grants), the boundary's ARN, a group or instance-profile ARN. */
  source_policy: string;
  source_kind: GrantSourceKind | 'boundary' | 'group' | 'instance-profile';
  statements: string | null;
}

/** What expandGrants returns. */
export interface ExpandGrantsResult {
  grants: GrantRows;
  trusts: TrustRow[];
  /** Every principal's and group's policies with their statements, for the escalation graph. */
  documents: PolicyDocumentRow[];
  /** Coverage gaps and unreadable documents, each naming the principal(s) and policy. */
  problems: string[];
}

// ---------------------------------------------------------------------------------------------
// Per-policy expansion (memoised per document)

/** Shared between every principal whose policy set includes the same document. */
interface AllowEntry {
  readonly action: string;
  readonly actionLower: string;
  readonly service: string;
  readonly access_level: string;
  readonly resource: string;
  readonly conditional: boolean;
  readonly pattern: string;
  readonly via_not_action: boolean;
}

/** An Allow or Deny statement reduced to "which actions, and is it unrestricted". */
interface ActionRule {
  readonly patterns: readonly string[];
  readonly negated: boolean;
  /** Resource `*`, no NotResource, no Condition. */
  readonly unrestricted: boolean;
}

interface ExpandedPolicy {
  readonly id: number;
  /** All-1 verdicts of `allows.length`, shared by every unfiltered segment of this policy. */
  allKept?: Uint8Array;
  readonly allows: readonly AllowEntry[];
  readonly allowRules: readonly ActionRule[];
  readonly denies: readonly ActionRule[];
  readonly notes: readonly string[];
  /** The parsed statements, for the policy evaluator (src/iam-eval). */
  readonly statements: readonly PolicyStatement[];
}

type PolicyOutcome = { ok: true; policy: ExpandedPolicy } | { ok: false; error: string };

function covers(rule: ActionRule, actionLower: string): boolean {
  let hit = false;
  for (const p of rule.patterns) {
    if (wildcardMatch(p, actionLower)) {
      hit = true;
      break;
    }
  }
  return hit !== rule.negated;
}

function toRule(st: PolicyStatement): ActionRule {
  const negated = st.actions === undefined;
  return {
    patterns: (negated ? st.notActions : st.actions) ?? [],
    negated,
    unrestricted: st.condition === undefined && st.notResources === undefined && (st.resources ?? []).includes('*'),
  };
}

function serviceOf(pattern: string): string {
  const colon = pattern.indexOf(':');
  return colon < 0 ? pattern.toLowerCase() : pattern.slice(0, colon).toLowerCase();
}

let nextPolicyId = 1;

function expandStatements(statements: readonly PolicyStatement[], catalogue: ActionCatalogue): ExpandedPolicy {
  const allows: AllowEntry[] = [];
  const allowRules: ActionRule[] = [];
  const denies: ActionRule[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const [i, st] of statements.entries()) {
    const rule = toRule(st);
    if (st.effect === 'Deny') {
      denies.push(rule);
      continue;
    }
    allowRules.push(rule);
    let resources: readonly string[];
    if (st.resources !== undefined) resources = st.resources;
    else if (st.notResources !== undefined) resources = [`NOT:${st.notResources.join(',')}`];
    else {
      // AWS rejects such a statement; if one shows up, over-reporting beats losing a grant.
      notes.push(`statement ${i + 1} allows without Resource or NotResource; treated as Resource "*"`);
      resources = ['*'];
    }
    const conditional = st.condition !== undefined;
    const add = (action: string, service: string, level: string, pattern: string, viaNot: boolean): void => {
      const actionLower = action.toLowerCase();
      for (const resource of resources) {
        const key = `${actionLower}\u0000${resource}\u0000${conditional ? 1 : 0}`;
        if (seen.has(key)) continue;
        seen.add(key);
        allows.push({ action, actionLower, service, access_level: level, resource, conditional, pattern, via_not_action: viaNot });
      }
    };
    if (st.actions !== undefined) {
      for (const pattern of st.actions) {
        const matched = catalogue.match(pattern);
        // Keep typos and services the catalogue does not know as one row, so nothing is silently lost.
        if (matched.length === 0) add(pattern, serviceOf(pattern), 'Unknown', pattern, false);
        for (const a of matched) add(a.action, a.service, a.accessLevel, pattern, false);
      }
    } else {
      const pattern = `NotAction:${rule.patterns.join(',')}`;
      for (const a of catalogue.actions) {
        if (covers(rule, a.action.toLowerCase())) add(a.action, a.service, a.accessLevel, pattern, true);
      }
    }
  }
  return { id: nextPolicyId++, allows, allowRules, denies, notes, statements };
}

// ---------------------------------------------------------------------------------------------
// Per-principal combination (memoised per distinct policy set)

interface Segment {
  readonly source_policy: string;
  readonly source_kind: GrantSourceKind;
  readonly entries: readonly AllowEntry[];
  /** Per entry: 0 dropped, 1 kept, 2 kept and partially denied. Always present: one shape keeps iteration fast. */
  readonly verdicts: Uint8Array;
  readonly count: number;
}

interface SourceRef {
  source_policy: string;
  source_kind: GrantSourceKind;
  policy: ExpandedPolicy;
}

interface CombinedSet {
  readonly id: number;
  readonly segments: readonly Segment[];
  readonly count: number;
}

interface PrincipalGrants {
  readonly principal_arn: string;
  readonly principal_type: 'user' | 'role';
  readonly set: CombinedSet;
}

/** Filters (the Deny and boundary rules a principal is under) and their verdicts, reused across principals. */
interface FilterCache {
  readonly filters: Map<string, (actionLower: string) => 0 | 1 | 2>;
  readonly verdicts: Map<string, { verdicts: Uint8Array; count: number }>;
}

function newFilterCache(): FilterCache {
  return { filters: new Map(), verdicts: new Map() };
}

// Verdict per action: 0 dropped, 1 kept, 2 kept and partially denied.
function makeFilter(denies: readonly ActionRule[], boundary: ExpandedPolicy | undefined): ((actionLower: string) => 0 | 1 | 2) | undefined {
  const fullDenies = denies.filter((d) => d.unrestricted);
  const partialDenies = denies.filter((d) => !d.unrestricted);
  const boundaryAllows = boundary?.allowRules ?? [];
  const boundaryIsOpen = boundary === undefined || boundaryAllows.some((r) => r.unrestricted && !r.negated && r.patterns.includes('*'));
  if (denies.length === 0 && boundaryIsOpen) return undefined;
  const byAction = new Map<string, 0 | 1 | 2>();
  return (actionLower) => {
    let v = byAction.get(actionLower);
    if (v !== undefined) return v;
    v = 1;
    if (fullDenies.some((d) => covers(d, actionLower))) v = 0;
    else {
      if (partialDenies.some((d) => covers(d, actionLower))) v = 2;
      if (!boundaryIsOpen) {
        const allowing = boundaryAllows.filter((r) => covers(r, actionLower));
        if (allowing.length === 0) v = 0;
        else if (!allowing.some((r) => r.unrestricted)) v = 2;
      }
    }
    byAction.set(actionLower, v);
    return v;
  };
}

/**
 * Apply the principal's Denies (from any of its policies) and boundary to each source's allows.
 * Keyed by which policies carry Denies plus the boundary, so 2,000 roles that share
 * AdministratorAccess and a Deny policy but each have their own small inline policy filter the
 * 22k admin entries once, not 2,000 times.
 */
function combine(sources: readonly SourceRef[], boundary: ExpandedPolicy | undefined, cache: FilterCache): Segment[] {
  const denying = [...new Set(sources.filter((s) => s.policy.denies.length > 0).map((s) => s.policy))].sort((a, b) => a.id - b.id);
  if (boundary !== undefined && boundary.denies.length > 0 && !denying.includes(boundary)) denying.push(boundary);
  const filterKey = `${denying.map((p) => p.id).join(',')}|${boundary?.id ?? 0}`;
  let filter = cache.filters.get(filterKey);
  if (filter === undefined && !cache.filters.has(filterKey)) {
    filter = makeFilter(denying.flatMap((p) => p.denies), boundary);
    if (filter !== undefined) cache.filters.set(filterKey, filter);
  }
  return sources.map((s): Segment => {
    const entries = s.policy.allows;
    if (filter === undefined) {
      const verdicts = (s.policy.allKept ??= new Uint8Array(entries.length).fill(1));
      return { source_policy: s.source_policy, source_kind: s.source_kind, entries, verdicts, count: entries.length };
    }
    const key = `${filterKey}#${s.policy.id}`;
    let hit = cache.verdicts.get(key);
    if (hit === undefined) {
      const verdicts = new Uint8Array(entries.length);
      let count = 0;
      for (let i = 0; i < entries.length; i++) {
        const v = filter((entries[i] as AllowEntry).actionLower);
        verdicts[i] = v;
        if (v !== 0) count++;
      }
      hit = { verdicts, count };
      cache.verdicts.set(key, hit);
    }
    return { source_policy: s.source_policy, source_kind: s.source_kind, entries, verdicts: hit.verdicts, count: hit.count };
  });
}

function* setRows(set: CombinedSet): Generator<GrantSetRow> {
  for (const seg of set.segments) {
    const { entries, verdicts } = seg;
    for (let i = 0; i < entries.length; i++) {
      const v = verdicts[i];
      if (v === 0) continue;
      const e = entries[i] as AllowEntry;
      yield {
        action: e.action,
        service: e.service,
        access_level: e.access_level,
        resource: e.resource,
        conditional: e.conditional,
        source_policy: seg.source_policy,
        source_kind: seg.source_kind,
        pattern: e.pattern,
        via_not_action: e.via_not_action,
        partially_denied: v === 2,
      };
    }
  }
}

/**
 * Iterates every principal's rows. A flat iterator rather than nested generators: at tens of
 * millions of rows, generator delegation (`yield*`) per row measurably dominates.
 */
class GrantRowIterator implements Iterator<GrantRow> {
  private p = 0;
  private s = 0;
  private i = 0;

  constructor(
    private readonly principals: readonly PrincipalGrants[],
    private readonly accountId: string,
  ) {}

  next(): IteratorResult<GrantRow> {
    const principals = this.principals;
    while (this.p < principals.length) {
      const pr = principals[this.p] as PrincipalGrants;
      const segments = pr.set.segments;
      while (this.s < segments.length) {
        const seg = segments[this.s] as Segment;
        const { entries, verdicts } = seg;
        while (this.i < entries.length) {
          const i = this.i++;
          const v = verdicts[i];
          if (v === 0) continue;
          const e = entries[i] as AllowEntry;
          return {
            done: false,
            value: {
              principal_arn: pr.principal_arn,
              principal_type: pr.principal_type,
              account_id: this.accountId,
              action: e.action,
              service: e.service,
              access_level: e.access_level,
              resource: e.resource,
              conditional: e.conditional,
              source_policy: seg.source_policy,
              source_kind: seg.source_kind,
              pattern: e.pattern,
              via_not_action: e.via_not_action,
              partially_denied: v === 2,
            },
          };
        }
        this.s++;
        this.i = 0;
      }
      this.p++;
      this.s = 0;
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

function grantRows(principals: readonly PrincipalGrants[], accountId: string): GrantRows {
  const summaries = principals.map((p) => ({ principal_arn: p.principal_arn, principal_type: p.principal_type, count: p.set.count, grant_set: p.set.id }));
  const count = summaries.reduce((n, p) => n + p.count, 0);
  const sets = new Map<number, GrantSet>();
  for (const { set } of principals) {
    if (!sets.has(set.id)) sets.set(set.id, { id: set.id, count: set.count, rows: () => setRows(set) });
  }
  return {
    count,
    principals: summaries,
    sets: [...sets.values()],
    forPrincipal: (arn) => [...new GrantRowIterator(principals.filter((p) => p.principal_arn === arn), accountId)],
    [Symbol.iterator]: () => new GrantRowIterator(principals, accountId),
  };
}

// ---------------------------------------------------------------------------------------------
// Problems, deduplicated so a broken policy shared by 2,000 roles is one line, not 2,000

class Problems {
  private readonly byMessage = new Map<string, string[]>();

  add(message: string, principal?: string): void {
    let list = this.byMessage.get(message);
    if (list === undefined) this.byMessage.set(message, (list = []));
    if (principal !== undefined && !list.includes(principal)) list.push(principal);
  }

  list(): string[] {
    return [...this.byMessage].map(([message, principals]) => {
      if (principals.length === 0) return message;
      const shown = principals.slice(0, 5).join(', ');
      const more = principals.length > 5 ? ` and ${principals.length - 5} more` : '';
      return `${message} (affects ${shown}${more})`;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Trust

const STRING_OPERATOR = /^(For(Any|All)Value:)?String(Equals|Like|EqualsIgnoreCase)(IfExists)?$/i;

function conditionEntries(c: ConditionBlock | undefined): Array<[operator: string, key: string, values: string[]]> {
  if (c === undefined) return [];
  return Object.entries(c).flatMap(([op, keys]) => Object.entries(keys).map(([k, v]): [string, string, string[]] => [op, k, v]));
}

function sortedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedJson((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function oidcIssuer(federated: string): string | null {
  const m = /:oidc-provider\/(.+)$/.exec(federated);
  if (m?.[1] !== undefined) return m[1];
  if (federated.startsWith('arn:')) return null; // SAML provider
  return federated; // accounts.google.com, cognito-identity.amazonaws.com, graph.facebook.com, www.amazon.com
}

function conditionValues(entries: ReturnType<typeof conditionEntries>, key: string): string[] | null {
  const wanted = key.toLowerCase();
  const values: string[] = [];
  for (const [op, k, v] of entries) {
    if (k.toLowerCase() !== wanted || !STRING_OPERATOR.test(op)) continue;
    for (const x of v) if (!values.includes(x)) values.push(x);
  }
  return values.length === 0 ? null : values;
}

function trustRows(role: RoleDetailInput, roleArn: string, accountId: string, where: string, problems: Problems): TrustRow[] {
  if (role.AssumeRolePolicyDocument === undefined) {
    problems.add(`${where}: no trust policy in the export`);
    return [];
  }
  const parsed = parsePolicyDocument(role.AssumeRolePolicyDocument, where);
  if (!parsed.ok) {
    problems.add(parsed.error);
    return [];
  }
  const rows: TrustRow[] = [];
  for (const [i, st] of parsed.statements.entries()) {
    if (st.principals === undefined && st.notPrincipals === undefined) problems.add(`${where}: statement ${i + 1} names no Principal; skipped`);
    const entries = conditionEntries(st.condition);
    const keys = entries.map(([, k]) => k.toLowerCase());
    const base = {
      role_arn: roleArn,
      account_id: accountId,
      effect: st.effect,
      actions: st.actions ?? (st.notActions ?? []).map((a) => `NOT:${a}`),
      condition_json: st.condition === undefined ? null : JSON.stringify(sortedJson(st.condition)),
      has_external_id: keys.includes('sts:externalid'),
      has_mfa_condition: keys.includes('aws:multifactorauthpresent') || keys.includes('aws:multifactorauthage'),
    };
    const emit = (map: Partial<Record<PrincipalType, string[]>>, prefix: string): void => {
      for (const [type, values] of Object.entries(map) as Array<[PrincipalType, string[]]>) {
        for (const value of values) {
          const issuer = type === 'Federated' ? oidcIssuer(value) : null;
          rows.push({
            ...base,
            principal_type: type,
            principal: `${prefix}${value}`,
            oidc_provider: issuer,
            oidc_aud: issuer === null ? null : conditionValues(entries, `${issuer}:aud`),
            oidc_sub: issuer === null ? null : conditionValues(entries, `${issuer}:sub`),
          });
        }
      }
    };
    if (st.principals !== undefined) emit(st.principals, '');
    if (st.notPrincipals !== undefined) emit(st.notPrincipals, 'NOT:');
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

const ADMIN_STATEMENTS: readonly PolicyStatement[] = [{ effect: 'Allow', actions: ['*'], resources: ['*'] }];

function isAwsManaged(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Expand every user's and role's effective grants (identity policies, group policies, Denies and
 * permissions boundaries applied) and parse every role's trust policy.
 */
export async function expandGrants(details: AuthorizationDetails, accountId: string): Promise<ExpandGrantsResult> {
  const catalogue = await loadActionCatalogue();
  const problems = new Problems();

  const managed = new Map<string, ManagedPolicyInput>();
  for (const p of details.Policies ?? []) if (p.Arn !== undefined) managed.set(p.Arn, p);
  const groups = new Map<string, GroupDetailInput>();
  for (const g of details.GroupDetailList ?? []) if (g.GroupName !== undefined) groups.set(g.GroupName, g);

  // Document text → expansion. Text, not where it came from, is the key, so identical inline
  // policies stamped onto many roles (CloudFormation, Terraform modules) expand once.
  const byText = new Map<string, PolicyOutcome>();
  const expandDocument = (doc: unknown, where: string): PolicyOutcome => {
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc) ?? '';
    let out = byText.get(text);
    if (out === undefined) {
      const parsed = parsePolicyDocument(doc, where);
      out = parsed.ok ? { ok: true, policy: expandStatements(parsed.statements, catalogue) } : parsed;
      byText.set(text, out);
    } else if (!out.ok) {
      // Same broken text elsewhere: report it under this name too.
      const again = parsePolicyDocument(doc, where);
      if (!again.ok) return again;
    }
    return out;
  };
  // `principal` is named in the problem when `where` does not already name it (shared policies).
  const resolve = (doc: unknown, where: string, principal: string | undefined, consequence: string): ExpandedPolicy | undefined => {
    const out = expandDocument(doc, where);
    if (!out.ok) {
      problems.add(`${out.error}; ${consequence}`, principal);
      return undefined;
    }
    for (const note of out.policy.notes) problems.add(`${where}: ${note}`, principal);
    return out.policy;
  };

  const adminPolicy = expandStatements(ADMIN_STATEMENTS, catalogue);
  const resolveManaged = (arn: string, principal: string, role: string): ExpandedPolicy | undefined => {
    const name = policyName(arn);
    const consequence =
      role === 'permissions boundary'
        ? 'grants are shown without the boundary'
        : name.startsWith('AWSCompromisedKeyQuarantine')
          ? 'its Denies are not applied, so the grants shown are overstated'
          : 'its grants are missing';
    const p = managed.get(arn);
    if (p === undefined) {
      if (isAwsManaged(arn) && name === 'AdministratorAccess') {
        problems.add(`managed policy ${arn} (${role}) is not in the export's Policies list; treated as its well-known "*" on "*"`, principal);
        return adminPolicy;
      }
      problems.add(`managed policy ${arn} (${role}) is not in the export's Policies list (exported with --filter?); ${consequence}`, principal);
      return undefined;
    }
    const versions = p.PolicyVersionList ?? [];
    const version = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId === p.DefaultVersionId);
    if (version === undefined) {
      problems.add(`managed policy ${arn} (${role}) has no default version in the export; ${consequence}`, principal);
      return undefined;
    }
    return resolve(version.Document, `managed policy ${arn} (${role}, version ${version.VersionId ?? '?'})`, principal, consequence);
  };

  const setCache = new Map<string, CombinedSet>();
  const filterCache = newFilterCache();
  const principals: PrincipalGrants[] = [];
  const trusts: TrustRow[] = [];

  const documents: PolicyDocumentRow[] = [];
  const statementText = new Map<ExpandedPolicy, string>();
  const textOf = (p: ExpandedPolicy): string => {
    let t = statementText.get(p);
    if (t === undefined) statementText.set(p, (t = JSON.stringify(p.statements)));
    return t;
  };
  const addDocuments = (type: PolicyDocumentRow['principal_type'], arn: string, sources: readonly SourceRef[], boundaryArn?: string, boundary?: ExpandedPolicy): void => {
    for (const s of sources) documents.push({ principal_arn: arn, principal_type: type, account_id: accountId, source_policy: s.source_policy, source_kind: s.source_kind, statements: textOf(s.policy) });
    if (boundaryArn !== undefined && boundary !== undefined) {
      documents.push({ principal_arn: arn, principal_type: type, account_id: accountId, source_policy: boundaryArn, source_kind: 'boundary', statements: textOf(boundary) });
    }
  };

  const addPrincipal = (
    type: 'user' | 'role',
    arn: string,
    label: string,
    sources: SourceRef[],
    boundaryArn: string | undefined,
  ): void => {
    let boundary: ExpandedPolicy | undefined;
    if (boundaryArn !== undefined) boundary = resolveManaged(boundaryArn, label, 'permissions boundary');
    addDocuments(type, arn, sources, boundaryArn, boundary);
    const key = `${sources.map((s) => `${s.source_kind}\u0000${s.source_policy}\u0000${s.policy.id}`).join('\u0001')}|${boundary?.id ?? 0}`;
    let combined = setCache.get(key);
    if (combined === undefined) {
      const segments = combine(sources, boundary, filterCache);
      combined = { id: setCache.size + 1, segments, count: segments.reduce((n, s) => n + s.count, 0) };
      setCache.set(key, combined);
    }
    principals.push({ principal_arn: arn, principal_type: type, set: combined });
  };

  const inlineSources = (list: readonly PolicyDetailInput[] | undefined, owner: string, principal: string, kind: 'inline' | 'group-inline', prefix: string): SourceRef[] =>
    (list ?? []).flatMap((p) => {
      const name = p.PolicyName ?? '?';
      const shared = owner === principal ? undefined : principal;
      const policy = resolve(p.PolicyDocument, `${owner} inline policy ${name}`, shared, 'its grants are missing');
      return policy === undefined ? [] : [{ source_policy: `${prefix}inline:${name}`, source_kind: kind, policy }];
    });
  const managedSources = (list: readonly AttachedPolicy[] | undefined, principal: string, kind: 'managed' | 'group-managed', prefix: string, role: string): SourceRef[] =>
    (list ?? []).flatMap((a) => {
      if (a.PolicyArn === undefined) return [];
      const policy = resolveManaged(a.PolicyArn, principal, role);
      return policy === undefined ? [] : [{ source_policy: `${prefix}${a.PolicyArn}`, source_kind: kind, policy }];
    });

  for (const u of details.UserDetailList ?? []) {
    const label = `user/${u.UserName ?? '?'}`;
    if (u.Arn === undefined) {
      problems.add(`${label}: no Arn in the export; skipped`);
      continue;
    }
    const sources = [
      ...inlineSources(u.UserPolicyList, label, label, 'inline', ''),
      ...managedSources(u.AttachedManagedPolicies, label, 'managed', '', 'attached'),
    ];
    for (const groupName of u.GroupList ?? []) {
      const g = groups.get(groupName);
      if (g === undefined) {
        problems.add(`${label}: group ${groupName} is not in the export; its grants are missing`);
        continue;
      }
      const prefix = `group:${groupName}/`;
      sources.push(
        ...inlineSources(g.GroupPolicyList, `group/${groupName}`, label, 'group-inline', prefix),
        ...managedSources(g.AttachedManagedPolicies, label, 'group-managed', prefix, `attached to group ${groupName}`),
      );
    }
    addPrincipal('user', u.Arn, label, sources, u.PermissionsBoundary?.PermissionsBoundaryArn);
    for (const groupName of u.GroupList ?? []) {
      const arn = groups.get(groupName)?.Arn;
      if (arn !== undefined) documents.push({ principal_arn: u.Arn, principal_type: 'user', account_id: accountId, source_policy: arn, source_kind: 'group', statements: null });
    }
  }

  // Groups on their own: what joining one (iam:AddUserToGroup) would grant.
  for (const g of details.GroupDetailList ?? []) {
    if (g.Arn === undefined || g.GroupName === undefined) continue;
    const label = `group/${g.GroupName}`;
    addDocuments('group', g.Arn, [
      ...inlineSources(g.GroupPolicyList, label, label, 'inline', ''),
      ...managedSources(g.AttachedManagedPolicies, label, 'managed', '', 'attached'),
    ]);
  }

  for (const r of details.RoleDetailList ?? []) {
    const label = `role/${r.RoleName ?? '?'}`;
    if (r.Arn === undefined) {
      problems.add(`${label}: no Arn in the export; skipped`);
      continue;
    }
    const sources = [
      ...inlineSources(r.RolePolicyList, label, label, 'inline', ''),
      ...managedSources(r.AttachedManagedPolicies, label, 'managed', '', 'attached'),
    ];
    addPrincipal('role', r.Arn, label, sources, r.PermissionsBoundary?.PermissionsBoundaryArn);
    for (const ip of r.InstanceProfileList ?? []) {
      if (ip.Arn !== undefined) documents.push({ principal_arn: r.Arn, principal_type: 'role', account_id: accountId, source_policy: ip.Arn, source_kind: 'instance-profile', statements: null });
    }
    trusts.push(...trustRows(r, r.Arn, accountId, `${label} trust policy`, problems));
  }

  return { grants: grantRows(principals, accountId), trusts, documents, problems: problems.list() };
}
