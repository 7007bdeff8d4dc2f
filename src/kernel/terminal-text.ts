/**
 * The one function that makes data text safe to show on a terminal. Scanned data (tags, user agents,
 * role session names, registry and exception texts, error messages quoting input) may carry escape
 * sequences: CSI (`ESC[2J` clears the screen), OSC 8 (hidden links), OSC 52 (writes the clipboard),
 * DCS/APC, 8-bit C1 controls, bidirectional overrides that reorder what is shown (Trojan Source), and
 * newlines that forge extra lines. Every such character is shown as a visible escape (`\x1b`, `\n`,
 * `\u202e`) instead of being sent: the sequence cannot act, and the reader still sees that it was there.
 * Used by every terminal path: the table, the ink UI, stderr messages, explain, diff, registry output.
 */

/** C0 and C1 controls (except tab and newline, decided per mode), DEL, bidi controls, zero-width and line separators. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_OR_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function visible(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return ' ';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Options of `terminalSafe`. */
export interface TerminalSafeOptions {
  /** Keep line breaks (and tabs) for text that is several lines by design (messages, explain); default false: one line. */
  multiline?: boolean;
  /**
   * The text is JSON (a report piped to a terminal): escape as `\uXXXX`, which keeps it valid JSON
   * (JSON.stringify leaves DEL, C1 and bidi characters raw, and a terminal may act on them). Implies multiline.
   */
  json?: boolean;
}

/** `text` with every control, escape-sequence introducer and bidi/zero-width character shown as a visible escape. */
export function terminalSafe(text: string, opts: TerminalSafeOptions = {}): string {
  if (opts.json) return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return opts.multiline ? text.replace(UNSAFE, visible) : text.replace(UNSAFE_OR_LINE, visible);
}

/** A JSON-like value with every string made terminal-safe on one line: data before a multi-line renderer lays it out. */
export function terminalSafeValue<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafeValue(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalSafeValue(v)])) as T;
  }
  return value;
}
