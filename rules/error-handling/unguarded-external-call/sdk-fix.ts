// The fix for an SDK client constructed without a timeout: the SDK's own options
// added where the client is constructed (which may be another file), each only when
// the options lack it — `timeout` and `maxNetworkRetries` for Stripe, `timeout` and
// `maxRetries` for OpenAI, `requestHandler: { requestTimeout }` and `maxAttempts`
// for AWS SDK v3 clients.
import type { FileEdit, Fix, RuleContext } from '../../api';
import { skipOuter } from '../../shared/callee';
import { optionProperty, optionValue } from '../../shared/outbound-http';
import { SDK_SPECS, type SdkCall } from '../../shared/outbound-http/sdk-clients';
import { insertProperty } from '../../shared/option-objects';

export function buildSdkFix(ctx: RuleContext, found: SdkCall, ms: string): Fix | undefined {
  const edits = sdkEdits(ctx, found, ms);
  if (!edits || edits.length === 0) return undefined;
  return { title: `Set a timeout on the ${SDK_SPECS[found.sdk].product} client`, isPreferred: true, safe: false, edits };
}

function sdkEdits(ctx: RuleContext, found: SdkCall, ms: string): FileEdit[] | undefined {
  const { ts } = ctx;
  const spec = SDK_SPECS[found.sdk];
  const construction = found.construction;
  const sf = construction.getSourceFile();
  const args = construction.arguments;
  if (!args) return undefined;
  const options = args[spec.optionsIndex];
  const o = options && skipOuter(ts, options);
  if (o && ts.isObjectLiteralExpression(o)) {
    const handler = found.sdk === 'aws' ? optionValue(ctx, o, 'requestHandler') : undefined;
    const h = handler && skipOuter(ts, handler);
    // `requestHandler: { connectionTimeout }`: the request timeout goes beside it.
    if (h && ts.isObjectLiteralExpression(h)) return [insertProperty(ctx, h, `requestTimeout: ${ms}`)];
    const missing = spec.fixProperties(ms).filter((p) => !optionProperty(ctx, o, p.key));
    if (missing.length === 0) return undefined;
    return [insertProperty(ctx, o, missing.map((p) => p.text).join(', '))];
  }
  if (o || args.length !== spec.optionsIndex || args.hasTrailingComma) return undefined;
  const object = `{ ${spec.fixProperties(ms).map((p) => p.text).join(', ')} }`;
  // `new Stripe(key)` → `new Stripe(key, { … })`; `new OpenAI()` → `new OpenAI({ … })`.
  const at = args.length > 0 ? args[args.length - 1].getEnd() : args.pos;
  return [{ fileName: sf.fileName, start: at, end: at, newText: args.length > 0 ? `, ${object}` : object }];
}

