/**
 * A local IAM policy evaluator for one question: can principal P perform action A on resource R?
 *
 * It follows the IAM User Guide's "Policy evaluation logic" for one account: an explicit Deny in any
 * identity policy or the permissions boundary wins; otherwise an identity policy must Allow and, when the
 * principal has a boundary, the boundary must Allow too. For role assumption, `evaluateAssume` adds the
 * role's trust policy (a resource-based policy): same-account trust that names the caller's ARN is enough on
 * its own, trust in the account (root) needs the caller's own Allow, cross-account needs both.
 *
 * Conditions are decided where the scan knows the answer (see `contextResolver`), and keys an attacker
 * chooses (`aws:RequestedRegion`, request tags, the session name, …) are tried with every value the
 * policies mention plus one they do not, so the attacker's best choice wins. Anything else is "conditional":
 * allowed only if conditions the scan cannot see hold; those conditions are returned as text.
 *
 * Not modelled: SCPs and RCPs, session policies, resource policies other than trust policies, and
 * NotPrincipal in trust policies (ignored). A pure module: no I/O, no store.
 */
import { wildcardMatch } from '../iam-policy/iam-actions.js';
import type { PolicyStatement, PrincipalMap } from '../iam-policy/policy.js';
import { andTri, evaluateCondition, globMatch, substitute, type KeyResolver, type KeyValue, type Tri } from './conditions.js';

/** One policy document, already parsed (`parsePolicyDocument`), with the name evidence uses for it. */
export interface NamedPolicy {
  source: string;
  statements: readonly PolicyStatement[];
}

/** What applies to a principal: its identity policies (own, group) and its permissions boundary, if any. */
export interface PolicySet {
  identity: readonly NamedPolicy[];
  /** The boundary's statements; undefined when the principal has none. */
  boundary?: NamedPolicy | undefined;
}

/** Who is asking. */
export interface Principal {
  arn: string;
  accountId: string;
  type: 'user' | 'role';
  name: string;
  tags: Readonly<Record<string, string>>;
  /** The principal has an MFA device (a human signing in); NHIs have none, so MFA conditions stay false. */
  mfa?: boolean;
}

/** Stands for "a resource the caller names or creates itself" (a new function, stack, instance, …). */
export const ANY_RESOURCE = '<any>';
/**
 * Stands for "an existing resource the scan does not know" (a function, stack or instance that may run as a
 * privileged role): an Allow must cover every resource of its service (a pattern ending in `*`), a Deny applies
 * when it covers everything.
 */
export const EXISTING_RESOURCE = '<existing>';

/** The request. */
export interface Request {
  action: string;
  /** An ARN, or ANY_RESOURCE. */
  resource: string;
  /** Tags of the target when it is an IAM principal the scan knows (aws:ResourceTag, iam:ResourceTag). */
  resourceTags?: Readonly<Record<string, string>> | undefined;
  /** Request-specific keys the caller cannot change, lower-case (e.g. `iam:passedtoservice`). */
  context?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** Evaluation options. */
export interface EvalOptions {
  /** The scan's as-of time: aws:CurrentTime, and aws:TokenIssueTime of a session issued now. */
  asOf: Date;
}

/** The decision. */
export type Decision = 'allow' | 'conditional' | 'deny' | 'implicit-deny';

/** A decision with the reasons a person reads in evidence. */
export interface EvalResult {
  decision: Decision;
  /** `source` (and `#Sid`) of the Allow statements that grant it. */
  allowedBy: string[];
  /** `source` of the Deny statements that apply (or may apply, when conditional). */
  deniedBy: string[];
  /** Conditions the scan could not decide, as `Operator key values (source)`. */
  conditions: string[];
}

// Keys an attacker sets on its own request (lower case; `/*` means the prefix).
const ATTACKER_KEYS = ['aws:requestedregion', 'aws:requesttag/*', 'aws:tagkeys', 'aws:useragent', 'aws:referer', 'aws:securetransport',
  'sts:rolesessionname', 'sts:sourceidentity', 'sts:transitivetagkeys', 'aws:multifactorauthpresent'];
const OTHER = '\u0000other';

function isAttackerKey(key: string): boolean {
  return ATTACKER_KEYS.some((k) => (k.endsWith('/*') ? key.startsWith(k.slice(0, -1)) : key === k));
}

/**
 * What the scan knows about a request's context. Keys not listed here resolve to "unknown" (conditional),
 * except the attacker-chosen ones, which the caller enumerates.
 */
export function contextResolver(principal: Principal, request: Request, opts: EvalOptions, chosen: ReadonlyMap<string, string>): KeyResolver {
  const iso = opts.asOf.toISOString();
  const lowerTags = (tags: Readonly<Record<string, string>> | undefined): Map<string, string> =>
    new Map(Object.entries(tags ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  let ptags: Map<string, string> | undefined;
  let rtags: Map<string, string> | undefined;
  const one = (v: string | undefined): KeyValue => (v === undefined ? { kind: 'absent' } : { kind: 'values', values: [v] });
  return (rawKey) => {
    const key = rawKey.toLowerCase();
    const c = chosen.get(key);
    if (c !== undefined) return c === OTHER ? { kind: 'values', values: ['\u0000'] } : c === '\u0000absent' ? { kind: 'absent' } : { kind: 'values', values: [c] };
    const fixed = request.context?.[key];
    if (fixed !== undefined) return { kind: 'values', values: fixed };
    switch (key) {
      case 'aws:currenttime': return one(iso);
      case 'aws:epochtime': return one(String(Math.floor(opts.asOf.getTime() / 1000)));
      case 'aws:tokenissuetime': return one(iso); // the attacker takes a fresh session (GetSessionToken, AssumeRole)
      case 'aws:multifactorauthage': return { kind: 'absent' };
      case 'aws:principalarn': return one(principal.arn);
      case 'aws:principalaccount': return one(principal.accountId);
      case 'aws:principaltype': return one(principal.type === 'user' ? 'User' : 'AssumedRole');
      case 'aws:username': return principal.type === 'user' ? one(principal.name) : { kind: 'absent' };
      case 'aws:principalisawsservice': return one('false');
      case 'aws:viaawsservice': return one('false');
      case 'aws:calledvia': case 'aws:calledviafirst': case 'aws:calledvialast': return { kind: 'absent' };
      case 'aws:principaltagkeys': return principal.tags && Object.keys(principal.tags).length > 0 ? { kind: 'values', values: Object.keys(principal.tags) } : { kind: 'absent' };
    }
    if (key.startsWith('aws:principaltag/')) return one((ptags ??= lowerTags(principal.tags)).get(key.slice('aws:principaltag/'.length)));
    if ((key.startsWith('aws:resourcetag/') || key.startsWith('iam:resourcetag/')) && request.resourceTags !== undefined) {
      return one((rtags ??= lowerTags(request.resourceTags)).get(key.slice(key.indexOf('/') + 1)));
    }
    return { kind: 'unknown' };
  };
}

function actionMatches(st: PolicyStatement, action: string): boolean {
  if (st.actions !== undefined) return st.actions.some((p) => wildcardMatch(p, action));
  return !(st.notActions ?? []).some((p) => wildcardMatch(p, action));
}

// A resource pattern for "any resource the caller picks": an Allow needs some pattern of the right service,
// a Deny applies only when it covers everything (the caller picks a name outside narrower Denies).
const FULL_WILDCARD = /^(\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:\*)$/;
function serviceCompatible(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const svc = pattern.split(':')[2];
  const actionSvc = action.slice(0, action.indexOf(':')).toLowerCase();
  return svc === undefined || svc === '' || svc.includes('*') || svc.toLowerCase() === actionSvc;
}

function resourceMatches(st: PolicyStatement, request: Request, resolve: KeyResolver, effect: 'Allow' | 'Deny'): Tri {
  const patterns = st.resources ?? st.notResources ?? ['*'];
  const negated = st.resources === undefined && st.notResources !== undefined;
  if (request.resource === EXISTING_RESOURCE) {
    if (negated) return effect === 'Allow' ? (patterns.includes('*') ? 'false' : 'true') : 'true';
    if (effect === 'Deny') return patterns.some((p) => FULL_WILDCARD.test(p)) ? 'true' : 'false';
    return patterns.some((p) => p === '*' || (serviceCompatible(p, request.action) && /[:/]\*$/.test(p))) ? 'true' : 'false';
  }
  if (request.resource === ANY_RESOURCE) {
    if (negated) return effect === 'Allow' ? (patterns.some((p) => p === '*') ? 'false' : 'true') : 'true';
    if (effect === 'Deny') return patterns.some((p) => FULL_WILDCARD.test(p)) ? 'true' : 'false';
    return patterns.some((p) => serviceCompatible(p, request.action)) ? 'true' : 'false';
  }
  let unknown = false;
  let hit = false;
  for (const raw of patterns) {
    const p = substitute(raw, resolve);
    if (p === undefined) { unknown = true; continue; }
    if (p !== null && globMatch(p, request.resource)) { hit = true; break; }
  }
  if (hit) return negated ? 'false' : 'true';
  if (unknown) return 'unknown';
  return negated ? 'true' : 'false';
}

function conditionsHold(st: PolicyStatement, resolve: KeyResolver, source: string, unknownOut: string[]): Tri {
  let out: Tri = 'true';
  for (const [op, keys] of Object.entries(st.condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      const t = evaluateCondition(op, key, values, resolve);
      if (t === 'unknown') unknownOut.push(`${op} ${key} ${values.join('|')} (${source})`);
      out = andTri(out, t);
    }
  }
  return out;
}

interface Verdict {
  allow: Tri;
  deny: Tri;
  allowedBy: string[];
  deniedBy: string[];
  conditions: string[];
}

function label(p: NamedPolicy, st: PolicyStatement): string {
  return st.sid ? `${p.source}#${st.sid}` : p.source;
}

function evaluatePolicies(policies: readonly NamedPolicy[], request: Request, resolve: KeyResolver): Verdict {
  const v: Verdict = { allow: 'false', deny: 'false', allowedBy: [], deniedBy: [], conditions: [] };
  for (const p of policies) {
    for (const st of p.statements) {
      if (!actionMatches(st, request.action)) continue;
      const r = resourceMatches(st, request, resolve, st.effect);
      if (r === 'false') continue;
      const unknown: string[] = [];
      const c = andTri(r, conditionsHold(st, resolve, p.source, unknown));
      if (c === 'false') continue;
      if (st.effect === 'Deny') {
        if (v.deny !== 'true') v.deny = c;
        v.deniedBy.push(label(p, st));
      } else {
        if (c === 'true' && v.allow !== 'true') { v.allow = 'true'; v.allowedBy = []; }
        if (c === 'true' || v.allow !== 'true') v.allowedBy.push(label(p, st));
        if (v.allow !== 'true') v.allow = c;
      }
      if (c === 'unknown') v.conditions.push(...unknown);
    }
  }
  return v;
}

const RANK: Record<Decision, number> = { allow: 3, conditional: 2, 'implicit-deny': 1, deny: 0 };

function decide(identity: Verdict, boundary: Verdict | undefined, identityRequired: boolean, extraAllow?: Tri): EvalResult {
  const deny: Tri = boundary === undefined ? identity.deny : (identity.deny === 'true' || boundary.deny === 'true' ? 'true' : identity.deny === 'unknown' || boundary.deny === 'unknown' ? 'unknown' : 'false');
  const deniedBy = [...identity.deniedBy, ...(boundary?.deniedBy ?? [])];
  const conditions = [...identity.conditions, ...(boundary?.conditions ?? [])];
  if (deny === 'true') return { decision: 'deny', allowedBy: [], deniedBy, conditions: [] };
  let allow: Tri = identityRequired ? identity.allow : 'true';
  if (boundary !== undefined && identityRequired) allow = andTri(allow, boundary.allow);
  if (extraAllow !== undefined) allow = andTri(allow, extraAllow);
  const allowedBy = identityRequired ? [...identity.allowedBy, ...(boundary ? boundary.allowedBy.map((s) => `boundary ${s}`) : [])] : [];
  if (allow === 'false') return { decision: 'implicit-deny', allowedBy: [], deniedBy, conditions: [] };
  if (allow === 'true' && deny === 'false') return { decision: 'allow', allowedBy, deniedBy: [], conditions: [] };
  return { decision: 'conditional', allowedBy, deniedBy, conditions: [...new Set(conditions)] };
}

/** The attacker-chosen keys the matching statements mention, with the values worth trying. */
function attackerChoices(policies: readonly NamedPolicy[], request: Request, principal: Principal): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const p of policies) {
    for (const st of p.statements) {
      if (st.condition === undefined || !actionMatches(st, request.action)) continue;
      for (const keys of Object.values(st.condition)) {
        for (const [key, values] of Object.entries(keys)) {
          const k = key.toLowerCase();
          if (!isAttackerKey(k) || request.context?.[k] !== undefined) continue;
          let set = out.get(k);
          if (set === undefined) out.set(k, (set = new Set([OTHER, '\u0000absent'])));
          // A session without MFA can be had at will (long-term key: key absent; GetSessionToken: "false"); "true" only with a device.
          if (k === 'aws:multifactorauthpresent') { set.delete(OTHER); set.add('false'); if (principal.mfa === true) set.add('true'); continue; }
          for (const x of values) if (!x.includes('*') && !x.includes('?')) set.add(x);
        }
      }
    }
  }
  return new Map([...out].map(([k, s]) => [k, [...s]]));
}

const NO_CHOICE: ReadonlyMap<string, string> = new Map();

function* assignments(choices: Map<string, string[]>, limit = 256): Generator<ReadonlyMap<string, string>> {
  if (choices.size === 0) { yield NO_CHOICE; return; }
  const keys = [...choices.keys()];
  let count = 0;
  const rec = function* (i: number, acc: Map<string, string>): Generator<Map<string, string>> {
    if (count >= limit) return;
    if (i === keys.length) { count++; yield new Map(acc); return; }
    const k = keys[i] as string;
    for (const v of choices.get(k) ?? []) {
      acc.set(k, v);
      yield* rec(i + 1, acc);
    }
    acc.delete(k);
  };
  yield* rec(0, new Map());
}

function best(results: Iterable<EvalResult>): EvalResult {
  let out: EvalResult | undefined;
  for (const r of results) {
    if (out === undefined || RANK[r.decision] > RANK[out.decision]) out = r;
    if (out.decision === 'allow') break;
  }
  return out ?? { decision: 'implicit-deny', allowedBy: [], deniedBy: [], conditions: [] };
}

/** Can `principal`, under `policies`, perform `request`? */
export function evaluate(policies: PolicySet, principal: Principal, request: Request, opts: EvalOptions): EvalResult {
  const all = policies.boundary ? [...policies.identity, policies.boundary] : policies.identity;
  const choices = attackerChoices(all, request, principal);
  if (choices.size === 0) {
    const resolve = contextResolver(principal, request, opts, NO_CHOICE);
    return decide(evaluatePolicies(policies.identity, request, resolve), policies.boundary ? evaluatePolicies([policies.boundary], request, resolve) : undefined, true);
  }
  return best((function* () {
    for (const chosen of assignments(choices)) {
      const resolve = contextResolver(principal, request, opts, chosen);
      const identity = evaluatePolicies(policies.identity, request, resolve);
      const boundary = policies.boundary ? evaluatePolicies([policies.boundary], request, resolve) : undefined;
      yield decide(identity, boundary, true);
    }
  })());
}

/** How a trust policy statement's Principal element relates to a caller. */
function principalMatch(map: PrincipalMap | undefined, caller: Principal): 'exact' | 'account' | 'none' {
  const aws = map?.AWS ?? (map?.['*'] ? ['*'] : []);
  let out: 'exact' | 'account' | 'none' = 'none';
  for (const p of aws) {
    if (p === caller.arn) return 'exact';
    if (caller.type === 'role') {
      const m = /^arn:[^:]+:sts::(\d+):assumed-role\/([^/]+)\//.exec(p);
      if (m && m[1] === caller.accountId && m[2] === caller.name) return 'exact';
    }
    if (p === '*' || p === caller.accountId || p === `arn:aws:iam::${caller.accountId}:root`) out = 'account';
  }
  return out;
}

/**
 * Can `caller` assume `roleArn` (sts:AssumeRole), given the caller's policies and the role's trust policy?
 * `exactTrust` in the result says the trust names the caller itself (no identity permission was needed).
 */
export function evaluateAssume(callerPolicies: PolicySet, caller: Principal, roleArn: string, roleAccount: string, roleTags: Readonly<Record<string, string>>,
  trust: readonly PolicyStatement[], opts: EvalOptions): EvalResult & { exactTrust: boolean } {
  const request: Request = { action: 'sts:AssumeRole', resource: roleArn, resourceTags: roleTags };
  const trustPolicy: NamedPolicy = { source: `trust policy of ${roleArn}`, statements: trust };
  const all = [...callerPolicies.identity, ...(callerPolicies.boundary ? [callerPolicies.boundary] : []), trustPolicy];
  const choices = attackerChoices(all, request, caller);
  let exactTrust = false;
  const result = best((function* () {
    for (const chosen of assignments(choices)) {
      const resolve = contextResolver(caller, request, opts, chosen);
      const t: Verdict = { allow: 'false', deny: 'false', allowedBy: [], deniedBy: [], conditions: [] };
      let exact = false;
      for (const st of trust) {
        if (!actionMatches(st, 'sts:AssumeRole')) continue;
        const who = principalMatch(st.principals, caller);
        if (who === 'none') continue;
        const unknown: string[] = [];
        const c = conditionsHold(st, resolve, trustPolicy.source, unknown);
        if (c === 'false') continue;
        if (st.effect === 'Deny') { t.deny = t.deny === 'true' ? 'true' : c; t.deniedBy.push(trustPolicy.source); }
        else {
          if (t.allow !== 'true') t.allow = c;
          if (who === 'exact' && c === 'true') exact = true;
          t.allowedBy.push(trustPolicy.source);
        }
        if (c === 'unknown') t.conditions.push(...unknown);
      }
      const identity = evaluatePolicies(callerPolicies.identity, request, resolve);
      const boundary = callerPolicies.boundary ? evaluatePolicies([callerPolicies.boundary], request, resolve) : undefined;
      const sameAccount = roleAccount === caller.accountId;
      const identityRequired = !(sameAccount && exact);
      const r = decide({ ...identity, deny: t.deny === 'true' || identity.deny === 'true' ? 'true' : t.deny === 'unknown' || identity.deny === 'unknown' ? 'unknown' : 'false',
        deniedBy: [...identity.deniedBy, ...t.deniedBy], conditions: [...identity.conditions, ...t.conditions] }, boundary, identityRequired, t.allow);
      if (r.decision !== 'deny' && r.decision !== 'implicit-deny') r.allowedBy.push(...t.allowedBy);
      if (RANK[r.decision] === 3) exactTrust = !identityRequired;
      yield r;
    }
  })());
  return { ...result, exactTrust };
}
