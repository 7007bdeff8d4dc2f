/** Error classes for bugs and fatal conditions; expected outcomes use result unions instead. */

/**
 * Exit codes, DESIGN.md §7: 0 clean, 1 policy violated, 2 usage/config/input error; 3 the scan and report
 * succeeded but a `--sink` could not deliver (a policy violation, exit 1, takes precedence); 4 an internal
 * error (a bug in shadowscan: rerun with SHADOWSCAN_DEBUG=1 for the stack trace and report it).
 */
export const ExitCode = { ok: 0, policy: 1, usage: 2, delivery: 3, internal: 4 } as const;

/** A problem the user must fix (bad flag, unreadable config, no usable input). Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A failure inside shadowscan itself; carries the cause. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Message of any thrown value, for error paths. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
