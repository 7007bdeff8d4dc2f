/**
 * Redaction applied before anything leaves memory (errors, logs, evidence, reports).
 * Access key IDs are identifiers and stay; secrets, session tokens and auth headers go.
 */

const REPLACEMENT = '[REDACTED]';

const PATTERNS: RegExp[] = [
  // AWS secret access keys written as key=value / "key": "value"
  /((?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi,
  // Session tokens (long base64 blobs after a session-token label)
  /((?:aws_?)?session_?token["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi,
  // Authorization headers (Bearer, token, Basic, AWS4 signatures)
  /((?:authorization|x-amz-security-token|x-api-key)["']?\s*[:=]\s*["']?)[^"'\s,}]+(?:\s[^"'\s,}]+)?/gi,
  // Token query strings
  /([?&](?:access_token|token|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|sig)=)[^&\s"']+/gi,
  // GitHub tokens
  /()\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
  // OpenAI / Anthropic style API keys
  /()\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,})\b/g,
  // Bedrock API keys
  /()\bbedrock-api-key-[A-Za-z0-9+/=_-]{16,}/g,
  // PEM private keys
  /()-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

/** Redact every secret-looking value in a string. */
export function redact(text: string): string {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, (_m, prefix: string) => `${prefix}${REPLACEMENT}`);
  return out;
}

const SECRET_FIELD = /^(secret(access)?key|secret_?access_?key|sessiontoken|session_?token|password|token|authorization|private_?key|client_?secret)$/i;

/** Deep-redact a JSON-like value: secret-named fields are blanked, strings scrubbed. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_FIELD.test(k) && v != null ? REPLACEMENT : redactValue(v);
    }
    return out as T;
  }
  return value;
}
