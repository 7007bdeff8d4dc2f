import { matcherQueries } from './matches.js';
import type { Store } from '../store/db.js';
import { sqlCode } from '../kernel/sql-file.js';

/**
 * The tables and views a query reads, found by DuckDB's own parser (`json_serialize_sql`), not by
 * matching words: every base-table reference in the parse tree, CTE names excluded. Used by the
 * repo-wide test that holds `reads:` and `requires:` declarations to what model files, signals and
 * detectors really read.
 */
export async function selectReads(store: Store, select: string): Promise<string[]> {
  const rows = await store.all<{ j: string }>('SELECT json_serialize_sql($s::VARCHAR) AS j', { s: select });
  const tree = JSON.parse(rows[0]?.j ?? '{}') as { error?: boolean; error_message?: string };
  if (tree.error) throw new Error(`cannot parse: ${tree.error_message ?? 'unknown error'}`);
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o['type'] === 'BASE_TABLE' && typeof o['table_name'] === 'string') tables.add(o['table_name']);
    const cteMap = o['cte_map'] as { map?: { key: string }[] } | undefined;
    for (const e of cteMap?.map ?? []) ctes.add(e.key);
    for (const v of Object.values(o)) walk(v);
  };
  walk(tree);
  return [...tables].filter((t) => !ctes.has(t)).sort();
}

/**
 * What one model statement reads: the query of a CREATE … AS, the expression of a macro, or the source and
 * source of a MERGE (its target is the state table the file writes). `kind` is the model file kind.
 */
export async function statementReads(store: Store, kind: string, sql: string): Promise<string[]> {
  const code = sqlCode(sql);
  if (kind === 'macro') {
    const body = sql.slice(code.search(/\)\s+as\s/i)).replace(/^\)\s+as\s/i, '');
    return selectReads(store, `SELECT ${body}`);
  }
  if (kind === 'signals') return [];
  if (kind === 'matches') {
    // what its filler's text and pattern queries read (src/model/matches.ts)
    const name = /^create\s+or\s+replace\s+table\s+(\w+)/i.exec(code.trim())?.[1] ?? '';
    const reads = await Promise.all(matcherQueries(name).map((q) => selectReads(store, q)));
    return [...new Set(reads.flat())].sort();
  }
  if (kind === 'merge') {
    const m = /^merge\s+into\s+(\w+)\s+\w+\s+using\s+(\w+)/i.exec(code.trim());
    if (!m?.[2]) throw new Error('a merge must read MERGE INTO <table> <alias> USING <table>');
    return [m[2]];
  }
  const as = /^create\s+or\s+replace\s+(?:temp\s+)?(?:table|view)\s+\w+\s+as\s/i.exec(code.trim());
  if (!as) throw new Error('expected CREATE OR REPLACE [TEMP] TABLE|VIEW name AS query');
  return selectReads(store, sql.trim().slice(as[0].length));
}

/** The DuckDB variables a statement reads with getvariable('…'). */
export function statementVariables(sql: string): string[] {
  return [...new Set([...sql.matchAll(/getvariable\(\s*'([a-z_]+)'\s*\)/gi)].map((m) => m[1] as string))].sort();
}
