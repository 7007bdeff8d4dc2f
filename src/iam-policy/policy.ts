/**
 * IAM policy documents → normalised statements. Accepts the JSON object the AWS CLI prints, the
 * JSON text, or the URL-encoded JSON text the raw IAM API returns. Never throws on bad input:
 * failures come back as `{ ok: false, error }` naming where the document came from.
 */
import { errorMessage } from '../kernel/errors.js';

/** Statement effect. */
export type Effect = 'Allow' | 'Deny';

/** Principal kinds in a policy's Principal element; `*` is the bare `"Principal": "*"`. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';

/** Principal element with single values turned into arrays. `"*"` becomes `{ "*": ["*"] }`. */
export type PrincipalMap = Partial<Record<PrincipalType, string[]>>;

/** Condition element: operator → condition key → values (all values as strings). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** One statement with every single value turned into an array; absent elements are absent. */
export interface PolicyStatement {
  sid?: string;
  effect: Effect;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: PrincipalMap;
  notPrincipals?: PrincipalMap;
  condition?: ConditionBlock;
}

/** Result of parsing one policy document. */
export type ParsePolicyResult =
  | { ok: true; statements: PolicyStatement[]; version?: string }
  | { ok: false; error: string };

/** Result of turning a raw document (object, JSON text, URL-encoded JSON text) into a JSON value. */
export type DecodePolicyResult = { ok: true; value: unknown } | { ok: false; error: string };

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

/** Decode a raw policy document: objects pass through, strings are JSON or URL-encoded JSON. */
export function decodePolicyDocument(doc: unknown): DecodePolicyResult {
  if (doc === undefined || doc === null) return { ok: false, error: 'no policy document' };
  if (typeof doc !== 'string') return { ok: true, value: doc };
  let text = doc.trim();
  if (text === '') return { ok: false, error: 'empty policy document' };
  // The raw API percent-encodes the JSON (RFC 3986); the CLI decodes it. A plain JSON text starts
  // with '{', an encoded one with '%7B', so there is no ambiguity about which to try.
  if (!text.startsWith('{')) {
    try {
      text = decodeURIComponent(text).trim();
    } catch (e) {
      return { ok: false, error: `policy document is neither JSON nor valid URL-encoded JSON (${errorMessage(e)})` };
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `policy document is not valid JSON (${errorMessage(e)}; ${text.length} characters)` };
  }
}

/**
 * Parse a policy document (identity, boundary or trust policy) into normalised statements.
 * `where` names the document for error messages, e.g. "role/foo inline policy bar".
 */
export function parsePolicyDocument(doc: unknown, where: string): ParsePolicyResult {
  const decoded = decodePolicyDocument(doc);
  if (!decoded.ok) return { ok: false, error: `${where}: ${decoded.error}` };
  const value = decoded.value;
  if (!isRecord(value)) return { ok: false, error: `${where}: policy document is ${describe(value)}, not a JSON object` };
  const rawStatements = value['Statement'];
  if (rawStatements === undefined) return { ok: false, error: `${where}: policy document has no Statement` };
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const statements: PolicyStatement[] = [];
  for (const [i, raw] of list.entries()) {
    const parsed = parseStatement(raw);
    if (typeof parsed === 'string') {
      const label = isRecord(raw) && typeof raw['Sid'] === 'string' && raw['Sid'] !== '' ? ` (Sid ${raw['Sid']})` : '';
      return { ok: false, error: `${where}: statement ${i + 1}${label}: ${parsed}` };
    }
    statements.push(parsed);
  }
  const version = value['Version'];
  return typeof version === 'string' ? { ok: true, statements, version } : { ok: true, statements };
}

// Returns the statement, or a string describing what is wrong with it.
function parseStatement(raw: unknown): PolicyStatement | string {
  if (!isRecord(raw)) return `statement is ${describe(raw)}, not an object`;
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return `Effect must be "Allow" or "Deny", got ${JSON.stringify(effect) ?? 'nothing'}`;
  const st: PolicyStatement = { effect };

  const sid = raw['Sid'];
  if (typeof sid === 'string' || typeof sid === 'number') st.sid = String(sid);

  const pairs = [
    ['Action', 'NotAction', 'actions', 'notActions'],
    ['Resource', 'NotResource', 'resources', 'notResources'],
  ] as const;
  for (const [pos, neg, posKey, negKey] of pairs) {
    const p = raw[pos];
    const n = raw[neg];
    if (p !== undefined && n !== undefined) return `has both ${pos} and ${neg}`;
    if (p !== undefined) {
      const list = stringList(p);
      if (list === undefined) return `${pos} must be a string or a list of strings`;
      st[posKey] = list;
    }
    if (n !== undefined) {
      const list = stringList(n);
      if (list === undefined) return `${neg} must be a string or a list of strings`;
      st[negKey] = list;
    }
  }
  if (st.actions === undefined && st.notActions === undefined) return 'has neither Action nor NotAction';

  for (const [key, field] of [['Principal', 'principals'], ['NotPrincipal', 'notPrincipals']] as const) {
    const p = raw[key];
    if (p === undefined) continue;
    const map = principalMap(p);
    if (typeof map === 'string') return `${key}: ${map}`;
    st[field] = map;
  }

  const c = raw['Condition'];
  if (c !== undefined) {
    const cond = conditionBlock(c);
    if (typeof cond === 'string') return `Condition: ${cond}`;
    if (Object.keys(cond).length > 0) st.condition = cond;
  }
  return st;
}

function principalMap(raw: unknown): PrincipalMap | string {
  if (raw === '*') return { '*': ['*'] };
  if (!isRecord(raw)) return `must be "*" or an object, got ${describe(raw)}`;
  const out: PrincipalMap = {};
  for (const [type, value] of Object.entries(raw)) {
    if (!PRINCIPAL_TYPES.has(type)) return `unknown principal type ${JSON.stringify(type)}`;
    const list = stringList(value);
    if (list === undefined) return `${type} must be a string or a list of strings`;
    out[type as PrincipalType] = list;
  }
  return out;
}

function conditionBlock(raw: unknown): ConditionBlock | string {
  if (!isRecord(raw)) return `must be an object, got ${describe(raw)}`;
  const out: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(raw)) {
    if (!isRecord(keys)) return `${operator} must map condition keys to values`;
    const inner: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(keys)) {
      const values = scalarList(value);
      if (values === undefined) return `${operator} ${key} must be a value or a list of values`;
      inner[key] = values;
    }
    out[operator] = inner;
  }
  return out;
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return [...v];
  return undefined;
}

// Condition values may be strings, numbers or booleans in JSON; IAM compares them as strings.
function scalarList(v: unknown): string[] | undefined {
  const one = (x: unknown): string | undefined =>
    typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const s = one(x);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const s = one(v);
  return s === undefined ? undefined : [s];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

