// The endpoint inventory: every HTTP route a file registers, with what protects it.
// Not a rule (it reports no problem by itself): the engine collects it during an
// audit and the report's endpoint matrix is built from it plus the findings that
// fall inside each handler. Plain data, so it crosses the LSP wire as JSON.
import type { Range } from '../../server/src/engine/finding';

export type EndpointFramework = 'express' | 'fastify' | 'koa' | 'nest' | 'next';

/** The matrix columns, in display order. */
export const CONTROL_IDS = ['authentication', 'validation', 'rateLimiting', 'errorHandling', 'pagination', 'timeouts'] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/**
 * ok: the protection is there (location = where, e.g. the auth middleware);
 * warn: not found, or only partly there (amber: a reviewer should look);
 * fail: a finding says it is missing (set by the report from findings, location = the finding);
 * na: does not apply (a handler that reads no input needs no validation).
 */
export type ControlState = 'ok' | 'warn' | 'fail' | 'na';

export interface SourceLocation {
  readonly fileName: string;
  readonly range: Range;
}

export interface ControlCell {
  readonly state: ControlState;
  /** One short sentence a reviewer reads in the cell's tooltip: what was found or is missing. */
  readonly note: string;
  readonly location?: SourceLocation;
  /** Fingerprints of the findings behind a `fail` cell. */
  readonly fingerprints?: readonly string[];
}

export interface Endpoint {
  readonly framework: EndpointFramework;
  /** Upper case: GET, POST, …, ALL for `all`/`use`-style catch-alls. */
  readonly method: string;
  /** As far as it can be resolved statically (router/controller prefixes applied); `(dynamic)` when not. */
  readonly path: string;
  /** Where the route is registered (the call, decorator or Next route file's export). */
  readonly registration: SourceLocation;
  /** The function that answers the request (may be in another file than the registration). */
  readonly handler: SourceLocation;
  /** What the inventory itself could tell; the report turns cells to `fail` where findings say so. */
  readonly controls: Readonly<Record<ControlId, ControlCell>>;
}
