// sql-injection: SQL text built at run time from values that can carry anything (a
// template with substitutions, `+`, `.concat`, `.join`) reaching a raw-query API of pg,
// mysql2, Sequelize, knex, TypeORM or Prisma, directly or through a project helper that
// passes its parameter on as SQL. Offers to move the values into bound parameters.
import type { ts } from 'ts-morph';
import type { Fix, RelatedInput, Rule, RuleContext } from '../api';
import { calleeNameNode, packageOfFile, skipOuter } from '../shared/callee';
import { isPassedThroughFragment, parameterise, positionOf, sqlHoles, type Holes, type Parameterised } from './sql-injection/parameterise';
import { isSqlEscapeCall, isSqlLibraryMember, mayHaveDynamicSqlText, placeholderStyle, sqlSinkOf, type PlaceholderStyle, type SqlSinkCall } from '../shared/sql-sinks';
import { isTestModule } from '../shared/module-imports';
import { requestSourceOf } from '../shared/request-source';
import { shortText } from '../shared/source-text';
import { builtString, dynamicParts, type BuiltString, type DynamicPart, type StringAnalysisOptions } from '../shared/string-building';

const FORM_WORDS = { template: 'template', concatenation: 'concatenation', concat: '`concat`', join: '`join`' } as const;
const MAX_HELPER_DEPTH = 2;

export const rule: Rule = {
  id: 'sql-injection',
  category: 'security',
  cwe: [89],
  defaultSeverity: 'error',
  description: 'SQL text built from run-time values reaches a raw query API instead of passing the values as bound parameters.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    const { ts } = ctx;
    if (isTestModule(ctx)) return;
    const visit = (node: ts.Node): void => {
      if (ctx.isCancellationRequested()) return;
      if (ts.isCallExpression(node)) {
        const sink = mayHaveDynamicSqlText(ctx, node) ? sqlSinkOf(ctx, node) : undefined;
        if (sink) checkSink(ctx, sink);
        else checkHelperCall(ctx, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function options(ctx: RuleContext): StringAnalysisOptions {
  return { isSanitizer: (call) => isSqlEscapeCall(ctx, call), isTrustedMember: isSqlLibraryMember };
}

function analyse(ctx: RuleContext, expr: ts.Expression): BuiltString | undefined {
  return builtString(ctx, expr, options(ctx));
}

function holesOf(ctx: RuleContext, built: BuiltString): Holes | undefined {
  return sqlHoles(ctx, built, (e) => dynamicParts(ctx, e, options(ctx)));
}

function checkSink(ctx: RuleContext, sink: SqlSinkCall): void {
  const target = calleeLabel(ctx, sink.call);
  const built = analyse(ctx, sink.text);
  if (!built) {
    const direct = requestSourceOf(ctx, sink.text);
    if (direct) {
      ctx.report({
        node: sink.text,
        message: `\`${direct.label}\` is used as SQL text by \`${target}\`: never run SQL taken from a request; accept values and pass them as bound parameters.`,
        related: direct.node === skipOuter(ctx.ts, sink.text) ? [] : [{ node: direct.node, message: `\`${direct.label}\` comes from the request here`, step: true }],
      });
    }
    return;
  }
  const holes = built.parts.length > 0 ? holesOf(ctx, built) : undefined;
  const shown = reported(ctx, built, holes);
  if (shown.parts.length === 0) return;
  const style = placeholderStyle(ctx, sink.spec);
  const named = holes ? shown.parts.filter((p) => positionOf(holes, p) === 'name') : [];
  const plan = named.length === 0 && holes && style !== 'unsupported' ? parameterise(ctx, sink, style, built, holes) : undefined;
  const message =
    named.length > 0
      ? nameMessage(named, shown, target, sink.spec.driver === 'knex' ? ', or bind it as an identifier with `??`' : '')
      : valueMessage(shown, target, advice(ctx, sink, style, shown, holes, plan));
  const fixes = plan && ((): Fix[] => [{ title: 'Parameterise the query', isPreferred: true, safe: false, edits: plan.edits }]);
  ctx.report({ node: sink.text, message, related: relatedOf(ctx, sink.text, shown), fixes });
}

/** A call to a project function whose parameter reaches a raw-SQL sink unchanged: flag SQL built for it here. */
function checkHelperCall(ctx: RuleContext, call: ts.CallExpression): void {
  const { ts } = ctx;
  const candidates = call.arguments.map((a, i) => [i, a] as const).filter(([, a]) => isBuildingSyntax(ts, skipOuter(ts, a)));
  if (candidates.length === 0 || !isPlainCallee(ts, call.expression)) return;
  const fn = projectFunctionOf(ctx, call.expression);
  if (!fn) return;
  const sinks = parameterSinks(ctx, fn, 0);
  for (const [i, arg] of candidates) {
    const sink = sinks.get(i);
    const built = sink && analyse(ctx, arg);
    const holes = built && built.parts.length > 0 ? holesOf(ctx, built) : undefined;
    const shown = built && reported(ctx, built, holes);
    if (!sink || !shown || shown.parts.length === 0) continue;
    const helper = calleeLabel(ctx, call);
    const target = `${calleeLabel(ctx, sink.call)}\` through \`${helper}`;
    const named = holes ? shown.parts.filter((p) => positionOf(holes, p) === 'name') : [];
    const message =
      named.length > 0
        ? nameMessage(named, shown, target)
        : valueMessage(shown, target, `pass the values as bound parameters through \`${helper}\` instead of building the text`);
    ctx.report({
      node: arg,
      message,
      related: [...relatedOf(ctx, arg, shown), { fileName: sink.call.getSourceFile().fileName, node: sink.call, message: `\`${helper}\` runs it as SQL here`, step: true }],
    });
  }
}

/**
 * `run(…)`, `db.run(…)`, `this.repo.run(…)`: how project helpers are called. Callees on
 * call results (`User.find().where(…)`) are library chains; resolving them costs the
 * checker a lot (mongoose) for no helper to find.
 */
function isPlainCallee(ts: RuleContext['ts'], callee: ts.Expression): boolean {
  let e = skipOuter(ts, callee);
  while (ts.isPropertyAccessExpression(e)) e = skipOuter(ts, e.expression);
  return ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword;
}

/** The string with the parts worth a finding: all but SQL fragments passed through from elsewhere (unless they are request data). */
function reported(ctx: RuleContext, built: BuiltString, holes: Holes | undefined): BuiltString {
  if (!holes) return built;
  return { ...built, parts: built.parts.filter((p) => p.request || !isPassedThroughFragment(ctx, holes, p)) };
}

function isBuildingSyntax(ts: RuleContext['ts'], e: ts.Expression): boolean {
  if (ts.isTemplateExpression(e)) return true;
  if (ts.isBinaryExpression(e)) return e.operatorToken.kind === ts.SyntaxKind.PlusToken;
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && (e.expression.name.text === 'concat' || e.expression.name.text === 'join');
}

/** The body of the project function or method a callee refers to (in any file of the program). */
function projectFunctionOf(ctx: RuleContext, callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const { ts } = ctx;
  const nameNode = calleeNameNode(ts, callee);
  let symbol = nameNode && ctx.checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile || packageOfFile(decl.getSourceFile().fileName)) return undefined;
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
    const init = skipOuter(ts, decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

const parameterSinkCache = new WeakMap<ts.Node, Map<number, SqlSinkCall>>();

/** Parameters of `fn` that reach the SQL text of a sink unchanged (directly or through another such helper). */
function parameterSinks(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, depth: number): Map<number, SqlSinkCall> {
  const cached = parameterSinkCache.get(fn);
  if (cached) return cached;
  const { ts } = ctx;
  const found = new Map<number, SqlSinkCall>();
  parameterSinkCache.set(fn, found);
  const paramIndex = (e: ts.Expression): number => {
    const x = skipOuter(ts, e);
    if (!ts.isIdentifier(x)) return -1;
    const decl = ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
    if (decl && ts.isParameter(decl)) return fn.parameters.indexOf(decl);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return paramIndex(decl.initializer);
    return -1;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const sink = sqlSinkOf(ctx, n);
      if (sink) {
        const i = paramIndex(sink.text);
        if (i >= 0 && !found.has(i)) found.set(i, sink);
      } else if (depth < MAX_HELPER_DEPTH) {
        const inner = n.arguments.some((a) => paramIndex(a) >= 0) ? projectFunctionOf(ctx, n.expression) : undefined;
        const innerSinks = inner && inner !== fn ? parameterSinks(ctx, inner, depth + 1) : undefined;
        n.arguments.forEach((a, k) => {
          const i = paramIndex(a);
          const sink = innerSinks?.get(k);
          if (i >= 0 && sink && !found.has(i)) found.set(i, sink);
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function relatedOf(ctx: RuleContext, reported: ts.Expression, built: BuiltString): RelatedInput[] {
  // Source first, then where the text is built: the order of a data path.
  const out: RelatedInput[] = [];
  const seen = new Set<ts.Node>();
  for (const p of built.parts) {
    if (!p.request || seen.has(p.request.node)) continue;
    seen.add(p.request.node);
    // The engine's path when the value took more than bindings to get here (a `let`, a helper's return).
    const steps = p.request.steps?.filter((step) => step.node !== reported && !seen.has(step.node)) ?? [];
    if (steps.length > 1) for (const step of steps) out.push({ fileName: step.node.getSourceFile().fileName, node: step.node, message: step.message, step: true });
    else out.push({ node: p.request.node, message: `\`${p.request.label}\` comes from the request here`, step: true });
  }
  if (built.node.pos < reported.pos || built.node.end > reported.end) out.push({ node: built.node, message: 'the SQL text is built here', step: true });
  return out;
}

function labelsOf(parts: readonly DynamicPart[]): string[] {
  const ordered = [...parts.filter((p) => p.request), ...parts.filter((p) => !p.request)];
  return [...new Set(ordered.map((p) => p.label))];
}

function listNames(labels: readonly string[], max = 3): string {
  const q = labels.map((l) => `\`${l}\``);
  if (q.length <= 1) return q.join('');
  if (q.length <= max) return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
  return `${q.slice(0, max - 1).join(', ')} and ${q.length - max + 1} more`;
}

/** "`req.query.email` reaches" / "SQL built from `name` by template reaches". */
function subject(parts: readonly DynamicPart[], built: BuiltString): { text: string; fromRequest: boolean } {
  const labels = labelsOf(parts);
  const fromRequest = parts.some((p) => p.request);
  const text = fromRequest ? `${listNames(labels)} ${labels.length > 1 ? 'reach' : 'reaches'}` : `SQL built from ${listNames(labels)} by ${FORM_WORDS[built.form]} reaches`;
  return { text, fromRequest };
}

function valueMessage(built: BuiltString, target: string, adviceText: string): string {
  const s = subject(built.parts, built);
  return `${s.text} \`${target}\`${s.fromRequest ? ' unparameterised' : ''}: ${adviceText}.`;
}

function nameMessage(parts: readonly DynamicPart[], built: BuiltString, target: string, alternative = ''): string {
  const s = subject(parts, built);
  return `${s.text} \`${target}\` where a table/column name or keyword goes: allow only names from a fixed list (a union of string literals) first${alternative}, since no value parameter can fill that position.`;
}

function advice(ctx: RuleContext, sink: SqlSinkCall, style: PlaceholderStyle | 'unsupported', built: BuiltString, holes: Holes | undefined, plan: Parameterised | undefined): string {
  const fromRequest = built.parts.some((p) => p.request);
  const count = plan?.placeholders.length ?? labelsOf(built.parts).length;
  const placeholders = plan?.placeholders ?? fallbackPlaceholders(style, built, holes);
  const list = listNames([...new Set(placeholders)], 4);
  switch (style) {
    case 'dollar':
    case 'question':
    case 'named':
      if (!fromRequest) return `pass values as ${list} parameters`;
      return count === 1 ? `pass it as a ${list} parameter` : `pass them as ${list} parameters`;
    case 'tagged': {
      const callee = sink.call.expression;
      const receiver = ctx.ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : 'prisma';
      const tagged = `${/[()\s]/.test(receiver) ? '' : `${receiver}.`}${sink.target.name.replace(/Unsafe$/, '')}`;
      return `use the tagged template \`${tagged}\` instead, which sends each interpolation as a parameter`;
    }
    case 'none':
      if (sink.spec.driver === 'sequelize') return 'escape values with `sequelize.escape()` or express the condition with `where` operators instead';
      if (sink.spec.driver === 'prisma') return 'build the fragment with the tagged template `Prisma.sql` instead, which keeps values as parameters';
      if (sink.spec.driver === 'drizzle') return 'build it with the `sql` tagged template instead, which keeps values as parameters';
      if (sink.spec.driver === 'mssql') return 'declare values with `request.input(name, value)` and refer to them as `@name` instead';
      return 'run a parameterised statement and pass the values as bound parameters instead';
    default:
      return 'pass values as bound parameters of the driver instead';
  }
}

/** The placeholders named in a message when no rewrite is offered. */
function fallbackPlaceholders(style: PlaceholderStyle | 'unsupported', built: BuiltString, holes: Holes | undefined): string[] {
  const labels = labelsOf(built.parts);
  if (style === 'question') return ['?'];
  if (style === 'named') return labels.map((l) => `:${/([A-Za-z_][A-Za-z0-9_]*)$/.exec(l)?.[1] ?? 'value'}`);
  const base = holes?.scan.maxDollar ?? 0;
  return labels.map((_, k) => `$${base + k + 1}`);
}

/** `pool.query`, `this.dataSource.query`; the member name alone for long chains (`knex('t').whereRaw` → `whereRaw`). */
function calleeLabel(ctx: RuleContext, call: ts.CallExpression): string {
  const text = call.expression.getText().replace(/\s+/g, '');
  if (text.length <= 40 && !/[()<>[\]]/.test(text)) return text;
  return calleeNameNode(ctx.ts, call.expression)?.text ?? shortText(ctx, call.expression);
}
