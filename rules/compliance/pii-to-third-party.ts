// pii-to-third-party: personal data (email, phone, name, address, IP, date of birth,
// identity and card numbers, whole user objects or request bodies) sent to an analytics
// or monitoring vendor — Segment, Mixpanel, PostHog, Amplitude, Google's gtag, Sentry's
// setUser. Once there, it is copied to a processor the privacy notice may not name, kept
// under its retention, and out of reach of deletion requests. The fix (not safe: the
// events change) drops the field, or sends only the object's id.
import type { ts } from 'ts-morph';
import type { Fix, Rule, RuleContext } from '../api';
import { isTestModule } from '../shared/module-imports';
import { personalValuesIn, type PersonalValue } from '../shared/pii-to-third-party-values';
import { forEachCall } from '../shared/walk';
import { thirdPartyCall, type ThirdPartyCall } from './pii-to-third-party/sinks';

export const rule: Rule = {
  id: 'pii-to-third-party',
  category: 'compliance',
  cwe: [359],
  defaultSeverity: 'warning',
  description: 'Personal data (email, phone, name, address, IP, birth date, whole user objects) sent to analytics or monitoring vendors.',
  needsTypes: true,
  fixable: true,
  check(ctx) {
    if (isTestModule(ctx)) return;
    forEachCall(ctx, (call) => {
      const sink = thirdPartyCall(ctx, call);
      if (!sink) return;
      for (const arg of sink.payload) {
        for (const value of personalValuesIn(ctx, arg)) {
          ctx.report({ node: value.node, message: messageFor(value, sink), fixes: () => fixFor(ctx, value) });
        }
      }
    });
  },
};

function messageFor(value: PersonalValue, sink: ThirdPartyCall): string {
  const what =
    value.kind === 'object' ? `\`${value.label}\` (with its \`${value.fields.join('`, `')}\`)` : value.kind === 'request' ? `The whole \`${value.label}\`` : `\`${value.label}\``;
  const advice = value.kind === 'field' ? 'leave it out, or send a pseudonymous id instead' : 'send only its id and the non-personal fields you need';
  return `${what} is sent to ${sink.vendor} by \`${sink.callee}\`: ${advice}.`;
}

function fixFor(ctx: RuleContext, value: PersonalValue): Fix[] {
  const { ts } = ctx;
  const sf = ctx.sourceFile;
  if (value.kind === 'object') {
    const hasId = ctx.checker.getPropertiesOfType(ctx.checker.getTypeAtLocation(value.node)).some((p) => p.name === 'id');
    if (!hasId) return [];
    const replacement = `{ id: ${value.label}.id }`;
    const shorthand = value.property && ts.isShorthandPropertyAssignment(value.property);
    const start = shorthand ? value.property!.getStart(sf) : value.node.getStart(sf);
    const end = shorthand ? value.property!.getEnd() : value.node.getEnd();
    const newText = shorthand ? `${value.label}: ${replacement}` : replacement;
    return [{ title: `Send only \`${value.label}.id\``, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, start, end, newText }] }];
  }
  if (!value.property || !ts.isObjectLiteralExpression(value.property.parent)) return [];
  return [{ title: `Remove \`${value.property.name?.getText(sf) ?? value.label}\` from the payload`, isPreferred: true, safe: false, edits: [{ fileName: ctx.fileName, ...removal(ctx, value.property) }] }];
}

/** The property with its comma: its whole line when it has one of its own, else the text up to the next property. */
function removal(ctx: RuleContext, property: ts.ObjectLiteralElementLike): { start: number; end: number; newText: string } {
  const sf = ctx.sourceFile;
  const text = sf.text;
  const list = (property.parent as ts.ObjectLiteralExpression).properties;
  const index = list.indexOf(property);
  const start = property.getStart(sf);
  let end = property.getEnd();
  if (text[end] === ',') end++;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && lineEnd !== -1 && /^[ \t]*$/.test(text.slice(end, lineEnd))) return { start: lineStart, end: lineEnd + 1, newText: '' };
  if (index < list.length - 1) return { start, end: list[index + 1].getStart(sf), newText: '' };
  const previous = list[index - 1];
  if (previous) return { start: previous.getEnd(), end: property.getEnd(), newText: '' };
  // The only property: leave `{}`.
  const literal = property.parent as ts.ObjectLiteralExpression;
  return { start: literal.getStart(sf) + 1, end: literal.getEnd() - 1, newText: '' };
}
