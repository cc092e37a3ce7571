// The quick fix for a field value: wrap it in `String(…)`, so an object sent by the client
// becomes the string "[object Object]" that matches nothing, and a valid string is unchanged.
// Offered only when the field is a String in the model's schema, or the schema is unknown;
// never for `_id` or a field of another type, where a string would change what matches.
import type { ts } from 'ts-morph';
import type { Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import type { NoSqlSinkData } from './sinks';

export function stringFix(ctx: RuleContext, expr: ts.Expression, data: NoSqlSinkData): Fix | undefined {
  const { ts } = ctx;
  if (data.form !== 'field' || !data.field || data.field === '_id' || !isStringField(ctx, data)) return undefined;
  const fileName = ctx.fileName;
  if (data.shorthand) {
    const name = data.shorthand.name;
    return edit(fileName, name.getStart(), name.getEnd(), `${name.text}: String(${name.text})`);
  }
  const start = expr.getStart();
  const needsParens = ts.isBinaryExpression(skipOuter(ts, expr)) && (skipOuter(ts, expr) as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.CommaToken;
  return edit(fileName, start, expr.getEnd(), `String(${needsParens ? `(${expr.getText()})` : expr.getText()})`);
}

function edit(fileName: string, start: number, end: number, newText: string): Fix {
  return { title: 'Convert the value to a string with `String(…)`', isPreferred: true, safe: true, edits: [{ fileName, start, end, newText }] };
}

/** The field's type in the Mongoose schema: `String` / `{ type: String }`; true when there is no schema to read. */
function isStringField(ctx: RuleContext, data: NoSqlSinkData): boolean {
  const { ts } = ctx;
  if (!data.schema) return true;
  let def: ts.Expression | undefined = data.schema.arguments?.[0] && skipOuter(ts, data.schema.arguments[0]);
  for (const part of data.field!.split('.')) {
    if (!def || !ts.isObjectLiteralExpression(def)) return false;
    const prop = def.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === part);
    def = prop && skipOuter(ts, prop.initializer);
  }
  if (def && ts.isObjectLiteralExpression(def)) {
    const type = def.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'type');
    def = type && skipOuter(ts, type.initializer);
  }
  if (!def) return false;
  if (ts.isIdentifier(def)) return def.text === 'String';
  return ts.isPropertyAccessExpression(def) && def.name.text === 'String';
}
