// missing-input-validation: an API handler uses fields of the request body, query or
// route parameters that nothing validated on the way — no schema parse of that part
// (in the handler, in a middleware on the same route, in Fastify's route schema, in a
// Nest ValidationPipe over a class-validator DTO) and no type/allow-list check of the
// field itself. One finding per handler, naming the fields; the fix writes a schema
// (zod, joi, yup or valibot, whichever the project uses) from the fields it reads.
import type { ts } from 'ts-morph';
import type { Rule, RuleContext } from '../api';
import { findRouteHandlers, registrationsOf, type RouteHandler } from '../shared/http';
import { GLOBAL_REQUEST_VALIDATORS } from '../shared/validation-libs';
import { routeCoverage } from './missing-input-validation/coverage';
import { detachedCandidates } from './missing-input-validation/detached';
import { buildFix } from './missing-input-validation/fix';
import { analyzeFunction, fieldKey } from './missing-input-validation/function-facts';
import { handlerLabel } from './missing-input-validation/naming';
import { nestParameters, type DtoNote } from './missing-input-validation/nest';
import { isFieldParameter, type FieldRead, type Part, type Seed, type WholeUse } from './missing-input-validation/sources';
import type { Verdict } from './missing-input-validation/verdict';

const MAX_NAMED = 4;

export const rule: Rule = {
  id: 'missing-input-validation',
  category: 'validation',
  cwe: [20],
  defaultSeverity: 'warning',
  description: 'An API handler uses request body/query fields that no schema or type check validated.',
  needsTypes: true,
  fixable: true,
  concerns: ['validation'],
  check(ctx) {
    const deps = ctx.project.packageJson(ctx.fileName)?.allDependencies ?? {};
    const globallyValidated = GLOBAL_REQUEST_VALIDATORS.some((p) => p in deps);
    const includeParams = ctx.options.includeRouteParams === true;
    const byFunction = new Map<ts.FunctionLikeDeclaration, RouteHandler[]>();
    for (const h of findRouteHandlers(ctx)) {
      if (h.fn.getSourceFile() !== ctx.sourceFile || !isEndpoint(ctx, h)) continue;
      if (globallyValidated && h.framework !== 'nest') continue;
      byFunction.set(h.fn, [...(byFunction.get(h.fn) ?? []), h]);
    }
    // Controllers written here and routed in another file.
    for (const fn of detachedCandidates(ctx)) {
      if (byFunction.has(fn) || globallyValidated) continue;
      const registrations = registrationsOf(ctx, fn).filter((h) => isEndpoint(ctx, h));
      if (registrations.length) byFunction.set(fn, registrations);
    }
    for (const [fn, registrations] of byFunction) {
      if (ctx.isCancellationRequested()) return;
      checkHandler(ctx, fn, registrations, includeParams);
    }
  },
};

/** The function that answers the request: not a middleware, an error handler or an app-wide `use`. */
function isEndpoint(ctx: RuleContext, h: RouteHandler): boolean {
  if (h.method === 'use' || h.terminal === false) return false;
  if (h.framework === 'express' && h.fn.parameters.length === 4) return false;
  return h.framework === 'nest' || !!h.request;
}

function checkHandler(ctx: RuleContext, fn: ts.FunctionLikeDeclaration, registrations: RouteHandler[], includeParams: boolean): void {
  const { ts } = ctx;
  const handler = registrations[0];
  let seeds: Seed[];
  const validated = new Set<Part>();
  let notes = new Map<Part, DtoNote>();
  if (handler.framework === 'nest') {
    if (!ts.isMethodDeclaration(fn)) return;
    const nest = nestParameters(ctx, fn);
    if (nest.allPiped) return;
    seeds = nest.seeds;
    nest.validatedParts.forEach((p) => validated.add(p));
    notes = nest.notes;
  } else {
    const request = handler.request!;
    const web = handler.framework === 'next' && !handler.response;
    seeds = [{ node: request.name, kind: { kind: 'request', web, label: request.name.getText() } }];
  }
  if (!seeds.length) return;
  const facts = analyzeFunction(ctx, fn, seeds);
  facts.validatedParts.forEach((p) => validated.add(p));

  // Every registration of the function must validate a part for it to count.
  const coverages = registrations.map((r) => routeCoverage(ctx, r));
  const guarded = new Set(facts.guardedFields);
  for (const part of ['body', 'query', 'params'] as const) {
    if (coverages.length && coverages.every((c) => c.parts.has(part))) validated.add(part);
  }
  for (const f of coverages[0]?.guardedFields ?? []) if (coverages.every((c) => c.guardedFields.has(f))) guarded.add(f);
  // express-validator chains only reject anything once their results are read.
  const chainsRead = facts.readsValidationResult || coverages.some((c) => c.readsValidationResult);
  const chainCovers = (part: Part, field?: string): boolean =>
    chainsRead && coverages.length > 0 && coverages.every((c) => c.chainFields.has(`${part}.*`) || (field !== undefined && c.chainFields.has(fieldKey(part, field))));

  const counted = (part: Part): boolean => includeParams || part !== 'params';
  const fields = facts.usedFields.filter((f) => counted(f.part) && !validated.has(f.part) && !guarded.has(fieldKey(f.part, f.field)) && !chainCovers(f.part, f.field));
  const wholes = facts.usedWholes.filter((w) => counted(w.part) && !validated.has(w.part) && !chainCovers(w.part));
  if (!fields.length && !wholes.length) return;

  const reads = [...fields, ...wholes].sort((a, b) => a.node.getStart() - b.node.getStart());
  const parts = [...new Set(reads.map((r) => r.part))];
  const verdict: Verdict = { handler, facts, fields, wholes, parts, notes };
  // Where a handler written here is routed from, when that is another file.
  const related = registrations
    .filter((r) => r.registration.getSourceFile() !== ctx.sourceFile)
    .map((r) => ({ fileName: r.registration.getSourceFile().fileName, node: r.registration, message: 'routed here, with no validation of the request on the way' }));
  ctx.report({
    node: reads[0].node,
    message: message(ctx, verdict, reads),
    related,
    fixes: () => {
      const fix = buildFix(ctx, verdict);
      return fix ? [fix] : [];
    },
  });
}

function message(ctx: RuleContext, v: Verdict, reads: readonly (FieldRead | WholeUse)[]): string {
  const labels = [...new Set(reads.map((r) => ('label' in r ? r.label : r.origin.label)))];
  const shown = labels.slice(0, MAX_NAMED).map((l) => `\`${l}\``);
  const rest = labels.length - shown.length;
  const named = rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
  const subject = handlerLabel(ctx, v.handler);
  return `${subject} uses ${named} without validation: ${advice(v, reads)}.`;
}

function advice(v: Verdict, reads: readonly (FieldRead | WholeUse)[]): string {
  const note = v.parts.map((p) => v.notes.get(p)).find((n) => n);
  if (note?.problem === 'no-pipe') return `\`${note.className}\` has class-validator rules but no \`ValidationPipe\` runs them, so install one with \`app.useGlobalPipes(new ValidationPipe())\``;
  if (note?.problem === 'no-rules') return `\`${note.className}\` has no class-validator rules, so add them (with a \`ValidationPipe\`) or parse \`${note.parameter}\` with a schema first`;
  // A Nest `@Query('q') q` parameter: there is no part to parse, only the value.
  const param = reads.find((r): r is FieldRead => 'isAccess' in r && isFieldParameter(r));
  if (param) return `check \`${param.label}\` before use, or bind the whole ${param.part === 'params' ? 'route parameters' : param.part} to a class-validator DTO`;
  const origins = v.parts.map((p) => reads.find((r) => r.part === p)!.origin.label.replace(/^\((.*)\)$/, '$1'));
  return `parse ${origins.map((o) => `\`${o}\``).join(' and ')} with a schema first`;
}
