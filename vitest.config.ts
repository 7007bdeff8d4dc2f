import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Fixture-sized scans in parallel workers on a small machine: one DuckDB thread each is faster (src/store/db.ts).
    env: { SHADOWSCAN_THREADS: '1' },
  },
});
