/**
 * PII and secret redaction before storage (docs/security.md): detectors, the string redactor,
 * and its application to spans and log records. Pure.
 */
export type { Detector, DetectorHint, DetectorId } from './detectors.ts';
export { BUILTIN_DETECTORS, customDetector, DETECTOR_IDS } from './detectors.ts';
export type {
  RedactionAction,
  RedactionCounts,
  RedactionPolicy,
  StringRedactor,
  StringRedactorOptions,
} from './redactor.ts';
export { createStringRedactor, DEFAULT_POLICY } from './redactor.ts';
export { REDACTIONS_ATTRIBUTE, redactLog, redactSpan, redactValue } from './span.ts';
