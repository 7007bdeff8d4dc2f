/**
 * Every file shadowscan writes (database, WAL, lock, cache, sinks, reports, exports) is 0600 in 0700
 * folders from its first byte: the process umask is set to 0077 when this module is evaluated, which
 * main.ts arranges to be before any other module (its first import), so before anything is opened.
 */

/** The umask the CLI runs with. */
export const PRIVATE_UMASK = 0o077;

try {
  process.umask(PRIVATE_UMASK);
} catch {
  // Worker threads cannot change the umask (only test runners load the CLI there).
}
