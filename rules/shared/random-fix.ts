// The fix for a guessable secret made with `Math.random()`: the node:crypto call that
// makes the same kind of value. A UUID-v4 polyfill becomes `randomUUID()`, an integer
// in a range (`Math.floor(Math.random() * n)`, an OTP `100000 + …* 900000`) becomes
// `randomInt` over the same range — both safe, the values have the same shape —, and a
// `Math.random().toString(36).slice(2)` string becomes `randomBytes(16).toString('hex')`,
// not safe because the length and alphabet change. Other shapes get no fix.
import type { ts } from 'ts-morph';
import type { FileEdit, Fix, RuleContext } from '../api';
import { skipOuter } from './callee';

export function secureRandomFix(ctx: RuleContext, random: ts.CallExpression): Fix | undefined {
  const plan = uuidPlan(ctx, random) ?? integerPlan(ctx, random) ?? base36Plan(ctx, random);
  if (!plan) return undefined;
  const access = cryptoMember(ctx, plan.member);
  const edits: FileEdit[] = [{ fileName: ctx.fileName, start: plan.node.getStart(ctx.sourceFile), end: plan.node.getEnd(), newText: `${access.callee}${plan.call}` }];
  if (access.edit) edits.push(access.edit);
  return { title: `Use crypto.${plan.member}${plan.call}`, isPreferred: true, safe: plan.safe, edits };
}

interface Plan {
  readonly node: ts.Node;
  readonly member: 'randomUUID' | 'randomInt' | 'randomBytes';
  readonly call: string;
  readonly safe: boolean;
}

function climb(ts: RuleContext['ts'], e: ts.Node): ts.Node {
  let x = e;
  while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
  return x;
}

/** `'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => …Math.random()…)`. */
function uuidPlan(ctx: RuleContext, random: ts.CallExpression): Plan | undefined {
  const { ts } = ctx;
  for (let n: ts.Node | undefined = random.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const call = n.parent;
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'replace') return undefined;
    const template = skipOuter(ts, call.expression.expression);
    return ts.isStringLiteralLike(template) && /^x{8}-x{4}-4x{3}-yx{3}-x{12}$/.test(template.text) ? { node: call, member: 'randomUUID', call: '()', safe: true } : undefined;
  }
  return undefined;
}

/** `Math.floor(Math.random() * n)`, `Math.floor(Math.random() * n) + a` (left as is), `Math.floor(a + Math.random() * n)`. */
function integerPlan(ctx: RuleContext, random: ts.CallExpression): Plan | undefined {
  const { ts } = ctx;
  const r = climb(ts, random);
  const product = r.parent;
  if (!ts.isBinaryExpression(product) || product.operatorToken.kind !== ts.SyntaxKind.AsteriskToken) return undefined;
  const span = product.left === r ? product.right : product.left;
  let inner: ts.Node = climb(ts, product);
  let offset: ts.Expression | undefined;
  const sum = inner.parent;
  if (ts.isBinaryExpression(sum) && sum.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    offset = sum.left === inner ? sum.right : sum.left;
    inner = climb(ts, sum);
  }
  const floor = inner.parent;
  if (!ts.isCallExpression(floor) || floor.arguments.length !== 1 || !isMathCall(ts, floor, ['floor', 'trunc'])) return undefined;
  const sf = ctx.sourceFile;
  const spanText = span.getText(sf);
  const safe = isIntegerish(ctx, span) && (!offset || isIntegerish(ctx, offset));
  if (!offset) return { node: floor, member: 'randomInt', call: `(${spanText})`, safe };
  const a = numericValue(ts, offset);
  const b = numericValue(ts, span);
  const upper = a !== undefined && b !== undefined ? String(a + b) : `${offset.getText(sf)} + ${spanText}`;
  return { node: floor, member: 'randomInt', call: `(${offset.getText(sf)}, ${upper})`, safe };
}

/** `Math.random().toString(36)` with an optional `.slice(2…)` / `.substring(2…)` / `.substr(2…)`. */
function base36Plan(ctx: RuleContext, random: ts.CallExpression): Plan | undefined {
  const { ts } = ctx;
  const toString = random.parent;
  if (!ts.isPropertyAccessExpression(toString) || toString.name.text !== 'toString' || !ts.isCallExpression(toString.parent)) return undefined;
  let node: ts.Node = toString.parent;
  const cut = node.parent;
  if (ts.isPropertyAccessExpression(cut) && ['slice', 'substring', 'substr'].includes(cut.name.text) && ts.isCallExpression(cut.parent)) node = cut.parent;
  return { node, member: 'randomBytes', call: `(16).toString('hex')`, safe: false };
}

function isMathCall(ts: RuleContext['ts'], call: ts.CallExpression, names: string[]): boolean {
  const callee = skipOuter(ts, call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math' && names.includes(callee.name.text);
}

function numericValue(ts: RuleContext['ts'], e: ts.Expression): number | undefined {
  const x = skipOuter(ts, e);
  return ts.isNumericLiteral(x) ? Number(x.text) : undefined;
}

/** An integer literal or a `.length`: `randomInt` accepts it as `Math.floor` did. */
function isIntegerish(ctx: RuleContext, e: ts.Expression): boolean {
  const { ts } = ctx;
  const x = skipOuter(ts, e);
  const n = numericValue(ts, x);
  if (n !== undefined) return Number.isSafeInteger(n);
  return ts.isPropertyAccessExpression(x) && x.name.text === 'length';
}

/** How `member` of node:crypto is spelled here, and the import that brings it when needed. */
function cryptoMember(ctx: RuleContext, member: string): { callee: string; edit?: FileEdit } {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  const isCrypto = (s: string) => s === 'crypto' || s === 'node:crypto';
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && isCrypto(s.moduleSpecifier.text) && !s.importClause?.isTypeOnly) {
      const clause = s.importClause;
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) return { callee: `${bindings.name.text}.${member}` };
      if (clause?.name) return { callee: `${clause.name.text}.${member}` };
      if (bindings && ts.isNamedImports(bindings)) return namedFrom(ctx, bindings.elements, member, bindings.elements[bindings.elements.length - 1]);
    }
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer && skipOuter(ts, d.initializer);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require' || !init.arguments[0] || !ts.isStringLiteral(init.arguments[0]) || !isCrypto(init.arguments[0].text)) continue;
        if (ts.isIdentifier(d.name)) return { callee: `${d.name.text}.${member}` };
        if (ts.isObjectBindingPattern(d.name)) return namedFrom(ctx, d.name.elements, member, d.name.elements[d.name.elements.length - 1]);
      }
    }
  }
  const commonJs = /\.c?js$/.test(ctx.fileName) && !sf.statements.some((s) => ts.isImportDeclaration(s));
  const line = commonJs ? `const { ${member} } = require('node:crypto');` : `import { ${member} } from 'node:crypto';`;
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s) || (commonJs && isRequireStatement(ts, s)));
  if (imports.length > 0) {
    const at = imports[imports.length - 1].getEnd();
    return { callee: member, edit: { fileName: ctx.fileName, start: at, end: at, newText: `\n${line}` } };
  }
  const at = sf.statements[0]?.getStart(sf) ?? 0;
  return { callee: member, edit: { fileName: ctx.fileName, start: at, end: at, newText: `${line}\n\n` } };
}

function namedFrom(ctx: RuleContext, elements: readonly (ts.ImportSpecifier | ts.BindingElement)[], member: string, last: ts.Node | undefined): { callee: string; edit?: FileEdit } {
  const { ts } = ctx;
  for (const e of elements) {
    const imported = e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : ts.isIdentifier(e.name) ? e.name.text : undefined;
    if (imported === member && ts.isIdentifier(e.name)) return { callee: e.name.text };
  }
  const at = last ? last.getEnd() : 0;
  return { callee: member, edit: { fileName: ctx.fileName, start: at, end: at, newText: `, ${member}` } };
}

/** `const x = require('m')` / `const { a } = require('m')` at the top of a CommonJS file. */
function isRequireStatement(ts: RuleContext['ts'], s: ts.Statement): boolean {
  if (!ts.isVariableStatement(s)) return false;
  return s.declarationList.declarations.some((d) => {
    const init = d.initializer && skipOuter(ts, d.initializer);
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}
