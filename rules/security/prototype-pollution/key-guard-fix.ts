// The quick fix when the tainted key is a loop's variable (for-in, or for-of over
// `Object.keys`/`Object.entries`) written in this file: skip the three dangerous names at
// the top of the loop body. Not marked safe: a valid input may, rarely, use one of those
// names as an ordinary key, and it is then skipped.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';

export function keyGuardFix(ctx: RuleContext, key: ts.Expression): Fix | undefined {
  const { ts } = ctx;
  const id = skipOuter(ts, key);
  if (!ts.isIdentifier(id) || id.getSourceFile() !== ctx.sourceFile) return undefined;
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl) return undefined;
  let varDecl: ts.Node = decl;
  // `for (const [key, value] of Object.entries(x))`: the first element of the pattern.
  if (ts.isBindingElement(decl)) {
    if (!ts.isArrayBindingPattern(decl.parent) || decl.parent.elements[0] !== decl) return undefined;
    varDecl = decl.parent.parent;
  }
  if (!ts.isVariableDeclaration(varDecl) || !ts.isVariableDeclarationList(varDecl.parent)) return undefined;
  const loop = varDecl.parent.parent;
  if (!(ts.isForInStatement(loop) || ts.isForOfStatement(loop)) || !ts.isBlock(loop.statement)) return undefined;
  const body = loop.statement;
  const text = ctx.sourceFile.text;
  const first = body.statements[0];
  const indent = first ? text.slice(text.lastIndexOf('\n', first.getStart()) + 1, first.getStart()) : `${lineIndent(text, loop.getStart())}  `;
  const name = id.text;
  const newText = `\n${indent}if (${name} === '__proto__' || ${name} === 'constructor' || ${name} === 'prototype') continue;`;
  const at = body.getStart() + 1;
  return { title: `Skip \`__proto__\`, \`constructor\` and \`prototype\` keys in the loop`, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start: at, end: at, newText }] };
}

function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, pos))![0];
}
