// What a query recogniser hands the rule: the model, the unindexed part of the
// query's filter, how to name things in the message, and the index-hint fix.
import type { ts } from 'ts-morph';
import type { FileEdit, RelatedInput } from '../../api';
import type { ModelInfo } from '../../shared/schema/model';
import type { Unindexed } from './evaluate';

export interface Detected {
  readonly model: ModelInfo;
  readonly unindexed: Unindexed;
  /**
   * What to underline: the filter as written in the call (`where: { … }`, the filter argument, the SQL);
   * undefined when it is built elsewhere, and the call is underlined. The whole filter, not one key,
   * keeps findings on different queries apart (their fingerprints hash the underlined text).
   */
  readonly anchor?: ts.Node;
  /** 'filters on' or, for a paginated listing, 'sorts on'. */
  readonly verb: string;
  /** The whole finding's wording up to the comma, when `verb` + fields does not say it (an `include`). */
  readonly description?: string;
  /** The call as written, compacted (`prisma.user.findMany`). */
  readonly callText: string;
  /** The clause naming what declares the model: "which `schema.prisma` does not index". */
  readonly notIndexedBy: string;
  /** What to add, with code in backticks: "`@@index([email])`", "`@Index()` to `User.email`". */
  readonly advice: string;
  readonly related: readonly RelatedInput[];
  /** The edits of the "Add index hint" fix; undefined when none can be made. */
  readonly fixEdits: () => readonly FileEdit[] | undefined;
}

/**
 * A recogniser's answer: a finding (or several: a filter and an `include`), HANDLED when the call is its library's but fine (so no other
 * recogniser asks the checker about it), or undefined when the call is not its library's.
 */
export type Detection = Detected | readonly Detected[] | typeof HANDLED | undefined;
export const HANDLED = 'handled';

/** A callee's text without line breaks and spacing (`this.prisma\n  .user.findMany` → `this.prisma.user.findMany`). */
export function compactCallee(text: string): string {
  const compact = text.replace(/\s+/g, '');
  return compact.length <= 60 ? compact : `…${compact.slice(-59)}`;
}

/** "which `schema.prisma` does not index" for the file that declares the model. */
export function notIndexedByFile(fileName: string): string {
  return `which \`${fileName.slice(fileName.lastIndexOf('/') + 1)}\` does not index`;
}
