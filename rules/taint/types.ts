// The vocabulary of the taint engine: where untrusted data enters (a source), the
// path it takes (steps), what it passed through on the way (transforms that may be
// sanitisers, conditions that may guard it), and where it lands (a sink). Flows are
// computed once per expression and shared by every injection rule; each rule then
// decides which transforms and guards make the data safe for ITS sink.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';

/** What kind of place the data came from; rules may word messages by it. */
export type SourceKind = 'request' | 'lambda' | 'websocket' | 'browser';

export interface TaintSource {
  readonly kind: SourceKind;
  /** How to name it in a message: `req.query.next`, `event.body`, `location.hash`. */
  readonly label: string;
  /** Where it entered. */
  readonly node: ts.Node;
  /** For request data: body, query, params, headers, cookies, files. */
  readonly part?: string;
  /** True when a schema or a validated DTO constrained its shape at the source (Nest `@Body() dto: CreateDto`). */
  readonly validated?: boolean;
}

export interface Step {
  readonly node: ts.Node;
  readonly message: string;
}

/** Calls the data went through whose result still carries it, that some sinks count as sanitising. */
export type TransformKind =
  | 'schema' // zod/joi/yup/valibot parsing: shape and types are constrained, string content is not
  | 'html-escape' // escape-html, lodash.escape, he.encode, validator.escape
  | 'html-sanitize' // DOMPurify.sanitize, sanitize-html, xss
  | 'url-encode' // encodeURIComponent, querystring.escape
  | 'uri-encode' // encodeURI, escape: percent-encoded, but `/`, `:`, `?`, `#` kept
  | 'basename' // path.basename: no directory part left
  | 'path-normalize' // path.resolve/normalize/join: still anywhere unless prefix-checked
  | 'shell-quote' // shell-quote, shell-escape
  | 'regex-escape' // lodash.escapeRegExp, escape-string-regexp
  | 'json' // JSON.stringify: a string now, with quotes escaped for JSON
  | 'json-parse' // JSON.parse: an object from text
  | 'url-parse' // new URL(x): a URL object of whatever x was
  | 'object-copy' // structuredClone, Object.assign({}, x), { ...x }: keys kept
  | 'header-encode' // content-disposition, cookie.serialize: quoted and encoded for a header
  | 'replace' // str.replace(pattern, …): a sink may count a pattern that strips what it fears
  | 'nosql-sanitize'; // mongo-sanitize, express-mongo-sanitize, mongoose.sanitizeFilter: `$` keys removed or neutralised

export interface Transform {
  readonly kind: TransformKind;
  readonly node: ts.Node;
}

/** A condition that holds (or does not) wherever the data is used: `if (!ALLOWED.includes(x)) return;`. */
export interface Guard {
  readonly condition: ts.Expression;
  /** True when the condition is known true at the use; false when known false. */
  readonly holds: boolean;
  /** The reference to the guarded value inside the condition's scope (same symbol as the use). */
  readonly ref: ts.Expression;
  /** Set for a `case` clause: `condition` is the case's value and `ref` the switched-on expression. */
  readonly caseOf?: ts.SwitchStatement;
}

export type Origin =
  | { readonly kind: 'source'; readonly source: TaintSource }
  | { readonly kind: 'param'; readonly fn: ts.SignatureDeclaration; readonly index: number };

export interface Flow {
  readonly origin: Origin;
  /** From where the data entered to the expression asked about (the origin's node first). */
  readonly steps: readonly Step[];
  readonly transforms: readonly Transform[];
  readonly guards: readonly Guard[];
}

/** An expression at a sink whose value must not be attacker-controlled. */
export interface Sink {
  /** The value that lands there (an argument, the right-hand side of an assignment). */
  readonly expr: ts.Expression;
  /** What to underline (defaults to `expr`). */
  readonly node?: ts.Node;
  /** How to name the sink in a message: `exec`, `res.redirect`, `innerHTML`. */
  readonly label: string;
  /** Anything the rule wants back with the finding (e.g. which form of the sink). */
  readonly data?: unknown;
}

export interface SinkSpec {
  /** Stable id for caches (the rule id). */
  readonly id: string;
  /** Sinks at this node (most nodes: none). Do the cheap syntactic test first: it runs on every node. */
  sinksAt(ctx: RuleContext, node: ts.Node): readonly Sink[];
  /** True when data that went through this transform is safe at this sink. */
  isSanitizer?(kind: TransformKind, node: ts.Node, sink: Sink): boolean;
  /**
   * True when `condition` holding (or not, per `holds`) makes `ref` safe at this sink, beyond the
   * allow-list tests every sink accepts (`ALLOWED.includes(x)`, `x === 'a' || x === 'b'`).
   */
  isGuard?(ctx: RuleContext, guard: Guard, sink: Sink): boolean;
  /** True when values whose type is number/boolean/literal union are still dangerous (default false). */
  readonly keepsSafeTypes?: boolean;
  /** True when only the origin kinds named are sources for this sink (default: all). */
  readonly sourceKinds?: readonly SourceKind[];
}

/** A sink reached by untrusted data, in this file or through a helper it calls. */
export interface TaintedSink {
  readonly sink: Sink;
  readonly source: TaintSource;
  /** Source first, each step, the sink last (possibly in another file). */
  readonly steps: readonly Step[];
  /** What to underline in this file: the sink, or the argument passed to the helper that reaches it. */
  readonly reportNode: ts.Node;
  /** Set when the sink is inside a project function this file calls. */
  readonly viaHelper?: { readonly call: ts.CallExpression; readonly name: string };
}
