/**
 * The CLI side of block messages: the context (approval policy, roster, why each detector matters) built from the
 * same analysis inputs as the gate that failed, and `--block-message FILE` (Markdown for a PR comment or job
 * summary in FILE, the text form on stderr for the CI log).
 */
import { personText } from './print.js';
import { writeFileSync } from 'node:fs';
import { renderBlockMarkdown, renderBlockText } from '../../reports/block.js';
import type { Finding } from '../core/types.js';
import { loadDetectors } from '../core/pipeline.js';
import { readPeopleFile } from '../store/load-people.js';
import { readRegistryOrThrow, type Registry } from '../registry/registry.js';
import { blockMessage, type BlockContext } from '../registry/unblock.js';
import type { AnalysisInputs } from './analysis-flags.js';

/** Registered tier of a finding's subject: its registry entry (registry findings), or an entry listing its id or ARN exactly. */
function tierLookup(registry: Registry): (f: Finding) => 1 | 2 | 3 | undefined {
  const byRef = new Map<string, 1 | 2 | 3>();
  const byId = new Map(registry.agents.map((a) => [a.id, a.tier]));
  for (const a of registry.agents) for (const ref of a.identities) byRef.set(ref, a.tier);
  return (f) => {
    const id = f.evidence['registry_id'];
    return (typeof id === 'string' ? byId.get(id) : undefined) ?? byRef.get(f.subject.id) ?? (f.subject.arn ? byRef.get(f.subject.arn) : undefined);
  };
}

/** The block context for a gate, from the resolved analysis inputs (registry policy and roster, exceptions file, detectors). */
export function blockContext(gate: string, asOf: Date, analysis: Pick<AnalysisInputs, 'registryFile' | 'exceptionsFile' | 'peopleFile' | 'detectorDirs'>, related?: readonly Finding[]): BlockContext {
  const registry = analysis.registryFile ? readRegistryOrThrow(analysis.registryFile) : undefined;
  const people = [...(registry?.people ?? []), ...(analysis.peopleFile ? readPeopleFile(analysis.peopleFile).people : [])];
  const why = Object.fromEntries(loadDetectors(analysis.detectorDirs).map((d) => [d.meta.id, d.meta.rationale]));
  return {
    gate, asOf, why,
    ...(registry ? { policy: registry.policy, registryFile: registry.file, tierOfSubject: tierLookup(registry) } : {}),
    ...(people.length > 0 || registry?.people ? { people } : {}),
    ...(analysis.exceptionsFile ? { exceptionsFile: analysis.exceptionsFile } : {}),
    ...(related ? { related } : {}),
  };
}

/** `--block-message FILE`: when the gate failed, the Markdown message into FILE (mode 0600) and the text form on stderr. */
export function emitBlockMessage(file: string | undefined, failures: readonly Finding[], ctx: BlockContext): void {
  if (!file || failures.length === 0) return;
  const m = blockMessage(failures, ctx);
  // Markdown escapes what it quotes; the sanitiser still removes control characters a PR comment must not carry
  writeFileSync(file, personText(renderBlockMarkdown(m)), { mode: 0o600 });
  process.stderr.write(personText(renderBlockText(m)));
}
