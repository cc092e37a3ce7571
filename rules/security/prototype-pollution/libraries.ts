// Deep-merge and path-set functions of libraries whose older releases let a `__proto__` or
// `constructor.prototype` key reach `Object.prototype`. Current releases skip those keys, so
// a call is a sink only when the project's package.json pins the library below the release
// that fixed it (the highest version the declared range allows is still vulnerable).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { shortText } from '../../shared/source-text';

interface LibrarySink {
  /** Arguments whose data is merged or used as the path (by index; `from` means that one and all after). */
  readonly from: number;
  readonly only?: boolean;
  /** The first release that skips the dangerous keys. */
  readonly fixedIn: string;
}

const TABLE: Readonly<Record<string, Readonly<Record<string, LibrarySink>>>> = {
  // CVE-2018-16487 / CVE-2019-10744 (merge, defaultsDeep), CVE-2020-8203 (set, zipObjectDeep).
  lodash: { merge: { from: 1, fixedIn: '4.17.12' }, mergeWith: { from: 1, fixedIn: '4.17.12' }, defaultsDeep: { from: 1, fixedIn: '4.17.12' }, set: { from: 1, only: true, fixedIn: '4.17.20' }, setWith: { from: 1, only: true, fixedIn: '4.17.20' } },
  // CVE-2019-11358: `$.extend(true, {}, input)`.
  jquery: { extend: { from: 2, fixedIn: '3.4.0' } },
  // CVE-2020-8116.
  'dot-prop': { set: { from: 1, only: true, fixedIn: '5.1.1' } },
  // CVE-2021-23434 / CVE-2021-3805.
  'object-path': { set: { from: 1, only: true, fixedIn: '0.11.8' } },
};

export interface LibraryMerge {
  readonly args: readonly ts.Expression[];
  readonly label: string;
  readonly module: string;
  readonly version: string;
  readonly fixedIn: string;
  /** True for a path argument (`_.set(obj, path, v)`), false for merged data. */
  readonly path: boolean;
}

export function libraryMergeAt(ctx: RuleContext, node: ts.Node): LibraryMerge | undefined {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length < 2) return undefined;
  const target = resolveCall(ctx, node);
  const module = target?.module === 'lodash-es' ? 'lodash' : target?.module;
  const entry = module ? TABLE[module]?.[target!.name] : undefined;
  if (!module || !entry) return undefined;
  // jQuery copies deeply only with `true` first.
  if (module === 'jquery' && skipOuter(ts, node.arguments[0]).kind !== ts.SyntaxKind.TrueKeyword) return undefined;
  const declared = ctx.project.packageJson(ctx.fileName)?.allDependencies?.[module];
  const version = declared ? highestAllowed(declared) : undefined;
  if (!version || compare(version, entry.fixedIn) >= 0) return undefined;
  const args = (entry.only ? node.arguments.slice(entry.from, entry.from + 1) : node.arguments.slice(entry.from)).filter((a) => !ts.isSpreadElement(a) && !ts.isFunctionLike(skipOuter(ts, a)));
  return { args, label: shortText(ctx, node.expression), module, version: declared!, fixedIn: entry.fixedIn, path: !!entry.only };
}

/** The highest version a package.json range lets npm install; undefined when open-ended or not understood. */
function highestAllowed(range: string): number[] | undefined {
  const m = /^\s*([~^=]?)v?(\d+)\.(\d+)\.(\d+)\s*$/.exec(range);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (m[1] === '' || m[1] === '=') return [major, minor, patch];
  if (m[1] === '~' || (m[1] === '^' && major === 0)) return [major, minor, Infinity];
  return [major, Infinity, Infinity];
}

function compare(a: number[], fixed: string): number {
  const b = fixed.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
