/**
 * Registering should be the easy path: every `registry/unregistered` finding carries a registry
 * entry built from what the scanner knows (identities, suggested owner, suggested tier), ready to
 * paste into the registry file. `shadowscan registry suggest` prints them all.
 */
import { Document, isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Finding } from '../kernel/types.js';
import { TIER_MEANING } from './registry.js';

/** The detector whose findings carry suggested entries. */
export const UNREGISTERED_DETECTOR = 'registry/unregistered';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Placeholder owner when nothing known is a person's email; the registry check rejects nothing, people should. */
export const OWNER_PLACEHOLDER = 'CHANGE-ME@example.com';

/** A suggested registry entry (the same shape the registry file takes). */
export interface SuggestedEntry {
  id: string;
  owner: string;
  purpose: string;
  tier: 1 | 2 | 3;
  certified: string;
  identities: string[];
}

interface UnregisteredEvidence {
  name?: string;
  classification?: string;
  identities?: string[];
  suggested_owner?: string | null;
  suggested_owner_source?: string | null;
  grant_tier?: number | null;
  observed_tier?: number | null;
  services?: string[] | null;
  as_of_date?: string;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'agent';
}

function asTier(n: number | null | undefined): 1 | 2 | 3 {
  return n === 3 ? 3 : n === 2 ? 2 : 1;
}

/** The entry for one unregistered finding, plus the comments a reviewer needs next to it. */
export function suggestEntry(f: Finding): { entry: SuggestedEntry; comments: Partial<Record<keyof SuggestedEntry, string>> } {
  const ev = f.evidence as UnregisteredEvidence;
  const owner = ev.suggested_owner && EMAIL.test(ev.suggested_owner) ? ev.suggested_owner.toLowerCase() : OWNER_PLACEHOLDER;
  const grantTier = ev.grant_tier ?? null;
  const observedTier = ev.observed_tier ?? null;
  const tier = asTier(grantTier ?? observedTier ?? 1);
  const services = (ev.services ?? []).filter((s) => s && s !== 'sts' && s !== 'signin');
  const entry: SuggestedEntry = {
    id: slug(ev.name ?? f.subject.id),
    owner,
    purpose: `TODO: what this ${ev.classification ?? 'identity'} does${services.length ? ` (seen calling ${services.slice(0, 6).join(', ')})` : ''}`,
    tier,
    certified: ev.as_of_date ?? new Date().toISOString().slice(0, 10),
    identities: ev.identities && ev.identities.length > 0 ? ev.identities : [f.subject.arn ?? f.subject.id],
  };
  const comments: Partial<Record<keyof SuggestedEntry, string>> = {};
  if (ev.suggested_owner) comments.owner = ` suggested: ${ev.suggested_owner} (${ev.suggested_owner_source ?? 'scanner'})${owner === OWNER_PLACEHOLDER ? ' — name a person' : ''}`;
  else comments.owner = ' nobody known: ask who runs it';
  let tc = ` ${TIER_MEANING[tier]}; from its grants`;
  if (observedTier !== null && observedTier < tier) tc += `, but it only acted as tier ${observedTier}: scope the grants down and register tier ${observedTier}`;
  if (grantTier === null) tc = ` ${TIER_MEANING[tier]}; from observed calls (no grants known)`;
  comments.tier = tc;
  return { entry, comments };
}

/** Render entries as the YAML list items of `agents:` (comments included), ready to paste. */
export function renderEntries(items: { entry: SuggestedEntry; comments: Partial<Record<keyof SuggestedEntry, string>>; header?: string }[]): string {
  const doc = new Document(items.map((i) => i.entry));
  const seq = doc.contents as unknown as { items: YAMLMap[] };
  items.forEach((item, n) => {
    const map = seq.items[n];
    if (!map || !isMap(map)) return;
    if (item.header) map.commentBefore = ` ${item.header}`;
    for (const pair of map.items as Pair<Scalar, unknown>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const c = item.comments[key as keyof SuggestedEntry];
      if (c && isScalar(pair.value)) pair.value.comment = c;
    }
  });
  return doc.toString({ lineWidth: 0 });
}

/** Restricts suggestions to the identity ids a query (`--identity`) resolved to. */
export interface SuggestionFilter {
  ids: ReadonlySet<string>;
  query: string;
}

/** The findings that become suggested entries: unregistered ones, of the filtered identities when a filter is given. */
export function suggestedFindings(findings: Finding[], only?: SuggestionFilter): Finding[] {
  return findings.filter((f) => f.detector === UNREGISTERED_DETECTOR && (!only || only.ids.has(f.subject.id)));
}

/**
 * A full registry document (`agents:` …): what `registry suggest` prints, and with `only` (the identity ids
 * `--identity` resolved to) what the terminal UI's `r` key writes. `query` names the identity in the comment
 * written when there is nothing to suggest for it.
 */
export function renderSuggestions(findings: Finding[], only?: SuggestionFilter): string {
  const items = suggestedFindings(findings, only).map((f) => ({
    ...suggestEntry(f),
    header: `${f.subject.arn ?? f.subject.id} — ${f.reason}`,
  }));
  if (items.length === 0) {
    if (only) {
      return `# shadowscan: nothing to suggest for ${only.query}: it is registered already, or it is not an agent or workload\n`
        + `# that was active in the window (see \`shadowscan explain ${only.query}\`)\nagents: []\n`;
    }
    return '# shadowscan: every active agent and workload is registered\nagents: []\n';
  }
  const body = renderEntries(items).replace(/^/gm, '  ').replace(/\s+$/, '');
  return `# Suggested by shadowscan: review each entry (owner, purpose, tier), then add it to your registry.\nagents:\n${body}\n`;
}

/** Add `registry_entry` and `registry_yaml` to every unregistered finding's evidence. */
export function decorateRegistryFindings(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    if (f.detector !== UNREGISTERED_DETECTOR) return f;
    const s = suggestEntry(f);
    return { ...f, evidence: { ...f.evidence, registry_entry: s.entry, registry_yaml: renderEntries([s]) } };
  });
}
