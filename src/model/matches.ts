import { INTEGER, VARCHAR, jsToDuckDBValue } from '@duckdb/node-api';
import type { Store } from '../store/db.js';

/**
 * Model tables of kind `matches` (model/README.md): which reference patterns each text matches, filled one pattern
 * at a time with the pattern as a bound value. DuckDB compiles a regular expression given as a value once per
 * statement, but one read from a column once per row: a join of 20k distinct user agents with the 63 user-agent
 * signatures on `regexp_matches(ua, s.pattern)` took 14 s (1.3M compilations), one statement per signature 0.3 s.
 * The statements are fixed text here, the patterns data (reference/*.csv): nothing is spliced into SQL.
 */
interface Matcher {
  /** The texts, staged once (a temp table `match_texts (text, subject)`: what is matched, what the row names). */
  texts: string;
  /** The patterns, one row each: `key` (written with each hit) and `pattern` (RE2). */
  patterns: string;
  /** Where the patterns come from, for an error. */
  source: string;
  /** One pattern's hits into the table: `$key` and `$pattern` bound. */
  insert: string;
}

const MATCHERS: Record<string, Matcher> = {
  // user agents with the brackets of S3 data events dropped (`[aws-cli/1.18.136 …]`) × reference/ua-signatures.csv
  ua_signature_hits: {
    texts: `SELECT regexp_replace(user_agent, '^\\[(.*)\\]$', '\\1') AS text, user_agent AS subject
      FROM (SELECT DISTINCT user_agent FROM cloudtrail_events WHERE user_agent IS NOT NULL)`,
    patterns: 'SELECT ord AS key, pattern FROM ua_signatures ORDER BY ord',
    source: 'reference/ua-signatures.csv',
    insert: 'INSERT INTO ua_signature_hits SELECT subject, $key FROM match_texts WHERE regexp_matches(text, $pattern)',
  },
};

function matcher(name: string): Matcher {
  const m = MATCHERS[name];
  if (!m) throw new Error(`no filler for the matches table ${name} (src/model/matches.ts)`);
  return m;
}

/** The queries the filler of `matches` table `name` runs to read (texts, patterns): what the file declares it reads. */
export function matcherQueries(name: string): string[] {
  const m = matcher(name);
  return [m.texts, m.patterns];
}

/** Fill the (empty, just created) `matches` table `name`: (subject, key) for every text a pattern matches. */
export async function fillMatches(store: Store, name: string): Promise<void> {
  const m = matcher(name);
  await store.run(`CREATE OR REPLACE TEMP TABLE match_texts AS ${m.texts}`);
  try {
    const patterns = await store.all<{ key: number; pattern: string }>(m.patterns);
    for (const p of patterns) {
      try {
        await store.run(m.insert, {
          key: jsToDuckDBValue(Number(p.key), INTEGER), pattern: jsToDuckDBValue(p.pattern, VARCHAR),
        });
      } catch (e) {
        throw new Error(`${m.source}: pattern ${p.key} (${p.pattern}): ${(e as Error).message.split('\n')[0]}`, { cause: e });
      }
    }
  } finally {
    await store.run('DROP TABLE IF EXISTS match_texts');
  }
}
