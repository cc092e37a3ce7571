// Error trackers and tracing agents: the packages whose calls report an error to a
// service (Sentry.captureException, bugsnag.notify, apm.captureError…) and whose
// presence in a package means errors are tracked. Shared by the rules that ask
// "is this failure seen by anyone?".

/** Packages whose calls send an error or trace to a tracking service. */
export const ERROR_TRACKER_MODULES: ReadonlySet<string> = new Set([
  '@sentry/node',
  '@sentry/nestjs',
  '@sentry/nextjs',
  '@sentry/bun',
  '@sentry/aws-serverless',
  '@sentry/google-cloud-serverless',
  '@sentry/core',
  '@sentry/react',
  '@sentry/browser',
  '@bugsnag/js',
  '@bugsnag/node',
  '@bugsnag/plugin-express',
  'rollbar',
  '@honeybadger-io/js',
  'honeybadger',
  '@airbrake/node',
  'airbrake',
  'newrelic',
  'elastic-apm-node',
  'dd-trace',
  '@opentelemetry/api',
  '@opentelemetry/sdk-node',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/auto-instrumentations-node',
  'applicationinsights',
  '@google-cloud/error-reporting',
]);

/** True for a module specifier that loads an error tracker or tracing agent (`dd-trace/init`, `@sentry/node/preload`). */
export function isTrackerModule(specifier: string): boolean {
  const s = specifier.replace(/^node:/, '');
  const parts = s.split('/');
  const pkg = s.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return ERROR_TRACKER_MODULES.has(pkg);
}
