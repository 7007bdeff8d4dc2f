import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { builtinSignals, runSignals, type Signal } from '../../src/model/signals.js';
import { scanDir } from '../helpers/scan.js';
import { projectRoot } from '../../src/detect/loader.js';
import { join } from 'node:path';

/**
 * runSignals fills identity_signals with every signal in one statement. Held here: the rows are those of each signal
 * run on its own, with the signal's class, weight and label; a signal that fails is named by its file.
 */
describe('runSignals', () => {
  it('one statement gives the rows of every signal run alone, and a failing signal is named', async () => {
    const store = await Store.open(':memory:');
    try {
      await scanDir(join(projectRoot(), 'fixtures/demo'), undefined, undefined, { store });
      const rows = async (): Promise<string[]> => (await store.all<{ r: string }>(
        `SELECT concat_ws('|', id, class, weight, signal, detail, signal_id) AS r FROM identity_signals ORDER BY ALL`)).map((x) => x.r);
      const together = await rows();
      expect(together.length).toBeGreaterThan(100);
      const signals = builtinSignals();
      // Each signal alone, as the rows it adds.
      await store.run('DELETE FROM identity_signals');
      for (const s of signals) await runSignals(store, [s]);
      expect(await rows()).toEqual(together);
      expect(new Set(together.map((r) => r.split('|').at(-1))).size).toBeGreaterThan(20);
      // Each row carries its signal file's class, weight and label.
      const meta = new Map(signals.map((s) => [s.meta.id, [s.meta.class, String(s.meta.weight), s.meta.signal]]));
      for (const r of together) {
        const [, cls, weight, label, , id] = r.split('|');
        expect([cls, weight, label], r).toEqual(meta.get(id!));
      }

      const broken: Signal = { ...signals[3]!, sql: 'SELECT id, detail FROM no_such_table' };
      const withBroken = [...signals.slice(0, 3), broken, ...signals.slice(4)];
      await store.run('DELETE FROM identity_signals');
      await expect(runSignals(store, withBroken)).rejects.toThrow(new RegExp(`^signal signals/${signals[3]!.meta.id}\\.sql: .*no_such_table`));
    } finally {
      store.close();
    }
  }, 120_000);
});
