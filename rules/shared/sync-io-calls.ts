// Which calls block the event loop: synchronous file-system, compression, child-process
// and key-derivation APIs of Node and bcrypt. Identified by the package the callee
// resolves to (types first, then imports/require), never by the name alone.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { resolveCall } from './callee';

export interface SyncIoCall {
  readonly call: ts.CallExpression;
  /** How to name it in a message: `fs.readFileSync`, `bcrypt.hashSync`. */
  readonly label: string;
  readonly module: string;
  readonly name: string;
}

// existsSync is a single stat that returns a boolean and never reads data: cheap enough that
// flagging it would be noise. Every other fs `*Sync` call reads, writes or walks the disk.
const FS_CHEAP = ['existsSync'];
const CRYPTO_HEAVY = ['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync'];
const CHILD_PROCESS = ['execSync', 'spawnSync', 'execFileSync'];
const BCRYPT = ['hashSync', 'compareSync', 'genSaltSync'];

/** The blocking call `call` is, or undefined. */
export function syncIoCallOf(ctx: RuleContext, call: ts.CallExpression): SyncIoCall | undefined {
  const target = resolveCall(ctx, call);
  if (!target?.module) return undefined;
  const module = target.module.replace(/\/promises$/, '');
  const { name } = target;
  const blocking =
    (module === 'fs' && name.endsWith('Sync') && !FS_CHEAP.includes(name)) ||
    (module === 'crypto' && CRYPTO_HEAVY.includes(name)) ||
    (module === 'zlib' && name.endsWith('Sync')) ||
    (module === 'child_process' && CHILD_PROCESS.includes(name)) ||
    ((module === 'bcrypt' || module === 'bcryptjs') && BCRYPT.includes(name));
  if (!blocking) return undefined;
  return { call, label: `${module === 'bcryptjs' ? 'bcrypt' : module}.${name}`, module, name };
}

/** Every blocking call inside `root` (nested callbacks included: they run when `root` does). */
export function syncIoCallsIn(ctx: RuleContext, root: ts.Node): SyncIoCall[] {
  const { ts } = ctx;
  const out: SyncIoCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const found = syncIoCallOf(ctx, node);
      if (found && !isOneTimeLoad(ctx, node)) out.push(found);
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return out;
}

/**
 * A lazily filled cache: the result is stored in a variable or field that outlives the call
 * (`cache ??= readFileSync(…)`, `this.template = …`), so the blocking call runs once, not per request.
 */
function isOneTimeLoad(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  let e: ts.Node = call;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  const parent = e.parent;
  if (!ts.isBinaryExpression(parent) || parent.right !== e) return false;
  const op = parent.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.QuestionQuestionEqualsToken && op !== ts.SyntaxKind.BarBarEqualsToken) return false;
  const left = parent.left;
  if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(left)) return false;
  const decl = ctx.checker.getSymbolAtLocation(left)?.valueDeclaration;
  if (!decl) return false;
  // A module-level variable survives the request; a local one is filled again every time.
  for (let p: ts.Node | undefined = decl.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return false;
  return true;
}
