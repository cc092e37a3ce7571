// The engine's own findings. They have docs under rules/meta/ like any rule, and can
// be configured in .hardening.json, but no check(): the engine reports them.
import type { RuleDescriptor } from './catalogue-types';

export const INVALID_SUPPRESSION: RuleDescriptor = {
  id: 'invalid-suppression',
  category: 'meta',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'A hardening-ignore comment that names no rule, an unknown rule, or gives no reason.',
  fixable: false,
};

export const UNUSED_SUPPRESSION: RuleDescriptor = {
  id: 'unused-suppression',
  category: 'meta',
  cwe: [],
  defaultSeverity: 'warning',
  description: 'A hardening-ignore comment that suppresses nothing any more.',
  fixable: true,
};

export const SKIPPED_FILE: RuleDescriptor = {
  id: 'skipped-file',
  category: 'meta',
  cwe: [],
  defaultSeverity: 'info',
  description: 'A file the engine did not analyse (too large, minified, binary) or could only partly analyse.',
  fixable: false,
};

export const META_RULES: readonly RuleDescriptor[] = [INVALID_SUPPRESSION, UNUSED_SUPPRESSION, SKIPPED_FILE];
