import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files that time themselves or drive a terminal (tmux) or a daemon with wall-clock waits run alone, after the
 * rest: a busy neighbour would only make them slower or flaky. Everything else runs in parallel.
 */
const SERIAL = [
  'test/ui/tmux.test.ts',
  'test/registry/registry-add.test.ts',
  'test/daemon/daemon-cli.test.ts',
  'test/store/open-existing.test.ts',
  'test/iam-policy/grants.test.ts',
  'test/security/github-failures.test.ts',
  'test/security/strict-inputs.test.ts',
  'test/demo/generate-memory.test.ts',
];

/**
 * Vitest's default is one worker fewer than the cores (one worker on these 2-core machines). Test files mostly wait
 * on DuckDB, child processes and local servers, so one per core is faster; SHADOWSCAN_TEST_WORKERS overrides it.
 */
const workers = Number(process.env['SHADOWSCAN_TEST_WORKERS'] ?? '') || Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Files share their worker's process: modules load once per worker, not once per file.
    // test/setup/isolation.ts puts back what a file changed in the process.
    isolate: false,
    setupFiles: ['test/setup/isolation.ts'],
    // Fixture-sized scans in parallel workers on a small machine: one DuckDB thread each is faster (src/store/db.ts).
    env: { SHADOWSCAN_THREADS: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: SERIAL,
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'serial', include: SERIAL, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
