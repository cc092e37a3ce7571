// Byte sizes as body parsers read them: a number of bytes, or a string in the `bytes`
// package's format ('100kb', '50mb', '1.5GB'); plus `50 * 1024 * 1024` arithmetic.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { constantNumber, constantString, unchangedConstInitializer } from '../../shared/constant-values';
import { isUnbounded } from '../../shared/option-objects';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

/** Bytes in a `bytes`-format string, or undefined when it is not one. */
export function parseByteString(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?\s*$/i.exec(text);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]);
}

/** The size an expression states, in bytes; Infinity for "no limit"; undefined when unknown. */
export function byteSizeOf(ctx: RuleContext, expr: ts.Expression, depth = 0): number | undefined {
  const { ts } = ctx;
  if (depth > 4) return undefined;
  const e = skipOuter(ts, expr);
  if (isUnbounded(ctx, e)) return Infinity;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const l = byteSizeOf(ctx, e.left, depth + 1);
    const r = byteSizeOf(ctx, e.right, depth + 1);
    return l !== undefined && r !== undefined ? l * r : undefined;
  }
  if (ts.isIdentifier(e)) {
    const init = unchangedConstInitializer(ctx, e);
    if (init) return byteSizeOf(ctx, init, depth + 1);
  }
  const n = constantNumber(ctx, e);
  if (n !== undefined) return n;
  const s = constantString(ctx, e);
  return s !== undefined ? parseByteString(s) : undefined;
}

/** '50 MB', '1.5 GB', 'no limit'. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'no limit';
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['kB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
