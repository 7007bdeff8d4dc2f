/**
 * Privilege escalation as a graph, computed at model time and stored for aws/privilege-escalation.
 *
 * Nodes are the IAM users and roles of every account in the scan. A node is admin-equivalent when its
 * policies allow every action on every resource (`*:*`, no Deny or boundary in the way), or when one
 * `self` method (privesc-paths.ts) lets it change its own permissions. Edges lead from a principal to
 * another: it can assume the role (trust ∧ its own permission, across accounts), pass the role to compute
 * it creates, take over existing compute that may run as the role, rewrite the role's trust, or create
 * credentials for the user. Every step is decided by the policy evaluator (src/iam-eval): decisions that
 * hold only under conditions the scan cannot see make the path `conditional`, with those conditions kept.
 * A principal is flagged when some path reaches an admin-equivalent node; shortest unconditional paths first.
 * AWS-managed policies and service-linked roles are never targets: no customer can change them.
 */
import { ANY_RESOURCE, EXISTING_RESOURCE, evaluate, evaluateAssume, type EvalOptions, type EvalResult, type NamedPolicy, type PolicySet, type Principal } from '../iam-eval/evaluate.js';
import type { Store } from '../store/db.js';
import { PRIVESC_METHODS, type PrivescMethod, type StepTarget } from './privesc-paths.js';
import { globMatch } from '../iam-eval/conditions.js';
import { wildcardMatch } from '../iam-policy/iam-actions.js';
import { parsePolicyDocument, type PolicyStatement } from '../iam-policy/policy.js';

/** One hop of a path, as stored in privesc_hops. */
export interface Hop {
  from: string;
  /** The principal reached, or for a `self` method the resource it acts on (its own user, a policy, a group). */
  to: string;
  method: PrivescMethod;
  permissions: string[];
  conditions: string[];
  observed: boolean;
  /** A `self` method used on another principal (it can make someone else administrator, not itself). */
  onOther?: boolean;
}

/** A way to administrator. */
export interface EscalationPath {
  hops: Hop[];
  conditional: boolean;
  /** Where it ends: a `*:*` principal, or the node whose own `self` method is the last hop. */
  target: string;
  targetAdmin: 'full' | 'self-method';
}

interface Node {
  arn: string;
  account: string;
  type: 'user' | 'role';
  principal: Principal;
  set: PolicySet;
  trust: readonly PolicyStatement[];
  trustedServices: ReadonlySet<string>;
  groups: string[];
  ownPolicies: string[];
  instanceProfiles: string[];
  serviceLinked: boolean;
}

interface Group {
  arn: string;
  account: string;
  set: PolicySet;
}

/** What the graph reads: principals, their policies, and observed role assumptions. */
export interface GraphInput {
  principals: { arn: string; account_id: string; principal_type: string; name: string; path: string | null; tags: string | null; trust_policy: string | null; mfa: boolean | null }[];
  documents: { principal_arn: string; principal_type: string; account_id: string; source_policy: string; source_kind: string; statements: string | null }[];
  /** (caller principal ARN, role ARN) of successful AssumeRole calls; callers as role ARNs for role sessions. */
  assumed: { caller: string; role: string }[];
}

/** The graph's result: every flagged principal's paths (single-hop methods, then the shortest chain). */
export interface GraphResult {
  paths: Map<string, EscalationPath[]>;
  admins: Set<string>;
}

const PROBES = ['shadowscan:AnyAction', 'iam:PutRolePolicy', 'iam:CreateAccessKey', 'sts:AssumeRole', 'ec2:RunInstances', 's3:GetObject', 'lambda:CreateFunction'];
const MAX_HOPS = 6;
const SEVERITY = ['medium', 'high', 'critical'] as const;

const isAwsManagedPolicy = (arn: string): boolean => /^arn:[^:]+:iam::aws:policy\//.test(arn);

function parseStatements(text: string | null): PolicyStatement[] {
  if (text === null) return [];
  try {
    return JSON.parse(text) as PolicyStatement[];
  } catch {
    return [];
  }
}

function trustStatements(doc: string | null, role: string): PolicyStatement[] {
  if (doc === null) return [];
  const parsed = parsePolicyDocument(doc, `${role} trust policy`);
  return parsed.ok ? parsed.statements : []; // an unreadable trust policy is already a coverage gap of the IAM load
}

function services(trust: readonly PolicyStatement[]): Set<string> {
  const out = new Set<string>();
  for (const st of trust) if (st.effect === 'Allow') for (const s of st.principals?.Service ?? []) out.add(s.toLowerCase());
  return out;
}

const allowed = (r: EvalResult): boolean => r.decision === 'allow' || r.decision === 'conditional';

/** Build the graph and find every principal's way to administrator. Pure: no store. */
export function buildEscalationGraph(input: GraphInput, opts: EvalOptions): GraphResult {
  const docsBy = new Map<string, GraphInput['documents']>();
  for (const d of input.documents) {
    let l = docsBy.get(d.principal_arn);
    if (l === undefined) docsBy.set(d.principal_arn, (l = []));
    l.push(d);
  }
  const setOf = (arn: string): { set: PolicySet; groups: string[]; ownPolicies: string[]; instanceProfiles: string[] } => {
    const identity: NamedPolicy[] = [];
    let boundary: NamedPolicy | undefined;
    const groups: string[] = [];
    const ownPolicies: string[] = [];
    const instanceProfiles: string[] = [];
    for (const d of docsBy.get(arn) ?? []) {
      if (d.source_kind === 'group') groups.push(d.source_policy);
      else if (d.source_kind === 'instance-profile') instanceProfiles.push(d.source_policy);
      else if (d.source_kind === 'boundary') boundary = { source: `boundary ${d.source_policy}`, statements: parseStatements(d.statements) };
      else {
        identity.push({ source: d.source_policy, statements: parseStatements(d.statements) });
        if (d.source_kind === 'managed' || d.source_kind === 'group-managed') {
          const policyArn = d.source_policy.replace(/^group:[^/]+\//, '');
          if (!isAwsManagedPolicy(policyArn) && !ownPolicies.includes(policyArn)) ownPolicies.push(policyArn);
        }
      }
    }
    return { set: { identity, boundary }, groups, ownPolicies, instanceProfiles };
  };

  const nodes: Node[] = [];
  const byArn = new Map<string, Node>();
  for (const p of input.principals) {
    if (p.principal_type !== 'user' && p.principal_type !== 'role') continue;
    const tags = p.tags ? (JSON.parse(p.tags) as Record<string, string>) : {};
    const trust = p.principal_type === 'role' ? trustStatements(p.trust_policy, p.arn) : [];
    const s = setOf(p.arn);
    // The ARN's account, not the export folder's: what IAM itself compares (they differ only in hand-made exports).
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(p.arn)?.[1] ?? p.account_id;
    const node: Node = {
      arn: p.arn, account, type: p.principal_type,
      principal: { arn: p.arn, accountId: account, type: p.principal_type, name: p.name, tags, ...(p.mfa ? { mfa: true } : {}) },
      set: s.set, trust, trustedServices: services(trust), groups: s.groups, ownPolicies: s.ownPolicies, instanceProfiles: s.instanceProfiles,
      serviceLinked: (p.path ?? '').startsWith('/aws-service-role/'),
    };
    nodes.push(node);
    byArn.set(p.arn, node);
  }
  nodes.sort((a, b) => a.arn.localeCompare(b.arn));
  const groups: Group[] = [];
  for (const d of input.documents) if (d.principal_type === 'group' && !groups.some((g) => g.arn === d.principal_arn)) groups.push({ arn: d.principal_arn, account: d.account_id, set: setOf(d.principal_arn).set });
  for (const d of input.documents) if (d.source_kind === 'group' && !groups.some((g) => g.arn === d.source_policy)) groups.push({ arn: d.source_policy, account: d.account_id, set: { identity: [] } });

  const fullAdmin = (set: PolicySet, principal: Principal): boolean =>
    set.identity.length > 0 && PROBES.every((action) => evaluate(set, principal, { action, resource: ANY_RESOURCE }, opts).decision === 'allow');
  const groupPrincipal = (g: Group): Principal => ({ arn: g.arn, accountId: g.account, type: 'user', name: g.arn, tags: {} });
  const adminGroups = groups.filter((g) => fullAdmin(g.set, groupPrincipal(g))).map((g) => g.arn).sort();
  const admins = new Set(nodes.filter((n) => !n.serviceLinked && fullAdmin(n.set, n.principal)).map((n) => n.arn));

  const observed = new Set(input.assumed.map((a) => `${a.caller}\u0000${a.role}`));
  const memo = <T>(f: (k: string) => T): ((k: string) => T) => {
    const m = new Map<string, T>();
    return (k) => {
      let v = m.get(k);
      if (v === undefined) m.set(k, (v = f(k)));
      return v;
    };
  };
  const accountUsers = memo((acct) => nodes.filter((n) => n.account === acct && n.type === 'user').map((n) => n.arn));
  const accountRoles = memo((acct) => nodes.filter((n) => n.account === acct && n.type === 'role' && !n.serviceLinked).map((n) => n.arn));
  // Cheap pre-checks: most principals never mention most escalation actions, and most trust policies name few callers.
  const mentions = new Map<string, boolean>();
  const mayAllow = (n: Node, action: string): boolean => {
    const key = `${n.arn}\u0000${action}`;
    let v = mentions.get(key);
    if (v === undefined) {
      v = n.set.identity.some((p) => p.statements.some((st) => st.effect === 'Allow' && (st.actions !== undefined
        ? st.actions.some((a) => wildcardMatch(a, action)) : !(st.notActions ?? []).some((a) => wildcardMatch(a, action)))));
      mentions.set(key, v);
    }
    return v;
  };
  // Whether the decision on `action` can differ between two resources: some statement for it names resources
  // other than "*" or conditions on resource tags. When not, one candidate stands for all.
  const sensitivity = new Map<string, boolean>();
  const resourceSensitive = (n: Node, action: string): boolean => {
    const key = `${n.arn}\u0000${action}`;
    let v = sensitivity.get(key);
    if (v === undefined) {
      const all = n.set.boundary ? [...n.set.identity, n.set.boundary] : n.set.identity;
      v = all.some((p) => p.statements.some((st) => (st.actions !== undefined ? st.actions.some((a) => wildcardMatch(a, action)) : !(st.notActions ?? []).some((a) => wildcardMatch(a, action)))
        && (st.resources === undefined || st.resources.some((r) => r !== '*') || JSON.stringify(st.condition ?? {}).toLowerCase().includes('resourcetag'))));
      sensitivity.set(key, v);
    }
    return v;
  };
  const mayAllowOn = (n: Node, action: string, resource: string): boolean => n.set.identity.some((p) => p.statements.some((st) => st.effect === 'Allow'
    && (st.actions !== undefined ? st.actions.some((a) => wildcardMatch(a, action)) : !(st.notActions ?? []).some((a) => wildcardMatch(a, action)))
    && (st.resources === undefined || st.resources.some((r) => r.includes('${') || globMatch(r, resource)))));
  const trustAdmits = (t: Node, n: Node): boolean => t.trust.some((st) => st.effect === 'Allow' && (st.principals?.['*'] !== undefined
    || (st.principals?.AWS ?? []).some((p) => p === '*' || p === n.arn || p === n.account || p === `arn:aws:iam::${n.account}:root`
      || (n.type === 'role' && p.startsWith(`arn:aws:sts::${n.account}:assumed-role/${n.principal.name}/`)))));
  const accountPolicies = new Map<string, string[]>();
  for (const n of nodes) {
    const l = accountPolicies.get(n.account) ?? [];
    for (const p of n.ownPolicies) if (!l.includes(p)) l.push(p);
    accountPolicies.set(n.account, l);
  }

  const permission = (action: string, resource: string, r: EvalResult): string =>
    `${action} on ${resource === ANY_RESOURCE ? 'a new resource' : resource === EXISTING_RESOURCE ? 'any existing resource' : resource} (${r.allowedBy.join(', ')})`;

  /** Evaluate one step on its first allowed candidate; unconditional candidates win over conditional ones. */
  const runStep = (n: Node, action: string, on: readonly StepTarget[], target: Node | undefined, service: string | undefined):
    { result: EvalResult; resource: string; kind: StepTarget } | undefined => {
    let fallback: { result: EvalResult; resource: string; kind: StepTarget } | undefined;
    if (!mayAllow(n, action)) return undefined;
    for (const kind of on) {
      let candidates: string[];
      switch (kind) {
        case 'self-user': candidates = n.type === 'user' ? [n.arn] : []; break;
        case 'self-role': candidates = n.type === 'role' ? [n.arn] : []; break;
        case 'other-user': candidates = accountUsers(n.account).filter((a) => a !== n.arn); break;
        case 'other-role': candidates = accountRoles(n.account).filter((a) => a !== n.arn); break;
        case 'own-group': candidates = n.groups; break;
        case 'other-group': candidates = groups.filter((g) => g.account === n.account && !n.groups.includes(g.arn)).map((g) => g.arn); break;
        case 'admin-group': candidates = adminGroups.filter((g) => byGroupAccount(g) === n.account); break;
        case 'own-policy': candidates = n.ownPolicies; break;
        case 'any-policy': candidates = (accountPolicies.get(n.account) ?? []).filter((p) => !n.ownPolicies.includes(p)); break;
        case 'target': candidates = target ? [target.arn] : []; break;
        case 'new': candidates = [ANY_RESOURCE]; break;
        case 'existing': candidates = [EXISTING_RESOURCE]; break;
      }
      if (candidates.length > 1 && !resourceSensitive(n, action)) candidates = candidates.slice(0, 1);
      for (const resource of candidates) {
        if (resource !== ANY_RESOURCE && resource !== EXISTING_RESOURCE && !mayAllowOn(n, action, resource)) continue;
        const context = action === 'iam:PassRole' && service ? { 'iam:passedtoservice': [service] } : undefined;
        const tags = target && resource === target.arn ? target.principal.tags : undefined;
        const result = evaluate(n.set, n.principal, { action, resource, resourceTags: tags, context }, opts);
        if (result.decision === 'allow') return { result, resource, kind };
        if (result.decision === 'conditional' && fallback === undefined) fallback = { result, resource, kind };
      }
    }
    return fallback;
  };
  const byGroupAccount = (arn: string): string => groups.find((g) => g.arn === arn)?.account ?? '';

  /** All steps of a method, or undefined when one is not allowed. */
  const runMethod = (n: Node, m: PrivescMethod, target: Node | undefined): Hop | undefined => {
    const permissions: string[] = [];
    const conditions: string[] = [];
    let to = target?.arn;
    let onOther = false;
    for (const s of m.steps) {
      const r = runStep(n, s.action, s.on, target, m.service);
      if (r === undefined) return undefined;
      if (r.kind.startsWith('other-') || r.kind === 'any-policy') onOther = true;
      permissions.push(permission(s.action, r.resource, r.result));
      conditions.push(...r.result.conditions);
      if (to === undefined && r.resource !== ANY_RESOURCE && r.resource !== EXISTING_RESOURCE) to = r.resource;
    }
    return { from: n.arn, to: to ?? n.arn, method: m, permissions, conditions: [...new Set(conditions)], observed: false, ...(onOther ? { onOther } : {}) };
  };

  // Steps that do not depend on the target (creating or taking over compute) are evaluated once per principal.
  const untargeted = new Map<string, Hop | null>();
  const sharedSteps = (n: Node, m: PrivescMethod): Hop | undefined => {
    const key = `${n.arn}\u0000${m.id}`;
    let h = untargeted.get(key);
    if (h === undefined) {
      const rest = { ...m, steps: m.steps.filter((s) => !s.on.includes('target')) };
      h = runMethod(n, rest, undefined) ?? null;
      untargeted.set(key, h);
    }
    return h ?? undefined;
  };

  const selfMethods = PRIVESC_METHODS.filter((m) => m.kind === 'self');
  const edgeMethods = PRIVESC_METHODS.filter((m) => m.kind !== 'self');

  // Callers some trust policy names by ARN: they need no permission of their own to assume (same account).
  const namedInTrust = new Set<string>();
  for (const t of nodes) {
    for (const st of t.trust) {
      for (const p of st.principals?.AWS ?? []) {
        namedInTrust.add(p);
        const m = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\//.exec(p);
        if (m) namedInTrust.add(`arn:${m[1]}:iam::${m[2]}:role/${m[3]}`);
      }
    }
  }
  /** The edge methods a principal could use at all: every step's action appears in some Allow of its policies. */
  const viable = memo((arn): PrivescMethod[] => {
    const n = byArn.get(arn) as Node;
    return edgeMethods.filter((m) => (m.kind === 'assume' ? mayAllow(n, 'sts:AssumeRole') || namedInTrust.has(n.arn) : m.steps.every((st) => mayAllow(n, st.action))));
  });

  /** Edges from n to t, best first (unconditional, then method order); memoised per pair. */
  const edgeCache = new Map<Node, Map<Node, Hop | null>>();
  const edge = (n: Node, t: Node): Hop | undefined => {
    let byTarget = edgeCache.get(n);
    if (byTarget === undefined) edgeCache.set(n, (byTarget = new Map()));
    let h = byTarget.get(t);
    if (h === undefined) byTarget.set(t, (h = edgeUncached(n, t) ?? null));
    return h ?? undefined;
  };
  const edgeUncached = (n: Node, t: Node): Hop | undefined => {
    if (n.arn === t.arn || t.serviceLinked) return undefined;
    let fallback: Hop | undefined;
    for (const m of viable(n.arn)) {
      if (m.kind === 'assume') {
        if (t.type !== 'role' || !trustAdmits(t, n)) continue;
        if (!namedInTrust.has(n.arn) && !mayAllowOn(n, 'sts:AssumeRole', t.arn)) continue;
        const r = evaluateAssume(n.set, n.principal, t.arn, t.account, t.principal.tags, t.trust, opts);
        if (!allowed(r)) continue;
        const hop: Hop = { from: n.arn, to: t.arn, method: m, permissions: [`sts:AssumeRole on ${t.arn} (${r.allowedBy.join(', ')})`], conditions: r.conditions, observed: observed.has(`${n.arn}\u0000${t.arn}`) };
        if (r.decision === 'allow') return hop;
        fallback ??= hop;
        continue;
      }
      if (t.account !== n.account) continue; // IAM writes, PassRole and compute stay inside an account
      if (m.kind === 'credentials' && t.type !== 'user') continue;
      if ((m.kind === 'trust' || m.kind === 'pass-role' || m.kind === 'compute') && t.type !== 'role') continue;
      if (m.service !== undefined && !t.trustedServices.has(m.service)) continue;
      if (m.instanceProfile && t.instanceProfiles.length === 0) continue;
      const shared = m.steps.some((s) => !s.on.includes('target')) ? sharedSteps(n, m) : { permissions: [], conditions: [] as string[] };
      if (shared === undefined) continue;
      const targeted = m.steps.filter((s) => s.on.includes('target'));
      const own = runMethod(n, { ...m, steps: targeted }, t);
      if (own === undefined) continue;
      const hop: Hop = { from: n.arn, to: t.arn, method: m, permissions: [...own.permissions, ...shared.permissions], conditions: [...new Set([...own.conditions, ...shared.conditions])], observed: false };
      if (hop.conditions.length === 0) return hop;
      fallback ??= hop;
    }
    return fallback;
  };

  const paths = new Map<string, EscalationPath[]>();
  const reached = new Map<string, EscalationPath>(); // best path of every admin-equivalent or flagged node
  for (const a of admins) reached.set(a, { hops: [], conditional: false, target: a, targetAdmin: 'full' });
  for (const n of nodes) {
    if (admins.has(n.arn)) continue;
    const own: EscalationPath[] = [];
    for (const m of selfMethods) {
      const hop = runMethod(n, m, undefined);
      if (hop) own.push({ hops: [hop], conditional: hop.conditions.length > 0, target: n.arn, targetAdmin: 'self-method' });
    }
    if (own.length === 0) continue;
    // Unconditional first, then methods on itself before those that make another principal administrator.
    own.sort((a, b) => Number(a.conditional) - Number(b.conditional) || Number(a.hops[0]?.onOther ?? false) - Number(b.hops[0]?.onOther ?? false));
    paths.set(n.arn, own);
    const first = own[0] as EscalationPath;
    if (!first.conditional) reached.set(n.arn, first);
  }

  // Who could reach whom at all, so the search looks only at those pairs.
  const push = <K>(m: Map<K, Node[]>, k: K, v: Node): void => {
    const l = m.get(k);
    if (l === undefined) m.set(k, [v]);
    else l.push(v);
  };
  const trustIndex = new Map<string, Node[]>();
  const serviceIndex = new Map<string, Node[]>();
  const usersIn = new Map<string, Node[]>();
  const rolesIn = new Map<string, Node[]>();
  for (const t of nodes) {
    if (t.type === 'user') { push(usersIn, t.account, t); continue; }
    if (t.serviceLinked) continue;
    push(rolesIn, t.account, t);
    for (const svc of t.trustedServices) push(serviceIndex, `${t.account}|${svc}`, t);
    for (const st of t.trust) {
      if (st.effect !== 'Allow') continue;
      if (st.principals?.['*'] !== undefined) push(trustIndex, '*', t);
      for (const p of st.principals?.AWS ?? []) {
        const session = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\//.exec(p);
        const root = /^(?:arn:[^:]+:iam::)?(\d{12})(?::root)?$/.exec(p);
        push(trustIndex, p === '*' ? '*' : session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : root ? `account:${root[1]}` : p, t);
      }
    }
  }
  const candidates = memo((arn): Node[] => {
    const n = byArn.get(arn) as Node;
    const out = new Set<Node>();
    for (const m of viable(arn)) {
      const add = (l: Node[] | undefined): void => { for (const t of l ?? []) if (t !== n) out.add(t); };
      if (m.kind === 'assume') { add(trustIndex.get(n.arn)); add(trustIndex.get(`account:${n.account}`)); add(trustIndex.get('*')); }
      else if (m.kind === 'credentials') add(usersIn.get(n.account));
      else if (m.kind === 'trust') add(rolesIn.get(n.account));
      else if (m.service !== undefined) add(serviceIndex.get(`${n.account}|${m.service}`));
    }
    return [...out];
  });

  // Breadth first from the admin-equivalent nodes: unconditional paths, then paths through conditional hops.
  const hopsTo = (t: Node): number => reached.get(t.arn)?.hops.length ?? 0;
  for (const allowConditional of [false, true]) {
    let frontier = new Set([...reached.keys()].map((a) => byArn.get(a)).filter((x): x is Node => x !== undefined));
    for (let depth = 0; depth < MAX_HOPS && frontier.size > 0; depth++) {
      const next = new Set<Node>();
      for (const n of nodes) {
        if (reached.has(n.arn)) continue;
        const targets = candidates(n.arn).filter((t) => frontier.has(t)).sort((a, b) => hopsTo(a) - hopsTo(b) || a.arn.localeCompare(b.arn));
        for (const t of targets) {
          const hop = edge(n, t);
          if (hop === undefined) continue;
          const via = reached.get(t.arn) as EscalationPath;
          const conditional = hop.conditions.length > 0 || via.conditional;
          if (conditional && !allowConditional) continue;
          const path: EscalationPath = { hops: [hop, ...via.hops], conditional, target: via.target, targetAdmin: via.targetAdmin };
          reached.set(n.arn, path);
          paths.set(n.arn, [...(paths.get(n.arn) ?? []), path]);
          next.add(n);
          break;
        }
      }
      frontier = next;
    }
    if (!allowConditional) {
      // Conditional self methods become seeds for the second pass.
      for (const [arn, list] of paths) if (!reached.has(arn) && list[0]) reached.set(arn, list[0]);
    }
  }
  return { paths, admins };
}

/** A chain's severity is its weakest hop's. */
export function pathSeverity(p: EscalationPath): string {
  const idx = Math.min(...p.hops.map((h) => SEVERITY.indexOf(h.method.severity)));
  return SEVERITY[idx] ?? 'medium';
}

/** Read the graph's input from the store, compute it, and write privesc_found and privesc_hops. */
export async function storeEscalationGraph(store: Store): Promise<{ principals: number; paths: number }> {
  const asOfRow = await store.all<{ t: string | null }>(`SELECT strftime(getvariable('as_of'), '%Y-%m-%dT%H:%M:%SZ') AS t`);
  const asOf = asOfRow[0]?.t ? new Date(asOfRow[0].t) : new Date();
  const principals = await store.all<GraphInput['principals'][number]>(`
    SELECT p.arn, p.account_id, p.principal_type, p.name, p.path, CAST(p.tags AS VARCHAR) AS tags, CAST(p.trust_policy AS VARCHAR) AS trust_policy,
      (SELECT bool_or(c.mfa_active) FROM iam_credential_report c WHERE c.arn = p.arn) AS mfa
    FROM iam_principals p WHERE p.arn IS NOT NULL ORDER BY p.arn`);
  const documents = await store.all<GraphInput['documents'][number]>(`SELECT principal_arn, principal_type, account_id, source_policy, source_kind, statements FROM iam_policy_documents`);
  const assumed = await store.all<{ caller: string; role: string }>(`
    SELECT DISTINCT regexp_replace(principal_arn, '^arn:([^:]+):sts::(\\d+):assumed-role/([^/]+)/.*$', 'arn:\\1:iam::\\2:role/\\3') AS caller,
      json_extract_string(request_parameters, '$.roleArn') AS role
    FROM cloudtrail_events WHERE event_name = 'AssumeRole' AND error_code IS NULL AND principal_arn IS NOT NULL
      AND json_extract_string(request_parameters, '$.roleArn') IS NOT NULL`);
  const { paths } = buildEscalationGraph({ principals, documents, assumed }, { asOf });
  const found: unknown[][] = [];
  const hops: unknown[][] = [];
  const accountOf = new Map(principals.map((p) => [p.arn, p.account_id]));
  for (const [arn, list] of [...paths].sort(([a], [b]) => a.localeCompare(b))) {
    list.forEach((p, i) => {
      found.push([arn, accountOf.get(arn) ?? null, i + 1, p.hops.map((h) => h.method.id).join(' > '), p.hops.length, pathSeverity(p), p.conditional, p.target, p.targetAdmin]);
      p.hops.forEach((h, j) => hops.push([arn, i + 1, j + 1, h.from, h.to, h.method.id, h.onOther ? `${h.method.title}, on another principal` : h.method.title, JSON.stringify(h.permissions), JSON.stringify(h.conditions), h.observed, h.method.reference]));
    });
  }
  await store.run('DELETE FROM privesc_found');
  await store.run('DELETE FROM privesc_hops');
  await store.append('privesc_found', new Array(9).fill(''), found);
  await store.append('privesc_hops', new Array(11).fill(''), hops);
  return { principals: paths.size, paths: found.length };
}
