/**
 * The CLI side of block messages: the context (approval policy, roster, why each detector matters) built from the
 * same analysis inputs as the gate that failed, and `--block-message FILE` (Markdown for a PR comment or job
 * summary in FILE, the text form on stderr for the CI log).
 */
import { personText } from '../terminal/print.js';
import { writeFileSync } from 'node:fs';
import { renderBlockMarkdown, renderBlockText } from '../../reports/block.js';
import type { Finding } from '../kernel/types.js';
import { loadDetectors } from '../pipeline/pipeline.js';
import { readPeopleFile } from '../store/load-people.js';
import { readRegistryOrThrow } from '../registry/registry.js';
import { blockMessage, registryTierOf, type BlockContext } from '../registry/unblock.js';
import type { AnalysisInputs } from './analysis-flags.js';

/** The block context for a gate, from the resolved analysis inputs (registry policy and roster, exceptions file, detectors). */
export function blockContext(gate: string, asOf: Date, analysis: Pick<AnalysisInputs, 'registryFile' | 'exceptionsFile' | 'peopleFile' | 'detectorDirs'>, related?: readonly Finding[]): BlockContext {
  const registry = analysis.registryFile ? readRegistryOrThrow(analysis.registryFile) : undefined;
  const people = [...(registry?.people ?? []), ...(analysis.peopleFile ? readPeopleFile(analysis.peopleFile).people : [])];
  const why = Object.fromEntries(loadDetectors(analysis.detectorDirs).map((d) => [d.meta.id, d.meta.rationale]));
  return {
    gate, asOf, why,
    ...(registry ? { policy: registry.policy, registryFile: registry.file, tierOfSubject: registryTierOf(registry) } : {}),
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
