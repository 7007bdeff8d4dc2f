import type { Detector } from './loader.js';
import type { DetectorInfo } from '../kernel/catalogue.js';

/** The catalogue entry of one loaded detector. */
export function detectorInfo(d: Detector): DetectorInfo {
  const m = d.meta;
  const cli = m.remediation.cli;
  return {
    id: m.id,
    title: m.title,
    category: m.category,
    severity: m.severity,
    confidence: m.confidence,
    summary: m.summary,
    rationale: m.rationale,
    false_positives: m.false_positives,
    remediation: { summary: m.remediation.summary, steps: m.remediation.steps, commands: cli === undefined ? [] : Array.isArray(cli) ? cli : [cli] },
    references: m.references,
    mappings: { owasp_nhi: m.mappings.owasp_nhi, mitre_attack: m.mappings.mitre_attack },
  };
}

/** The catalogue of a detector list, sorted by id. */
export function catalogueOf(detectors: Detector[]): DetectorInfo[] {
  return detectors.map(detectorInfo).sort((a, b) => a.id.localeCompare(b.id));
}
