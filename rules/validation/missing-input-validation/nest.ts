// Nest controller methods: which parameters carry request data (`@Body()`, `@Query('q')`,
// `@Param()`, `@Req()`), and which of them a pipe validates — a pipe given to the
// decorator, `@UsePipes`, or a class-validator DTO with a `ValidationPipe` installed.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall } from '../../shared/callee';
import { hasGlobalValidationPipe, isValidatedDtoClass } from '../../shared/validation-libs';
import type { Part, Seed } from './sources';

const PART_DECORATORS: Readonly<Record<string, Part>> = { Body: 'body', Query: 'query', Param: 'params' };
const REQUEST_DECORATORS = new Set(['Req', 'Request']);

/** Why a DTO parameter is not validated, for the message. */
export interface DtoNote {
  readonly problem: 'no-rules' | 'no-pipe';
  readonly className: string;
  readonly parameter: string;
}

export interface NestParameters {
  readonly seeds: Seed[];
  /** Parts a pipe validates (those parameters are not seeded). */
  readonly validatedParts: Set<Part>;
  readonly notes: Map<Part, DtoNote>;
  /** `@UsePipes` on the method or its class: every parameter goes through a pipe. */
  readonly allPiped: boolean;
}

export function nestParameters(ctx: RuleContext, method: ts.MethodDeclaration): NestParameters {
  const { ts } = ctx;
  const seeds: Seed[] = [];
  const validatedParts = new Set<Part>();
  const notes = new Map<Part, DtoNote>();
  const cls = method.parent;
  const allPiped = hasNestDecorator(ctx, method, 'UsePipes') || (ts.isClassDeclaration(cls) && hasNestDecorator(ctx, cls, 'UsePipes'));
  if (allPiped) return { seeds, validatedParts, notes, allPiped };
  for (const param of method.parameters) {
    for (const d of ts.getDecorators(param) ?? []) {
      const call = d.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
      const target = resolveCall(ctx, call);
      if (target?.module !== '@nestjs/common') continue;
      const name = target.name;
      if (REQUEST_DECORATORS.has(name)) {
        seeds.push({ node: param.name, kind: { kind: 'request', web: false, label: param.name.getText() } });
        continue;
      }
      const part = PART_DECORATORS[name];
      if (!part) continue;
      const [first, ...rest] = call.arguments;
      const field = first && ts.isStringLiteralLike(first) ? first.text : undefined;
      // Any pipe (or options with pipes) given to the decorator transforms/validates the value.
      if ((first && !field) || rest.length > 0) {
        validatedParts.add(part);
        continue;
      }
      const dto = dtoVerdict(ctx, param);
      if (dto.validated) {
        if (!field) validatedParts.add(part);
        continue;
      }
      const label = param.name.getText();
      if (field) {
        seeds.push({ node: param.name, kind: { kind: 'field', part, field, origin: { label, holder: param } }, declaration: param });
      } else {
        seeds.push({ node: param.name, kind: { kind: 'part', part, origin: { label, holder: param } } });
        if (dto.note) notes.set(part, { ...dto.note, parameter: label });
      }
    }
  }
  return { seeds, validatedParts, notes, allPiped };
}

function hasNestDecorator(ctx: RuleContext, node: ts.HasDecorators, name: string): boolean {
  const { ts } = ctx;
  return (ts.getDecorators(node) ?? []).some((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === name && resolveCall(ctx, d.expression)?.module === '@nestjs/common');
}

/**
 * Whether the ValidationPipe validates this parameter: its declared type must be a
 * class with class-validator rules and a ValidationPipe must be installed. A class
 * from a package or built by a mapped-type helper we cannot follow counts as
 * validated (unsure → silent).
 */
function dtoVerdict(ctx: RuleContext, param: ts.ParameterDeclaration): { validated: boolean; note?: Omit<DtoNote, 'parameter'> } {
  const { ts } = ctx;
  if (!param.type) return { validated: false };
  const type = ctx.checker.getTypeAtLocation(param.type);
  const symbol = type.getSymbol();
  const cls = symbol?.declarations?.find(ts.isClassDeclaration);
  if (!cls) return { validated: false };
  if (cls.getSourceFile().isDeclarationFile) return { validated: true };
  const rules = isValidatedDtoClass(ctx, cls);
  const className = cls.name?.text ?? 'the DTO class';
  if (rules === undefined) return { validated: true };
  if (rules === false) return { validated: false, note: { problem: 'no-rules', className } };
  return hasGlobalValidationPipe(ctx) ? { validated: true } : { validated: false, note: { problem: 'no-pipe', className } };
}
