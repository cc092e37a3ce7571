// Calls through the HTTP clients of vendor SDKs whose timeout is set where the
// client is constructed: Stripe (`new Stripe(key, { timeout })`, default 80 s),
// OpenAI (`new OpenAI({ timeout })`, default 10 minutes) and AWS SDK v3 clients
// (`new S3Client({ requestHandler: { requestTimeout } })`, no timeout by default).
// Recognised by the module the constructor is imported or required from (these
// SDKs are often used without their types), through a `const` the call reaches.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, skipOuter } from '../callee';
import { optionProperty, optionValue } from './options';

export type SdkName = 'stripe' | 'openai' | 'aws';

export interface SdkCall {
  readonly call: ts.CallExpression;
  readonly sdk: SdkName;
  /** `stripe.paymentIntents.create`, `s3.send`. */
  readonly label: string;
  /** The `new …(…)` that made the client (possibly in another file). */
  readonly construction: ts.NewExpression;
  /** 'missing' when the construction states no timeout; 'set'; 'unknown' when its options cannot be read. */
  readonly timeout: 'set' | 'missing' | 'unknown';
}

export interface SdkSpec {
  /** How the message names the client and its default. */
  readonly product: string;
  readonly defaultWait: string;
  /** Index of the options argument of the constructor. */
  readonly optionsIndex: number;
  /** Properties the fix adds, each only when the options lack its key. */
  readonly fixProperties: (ms: string) => readonly { key: string; text: string }[];
}

export const SDK_SPECS: Readonly<Record<SdkName, SdkSpec>> = {
  stripe: {
    product: 'Stripe',
    defaultWait: '80 s',
    optionsIndex: 1,
    // Stripe sends an idempotency key with its retries, so they are safe for POSTs too.
    fixProperties: (ms) => [
      { key: 'timeout', text: `timeout: ${ms}` },
      { key: 'maxNetworkRetries', text: 'maxNetworkRetries: 2' },
    ],
  },
  openai: {
    product: 'OpenAI',
    defaultWait: '10 minutes',
    optionsIndex: 0,
    // A completion legitimately takes tens of seconds: the fix bounds it at a minute, not the rule's default.
    fixProperties: () => [
      { key: 'timeout', text: 'timeout: 60_000' },
      { key: 'maxRetries', text: 'maxRetries: 2' },
    ],
  },
  aws: {
    product: 'AWS SDK',
    defaultWait: 'no limit',
    optionsIndex: 0,
    fixProperties: (ms) => [
      { key: 'requestHandler', text: `requestHandler: { requestTimeout: ${ms} }` },
      { key: 'maxAttempts', text: 'maxAttempts: 3' },
    ],
  },
};

/** Members of a client that make no request (Stripe verifies webhooks locally, an AWS client is closed by `destroy`). */
const LOCAL_MEMBERS: Readonly<Record<SdkName, ReadonlySet<string>>> = {
  stripe: new Set(['webhooks', 'errors', 'setApiKey', 'setAppInfo', 'setHost', 'setPort', 'setProtocol', 'setTimeout', 'setMaxNetworkRetries', 'setTelemetryEnabled', 'getClientUserAgent', 'getApiField', 'getConstant', 'on', 'off', 'once', 'createFetchHttpClient', 'createNodeHttpClient', 'createSubtleCryptoProvider', 'createNodeCryptoProvider']),
  openai: new Set(['withOptions', 'buildURL', 'buildRequest']),
  aws: new Set(['destroy', 'middlewareStack', 'config']),
};

/** Which SDK a constructor expression comes from, by its import or require. */
export function sdkOfConstructor(ctx: RuleContext, ctor: ts.Expression): SdkName | undefined {
  const origin = originOf(ctx, ctor);
  if (!origin || origin.instance || origin.members.length > 0) return undefined;
  const name = origin.exportPath.filter((p) => p !== 'default');
  if (origin.module === 'stripe') return name.length === 0 || (name.length === 1 && name[0] === 'Stripe') ? 'stripe' : undefined;
  if (origin.module === 'openai') return name.length === 0 || (name.length === 1 && (name[0] === 'OpenAI' || name[0] === 'AzureOpenAI')) ? 'openai' : undefined;
  // Bare clients (`S3Client`) and aggregated ones (`S3`) of the per-service packages.
  if (origin.module.startsWith('@aws-sdk/client-')) return name.length === 1 && /^[A-Z]/.test(name[0]) ? 'aws' : undefined;
  return undefined;
}

function aliased(ctx: RuleContext, id: ts.Identifier): ts.Symbol | undefined {
  let symbol = ctx.checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ctx.ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  return symbol;
}

/** The `new X(...)` a `const` holding a client was initialised with (in any file of the program). */
function constructionOf(ctx: RuleContext, id: ts.Identifier): ts.NewExpression | undefined {
  const { ts } = ctx;
  const decl = aliased(ctx, id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
  const init = skipOuter(ts, decl.initializer);
  return ts.isNewExpression(init) ? init : undefined;
}

/** The SDK request `call` makes, or undefined. Cheap for other calls: symbol lookups only. */
export function sdkCall(ctx: RuleContext, call: ts.CallExpression): SdkCall | undefined {
  const { ts } = ctx;
  const members: string[] = [];
  let e = skipOuter(ts, call.expression);
  while (ts.isPropertyAccessExpression(e)) {
    members.unshift(e.name.text);
    e = skipOuter(ts, e.expression);
  }
  if (!ts.isIdentifier(e) || members.length === 0) return undefined;
  const construction = constructionOf(ctx, e);
  const sdk = construction && sdkOfConstructor(ctx, construction.expression);
  if (!construction || !sdk || LOCAL_MEMBERS[sdk].has(members[0])) return undefined;
  // Stripe and OpenAI requests are methods of a resource (`stripe.customers.create`); AWS's is `send` or an aggregated method.
  if (sdk !== 'aws' && members.length < 2) return undefined;
  return { call, sdk, label: [e.text, ...members].join('.'), construction, timeout: constructionTimeout(ctx, sdk, construction) };
}

function constructionTimeout(ctx: RuleContext, sdk: SdkName, construction: ts.NewExpression): 'set' | 'missing' | 'unknown' {
  const { ts } = ctx;
  const args = construction.arguments ?? [];
  if (args.some((a) => ts.isSpreadElement(a))) return 'unknown';
  const options = args[SDK_SPECS[sdk].optionsIndex];
  if (!options) return 'missing';
  const o = skipOuter(ts, options);
  if (!ts.isObjectLiteralExpression(o) || o.properties.some((p) => ts.isSpreadAssignment(p))) return 'unknown';
  if (sdk !== 'aws') return optionProperty(ctx, o, 'timeout') ? 'set' : 'missing';
  const handler = optionValue(ctx, o, 'requestHandler');
  if (!handler) return 'missing';
  // A handler instance (`new NodeHttpHandler({...})`) or a variable carries its own settings.
  const h = skipOuter(ts, handler);
  if (!ts.isObjectLiteralExpression(h) || h.properties.some((p) => ts.isSpreadAssignment(p))) return 'unknown';
  return optionProperty(ctx, h, 'requestTimeout') ? 'set' : 'missing';
}
