/**
 * The CLI's writers for text meant for a person: every message and text output goes through the one
 * terminal sanitiser (src/kernel/terminal-text.ts), and messages through redaction, so data quoted in them
 * (names, tags, file contents in errors) can neither drive the terminal nor show a secret.
 */
import { redact } from '../kernel/redact.js';
import { terminalSafe } from '../kernel/terminal-text.js';

/** A message on stderr, as `shadowscan: MESSAGE`: redacted, terminal-safe (its own line breaks kept). */
export function printErr(message: string): void {
  process.stderr.write(`shadowscan: ${terminalSafe(redact(message), { multiline: true })}\n`);
}

/** Text output for a person (explain, diff, registry, lists) made terminal-safe, for stdout or a file. */
export function personText(text: string): string {
  return terminalSafe(text, { multiline: true });
}

/** Write text output for a person to stdout. */
export function printOut(text: string): void {
  process.stdout.write(personText(text));
}
