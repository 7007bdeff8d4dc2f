import type { Confidence, Severity } from '../src/kernel/types.js';

/**
 * How each severity is expressed in every output format: the one place that maps severities.
 * SARIF `security-severity` follows GitHub code scanning's bands (critical > 9.0, high 7.0–8.9,
 * medium 4.0–6.9, low 0.1–3.9); OCSF ids are the Finding `severity_id` enum.
 */
export const SEVERITY_OUTPUT: Record<Severity, {
  sarifLevel: 'error' | 'warning' | 'note'; securitySeverity: string; ocsfId: number; ocsfName: string; label: string;
  /** HTML colour. */
  color: string;
  /** ANSI SGR sequence of the terminal table. */
  ansi: string;
  /** ink colour name of the terminal UI. */
  ink: string;
}> = {
  critical: { sarifLevel: 'error', securitySeverity: '9.5', ocsfId: 5, ocsfName: 'Critical', label: 'Critical', color: '#7f1d1d', ansi: '\x1b[1;31m', ink: 'redBright' },
  high: { sarifLevel: 'error', securitySeverity: '8.0', ocsfId: 4, ocsfName: 'High', label: 'High', color: '#dc2626', ansi: '\x1b[31m', ink: 'red' },
  medium: { sarifLevel: 'warning', securitySeverity: '5.5', ocsfId: 3, ocsfName: 'Medium', label: 'Medium', color: '#d97706', ansi: '\x1b[33m', ink: 'yellow' },
  low: { sarifLevel: 'note', securitySeverity: '3.0', ocsfId: 2, ocsfName: 'Low', label: 'Low', color: '#0891b2', ansi: '\x1b[36m', ink: 'cyan' },
  info: { sarifLevel: 'note', securitySeverity: '0.5', ocsfId: 1, ocsfName: 'Informational', label: 'Info', color: '#6b7280', ansi: '\x1b[2m', ink: 'gray' },
};

/** Confidence in SARIF `precision` and OCSF `confidence_id`. */
export const CONFIDENCE_OUTPUT: Record<Confidence, { sarifPrecision: 'low' | 'medium' | 'high'; ocsfId: number; ocsfName: string }> = {
  low: { sarifPrecision: 'low', ocsfId: 1, ocsfName: 'Low' },
  medium: { sarifPrecision: 'medium', ocsfId: 2, ocsfName: 'Medium' },
  high: { sarifPrecision: 'high', ocsfId: 3, ocsfName: 'High' },
};
