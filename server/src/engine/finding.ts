// What the engine hands to its front doors (LSP, CLI): findings with both offsets
// and line/character positions, so neither front door re-reads the file.
import type { Category, EndpointConcern, Fix, Severity } from '../../../rules/api';
import type { Endpoint } from '../../../rules/inventory/types';

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 column (what LSP and SARIF-with-utf16 expect). */
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface RelatedLocation {
  readonly fileName: string;
  readonly range: Range;
  readonly message: string;
  /** A step of the data's path (source to sink), rather than evidence. */
  readonly step: boolean;
}

export interface Finding {
  readonly ruleId: string;
  readonly category: Category | 'meta';
  readonly severity: Severity;
  readonly message: string;
  readonly fileName: string;
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  readonly cwe: readonly number[];
  readonly docsUrl: string;
  readonly related: readonly RelatedLocation[];
  /** Stable across line shifts: rule, file, the flagged code's text, and its ordinal among equal ones. */
  readonly fingerprint: string;
  /** The endpoint protections the finding says are missing (matrix columns); empty for most rules. */
  readonly concerns?: readonly EndpointConcern[];
  /** Fixes offered (computed on demand); the engine adds "suppress" itself. */
  readonly fixes?: () => Fix[];
}

export interface RuleFailure {
  readonly ruleId: string;
  readonly message: string;
  readonly stack?: string;
}

export interface FileAnalysis {
  readonly fileName: string;
  /** The document version (open buffers) or disk generation the findings were computed on. */
  readonly version: string;
  readonly findings: readonly Finding[];
  /** Set when the file was not analysed at all. */
  readonly skipped?: string;
  readonly ruleFailures: readonly RuleFailure[];
  /** Rules not run because the file's time budget ran out. */
  readonly budgetSkipped: readonly string[];
  /** Rules that stopped early when the budget ran out: their findings may be incomplete. */
  readonly budgetCutShort: readonly string[];
  readonly cancelled: boolean;
  /** The HTTP endpoints the file registers, when the caller asked for the inventory (type-aware runs only). */
  readonly endpoints?: readonly Endpoint[];
}
