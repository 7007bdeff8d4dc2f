/**
 * IAM condition operators with three outcomes: a condition holds, does not hold, or cannot be decided
 * offline ("unknown": its key is not in what the scan knows, e.g. aws:SourceVpc). Semantics follow the
 * IAM User Guide's "IAM JSON policy elements: Condition operators" and "Condition with multiple keys or
 * values": values of one key are ORed (negated operators: none may match), keys and operators are ANDed,
 * a missing key makes a positive operator false and a negated one true, `...IfExists` is true on a
 * missing key, `ForAllValues` is true on a missing key and `ForAnyValue` false.
 */

/** A condition outcome. */
export type Tri = 'true' | 'false' | 'unknown';

/** What a context key resolves to: its values, absent from the request, or not knowable offline. */
export type KeyValue = { kind: 'values'; values: readonly string[] } | { kind: 'absent' } | { kind: 'unknown' };

/** Resolves a policy variable (`${aws:username}`) or condition key; case-insensitive keys. */
export type KeyResolver = (key: string) => KeyValue;

const DATE_OR_NUMERIC = /^(Numeric|Date)(Equals|NotEquals|LessThan|LessThanEquals|GreaterThan|GreaterThanEquals)$/;
const STRING_OPS = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'BinaryEquals', 'Bool']);

/** Split `ForAnyValue:StringLikeIfExists` into its set qualifier, base operator and IfExists flag. */
export function parseOperator(op: string): { set: 'any' | 'all' | undefined; base: string; ifExists: boolean } {
  let rest = op;
  let set: 'any' | 'all' | undefined;
  if (/^ForAnyValue:/i.test(rest)) { set = 'any'; rest = rest.slice('ForAnyValue:'.length); }
  else if (/^ForAllValues:/i.test(rest)) { set = 'all'; rest = rest.slice('ForAllValues:'.length); }
  const ifExists = /IfExists$/.test(rest) && rest !== 'IfExists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return { set, base: rest, ifExists };
}

const isNegated = (base: string): boolean => /Not/.test(base) && base !== 'Null';

/** Case-sensitive IAM glob (`*`, `?`) used by StringLike, ArnLike and resource patterns. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = ignoreCase ? `i${pattern}` : `s${pattern}`;
  let re = globCache.get(key);
  if (re === undefined) {
    const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (globCache.size > 50_000) globCache.clear();
    globCache.set(key, re);
  }
  return re.test(value);
}
const globCache = new Map<string, RegExp>();

/**
 * Substitute policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`) in a policy value.
 * Undefined when a variable cannot be resolved offline; a variable whose key is absent makes the value
 * match nothing (AWS treats the whole value as not matching).
 */
export function substitute(value: string, resolve: KeyResolver): string | null | undefined {
  if (!value.includes('${')) return value;
  let unknown = false;
  let absent = false;
  const out = value.replace(/\$\{([^}]+)\}/g, (_m, key: string) => {
    if (key === '*') return '\\*';
    if (key === '?') return '\\?';
    if (key === '$') return '$';
    const [name, fallback] = key.split(/,\s*/, 2) as [string, string | undefined];
    const v = resolve(name);
    if (v.kind === 'values' && v.values.length === 1) return v.values[0] as string;
    if (fallback !== undefined) return fallback.replace(/^'|'$/g, '');
    if (v.kind === 'absent') absent = true;
    else unknown = true;
    return '';
  });
  if (unknown) return undefined;
  if (absent) return null;
  return out;
}

function compareOne(base: string, policy: string, actual: string): boolean {
  switch (base) {
    case 'StringEquals': case 'StringNotEquals': case 'BinaryEquals': case 'ArnEquals': case 'ArnNotEquals':
      return base.startsWith('Arn') ? globMatch(policy, actual) : policy === actual;
    case 'StringEqualsIgnoreCase': case 'StringNotEqualsIgnoreCase':
      return policy.toLowerCase() === actual.toLowerCase();
    case 'StringLike': case 'StringNotLike': case 'ArnLike': case 'ArnNotLike':
      return globMatch(policy.replace(/\\([*?])/g, '$1'), actual);
    case 'Bool':
      return policy.toLowerCase() === actual.toLowerCase();
  }
  const m = DATE_OR_NUMERIC.exec(base);
  if (m === null) return false;
  const num = (s: string): number => (m[1] === 'Date' ? (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s)) : Number(s));
  const a = num(actual);
  const p = num(policy);
  if (Number.isNaN(a) || Number.isNaN(p)) return false;
  switch (m[2]) {
    case 'Equals': return a === p;
    case 'NotEquals': return a === p;
    case 'LessThan': return a < p;
    case 'LessThanEquals': return a <= p;
    case 'GreaterThan': return a > p;
    default: return a >= p;
  }
}

/** Evaluate one operator/key/values triple. */
export function evaluateCondition(operator: string, key: string, policyValues: readonly string[], resolve: KeyResolver): Tri {
  const { set, base, ifExists } = parseOperator(operator);
  const known = STRING_OPS.has(base) || DATE_OR_NUMERIC.test(base) || base === 'Null';
  if (!known) return 'unknown'; // IpAddress on an unknowable source IP, or an operator AWS adds later
  const v = resolve(key);
  if (base === 'Null') {
    if (v.kind === 'unknown') return 'unknown';
    const wantAbsent = policyValues.some((x) => x.toLowerCase() === 'true');
    return (v.kind === 'absent') === wantAbsent ? 'true' : 'false';
  }
  if (v.kind === 'unknown') return 'unknown';
  if (v.kind === 'absent') {
    if (ifExists || set === 'all') return 'true';
    if (set === 'any') return 'false';
    return isNegated(base) ? 'true' : 'false';
  }
  const values: string[] = [];
  for (const pv of policyValues) {
    const s = substitute(pv, resolve);
    if (s === undefined) return 'unknown';
    if (s !== null) values.push(s);
  }
  const negated = isNegated(base);
  const matchesAny = (actual: string): boolean => values.some((p) => compareOne(base, p, actual));
  const holds = (actual: string): boolean => (negated ? !matchesAny(actual) : matchesAny(actual));
  if (set === 'all') return v.values.every(holds) ? 'true' : 'false';
  // Single-valued keys and ForAnyValue: true when some context value satisfies it.
  return v.values.some(holds) ? 'true' : 'false';
}

/** AND of outcomes. */
export function andTri(a: Tri, b: Tri): Tri {
  if (a === 'false' || b === 'false') return 'false';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'true';
}
