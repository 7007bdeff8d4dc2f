/**
 * `npm run realworld`: scan every set of the real-world corpus (fixtures/realworld) and print expected vs found.
 *
 *   node dist/tools/realworld/main.js [SET ...]
 *
 * Exit 0 when every expectation holds or is marked known-failing, 1 on a regression or on a known failure that now
 * holds (remove its `known_failing` marker), 2 on an unknown set or an invalid expected.yaml.
 */
import { projectRoot } from '../../src/detect/loader.js';
import { corpusRoot, listSets, otherSets, passed, renderTable, runSet, type SetResult } from './corpus.js';

async function main(): Promise<number> {
  const root = corpusRoot(projectRoot());
  const all = listSets(root);
  const asked = process.argv.slice(2);
  const unknown = asked.filter((s) => !all.includes(s));
  if (unknown.length) {
    process.stderr.write(`unknown set(s): ${unknown.join(', ')}; the corpus has: ${all.join(', ')}\n`);
    return 2;
  }
  const results: SetResult[] = [];
  for (const set of asked.length ? asked : all) {
    process.stderr.write(`scanning ${set}\n`);
    results.push(await runSet(root, set));
  }
  process.stdout.write(`${renderTable(results)}\n`);
  const others = otherSets(root);
  if (!asked.length && others.length) process.stdout.write(`\nchecked by their own tests (own layout): ${others.join(', ')} (see test/realworld/)\n`);
  return passed(results) ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
