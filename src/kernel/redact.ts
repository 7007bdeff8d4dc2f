/**
 * The one redaction module. Every source is redacted here before anything is stored or leaves memory:
 * CloudTrail inside the bulk DuckDB load (`redactSqlText`/`redactSqlJson`, the same patterns run by RE2),
 * rows appended from JS (IAM tags, GitHub data, leak reports, people, registry) at `Store.append`, parsed
 * config documents (`redactValue`), errors, logs, evidence and reports (`redact`).
 *
 * Secrets are recognised two ways, both kept as data below: by the name of the field that holds them
 * (`sessionToken`, `password`, …) and by the format of the token itself (`ghp_…`, `sk-ant-…`, `xoxb-…`, …).
 * Access key IDs (AKIA…/ASIA…) are identifiers and stay.
 */

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/**
 * Names of fields that hold a secret, as regex fragments (JavaScript and RE2 alike: no lookaround,
 * no backreferences), matched case-insensitively against whole field names. `[_-]?` lets one entry
 * cover `sessionToken`, `session_token` and `session-token`.
 */
export const SECRET_FIELD_NAMES: readonly string[] = [
  '(?:aws[_-]?)?secret[_-]?access[_-]?key',
  '(?:aws[_-]?)?session[_-]?token',
  '(?:x-amz-)?security[_-]?token',
  '(?:new|old|current|master|master[_-]?user|db|admin|user|login)?[_-]?password',
  'passwd',
  '(?:client|app|webhook|shared)[_-]?secret',
  'secret[_-]?(?:string|binary|value|key)',
  'private[_-]?key',
  'x-api-key',
  'api[_-]?key',
  '(?:access|refresh|id|auth|bearer|oauth|web[_-]?identity|github|slack|bot)[_-]?token',
  'token',
  'authorization',
  'saml[_-]?(?:assertion|response)',
];

/**
 * One token format or labelled secret: a regex (JavaScript and RE2 compatible) of the shape
 * `(keep before)secret(keep after)`: groups 1 and 2 are kept, the text between them is replaced.
 */
export interface SecretPattern {
  id: string;
  source: string;
  /** Case-insensitive. */
  ignoreCase: boolean;
}

const NAMES = SECRET_FIELD_NAMES.join('|');
/** A value after a label that is a reference, not a secret (`${{ secrets.X }}`, `$VAR`) is left alone. */
const LABEL_VALUE = `[^"'\\\\\\s,;&}{<>$\\[\\]][^"'\\\\\\s,;&}<>]*`;

/**
 * Token formats and labelled secrets, checked against real token shapes in test/pipeline/redact.test.ts.
 * No replaced span may contain a quote or a backslash, so redacting JSON text keeps it valid JSON.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // A secret-named JSON field with a string value: "sessionToken": "…" (escaped quotes inside included).
  { id: 'json-secret-field', source: `("(?:${NAMES})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, ignoreCase: true },
  // The same inside JSON held in a JSON string, at any depth: \"password\": \"…\", \\\"password\\\": …
  { id: 'escaped-json-secret-field', source: `((?:\\\\\\\\)*\\\\"(?:${NAMES})(?:\\\\\\\\)*\\\\"\\s*:\\s*(?:\\\\\\\\)*\\\\")(?:[^"\\\\]|\\\\[^"])*?((?:\\\\\\\\)*\\\\")`, ignoreCase: true },
  // Authorization headers (Bearer, token, Basic, AWS4-HMAC-SHA256 signatures).
  { id: 'authorization-header', source: `((?:authorization|proxy-authorization)["']?\\s*[:=]\\s*["']?)(?:(?:Bearer|token|Basic|Digest|AWS4-HMAC-SHA256)\\s+)?[^"'\\\\\\s,}{\\[\\]]+()`, ignoreCase: true },
  // key=value text (user agents, URLs, env lines, tag values): password=…, aws_session_token=… (`key: value` is
  // left to the JSON form and the token formats: prose such as "console password: none" is not a secret).
  { id: 'labelled-secret', source: `((?:^|[^A-Za-z0-9])(?:${NAMES})["']?\\s*=\\s*["']?)${LABEL_VALUE}()`, ignoreCase: true },
  // Secret-bearing HTTP headers written as `Name: value`.
  { id: 'secret-header', source: `((?:^|[^A-Za-z0-9-])(?:x-api-key|api-key|x-amz-security-token|x-auth-token|private-token)["']?\\s*:\\s*["']?)${LABEL_VALUE}()`, ignoreCase: true },
  // AWS secret access key (40 base64 characters) after any …key / …secret label: key=wJalr…, SecretKey: …
  { id: 'aws-secret-key', source: `([A-Za-z0-9_-]*(?:key|secret)["']?\\s*[:=]\\s*["']?)[A-Za-z0-9/+]{40}([^A-Za-z0-9/+=]|$)`, ignoreCase: true },
  // STS session tokens have a recognisable base64 prefix.
  { id: 'aws-session-token', source: `()(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9/+=]{20,}()`, ignoreCase: false },
  // Token query strings.
  { id: 'url-token', source: `([?&](?:access_token|token|api_key|apikey|key|sig|signature|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|client_secret|password)=)[^&\\\\\\s"'#]+()`, ignoreCase: true },
  // user:password@ in URLs.
  { id: 'url-userinfo', source: `([a-z][a-z0-9+.-]*://[^/\\\\\\s:@"']+:)[^/\\\\\\s@"']+(@)`, ignoreCase: true },
  // GitHub: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained (github_pat_) tokens.
  { id: 'github-token', source: `(^|[^A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})()`, ignoreCase: false },
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-api03-…, sk-ant-admin01-…) keys.
  { id: 'llm-api-key', source: `(^|[^A-Za-z0-9])sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}()`, ignoreCase: false },
  // Slack bot, user, app-level and refresh tokens.
  { id: 'slack-token', source: `(^|[^A-Za-z0-9])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}()`, ignoreCase: false },
  // Amazon Bedrock API keys: long-term (ABSK…) and short-term (bedrock-api-key-…).
  { id: 'bedrock-api-key', source: `(^|[^A-Za-z0-9])(?:ABSK[A-Za-z0-9+/=]{40,}|bedrock-api-key-[A-Za-z0-9+/=_-]{16,})()`, ignoreCase: false },
  // Google API keys, Hugging Face, GitLab, npm, Stripe secret/restricted keys.
  { id: 'google-api-key', source: `(^|[^A-Za-z0-9])AIza[0-9A-Za-z_-]{35}()`, ignoreCase: false },
  { id: 'huggingface-token', source: `(^|[^A-Za-z0-9])hf_[A-Za-z0-9]{30,}()`, ignoreCase: false },
  { id: 'gitlab-token', source: `(^|[^A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}()`, ignoreCase: false },
  { id: 'npm-token', source: `(^|[^A-Za-z0-9])npm_[A-Za-z0-9]{36}()`, ignoreCase: false },
  { id: 'stripe-key', source: `(^|[^A-Za-z0-9])[rs]k_(?:live|test)_[A-Za-z0-9]{20,}()`, ignoreCase: false },
  // JSON Web Tokens (web-identity tokens, OIDC id tokens).
  { id: 'jwt', source: `(^|[^A-Za-z0-9])eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}()`, ignoreCase: false },
  // PEM private keys (RSA, EC, OpenSSH, PKCS#8).
  { id: 'private-key', source: `(-----BEGIN[A-Z _]*PRIVATE[ _]KEY-----)[^"]*?(-----END[A-Z _]*PRIVATE[ _]KEY-----)`, ignoreCase: false },
];

const JS_PATTERNS = SECRET_PATTERNS.map((p) => new RegExp(p.source, p.ignoreCase ? 'gi' : 'g'));
/** Every pattern in two alternations: a string that matches neither is returned as is (the common case). */
const ANY_CASELESS = new RegExp(SECRET_PATTERNS.filter((p) => p.ignoreCase).map((p) => p.source).join('|'), 'i');
const ANY_CASED = new RegExp(SECRET_PATTERNS.filter((p) => !p.ignoreCase).map((p) => p.source).join('|'));

const mayHoldSecret = (text: string): boolean => ANY_CASELESS.test(text) || ANY_CASED.test(text);

/** Redact every secret in a string with the patterns alone (what `redactSqlText` does in DuckDB). */
export function redactText(text: string): string {
  if (!mayHoldSecret(text)) return text;
  let out = text;
  for (const re of JS_PATTERNS) out = out.replace(re, (_m, before: string, after: string) => `${before}${REDACTED}${after}`);
  return out;
}

/**
 * Redact every secret in a string (token formats and secret-labelled values). A JSON document is
 * redacted through its structure (secret-named fields blanked, strings scrubbed, JSON nested in strings
 * too), so the result is always valid JSON; other text goes through the patterns.
 */
export function redact(text: string): string {
  if (!mayHoldSecret(text)) return text;
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') {
    let doc: unknown;
    try { doc = JSON.parse(text); } catch { doc = undefined; }
    if (doc !== undefined) return JSON.stringify(redactValue(doc));
  }
  return redactText(text);
}

const SECRET_FIELD = new RegExp(`^(?:${NAMES})$`, 'i');

/** Whether a field name holds a secret (`sessionToken`, `password`, `client_secret`, …). */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deep-redact a JSON-like value: secret-named fields are blanked, every string scrubbed. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[redact(k)] = isSecretField(k) && v != null && typeof v !== 'boolean' ? REDACTED : redactValue(v);
    }
    return out as T;
  }
  return value;
}

/** An SQL string literal (patterns are constants of this module, never input). */
function sqlLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

const SQL_ANY = sqlLiteral(SECRET_PATTERNS.map((p) => (p.ignoreCase ? `(?i:${p.source})` : p.source)).join('|'));

/**
 * A DuckDB expression that redacts the VARCHAR `expr` with the same patterns as `redact` (RE2 runs
 * them inside the bulk load; test/pipeline/redact.test.ts holds both equal). Only values that match one
 * pattern pay for the replacements.
 */
export function redactSqlText(expr: string): string {
  let chain = `(${expr})`;
  for (const p of SECRET_PATTERNS) {
    chain = `regexp_replace(${chain}, ${sqlLiteral(p.source)}, ${sqlLiteral(`\\1${REDACTED}\\2`)}, ${sqlLiteral(p.ignoreCase ? 'gi' : 'g')})`;
  }
  return `CASE WHEN regexp_matches((${expr}), ${SQL_ANY}) THEN ${chain} ELSE (${expr}) END`;
}

/** `redactSqlText` for a JSON column (secret-named fields and token formats inside it). */
export function redactSqlJson(expr: string): string {
  // The patterns keep JSON valid (never replacing a quote or backslash); should one not, the value is
  // dropped for a marker rather than failing the whole load.
  return `CASE WHEN (${expr}) IS NULL THEN NULL ELSE coalesce(TRY_CAST(${redactSqlText(`CAST((${expr}) AS VARCHAR)`)} AS JSON), '"${REDACTED}"'::JSON) END`;
}

/**
 * A JSON parse error without the input text: V8's messages quote the text around the error
 * (`Unexpected token … "{"Secret": "wJal…" is not valid JSON`), which may be a secret. Gives the
 * line and column instead (`oneLine`: `text` is one line of a file, give the column only).
 */
export function jsonErrorWithoutText(e: unknown, text?: string, oneLine = false): string {
  const message = e instanceof Error ? e.message : String(e);
  let pos: number | undefined;
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) pos = Number(at);
  else if (text !== undefined) {
    // Node 20+: `Unexpected token 'w', "…context…" is not valid JSON`: find the context to get a position.
    const snippet = /, (?:\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(message)?.[1];
    const token = /Unexpected token '([\s\S])'/.exec(message)?.[1];
    const start = snippet ? text.indexOf(snippet) : -1;
    if (start >= 0) pos = token ? Math.max(start, text.indexOf(token, start)) : start;
  }
  let where = '';
  if (pos !== undefined && text !== undefined) {
    const before = text.slice(0, pos);
    const column = pos - before.lastIndexOf('\n');
    where = oneLine ? ` at column ${column}` : ` at line ${before.split('\n').length}, column ${column}`;
  } else if (pos !== undefined) where = ` at position ${pos}`;
  const kind = /unexpected end|unterminated/i.test(message) ? 'unexpected end of input' : /unexpected/i.test(message) ? 'unexpected character' : 'syntax error';
  return `${kind}${where}`;
}
