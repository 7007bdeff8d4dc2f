/**
 * GitHub Actions workflow analysis: the YAML is parsed (never grepped) and walked node by node, so
 * every fact keeps the line it came from (SARIF and the terminal point at it).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { AGENT_TOOLS, AWS_KEY_ID_INPUT, INSTALL_LINE, LLM_SECRET_NAME } from './agent-tools.js';

/** What one fact is about. */
export type WorkflowFactKind =
  | 'trigger' | 'schedule' | 'permissions' | 'secret-ref' | 'secrets-inherit' | 'uses'
  | 'aws-static-keys' | 'aws-role' | 'agent-tool' | 'llm-secret';

/** One fact found in a workflow, with its 1-based line. */
export interface WorkflowFact {
  fact: WorkflowFactKind;
  /** Event, secret name, tool token, action reference, … */
  name: string;
  /** Cron, permission level, tool kind, role ARN, mechanism, … */
  value: string;
  /** Where in the workflow: `jobs.deploy.steps[2].env.OPENAI_API_KEY`. */
  context: string;
  line: number;
}

/** The result of analysing one workflow file. */
export interface WorkflowAnalysis {
  name: string | null;
  triggers: string[];
  schedules: string[];
  /** Top-level `permissions`: 'missing', 'write-all', 'read-all', '{}' or `scope: level, …`. */
  permissions: string;
  /** `write-all` at the top or in any job. */
  writeAll: boolean;
  /** No top-level `permissions` and at least one job without its own: the token gets the repository default. */
  permissionsMissing: boolean;
  /** Agent tools, frameworks or LLM secrets appear. */
  runsAgent: boolean;
  facts: WorkflowFact[];
  /** Set when the file is not valid YAML or not a workflow; facts are then empty. */
  error: string | null;
}

const SECRET_REF = /\bsecrets\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\bsecrets\s*\[\s*['"]([^'"]+)['"]\s*\]/g;
const ROLE_INPUT = 'role-to-assume';

type Path = (string | number)[];

function pathText(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function keyOf(n: unknown): string {
  return isScalar(n) ? String(n.value) : String(n);
}

function scalarText(n: unknown): string | null {
  if (!isScalar(n)) return null;
  return n.value === null || n.value === undefined ? '' : String(n.value);
}

function permissionsText(n: unknown): string {
  if (n === undefined) return 'missing';
  const s = scalarText(n);
  if (s !== null) return s || 'missing';
  if (isMap(n)) {
    if (n.items.length === 0) return '{}';
    return n.items.map((p) => `${keyOf(p.key)}: ${scalarText(p.value) ?? '?'}`).join(', ');
  }
  return 'unknown';
}

/** Analyse one workflow file's text. Never throws: bad YAML is reported in `error`. */
export function analyzeWorkflow(source: string): WorkflowAnalysis {
  const empty: WorkflowAnalysis = { name: null, triggers: [], schedules: [], permissions: 'missing', writeAll: false, permissionsMissing: false, runsAgent: false, facts: [], error: null };
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0) return { ...empty, error: `invalid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? 'parse error'}` };
  const root = doc.contents;
  if (!isMap(root)) return { ...empty, error: 'not a workflow: the top level is not a mapping' };

  const facts: WorkflowFact[] = [];
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lines.linePos(offset).line);
  const nodeLine = (n: unknown): number => lineAt((n as Node | undefined)?.range?.[0]);
  const add = (fact: WorkflowFactKind, name: string, value: string, path: Path, line: number): void => {
    facts.push({ fact, name, value, context: pathText(path), line });
  };
  const get = (map: unknown, key: string): { key: unknown; value: unknown } | undefined => {
    if (!isMap(map)) return undefined;
    const p = map.items.find((i) => keyOf(i.key) === key);
    return p ? { key: p.key, value: p.value } : undefined;
  };

  // Triggers and schedules.
  const on = get(root, 'on') ?? get(root, 'true');
  const triggers: string[] = [];
  const schedules: string[] = [];
  if (on) {
    const v = on.value;
    if (isScalar(v)) { triggers.push(String(v.value)); add('trigger', String(v.value), '', ['on'], nodeLine(v)); }
    else if (isSeq(v)) for (const it of v.items) { const t = scalarText(it); if (t) { triggers.push(t); add('trigger', t, '', ['on'], nodeLine(it)); } }
    else if (isMap(v)) {
      for (const p of v.items) {
        const ev = keyOf(p.key);
        triggers.push(ev);
        add('trigger', ev, '', ['on', ev], nodeLine(p.key));
        if (ev === 'schedule' && isSeq(p.value)) {
          p.value.items.forEach((item, i) => {
            const cron = get(item, 'cron');
            const c = cron ? scalarText(cron.value) : null;
            if (c) { schedules.push(c); add('schedule', 'cron', c, ['on', 'schedule', i, 'cron'], nodeLine(cron?.value)); }
          });
        }
      }
    }
  }

  // Permissions: top level and per job.
  const topPerm = get(root, 'permissions');
  const permissions = permissionsText(topPerm?.value);
  add('permissions', 'workflow', permissions, ['permissions'], topPerm ? nodeLine(topPerm.key) : 1);
  let writeAll = permissions === 'write-all';
  let jobWithoutPermissions = false;
  const jobs = get(root, 'jobs');
  if (isMap(jobs?.value)) {
    for (const jp of jobs.value.items) {
      const job = keyOf(jp.key);
      const jperm = get(jp.value, 'permissions');
      if (jperm) {
        const t = permissionsText(jperm.value);
        if (t === 'write-all') writeAll = true;
        add('permissions', job, t, ['jobs', job, 'permissions'], nodeLine(jperm.key));
      } else if (!get(jp.value, 'uses')) {
        jobWithoutPermissions = true;
      }
    }
  }

  // Walk every node: secret references, actions used, configure-aws-credentials, agent tools, env names.
  // The map a path points at (to look at the step that owns an env block).
  const parentOf = (path: Path): unknown => {
    let n: unknown = root;
    for (const p of path.slice(0, -1)) {
      if (isMap(n)) n = get(n, String(p))?.value;
      else if (isSeq(n) && typeof p === 'number') n = n.items[p];
      else return undefined;
    }
    return n;
  };

  const walk = (node: unknown, path: Path): void => {
    if (isMap(node)) {
      const uses = get(node, 'uses');
      const usesRef = uses ? scalarText(uses.value) : null;
      if (usesRef) onUses(node, usesRef, path, nodeLine(uses?.value));
      for (const p of node.items) {
        const k = keyOf(p.key);
        if (k === 'secrets' && scalarText(p.value) === 'inherit') add('secrets-inherit', '*', 'inherit', [...path, k], nodeLine(p.value));
        walk(p.value, [...path, k]);
        if (path[path.length - 1] === 'env' && LLM_SECRET_NAME.test(k)) add('llm-secret', k, 'env', [...path, k], nodeLine(p.key));
        if (path[path.length - 1] === 'env' && AWS_KEY_ID_INPUT.test(k)) {
          const ref = firstSecret(scalarText(p.value) ?? '');
          // env of a step that runs an action hands the key to that action; elsewhere to the job's scripts
          const stepUses = path.length >= 2 ? scalarText(get(parentOf(path), 'uses')?.value) : null;
          add('aws-static-keys', ref ?? '', stepUses ? `env ${k} of ${stepUses}` : `env ${k}`, [...path, k], nodeLine(p.key));
        }
      }
      return;
    }
    if (isSeq(node)) {
      node.items.forEach((it, i) => walk(it, [...path, i]));
      return;
    }
    if (isScalar(node) && typeof node.value === 'string') onString(node.value, node as Node, path);
  };

  const onString = (text: string, node: Node, path: Path): void => {
    const start = node.range?.[0] ?? 0;
    const end = node.range?.[1] ?? start;
    const raw = source.slice(start, end);
    for (const m of text.matchAll(SECRET_REF)) {
      const name = (m[1] ?? m[2]) as string;
      if (name === 'GITHUB_TOKEN') continue;
      const at = raw.indexOf(m[0]);
      const line = at >= 0 ? lineAt(start + at) : lineAt(start);
      add('secret-ref', name, whereIn(path), path, line);
      if (LLM_SECRET_NAME.test(name)) add('llm-secret', name, 'secret', path, line);
    }
    if (path[path.length - 1] === 'run') {
      const textLines = text.split('\n');
      textLines.forEach((l, idx) => {
        const at = raw.indexOf(l.trim());
        const line = l.trim() && at >= 0 ? lineAt(start + at) : lineAt(start) + (raw.startsWith('|') || raw.startsWith('>') ? idx + 1 : idx);
        const install = INSTALL_LINE.test(l);
        for (const t of AGENT_TOOLS) {
          if (t.where === 'uses') continue;
          if (t.where === 'install' && !install) continue;
          if (t.pattern.test(l)) add('agent-tool', t.token, t.kind, path, line);
        }
      });
    }
  };

  const onUses = (step: unknown, ref: string, path: Path, line: number): void => {
    add('uses', ref, '', [...path, 'uses'], line);
    for (const t of AGENT_TOOLS) if (t.where === 'uses' && t.pattern.test(ref)) add('agent-tool', t.token, t.kind, [...path, 'uses'], line);
    const withMap = get(step, 'with')?.value;
    const configure = /^aws-actions\/configure-aws-credentials@/i.test(ref);
    // A long-lived AWS key handed to any action: an input named like a key id, or one fed from a secret named like one.
    if (isMap(withMap)) {
      for (const p of withMap.items) {
        const input = keyOf(p.key);
        const secret = firstSecret(scalarText(p.value) ?? '');
        if (!AWS_KEY_ID_INPUT.test(input) && !(secret && AWS_KEY_ID_INPUT.test(secret))) continue;
        add('aws-static-keys', secret ?? '', configure ? 'configure-aws-credentials' : `input ${input} of ${ref}`, [...path, 'with', input], nodeLine(p.key));
      }
    }
    if (configure) {
      const keyId = get(withMap, 'aws-access-key-id');
      const role = get(withMap, ROLE_INPUT);
      if (role) add('aws-role', scalarText(role.value) ?? '', keyId ? 'configure-aws-credentials (chained from static keys)' : 'configure-aws-credentials (OIDC)', [...path, 'with', ROLE_INPUT], nodeLine(role.key));
    }
  };

  walk(root, []);
  const nameNode = get(root, 'name');
  const runsAgent = facts.some((f) => f.fact === 'agent-tool' || f.fact === 'llm-secret');
  return {
    name: nameNode ? scalarText(nameNode.value) : null,
    triggers: [...new Set(triggers)],
    schedules,
    permissions,
    writeAll,
    permissionsMissing: permissions === 'missing' && jobWithoutPermissions,
    runsAgent,
    facts: dedupe(facts),
    error: null,
  };
}

/** The folder a local `uses: ./dir` reference names, as the export keeps action files (`''` for the repository root). */
export function localActionDir(ref: string): string | null {
  if (!ref.startsWith('./')) return null;
  const d = ref.slice(2).replace(/\/+$/, '').replace(/\/action\.ya?ml$/i, '');
  if (/\.ya?ml$/i.test(d)) return null; // a reusable workflow (./.github/workflows/x.yml), analysed as its own file
  return d === '.' ? '' : d;
}

/**
 * Follow local actions (`uses: ./dir`): when the repository's own action at that folder runs an agent (directly or
 * through further local actions), the step does too. Adds one agent-tool fact per tool, named `<token> (./dir)`, at
 * the line of the `uses:`. `actions` maps folders (`''`, `base-action`, `.github/actions/x`) to their analyses.
 */
export function withLocalActions(wf: WorkflowAnalysis, actions: ReadonlyMap<string, WorkflowAnalysis>): WorkflowAnalysis {
  const toolsOf = (dir: string, seen: Set<string>): { token: string; kind: string }[] => {
    const a = actions.get(dir);
    if (!a || seen.has(dir)) return [];
    seen.add(dir);
    const own = a.facts.filter((f) => f.fact === 'agent-tool').map((f) => ({ token: f.name, kind: f.value }));
    const nested = a.facts.filter((f) => f.fact === 'uses').flatMap((f) => {
      const d = localActionDir(f.name);
      return d === null ? [] : toolsOf(d, seen);
    });
    return [...own, ...nested];
  };
  const added: WorkflowFact[] = [];
  for (const u of wf.facts.filter((f) => f.fact === 'uses')) {
    const dir = localActionDir(u.name);
    if (dir === null) continue;
    for (const t of toolsOf(dir, new Set())) {
      added.push({ fact: 'agent-tool', name: `${t.token.replace(/ \(\.\/.*\)$/, '')} (./${dir})`, value: t.kind, context: u.context, line: u.line });
    }
  }
  if (added.length === 0) return wf;
  return { ...wf, runsAgent: true, facts: dedupe([...wf.facts, ...added]) };
}

/** The innermost place kind of a path (env, with, run, if, secrets), ignoring job ids. */
function whereIn(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[0] === 'jobs' && i === 1) continue;
    const p = path[i];
    if (p === 'env' || p === 'with' || p === 'run' || p === 'if' || p === 'secrets') return p;
  }
  return 'other';
}

function firstSecret(text: string): string | null {
  for (const m of text.matchAll(SECRET_REF)) return (m[1] ?? m[2]) as string;
  return null;
}

function dedupe(facts: WorkflowFact[]): WorkflowFact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const k = `${f.fact}\u0000${f.name}\u0000${f.value}\u0000${f.context}\u0000${f.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => a.line - b.line || a.fact.localeCompare(b.fact) || a.name.localeCompare(b.name));
}

