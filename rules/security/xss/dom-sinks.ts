// Browser APIs that parse a string as HTML: `innerHTML`/`outerHTML`/`srcdoc` assignments,
// `insertAdjacentHTML`, `document.write(ln)`, `Range.createContextualFragment`, React's
// `dangerouslySetInnerHTML={{ __html }}` and jQuery's `.html(x)`. DOM members count only
// when the checker resolves them to the DOM lib, so a field of your own named `innerHTML`
// is not one.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import type { Sink } from '../../taint';
import type { XssSinkData } from './server-sinks';

const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
/** Method → index of the argument parsed as HTML (-1: every argument). */
const HTML_METHODS: Readonly<Record<string, number>> = { insertAdjacentHTML: 1, write: -1, writeln: -1, createContextualFragment: 0, setHTMLUnsafe: 0 };
const DOM: XssSinkData = { side: 'dom' };

export function domSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (ts.isBinaryExpression(node) && ts.isPropertyAccessExpression(node.left) && HTML_PROPERTIES.has(node.left.name.text)) {
    const op = node.operatorToken.kind;
    if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.PlusEqualsToken) return [];
    if (!isDomMember(ctx, node.left.name)) return [];
    const innerHtml = op === ts.SyntaxKind.EqualsToken && node.left.name.text === 'innerHTML' ? node : undefined;
    return [{ expr: node.right, label: node.left.name.text, data: { ...DOM, innerHtml } satisfies XssSinkData }];
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const name = node.expression.name.text;
    const at = HTML_METHODS[name];
    if (at !== undefined && isDomMember(ctx, node.expression.name)) {
      const args = at === -1 ? [...node.arguments] : node.arguments[at] ? [node.arguments[at]] : [];
      return args.filter((a) => !ts.isSpreadElement(a)).map((expr) => ({ expr, label: name === 'write' || name === 'writeln' ? `document.${name}` : name, data: DOM }));
    }
    if (name === 'html' && node.arguments.length === 1 && resolveCall(ctx, node)?.module === 'jquery') return [{ expr: node.arguments[0], label: '.html', data: DOM }];
    return [];
  }
  if (ts.isJsxAttribute(node) && node.name.getText() === 'dangerouslySetInnerHTML' && node.initializer && ts.isJsxExpression(node.initializer) && node.initializer.expression) {
    const value = skipOuter(ts, node.initializer.expression);
    if (!ts.isObjectLiteralExpression(value)) return [{ expr: value, label: 'dangerouslySetInnerHTML', data: DOM }];
    const html = value.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === '__html');
    return html ? [{ expr: html.initializer, label: 'dangerouslySetInnerHTML', data: DOM }] : [];
  }
  return [];
}

/** Declared by the DOM lib (`lib.dom.d.ts`), or on a value of unknown type in plain JS. */
function isDomMember(ctx: RuleContext, name: ts.MemberName): boolean {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(name);
  if (!symbol) {
    const owner = (name.parent as ts.PropertyAccessExpression).expression;
    return ctx.sourceFile.fileName.match(/\.[cm]?jsx?$/) !== null && !!(ctx.checker.getTypeAtLocation(owner).flags & ts.TypeFlags.Any) && name.text !== 'write' && name.text !== 'writeln';
  }
  return (symbol.declarations ?? []).some((d) => /\/lib\.dom\.d\.ts$/.test(d.getSourceFile().fileName));
}
