// Where a string literal lands: the name it is bound to (a variable, an object or class
// property, a parameter default, an assignment target, the parameter of the function it is
// passed to — read from the resolved signature —, the value it is compared with, the
// function that returns it, a JSX attribute), looking through a fallback default
// (`process.env.JWT_SECRET ?? '…'`). A committed fallback is still a committed secret.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { skipOuter } from './callee';

export type SecretLiteral = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

export interface SecretSite {
  readonly literal: SecretLiteral;
  /** What the binding holds: the literal itself, or the `a ?? 'literal'` fallback around it. */
  readonly bound: ts.Expression;
  /** `x ?? 'literal'` / `x || 'literal'` when the literal is a fallback default. */
  readonly fallback?: ts.BinaryExpression;
  /** `X` when the fallback's left side reads `process.env.X`. */
  readonly fallbackEnv?: string;
  /** The name the value is bound to; undefined when it is a bare expression. */
  readonly name?: string;
  readonly kind?: 'variable' | 'property' | 'parameter' | 'assignment' | 'argument' | 'comparison' | 'return' | 'attribute';
  /** What the property belongs to: `pool` for `const pool = new Pool({ password })`, `db` for `db.password = …`. */
  readonly owner?: string;
}

/** Where the literal is used as a value (never as a type, key or module name), or undefined. */
export function secretSiteOf(ctx: RuleContext, literal: SecretLiteral): SecretSite | undefined {
  const { ts } = ctx;
  if (!isValuePosition(ts, literal)) return undefined;
  let bound: ts.Expression = literal;
  let fallback: ts.BinaryExpression | undefined;
  bound = climbOuter(ts, bound);
  const p = bound.parent;
  if (ts.isBinaryExpression(p) && p.right === bound && (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    fallback = p;
    bound = climbOuter(ts, p);
  }
  const fallbackEnv = fallback ? processEnvName(ts, fallback.left) : undefined;
  const named = bindingOf(ctx, bound);
  return { literal, bound, fallback, fallbackEnv, ...named };
}

function climbOuter(ts: RuleContext['ts'], e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x.parent) || ts.isAsExpression(x.parent) || ts.isSatisfiesExpression(x.parent) || ts.isNonNullExpression(x.parent)) x = x.parent;
  return x;
}

function isValuePosition(ts: RuleContext['ts'], literal: SecretLiteral): boolean {
  const p = literal.parent;
  if (ts.isLiteralTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isModuleDeclaration(p)) return false;
  if (ts.isImportTypeNode(p) || ts.isImportAttribute(p)) return false;
  // Keys name things: `{ 'api-key': … }`, `obj['token']`, enum member names.
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isEnumMember(p) || ts.isPropertySignature(p)) && p.name === literal) return false;
  if (ts.isElementAccessExpression(p) && p.argumentExpression === literal) return false;
  if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'require') return false;
  return true;
}

function bindingOf(ctx: RuleContext, bound: ts.Expression): Pick<SecretSite, 'name' | 'kind' | 'owner'> {
  const { ts } = ctx;
  const p = bound.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === bound && ts.isIdentifier(p.name)) return { name: p.name.text, kind: 'variable' };
  if (ts.isPropertyAssignment(p) && p.initializer === bound) return { ...named(ts, p.name, 'property'), owner: objectOwner(ts, p.parent) };
  if (ts.isPropertyDeclaration(p) && p.initializer === bound) return { ...named(ts, p.name, 'property'), owner: p.parent.name?.getText() };
  if (ts.isParameter(p) && p.initializer === bound && ts.isIdentifier(p.name)) return { name: p.name.text, kind: 'parameter', owner: returningFunctionName(ts, p.parent) };
  if (ts.isBindingElement(p) && p.initializer === bound && ts.isIdentifier(p.name)) return { name: p.name.text, kind: 'parameter' };
  if (ts.isJsxAttribute(p) && p.initializer === bound && ts.isIdentifier(p.name)) return { name: p.name.text, kind: 'attribute' };
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken && p.right === bound) {
      const left = skipOuter(ts, p.left);
      const owner = ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left) ? targetName(ts, left.expression) : undefined;
      return { ...withKind(targetName(ts, p.left), 'assignment'), owner };
    }
    const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (equality) return withKind(targetName(ts, p.left === bound ? p.right : p.left), 'comparison');
  }
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(bound)) return withKind(parameterName(ctx, p, p.arguments.indexOf(bound)), 'argument');
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === bound)) return withKind(returningFunctionName(ts, p), 'return');
  return {};
}

function withKind(name: string | undefined, kind: NonNullable<SecretSite['kind']>): Pick<SecretSite, 'name' | 'kind'> {
  return name ? { name, kind } : {};
}

function named(ts: RuleContext['ts'], name: ts.PropertyName, kind: NonNullable<SecretSite['kind']>): Pick<SecretSite, 'name' | 'kind'> {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return { name: name.text.replace(/^#/, ''), kind };
  return {};
}

/** The name an object literal is known by: its variable, its property, or the variable holding the call it configures. */
function objectOwner(ts: RuleContext['ts'], object: ts.Node): string | undefined {
  let holder: ts.Node = climbOuter(ts, object as ts.Expression).parent;
  if ((ts.isCallExpression(holder) || ts.isNewExpression(holder)) && holder.arguments?.some((a) => skipOuter(ts, a) === object)) {
    holder = climbOuter(ts, ts.isAwaitExpression(holder.parent) ? holder.parent : holder).parent;
  }
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (ts.isPropertyAssignment(holder) && (ts.isIdentifier(holder.name) || ts.isStringLiteral(holder.name))) return holder.name.text;
  return undefined;
}

/** `apiKey`, `config.apiKey`, `this.secret`, `headers['x-api-key']`. */
function targetName(ts: RuleContext['ts'], target: ts.Expression): string | undefined {
  const e = skipOuter(ts, target);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

/** The declared name of the parameter an argument fills (`secretOrPrivateKey` of `jwt.sign`). */
function parameterName(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, index: number): string | undefined {
  const { ts } = ctx;
  const signature = ctx.checker.getResolvedSignature(call);
  const decl = signature?.getDeclaration();
  if (!decl || !('parameters' in decl)) return undefined;
  const param = decl.parameters[index];
  if (!param || param.dotDotDotToken || !ts.isIdentifier(param.name)) return undefined;
  return param.name.text;
}

function returningFunctionName(ts: RuleContext['ts'], from: ts.Node): string | undefined {
  let fn: ts.Node | undefined = from;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return undefined;
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** `X` for `process.env.X` / `process.env['X']`. */
export function processEnvName(ts: RuleContext['ts'], expr: ts.Expression): string | undefined {
  const e = skipOuter(ts, expr);
  const base = ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) ? skipOuter(ts, e.expression) : undefined;
  if (!base || !ts.isPropertyAccessExpression(base) || base.name.text !== 'env' || !ts.isIdentifier(base.expression) || base.expression.text !== 'process') return undefined;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
}
