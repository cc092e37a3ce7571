// Deserialisers that can run code or build arbitrary objects from their input:
// node-serialize (functions marked `_$$ND_FUNC$$_` are evaluated), serialize-to-js and
// funcster (evaluate), cryo (revives functions), php-serialize (instantiates classes),
// node:v8 `deserialize`, and js-yaml 3's `load`/`loadAll`, whose default schema builds
// functions and regexps from `!!js/*` tags (js-yaml 4 dropped those types from `load`).
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { resolveCall, skipOuter } from '../../shared/callee';
import type { Sink } from '../../taint';

export interface DeserializeSink {
  readonly module: string;
  /** What the library does with the data that makes it dangerous. */
  readonly danger: string;
}

const ALWAYS: Readonly<Record<string, { readonly names: readonly string[]; readonly danger: string }>> = {
  'node-serialize': { names: ['unserialize'], danger: 'evaluates functions embedded in the data' },
  'serialize-to-js': { names: ['deserialize'], danger: 'evaluates the data as JavaScript' },
  funcster: { names: ['deepDeserialize', 'deserialize'], danger: 'compiles functions embedded in the data' },
  cryo: { names: ['parse'], danger: 'revives functions and prototypes embedded in the data' },
  'php-serialize': { names: ['unserialize'], danger: 'instantiates classes the data names' },
  v8: { names: ['deserialize'], danger: 'builds arbitrary object graphs from bytes it does not validate' },
};
const YAML_LOADERS = new Set(['load', 'loadAll']);
const CHEAP_NAMES = new Set([...Object.values(ALWAYS).flatMap((e) => e.names), ...YAML_LOADERS]);

export function deserializeSinksAt(ctx: RuleContext, node: ts.Node): Sink[] {
  const { ts } = ctx;
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return [];
  const callee = skipOuter(ts, node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name || !CHEAP_NAMES.has(name)) return [];
  const target = resolveCall(ctx, node);
  const module = target?.module;
  if (!target || !module) return [];
  const entry = ALWAYS[module];
  if (entry?.names.includes(target.name)) return [sink(node, `${module === 'v8' ? 'v8.' : ''}${target.name}`, { module, danger: entry.danger })];
  if (module === 'js-yaml' && YAML_LOADERS.has(target.name) && yamlMajor(ctx) === 3 && usesFullSchema(ctx, node)) {
    return [sink(node, `yaml.${target.name}`, { module: 'js-yaml 3', danger: 'builds functions from `!!js/function` tags with its default schema' })];
  }
  return [];
}

function sink(call: ts.CallExpression, label: string, data: DeserializeSink): Sink {
  return { expr: call.arguments[0], label, data };
}

/** The major version of js-yaml the nearest package.json asks for; undefined when it does not say. */
function yamlMajor(ctx: RuleContext): number | undefined {
  const range = ctx.project.packageJson(ctx.fileName)?.allDependencies['js-yaml'];
  const m = range ? /^[\^~>=v\s]*(\d+)(?:[.\s]|$)/.exec(range) : undefined;
  return m ? Number(m[1]) : undefined;
}

/**
 * True when the call loads with js-yaml 3's full schema: no options, or options whose
 * `schema` is `DEFAULT_FULL_SCHEMA`. A schema the rule cannot name, or options held in
 * a variable, leave it silent.
 */
function usesFullSchema(ctx: RuleContext, call: ts.CallExpression): boolean {
  const { ts } = ctx;
  for (const arg of call.arguments.slice(1)) {
    const a = skipOuter(ts, arg);
    if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) continue; // loadAll's iterator
    if (!ts.isObjectLiteralExpression(a)) return false;
    const schema = a.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'schema');
    if (!schema) continue;
    const value = skipOuter(ts, schema.initializer);
    const schemaName = ts.isPropertyAccessExpression(value) ? value.name.text : ts.isIdentifier(value) ? value.text : undefined;
    // A safe schema, or one the rule cannot name (a custom one), is not reported.
    if (schemaName !== 'DEFAULT_FULL_SCHEMA') return false;
  }
  return true;
}
