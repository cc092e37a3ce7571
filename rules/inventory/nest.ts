// What a Nest controller's decorators say about one of its routes: the controller's
// path prefix, the guards that run before it (`@UseGuards` on the class, then on the
// method), and throttling (`@Throttle`, `@SkipThrottle`). Decorators count only when
// they come from @nestjs/common / @nestjs/throttler.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from '../shared/callee';
import { DYNAMIC_PATH } from './route-path';

export interface NestFacts {
  readonly prefix: string;
  /** Guard expressions, class-level first. */
  readonly guards: readonly ts.Expression[];
  readonly throttle?: ts.Decorator;
  /** `@SkipThrottle()` on the method, or on the class and not undone on the method. */
  readonly skipThrottle?: ts.Decorator;
}

export function nestFacts(ctx: RuleContext, method: ts.MethodDeclaration): NestFacts {
  const { ts } = ctx;
  const cls = method.parent;
  const classDecorators = ts.isClassDeclaration(cls) ? decorators(ctx, cls) : [];
  const methodDecorators = decorators(ctx, method);
  const controller = classDecorators.find((d) => d.module === '@nestjs/common' && d.name === 'Controller');
  const guards = [...classDecorators, ...methodDecorators].filter((d) => d.module === '@nestjs/common' && d.name === 'UseGuards').flatMap((d) => [...d.call.arguments]);
  const throttle = [...methodDecorators, ...classDecorators].find((d) => d.module === '@nestjs/throttler' && d.name === 'Throttle');
  const methodSkip = methodDecorators.find((d) => d.module === '@nestjs/throttler' && d.name === 'SkipThrottle');
  const classSkip = classDecorators.find((d) => d.module === '@nestjs/throttler' && d.name === 'SkipThrottle');
  const skip = methodSkip ?? classSkip;
  return {
    prefix: controller ? controllerPath(ctx, controller.call) : '',
    guards,
    throttle: throttle?.decorator,
    skipThrottle: skip && !undoesSkip(ctx, skip.call) ? skip.decorator : undefined,
  };
}

interface NestDecorator {
  readonly decorator: ts.Decorator;
  readonly call: ts.CallExpression;
  readonly module: string | undefined;
  readonly name: string;
}

function decorators(ctx: RuleContext, node: ts.HasDecorators): NestDecorator[] {
  const { ts } = ctx;
  const out: NestDecorator[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call)) continue;
    const origin = originOf(ctx, call.expression);
    const module = origin && !origin.module.startsWith('.') ? origin.module : resolveCall(ctx, call)?.module;
    const name = origin ? ([...origin.exportPath, ...origin.members].pop() ?? '') : call.expression.getText();
    out.push({ decorator, call, module, name });
  }
  return out;
}

/** `@Controller('users')`, `@Controller({ path: 'users' })`, `@Controller(['users', 'people'])` (the first). */
function controllerPath(ctx: RuleContext, call: ts.CallExpression): string {
  const { ts } = ctx;
  let arg = call.arguments[0] && skipOuter(ts, call.arguments[0]);
  if (!arg) return '';
  if (ts.isObjectLiteralExpression(arg)) {
    const path = arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'path');
    if (!path) return '';
    arg = skipOuter(ts, path.initializer);
  }
  if (ts.isArrayLiteralExpression(arg) && arg.elements[0]) arg = skipOuter(ts, arg.elements[0]);
  return ts.isStringLiteralLike(arg) ? arg.text : DYNAMIC_PATH;
}

/** `@SkipThrottle({ default: false })` re-enables throttling. */
function undoesSkip(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  const arg = call.arguments[0] && skipOuter(ts, call.arguments[0]);
  if (!arg || !ts.isObjectLiteralExpression(arg)) return false;
  return arg.properties.every((p) => ts.isPropertyAssignment(p) && skipOuter(ts, p.initializer).kind === ts.SyntaxKind.FalseKeyword);
}
