// Where a file-system path is chosen: the path arguments of node's fs (callback, sync
// and promise forms) and fs-extra, and Express's `res.sendFile`/`res.download` when no
// `root` option confines them (with `root`, Express itself refuses `..`). Koa's `send`
// checks its own root and is not a sink.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import { findRouteHandlers } from '../../shared/http';
import { optionProperty } from '../../shared/outbound-http';
import { unchangedConstInitializer } from '../../shared/constant-values';
import type { Sink } from '../../taint';

const FS_MODULES = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs']);
/** fs functions (without their `Sync` suffix) → indexes of their path arguments. */
const FS_PATHS: Readonly<Record<string, readonly number[]>> = {
  readFile: [0], writeFile: [0], appendFile: [0], createReadStream: [0], createWriteStream: [0],
  unlink: [0], rm: [0], rmdir: [0], readdir: [0], opendir: [0], stat: [0], lstat: [0], open: [0], openAsBlob: [0],
  access: [0], exists: [0], mkdir: [0], truncate: [0], chmod: [0], chown: [0], lchown: [0], utimes: [0], lutimes: [0],
  readlink: [0], watch: [0], watchFile: [0], unwatchFile: [0],
  copyFile: [0, 1], cp: [0, 1], rename: [0, 1], link: [0, 1], symlink: [0, 1],
};
/** fs-extra's own additions. */
const FS_EXTRA_PATHS: Readonly<Record<string, readonly number[]>> = {
  readJson: [0], readJSON: [0], writeJson: [0], writeJSON: [0], outputFile: [0], outputJson: [0], outputJSON: [0],
  remove: [0], emptyDir: [0], emptydir: [0], ensureDir: [0], ensureFile: [0], mkdirs: [0], mkdirp: [0], pathExists: [0],
  copy: [0, 1], move: [0, 1],
};
const DIRECT_NAMES = new Set([...Object.keys(FS_PATHS), ...Object.keys(FS_EXTRA_PATHS)].flatMap((n) => [n, `${n}Sync`]).concat(['sendFile', 'download']));
const EXPRESS_MODULES = new Set(['express', 'express-serve-static-core']);

export type PathSinkForm = 'fs' | 'express';

export function pathSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const callee = skipOuter(ts, node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name || !DIRECT_NAMES.has(name)) return [];
  if (name === 'sendFile' || name === 'download') return expressSinks(ctx, node, callee, name);
  const target = resolveCall(ctx, node);
  if (!target?.module || !FS_MODULES.has(target.module)) return [];
  // `handle.readFile()` on an fs/promises FileHandle has no path argument.
  if (target.via === 'types' && target.owner) return [];
  const base = target.name.endsWith('Sync') ? target.name.slice(0, -'Sync'.length) : target.name;
  const indexes = FS_PATHS[base] ?? (target.module === 'fs-extra' ? FS_EXTRA_PATHS[base] : undefined);
  if (!indexes) return [];
  const label = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? `${callee.expression.text}.${name}` : name;
  return indexes.flatMap((i) => {
    const arg = node.arguments[i];
    return arg && !ts.isSpreadElement(arg) ? [{ expr: arg, label, data: 'fs' satisfies PathSinkForm }] : [];
  });
}

/** `res.sendFile(p)` / `res.download(p)` of Express, unless an options object sets `root`. */
function expressSinks(ctx: RuleContext, call: ts.CallExpression, callee: ts.Expression, name: string): Sink[] {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const target = resolveCall(ctx, call);
  const isExpress = target?.module ? EXPRESS_MODULES.has(target.module) : isExpressResponseParam(ctx, callee.expression);
  if (!isExpress) return [];
  const rest = call.arguments.slice(1);
  if (rest.some((a) => hasRoot(ctx, a))) return [];
  // An options value we cannot read may set `root`: stay silent.
  if (rest.some((a) => isOpaqueOptions(ctx, a))) return [];
  const receiver = ts.isIdentifier(callee.expression) ? callee.expression.text : 'res';
  return [{ expr: call.arguments[0], label: `${receiver}.${name}`, data: 'express' satisfies PathSinkForm }];
}

/** In plain JS: the response parameter of an Express route handler. */
function isExpressResponseParam(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  if (!ts.isIdentifier(x)) return false;
  const decl = ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
  return !!decl && findRouteHandlers(ctx).some((h) => h.framework === 'express' && h.response === decl);
}

function optionsLiteral(ctx: RuleContext, arg: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const { ts } = ctx;
  const x = skipOuter(ts, arg);
  if (ts.isObjectLiteralExpression(x)) return x;
  const init = ts.isIdentifier(x) ? unchangedConstInitializer(ctx, x) : undefined;
  return init && ts.isObjectLiteralExpression(skipOuter(ts, init)) ? (skipOuter(ts, init) as ts.ObjectLiteralExpression) : undefined;
}

function hasRoot(ctx: RuleContext, arg: ts.Expression): boolean {
  const o = optionsLiteral(ctx, arg);
  return !!o && (!!optionProperty(ctx, o, 'root') || o.properties.some((p) => ctx.ts.isSpreadAssignment(p)));
}

/** An argument that may be an options object whose content we cannot see (not a callback, not a string). */
function isOpaqueOptions(ctx: RuleContext, arg: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, arg);
  if (ts.isObjectLiteralExpression(x) || ts.isFunctionLike(x) || ts.isStringLiteralLike(x) || ts.isTemplateExpression(x)) return false;
  if (optionsLiteral(ctx, x)) return false;
  const type = ctx.checker.getTypeAtLocation(x);
  if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Undefined)) return false;
  return type.getCallSignatures().length === 0;
}
