// plaintext-password-storage: a password from input written to storage (Prisma, TypeORM,
// Sequelize, Mongoose, MongoDB, knex) exactly as the client sent it, without a slow hash.
// A database leak then hands out every user's password. No fix: hashing also changes the
// login path, which must verify with the same library.
import type { ts } from 'ts-morph';
import type { RelatedInput, Rule, RuleContext } from '../api';
import { skipOuter } from '../shared/callee';
import { isTestModule } from '../shared/module-imports';
import { preSaveHooks, schemaOfModel, storageWriteOf, type StorageWrite } from '../shared/password-storage-sinks';
import { assignsMember, hashesWithSlowHash, inputObjectOf, isPasswordColumn, plainPasswordOf, type PlainPassword } from '../shared/password-storage-values';

export const rule: Rule = {
  id: 'plaintext-password-storage',
  category: 'auth',
  cwe: [256],
  defaultSeverity: 'error',
  description: 'A password from input is written to the database as sent, without bcrypt, argon2 or scrypt.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    const { ts } = ctx;
    if (isTestModule(ctx)) return;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const write = storageWriteOf(ctx, node);
        if (write && !(write.mongooseModel && modelHashesOnSave(ctx, write.mongooseModel))) checkWrite(ctx, write);
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};

function checkWrite(ctx: RuleContext, write: StorageWrite): void {
  for (const record of write.records) checkRecord(ctx, write, record, 0);
}

function checkRecord(ctx: RuleContext, write: StorageWrite, record: ts.Expression, depth: number): void {
  const { ts } = ctx;
  const e = skipOuter(ts, record);
  if (depth > 3) return;
  if (ts.isArrayLiteralExpression(e)) return e.elements.forEach((el) => checkRecord(ctx, write, el, depth + 1));
  if (ts.isObjectLiteralExpression(e)) {
    for (const prop of e.properties) {
      const key = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : undefined;
      if (ts.isSpreadAssignment(prop)) checkWholeInput(ctx, write, prop.expression, keysAfter(ts, e, prop));
      if (!key) continue;
      // MongoDB / Mongoose update operators hold the written fields one level down.
      if ((key === '$set' || key === '$setOnInsert') && ts.isPropertyAssignment(prop)) checkRecord(ctx, write, prop.initializer, depth + 1);
      else if (ts.isPropertyAssignment(prop) && isPasswordColumn(key)) reportIfPlain(ctx, write, prop, key, prop.initializer);
      else if (ts.isShorthandPropertyAssignment(prop) && isPasswordColumn(key)) reportIfPlain(ctx, write, prop, key, prop.name);
    }
    return;
  }
  if (checkWholeInput(ctx, write, e)) return;
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(ts, decl.initializer) : undefined;
    // const data = { email, password }; repo.save(data)
    if (init && ts.isObjectLiteralExpression(init)) return checkRecord(ctx, write, init, depth + 1);
    // const user = repo.create(); user.password = dto.password; repo.save(user)
    checkMemberAssignments(ctx, write, e);
  }
}

/**
 * The request body written whole (`repo.save(dto)` of a Nest `@Body()`, `{ ...Signup.parse(req.body) }`):
 * its password property is stored as sent. Only request data: a parameter may be an entity already hashed.
 */
function checkWholeInput(ctx: RuleContext, write: StorageWrite, expr: ts.Expression, overridden: ReadonlySet<string> = new Set()): boolean {
  const { ts } = ctx;
  const input = inputObjectOf(ctx, expr);
  if (!input?.fromRequest) return false;
  const e = skipOuter(ts, expr);
  const symbol = ts.isIdentifier(e) ? ctx.checker.getSymbolAtLocation(e) : undefined;
  const scope = ts.findAncestor(write.node, ts.isFunctionLike);
  for (const property of ctx.checker.getTypeAtLocation(e).getProperties()) {
    if (!isPasswordColumn(property.name) || overridden.has(property.name) || (symbol && scope && assignsMember(ctx, scope, symbol, property.name))) continue;
    ctx.report({
      node: e,
      message: `\`${input.label}.${property.name}\` is stored as \`${property.name}\` by \`${write.label}\` in plain text, with the whole input: hash it with bcrypt, argon2 or \`crypto.scrypt\` before saving.`,
      related: [{ node: write.node, message: `\`${write.label}\` writes it to storage`, step: true }],
    });
  }
  return true;
}

/** `{ ...body, password: hashed }`: keys written after a spread replace what it brought. */
function keysAfter(ts: RuleContext['ts'], literal: ts.ObjectLiteralExpression, spread: ts.SpreadAssignment): Set<string> {
  const after = literal.properties.slice(literal.properties.indexOf(spread) + 1);
  return new Set(after.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : [])));
}

/** `user.password = req.body.password` on the entity or document that the write then stores. */
function checkMemberAssignments(ctx: RuleContext, write: StorageWrite, entity: ts.Identifier): void {
  const { ts } = ctx;
  const symbol = ctx.checker.getSymbolAtLocation(entity);
  const scope = ts.findAncestor(write.node, ts.isFunctionLike);
  if (!symbol || !scope) return;
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.getEnd() <= write.node.getStart()) {
      const left = skipOuter(ts, n.left);
      if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && isPasswordColumn(left.name.text) && ctx.checker.getSymbolAtLocation(left.expression) === symbol) {
        if (countAssignments(ctx, scope, symbol, left.name.text) === 1) reportIfPlain(ctx, write, n, left.name.text, n.right);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
}

function countAssignments(ctx: RuleContext, scope: ts.Node, symbol: ts.Symbol, column: string): number {
  // Two assignments (`u.password = dto.password; u.password = await hash(u.password)`): the last one wins, stay silent.
  const { ts } = ctx;
  let count = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuter(ts, n.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === column && ts.isIdentifier(left.expression) && ctx.checker.getSymbolAtLocation(left.expression) === symbol) count++;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return count;
}

function reportIfPlain(ctx: RuleContext, write: StorageWrite, at: ts.Node, column: string, value: ts.Expression): void {
  const plain = plainPasswordOf(ctx, value);
  if (!plain || hashedInPlace(ctx, write, plain)) return;
  const related: RelatedInput[] = [
    { node: plain.origin, message: `\`${plain.label}\`: the password as the client sent it`, step: true },
    { node: write.node, message: `\`${write.label}\` writes it to storage`, step: true },
  ];
  ctx.report({
    node: at,
    message: `\`${plain.label}\` is stored as \`${column}\` by \`${write.label}\` in plain text: hash it with bcrypt, argon2 or \`crypto.scrypt\` before saving.`,
    related,
  });
}

/** `dto.password = await bcrypt.hash(dto.password, 12)` before the write: the DTO now holds the hash. */
function hashedInPlace(ctx: RuleContext, write: StorageWrite, plain: PlainPassword): boolean {
  const { ts } = ctx;
  const origin = plain.origin;
  if (!ts.isPropertyAccessExpression(origin) || !ts.isIdentifier(origin.expression)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(origin.expression);
  const scope = ts.findAncestor(write.node, ts.isFunctionLike);
  return !!symbol && !!scope && assignsMember(ctx, scope, symbol, origin.name.text);
}

/** The model's schema hashes the password in a `pre('save')` hook (bcrypt, argon2, scrypt, or a helper doing so). */
function modelHashesOnSave(ctx: RuleContext, model: ts.Expression): boolean {
  const schema = schemaOfModel(ctx, model);
  // A model whose schema we cannot see (injected, built elsewhere): its hooks are unknown, stay silent.
  if (!schema) return true;
  return preSaveHooks(ctx, schema).some((hook) => !!hook.body && hashesWithSlowHash(ctx, hook.body));
}
