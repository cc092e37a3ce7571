// Does a package set up error tracking or tracing anywhere? Any module of the package
// that loads a tracker or tracing SDK (Sentry, OpenTelemetry's SDK, dd-trace, New Relic,
// Elastic APM, Rollbar, Bugsnag, Honeybadger, Airbrake…), a preload of one in a
// package.json script (`node -r dd-trace/init`, `--import ./instrumentation.mjs`,
// NODE_OPTIONS), or Next's `instrumentation.ts`. Loading one is taken as set up: a
// false alarm costs more than a miss.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { isTrackerModule } from '../../shared/missing-error-tracking-vendors';

/** The OpenTelemetry API alone records nothing until an SDK is started; Sentry's core is a library piece. */
const NOT_A_SETUP = new Set(['@opentelemetry/api', '@sentry/core']);
const PRELOAD_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);
/** Cheap text test before parsing imports: none of these words, no tracker. */
const TRACKER_WORDS = /sentry|opentelemetry|dd-trace|newrelic|elastic-apm|rollbar|bugsnag|honeybadger|airbrake|applicationinsights|error-reporting/;

export interface PackageFiles {
  readonly packageJsonPath: string;
  readonly files: readonly ts.SourceFile[];
}

/** True when the package loads a tracker in code, preloads one in a script, or has Next's instrumentation file. */
export function packageTracksErrors(ctx: RuleContext, pkg: PackageFiles, scripts: Readonly<Record<string, unknown>>): boolean {
  if (Object.values(scripts).some((s) => typeof s === 'string' && preloadsTracker(s))) return true;
  const dir = pkg.packageJsonPath.slice(0, pkg.packageJsonPath.lastIndexOf('/'));
  const instrumentation = ['instrumentation.ts', 'instrumentation.js', 'src/instrumentation.ts', 'src/instrumentation.js'];
  if (instrumentation.some((f) => ctx.project.readFile(`${dir}/${f}`) !== undefined)) return true;
  return pkg.files.some((sf) => TRACKER_WORDS.test(sf.text) && loadsTracker(ctx.ts, sf));
}

/** A command line that preloads a tracker (`node -r newrelic`, `NODE_OPTIONS='--require dd-trace/init'`) or a local preload file. */
function preloadsTracker(command: string): boolean {
  const tokens = command.split(/[\s'"=]+/).filter(Boolean);
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!PRELOAD_FLAGS.has(tokens[i])) continue;
    const module = tokens[i + 1];
    // A project file preloaded before the app (`--import ./instrumentation.mjs`) is there to instrument it.
    if (module.startsWith('.') || module.startsWith('/')) return true;
    if (isSetupModule(module)) return true;
  }
  return false;
}

function isSetupModule(specifier: string): boolean {
  const s = specifier.replace(/^node:/, '');
  const parts = s.split('/');
  const pkg = s.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return isTrackerModule(s) && !NOT_A_SETUP.has(pkg);
}

/** `import * as Sentry from '@sentry/node'`, `import 'dd-trace/init'`, `require('newrelic')`, `await import(…)`. */
function loadsTracker(ts: RuleContext['ts'], sf: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!(ts.isImportDeclaration(node) && node.importClause?.isTypeOnly) && isSetupModule(node.moduleSpecifier.text)) found = true;
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && isSetupModule(node.arguments[0].text)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
